export interface ServiceErrorOptions {
  status?: number;
  /** awsQuery code when it differs from `code`. */
  queryCode?: string;
  /** awsJson `__type` namespace when it is not the service's own (AWS's framework errors use coral's). */
  namespace?: string;
  /** Some AWS texts differ between protocols. */
  queryMessage?: string;
  /** Headers the answer carries besides the error (S3's 304 names the object's ETag and Last-Modified). */
  headers?: Record<string, string>;
}

/**
 * An error answered to a client in the shape AWS uses. `code` is the modeled
 * error name (awsJson `__type`), `queryCode` the awsQuery code when it differs
 * (carried in `x-amzn-query-error` for query-compatible JSON services).
 */
export class ServiceError extends Error {
  readonly status: number;
  readonly queryCode: string;
  readonly namespace?: string;
  readonly queryMessage: string;
  readonly fault: 'Sender' | 'Receiver';
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: string,
    message: string,
    options: ServiceErrorOptions = {},
  ) {
    super(message);
    this.name = code;
    this.status = options.status ?? 400;
    this.queryCode = options.queryCode ?? code;
    this.namespace = options.namespace;
    this.queryMessage = options.queryMessage ?? message;
    this.fault = this.status >= 500 ? 'Receiver' : 'Sender';
    if (options.headers) this.headers = options.headers;
  }
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError;
}

export const CORAL = 'com.amazon.coral.service#';

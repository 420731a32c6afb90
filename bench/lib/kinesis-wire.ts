import { Pool } from 'undici';
import type { SignedHeaders } from './sigv4.js';

export const KINESIS_JSON = 'application/x-amz-json-1.1';
export const KINESIS_TARGET_PREFIX = 'Kinesis_20131202';

export class KinesisCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${operation}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

/**
 * Kinesis over awsJson 1.1 on an undici pool of HTTP/1.1 keep-alive connections, as SqsWire does
 * for SQS: the SDK's own CPU per call would cap the load long before the servers do, and
 * kinesalite speaks HTTP/1.1 only, so every server gets the same wire.
 */
export class KinesisWire {
  private readonly pool: Pool;
  private readonly headers = new Map<string, Record<string, string>>();

  constructor(
    origin: string,
    private readonly auth: SignedHeaders,
    connections: number,
  ) {
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
    });
  }

  /** `input` may be pre-serialised JSON, so hot loops don't pay JSON.stringify per request. */
  async call<T = Record<string, any>>(operation: string, input: string | object): Promise<T> {
    const { statusCode, body } = await this.pool.request({
      path: '/',
      method: 'POST',
      headers: this.headersFor(operation),
      body: typeof input === 'string' ? input : JSON.stringify(input),
    });
    const text = await body.text();
    if (statusCode !== 200) throw new KinesisCallError(operation, statusCode, text);
    return (text.length > 0 ? JSON.parse(text) : {}) as T;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private headersFor(operation: string): Record<string, string> {
    let headers = this.headers.get(operation);
    if (!headers) {
      headers = {
        'content-type': KINESIS_JSON,
        'x-amz-target': `${KINESIS_TARGET_PREFIX}.${operation}`,
        ...this.auth,
      };
      this.headers.set(operation, headers);
    }
    return headers;
  }
}

import { Pool } from 'undici';
import type { SignedHeaders } from './sigv4.js';

export class SqsCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${operation}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

/**
 * SQS over awsJson 1.0, straight on an undici pool: the SDK costs ~1 ms of client CPU per call
 * and would cap the load near 1,000 calls/s, far below what these servers answer.
 */
export class SqsWire {
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
    if (statusCode !== 200) throw new SqsCallError(operation, statusCode, text);
    return (text.length > 0 ? JSON.parse(text) : {}) as T;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private headersFor(operation: string): Record<string, string> {
    let headers = this.headers.get(operation);
    if (!headers) {
      headers = {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${operation}`,
        ...this.auth,
      };
      this.headers.set(operation, headers);
    }
    return headers;
  }
}

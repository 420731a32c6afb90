import { Pool } from 'undici';
import type { SignedHeaders } from './sigv4.js';

export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${operation}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

/**
 * An awsJson service straight on an undici pool of HTTP/1.1 keep-alive connections: the SDK costs
 * ~1 ms of client CPU per call and would cap the load near 1,000 calls/s, far below what these
 * servers answer (and kinesalite speaks HTTP/1.1 only, so every server gets the same wire).
 */
export class AwsJsonWire {
  private readonly pool: Pool;
  private readonly headers = new Map<string, Record<string, string>>();

  constructor(
    origin: string,
    private readonly auth: SignedHeaders,
    connections: number,
    private readonly protocol: { contentType: string; targetPrefix: string },
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
    if (statusCode !== 200) throw new AwsCallError(operation, statusCode, text);
    return (text.length > 0 ? JSON.parse(text) : {}) as T;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private headersFor(operation: string): Record<string, string> {
    let headers = this.headers.get(operation);
    if (!headers) {
      headers = {
        'content-type': this.protocol.contentType,
        'x-amz-target': `${this.protocol.targetPrefix}.${operation}`,
        ...this.auth,
      };
      this.headers.set(operation, headers);
    }
    return headers;
  }
}

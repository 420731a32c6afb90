import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { Pool } from 'undici';

const REGION = 'us-east-1';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

export type S3Auth = Record<'authorization' | 'x-amz-date' | 'x-amz-content-sha256', string>;

/**
 * One real SigV4 signature of a representative PutObject (payload unsigned, as the SDKs send
 * large bodies), made once per run and sent on every request: Tideway reads the scope (it routes
 * S3 by it) and s3rver the key id; neither verifies a V4 signature, and signing each request
 * would weigh the client's CPU, not the server's.
 */
export function signS3Once(host: string, accessKeyId: string, secret: string): S3Auth {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payload = 'UNSIGNED-PAYLOAD';
  const headers = [`host:${host}`, `x-amz-content-sha256:${payload}`, `x-amz-date:${amzDate}`];
  const signed = 'host;x-amz-content-sha256;x-amz-date';
  const canonical = ['PUT', '/bench-s3/object', '', ...headers, '', signed, payload].join('\n');
  const scope = `${day}/${REGION}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), REGION), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': payload,
  };
}

export class S3CallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${operation}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

/**
 * Path-style S3 requests straight on an undici pool of keep-alive HTTP/1.1 connections: the SDK
 * would cost more client CPU per call than some of these servers spend answering it.
 */
export class S3Wire {
  private readonly pool: Pool;
  private readonly putHeaders: Record<string, string>;

  constructor(
    origin: string,
    private readonly auth: S3Auth,
    connections: number,
  ) {
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      // A 1 GiB upload or download may take a while on a slow server; no timeout cuts it short.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    this.putHeaders = { ...auth, 'content-type': 'application/octet-stream' };
  }

  async createBucket(bucket: string): Promise<void> {
    const { statusCode, body } = await this.pool.request({
      path: `/${bucket}`,
      method: 'PUT',
      headers: this.auth,
    });
    const text = await body.text();
    // An earlier round's bucket is fine; anything else is not.
    if (statusCode !== 200 && !text.includes('BucketAlreadyOwnedByYou'))
      throw new S3CallError('CreateBucket', statusCode, text);
  }

  /** `length` is required for a streamed body: S3 takes no chunked uploads without it. */
  async put(
    path: string,
    data: Buffer | AsyncIterable<Buffer>,
    length = (data as Buffer).length,
  ): Promise<void> {
    const { statusCode, body } = await this.pool.request({
      path,
      method: 'PUT',
      headers: { ...this.putHeaders, 'content-length': String(length) },
      body: Buffer.isBuffer(data) ? data : Readable.from(data, { objectMode: false }),
    });
    const text = await body.text();
    if (statusCode !== 200) throw new S3CallError('PutObject', statusCode, text);
  }

  /** Reads the whole answer and returns how many bytes it held. */
  async get(path: string): Promise<number> {
    const { statusCode, body } = await this.pool.request({ path, method: 'GET', headers: this.auth });
    if (statusCode !== 200) throw new S3CallError('GetObject', statusCode, await body.text());
    let bytes = 0;
    for await (const chunk of body) bytes += (chunk as Buffer).length;
    return bytes;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

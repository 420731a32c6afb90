import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before } from 'node:test';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { sigv4 } from './server.js';
import { credentials, type RunningTideway, startServer } from './tideway.js';

/**
 * The default Kinesis client (HTTP/2, cleartext on http://), as users construct it; a 12-digit
 * access key id makes its calls those of that account.
 */
export function kinesisClient(endpoint: string, accessKeyId = credentials.accessKeyId): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { ...credentials, accessKeyId },
    maxAttempts: 1,
  });
}

/** Checks an SDK error against what Kinesis answers: the error name, HTTP 400, and the text when given. */
export function assertKinesisError(error: unknown, name: string, message?: string | RegExp): void {
  assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
  const err = error as Error & { $metadata?: { httpStatusCode?: number } };
  const seen = `${err.name} / ${err.$metadata?.httpStatusCode}: ${err.message}`;
  assert.equal(err.name, name, seen);
  assert.equal(err.$metadata?.httpStatusCode, 400, seen);
  if (typeof message === 'string') assert.equal(err.message, message);
  else if (message) assert.match(err.message, message);
}

/**
 * Starts a server and a default client before the suite's tests and stops both after them,
 * handing them to `use` once they are up.
 */
export function withKinesisServer(
  use: (server: RunningTideway, kinesis: KinesisClient) => void,
  options: Parameters<typeof startServer>[0] = {},
): void {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  before(async () => {
    server = await startServer(options);
    kinesis = kinesisClient(server.endpoint);
    use(server, kinesis);
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });
}

export interface RawKinesisAnswer {
  status: number;
  contentType: string | undefined;
  raw: Buffer;
}

/**
 * One Kinesis call on the wire, as a Java SDK or a hand-made client sends it: the body in the
 * given content type (JSON or CBOR), signed for kinesis, answered as raw bytes.
 */
export function postKinesis(
  endpoint: string,
  operation: string,
  contentType: string,
  body: Buffer,
): Promise<RawKinesisAnswer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        agent: false,
        headers: {
          'content-type': contentType,
          accept: contentType,
          'x-amz-target': `Kinesis_20131202.${operation}`,
          'x-amz-date': '20260101T000000Z',
          authorization: sigv4('kinesis'),
          'content-length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            raw: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { credentials, type RunningTideway, startServer } from './tideway.js';

/** The default Kinesis client (HTTP/2, cleartext on http://), as users construct it. */
export function kinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
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

import assert from 'node:assert/strict';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { credentials } from './tideway.js';

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

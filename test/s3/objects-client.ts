import assert from 'node:assert/strict';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { withClientServer } from '../support/suite.js';
import { credentials, type startServer } from '../support/tideway.js';

/** Helpers shared by the S3 bucket, object and listing suites (slice s3-objects). */

export function s3Client(endpoint: string, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
    ...extra,
  });
}

export function withS3Server(options: Parameters<typeof startServer>[0] = {}) {
  return withClientServer('s3', (endpoint) => s3Client(endpoint), options);
}

/** Reads a GetObject body whole. */
export async function bodyOf(body: unknown): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of body as AsyncIterable<Uint8Array>) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces);
}

export interface S3Expected {
  /** The SDK's error code; a bodiless answer (304, a HEAD) has only its status to check. */
  code?: string;
  status: number;
  message?: string | RegExp;
  /** Extra elements of S3's `<Error>`, as the SDK exposes them on the error. */
  fields?: Record<string, string>;
}

/** Runs `call` and checks the S3 error it fails with. */
export async function s3Rejects(call: Promise<unknown>, expected: S3Expected): Promise<any> {
  let err: any;
  try {
    await call;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${expected.code}`);
  const seen = `${err.name} / ${err.Code} / ${err.$metadata?.httpStatusCode}: ${err.message}`;
  assert.equal(err.$metadata?.httpStatusCode, expected.status, seen);
  if (expected.code !== undefined) assert.equal(err.Code ?? err.name, expected.code, seen);
  if (typeof expected.message === 'string') assert.equal(err.message, expected.message);
  else if (expected.message) assert.match(err.message, expected.message);
  for (const [k, v] of Object.entries(expected.fields ?? {})) assert.equal(String(err[k]), v, `field ${k}`);
  return err;
}

let counter = 0;
export function bucketName(prefix = 'bkt'): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { credentials, type RunningTideway, startServer } from './tideway.js';

/** An SDK v3 KMS client for the server at `endpoint`, acting in `account` (a 12-digit access key). */
export function kmsClient(endpoint: string, extra: Partial<KMSClientConfig> = {}): KMSClient {
  return new KMSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

/** The SDK error a call fails with, checked for its code and (when given) its exact message. */
export async function kmsRejects(
  call: Promise<unknown>,
  code: string,
  message?: string | RegExp,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { name: string };
    assert.equal(e.name, code, `expected ${code}, got ${e.name}: ${e.message}`);
    // The SDK shows an empty message (InvalidCiphertextException's) as 'UnknownError'.
    if (typeof message === 'string') assert.equal(e.message, message === '' ? 'UnknownError' : message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

export interface KmsSuite {
  server: RunningTideway;
  kms: KMSClient;
}

/** Starts a server and a default client before the suite's tests, stops both after; fields fill in `before`. */
export function withKmsServer(): KmsSuite {
  const suite = {} as KmsSuite;
  before(async () => {
    suite.server = await startServer();
    suite.kms = kmsClient(suite.server.endpoint);
  });
  after(async () => {
    suite.kms.destroy();
    await suite.server.stop();
  });
  return suite;
}

/**
 * A key policy, as the JSON CreateKey and PutKeyPolicy take: the account's root may do everything
 * (the statement of KMS's default policy), then `statements`.
 */
export function keyPolicy(statements: object[] = [], account = '000000000000'): string {
  const root = {
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
  return JSON.stringify({ Version: '2012-10-17', Statement: [root, ...statements] });
}

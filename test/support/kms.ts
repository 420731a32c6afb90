import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { sdkRejects } from './rejects.js';
import { withClientServer } from './suite.js';
import { credentials, type RunningTideway } from './tideway.js';

/** An SDK v3 KMS client for the server at `endpoint`, acting in `account` (a 12-digit access key). */
export function kmsClient(endpoint: string, extra: Partial<KMSClientConfig> = {}): KMSClient {
  return new KMSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

/** The SDK error a call fails with, checked for its code and (when given) its exact message. */
export function kmsRejects(
  call: Promise<unknown>,
  code: string,
  message?: string | RegExp,
): ReturnType<typeof sdkRejects> {
  // The SDK shows an empty message (InvalidCiphertextException's) as 'UnknownError'.
  return sdkRejects(call, code, message === '' ? 'UnknownError' : message);
}

export interface KmsSuite {
  server: RunningTideway;
  kms: KMSClient;
}

/** Starts a server and a default client before the suite's tests, stops both after; fields fill in `before`. */
export function withKmsServer(): KmsSuite {
  return withClientServer('kms', (endpoint) => kmsClient(endpoint));
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

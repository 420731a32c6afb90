import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { kmsClient } from '../support/kms.js';
import { rawRequest, sigv4 } from '../support/server.js';
import { credentials, type RunningTideway, startServer } from '../support/tideway.js';

export function smClient(endpoint: string, accessKeyId = credentials.accessKeyId): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { ...credentials, accessKeyId },
    maxAttempts: 1,
  });
}

export { kmsClient };

/** Checks an SDK error against Secrets Manager's answer: its name, HTTP 400, and the text when given. */
export function assertSmError(error: unknown, name: string, message?: string | RegExp): void {
  assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
  const err = error as Error & { $metadata?: { httpStatusCode?: number } };
  const seen = `${err.name} / ${err.$metadata?.httpStatusCode}: ${err.message}`;
  assert.equal(err.name, name, seen);
  assert.equal(err.$metadata?.httpStatusCode, 400, seen);
  if (typeof message === 'string') assert.equal(err.message, message);
  else if (message) assert.match(err.message, message);
}

/** One awsJson 1.1 request as an SDK sends it, for what the SDK would not send (a missing token). */
export async function smRaw(
  endpoint: string,
  operation: string,
  body: object,
): Promise<{ status: number; body: any }> {
  const res = await rawRequest(endpoint, {
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `secretsmanager.${operation}`,
      authorization: sigv4('secretsmanager'),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: JSON.parse(res.body) };
}

export interface SmSuite {
  server: RunningTideway;
  sm: SecretsManagerClient;
  kms: KMSClient;
}

/** Starts a server and clients before the suite's tests, stops them after; fields fill in `before`. */
export function withSmServer(): SmSuite {
  const suite = {} as SmSuite;
  before(async () => {
    suite.server = await startServer();
    suite.sm = smClient(suite.server.endpoint);
    suite.kms = kmsClient(suite.server.endpoint);
  });
  after(async () => {
    suite.sm.destroy();
    suite.kms.destroy();
    await suite.server.stop();
  });
  return suite;
}

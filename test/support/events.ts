import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { SchemasClient, type SchemasClientConfig } from '@aws-sdk/client-schemas';
import { credentials, type RunningTideway, startServer } from './tideway.js';

/** An SDK v3 EventBridge client for the server at `endpoint`. */
export function eventsClient(
  endpoint: string,
  extra: Partial<EventBridgeClientConfig> = {},
): EventBridgeClient {
  return new EventBridgeClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

/** An SDK v3 EventBridge Schemas client for the server at `endpoint`. */
export function schemasClient(endpoint: string, extra: Partial<SchemasClientConfig> = {}): SchemasClient {
  return new SchemasClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

/** Credentials whose access key id names another account, as Tideway reads a 12-digit key id. */
export function accountCredentials(account: string) {
  return { accessKeyId: account, secretAccessKey: 'test' };
}

/** The SDK error a call fails with, checked for its code and (when given) its exact message. */
export async function eventsRejects(
  call: Promise<unknown>,
  code: string,
  message?: string | RegExp,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { name: string };
    assert.equal(e.name, code, `expected ${code}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

export interface EventsSuite {
  server: RunningTideway;
  events: EventBridgeClient;
}

/** Starts a server and a default client before the suite's tests, stops both after; fields fill in `before`. */
export function withEventsServer(options: Parameters<typeof startServer>[0] = {}): EventsSuite {
  const suite = {} as EventsSuite;
  before(async () => {
    suite.server = await startServer(options);
    suite.events = eventsClient(suite.server.endpoint);
  });
  after(async () => {
    suite.events?.destroy();
    await suite.server?.stop();
  });
  return suite;
}

import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { SchemasClient, type SchemasClientConfig } from '@aws-sdk/client-schemas';
import { sdkRejects } from './rejects.js';
import { withClientServer } from './suite.js';
import { credentials, type RunningTideway, type startServer } from './tideway.js';

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
export const eventsRejects = sdkRejects;

export interface EventsSuite {
  server: RunningTideway;
  events: EventBridgeClient;
}

/** Starts a server and a default client before the suite's tests, stops both after; fields fill in `before`. */
export function withEventsServer(options: Parameters<typeof startServer>[0] = {}): EventsSuite {
  return withClientServer('events', (endpoint) => eventsClient(endpoint), options);
}

export interface SchemasSuite {
  server: RunningTideway;
  schemas: SchemasClient;
}

/** Starts a server and a default Schemas client before the suite's tests, stops both after. */
export function withSchemasServer(options: Parameters<typeof startServer>[0] = {}): SchemasSuite {
  return withClientServer('schemas', (endpoint) => schemasClient(endpoint), options);
}

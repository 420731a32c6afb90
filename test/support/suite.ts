import { after, before } from 'node:test';
import { type RunningTideway, startServer } from './tideway.js';

/**
 * Starts a server and a default client (`makeClient` for its endpoint, under `key`) before the
 * suite's tests and stops both after; the fields fill in during `before`.
 */
export function withClientServer<K extends string, C extends { destroy(): void }>(
  key: K,
  makeClient: (endpoint: string) => C,
  options: Parameters<typeof startServer>[0] = {},
): { server: RunningTideway } & Record<K, C> {
  const suite = {} as { server: RunningTideway } & Record<K, C>;
  before(async () => {
    suite.server = await startServer(options);
    (suite as Record<K, C>)[key] = makeClient(suite.server.endpoint);
  });
  after(async () => {
    (suite as Partial<Record<K, C>>)[key]?.destroy();
    await suite.server?.stop();
  });
  return suite;
}

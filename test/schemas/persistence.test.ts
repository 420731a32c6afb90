import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDiscovererCommand,
  CreateRegistryCommand,
  CreateSchemaCommand,
  DescribeDiscovererCommand,
  DescribeSchemaCommand,
  ListRegistriesCommand,
  UpdateSchemaCommand,
} from '@aws-sdk/client-schemas';
import { scratchDataDir } from '../support/engine.js';
import { schemasClient } from '../support/events.js';
import { startServer } from '../support/tideway.js';

/** Registries, schema versions and discoverers are journal rows: a restart on the same --data-dir keeps them. */
describe('schema registry across a restart', () => {
  it('keeps registries, every schema version and discoverers', async () => {
    const { dataDir, remove } = scratchDataDir();
    try {
      const content = (n: number) =>
        JSON.stringify({ type: 'object', properties: { [`f${n}`]: { type: 'string' } } });
      let server = await startServer({ dataDir });
      let schemas = schemasClient(server.endpoint);
      await schemas.send(new CreateRegistryCommand({ RegistryName: 'kept', Tags: { a: 'b' } }));
      const key = { RegistryName: 'kept', SchemaName: 'kept@Thing' };
      await schemas.send(new CreateSchemaCommand({ ...key, Type: 'JSONSchemaDraft4', Content: content(1) }));
      await schemas.send(new UpdateSchemaCommand({ ...key, Content: content(2) }));
      await schemas.send(
        new CreateDiscovererCommand({ SourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' }),
      );
      schemas.destroy();
      await server.stop();

      server = await startServer({ dataDir });
      schemas = schemasClient(server.endpoint);
      try {
        const registries = await schemas.send(new ListRegistriesCommand({ Scope: 'LOCAL' }));
        assert.deepEqual(
          registries.Registries?.map((r) => [r.RegistryName, r.Tags]),
          [
            ['discovered-schemas', {}],
            ['kept', { a: 'b' }],
          ],
        );
        const latest = await schemas.send(new DescribeSchemaCommand(key));
        assert.equal(latest.SchemaVersion, '2');
        assert.equal(latest.Content, content(2));
        const first = await schemas.send(new DescribeSchemaCommand({ ...key, SchemaVersion: '1' }));
        assert.equal(first.Content, content(1));
        const discoverer = await schemas.send(
          new DescribeDiscovererCommand({ DiscovererId: 'events-event-bus-default' }),
        );
        assert.equal(discoverer.State, 'STARTED');
      } finally {
        schemas.destroy();
        await server.stop();
      }
    } finally {
      remove();
    }
  });
});

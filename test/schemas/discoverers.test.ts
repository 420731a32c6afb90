import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateDiscovererCommand,
  DeleteDiscovererCommand,
  DescribeDiscovererCommand,
  DescribeSchemaCommand,
  ListDiscoverersCommand,
  ListRegistriesCommand,
  ListSchemaVersionsCommand,
  StartDiscovererCommand,
  StopDiscovererCommand,
  UpdateDiscovererCommand,
} from '@aws-sdk/client-schemas';
import { eventsClient, eventsRejects, withSchemasServer } from '../support/events.js';

/**
 * Discoverers through @aws-sdk/client-schemas, and discovery of what PutEvents puts on a bus.
 * Inference itself is test/unit/schema-inference.test.ts; the bus-side cases (encrypted buses,
 * cross-account events) are test/unit/schema-discovery.test.ts.
 */

const ACCOUNT = '000000000000';
const DEFAULT_BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;

describe('schema discoverers', () => {
  const suite = withSchemasServer();

  it('creates a discoverer on the default bus and manages it by id', async () => {
    const created = await suite.schemas.send(
      new CreateDiscovererCommand({ SourceArn: DEFAULT_BUS, Description: 'all', Tags: { env: 'test' } }),
    );
    assert.equal(created.DiscovererId, 'events-event-bus-default');
    assert.equal(
      created.DiscovererArn,
      `arn:aws:schemas:us-east-1:${ACCOUNT}:discoverer/events-event-bus-default`,
    );
    assert.equal(created.State, 'STARTED');
    assert.equal(created.CrossAccount, true);
    assert.deepEqual(created.Tags, { env: 'test' });
    const id = created.DiscovererId;

    await eventsRejects(
      suite.schemas.send(new CreateDiscovererCommand({ SourceArn: DEFAULT_BUS })),
      'ConflictException',
    );
    const registries = await suite.schemas.send(new ListRegistriesCommand({ Scope: 'LOCAL' }));
    assert.deepEqual(
      registries.Registries?.map((r) => r.RegistryName),
      ['discovered-schemas'],
    );

    const stopped = await suite.schemas.send(new StopDiscovererCommand({ DiscovererId: id }));
    assert.deepEqual([stopped.DiscovererId, stopped.State], [id, 'STOPPED']);
    const updated = await suite.schemas.send(
      new UpdateDiscovererCommand({ DiscovererId: id, CrossAccount: false }),
    );
    assert.equal(updated.CrossAccount, false);
    assert.equal(updated.State, 'STOPPED');
    await suite.schemas.send(new StartDiscovererCommand({ DiscovererId: id }));
    const described = await suite.schemas.send(new DescribeDiscovererCommand({ DiscovererId: id }));
    assert.equal(described.State, 'STARTED');
    assert.equal(described.Description, 'all');

    const listed = await suite.schemas.send(
      new ListDiscoverersCommand({ SourceArnPrefix: 'arn:aws:events:' }),
    );
    assert.deepEqual(
      listed.Discoverers?.map((d) => d.DiscovererId),
      [id],
    );
    const none = await suite.schemas.send(new ListDiscoverersCommand({ DiscovererIdPrefix: 'other' }));
    assert.deepEqual(none.Discoverers, []);

    await suite.schemas.send(new DeleteDiscovererCommand({ DiscovererId: id }));
    await eventsRejects(
      suite.schemas.send(new DescribeDiscovererCommand({ DiscovererId: id })),
      'NotFoundException',
      `Discoverer with id ${id} does not exist.`,
    );
  });

  it('refuses a source that is not an event bus of the caller', async () => {
    await eventsRejects(
      suite.schemas.send(
        new CreateDiscovererCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:queue' }),
      ),
      'BadRequestException',
      /is not the ARN of an event bus/,
    );
    await eventsRejects(
      suite.schemas.send(
        new CreateDiscovererCommand({ SourceArn: 'arn:aws:events:us-east-1:111111111111:event-bus/default' }),
      ),
      'BadRequestException',
    );
    await eventsRejects(
      suite.schemas.send(new CreateDiscovererCommand({ SourceArn: 'short' })),
      'BadRequestException',
      /length/,
    );
  });

  it('versions the schemas of the events PutEvents puts on a discovered bus', async (t) => {
    const events = eventsClient(suite.server.endpoint);
    t.after(() => events.destroy());
    await suite.schemas.send(new CreateDiscovererCommand({ SourceArn: DEFAULT_BUS }));
    const put = (detail: object) =>
      events.send(
        new PutEventsCommand({
          Entries: [{ Source: 'shop', DetailType: 'Order Placed', Detail: JSON.stringify(detail) }],
        }),
      );
    try {
      await put({ id: 'a' });
    } catch (err) {
      // PutEvents and its router are another part of EventBridge: until they are in, say so.
      if (/Tideway does not support PutEvents/.test((err as Error).message)) {
        t.skip('PutEvents is not built in this branch');
        return;
      }
      throw err;
    }
    await put({ id: 'b' });
    await put({ id: 'c', total: 2.5 });
    const key = { RegistryName: 'discovered-schemas', SchemaName: 'shop@OrderPlaced' };
    const deadline = Date.now() + 5000;
    let versions: string[] = [];
    while (Date.now() < deadline) {
      const listed = await suite.schemas.send(new ListSchemaVersionsCommand(key)).catch(() => undefined);
      versions = listed?.SchemaVersions?.map((v) => v.SchemaVersion ?? '') ?? [];
      if (versions.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(versions, ['1', '2']);
    const latest = await suite.schemas.send(new DescribeSchemaCommand(key));
    const content = JSON.parse(latest.Content ?? '');
    assert.equal(content.components.schemas.AWSEvent['x-amazon-events-source'], 'shop');
    assert.deepEqual(content.components.schemas.OrderPlaced.properties.total, {
      type: 'number',
      format: 'double',
    });
  });
});

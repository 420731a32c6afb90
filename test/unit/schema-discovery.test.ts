import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { RequestContext } from '../../src/protocols/service.js';
import type { BusEvent, BusRecord } from '../../src/services/events/records.js';
import type { EventsFrontDoor } from '../../src/services/events/state.js';
import { discovererOperations } from '../../src/services/schemas/discoverers.js';
import { discoverEvent } from '../../src/services/schemas/discovery.js';
import { SchemasState } from '../../src/services/schemas/state.js';

/**
 * Discovery behind the events front door: a started discoverer's bus grows versioned schemas in
 * `discovered-schemas` as its events change shape; a stopped one, another bus, an encrypted bus
 * or (with CrossAccount off) another account's event adds nothing.
 */

const ACCOUNT = '000000000000';
const log = createLogger('silent');
const ctx = { caller: { account: ACCOUNT, region: 'us-east-1' } } as RequestContext;

function bus(name: string, kmsKeyIdentifier?: string): BusRecord {
  return {
    arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${name}`,
    name,
    account: ACCOUNT,
    region: 'us-east-1',
    kmsKeyIdentifier,
    createdAt: 0,
    lastModifiedAt: 0,
    tags: [],
  };
}

function event(detail: Record<string, unknown>, account = ACCOUNT): BusEvent {
  return {
    version: '0',
    id: 'e',
    'detail-type': 'Order Placed',
    source: 'shop',
    account,
    time: '2026-12-07T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: detail as BusEvent['detail'],
  };
}

function setup(buses: BusRecord[]) {
  const state = new SchemasState(new Clock(), undefined);
  const events: EventsFrontDoor = {
    putServiceEvent: () => undefined,
    observe: () => () => undefined,
    describeBus: (arn) => buses.find((b) => b.arn === arn),
  };
  return { state, ops: discovererOperations(state, events) };
}

const schemaOf = (state: SchemasState) =>
  state.schema(ACCOUNT, 'us-east-1', 'discovered-schemas', 'shop@OrderPlaced');

describe('schema discovery', () => {
  it('versions the discovered schema when the events change shape', async () => {
    const orders = bus('orders');
    const { state, ops } = setup([orders]);
    const created = await ops.CreateDiscoverer({ SourceArn: orders.arn }, ctx);
    assert.equal(created.DiscovererId, 'events-event-bus-orders');
    assert.equal(created.State, 'STARTED');
    assert.equal(created.CrossAccount, true);

    await discoverEvent(state, log, orders, event({ id: 'a' }));
    await discoverEvent(state, log, orders, event({ id: 'b' }));
    assert.deepEqual(
      schemaOf(state)?.versions.map((v) => v.version),
      ['1'],
    );
    await discoverEvent(state, log, orders, event({ id: 'c', total: 2 }));
    const schema = schemaOf(state);
    assert.deepEqual(
      schema?.versions.map((v) => v.version),
      ['1', '2'],
    );
    assert.equal(
      schema?.arn,
      `arn:aws:schemas:us-east-1:${ACCOUNT}:schema/discovered-schemas/shop@OrderPlaced`,
    );
    const content = JSON.parse(schema?.versions[1].content ?? '');
    assert.deepEqual(Object.keys(content.components.schemas.OrderPlaced.properties), ['id', 'total']);
  });

  it('adds nothing while stopped, for another bus, or from another account without CrossAccount', async () => {
    const orders = bus('orders');
    const other = bus('other');
    const { state, ops } = setup([orders, other]);
    const { DiscovererId } = await ops.CreateDiscoverer({ SourceArn: orders.arn, CrossAccount: false }, ctx);
    await discoverEvent(state, log, other, event({ id: 'a' }));
    await discoverEvent(state, log, orders, event({ id: 'a' }, '111111111111'));
    assert.equal(schemaOf(state), undefined);
    await ops.StopDiscoverer({ DiscovererId }, ctx);
    await discoverEvent(state, log, orders, event({ id: 'a' }));
    assert.equal(schemaOf(state), undefined);
    await ops.StartDiscoverer({ DiscovererId }, ctx);
    await discoverEvent(state, log, orders, event({ id: 'a' }));
    assert.ok(schemaOf(state));
  });

  it('refuses a bus encrypted with a customer managed key, and discovers nothing there', async () => {
    const sealed = bus('sealed', 'alias/mine');
    const { state, ops } = setup([sealed]);
    await assert.rejects(() => ops.CreateDiscoverer({ SourceArn: sealed.arn }, ctx), {
      name: 'BadRequestException',
      message: 'Schema discovery is not supported for event buses encrypted using a customer managed key.',
    });
    await discoverEvent(state, log, sealed, event({ id: 'a' }));
    assert.equal(schemaOf(state), undefined);
  });

  it('refuses a bus that does not exist, and a second discoverer on one bus', async () => {
    const orders = bus('orders');
    const { ops } = setup([orders]);
    await assert.rejects(
      () => ops.CreateDiscoverer({ SourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/none` }, ctx),
      { name: 'BadRequestException' },
    );
    await ops.CreateDiscoverer({ SourceArn: orders.arn }, ctx);
    await assert.rejects(() => ops.CreateDiscoverer({ SourceArn: orders.arn }, ctx), {
      name: 'ConflictException',
    });
  });
});

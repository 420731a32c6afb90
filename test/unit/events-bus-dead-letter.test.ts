import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { deliveryDrops } from '../../src/services/events/drops.js';
import type { BusEvent, BusRecord } from '../../src/services/events/records.js';
import { installRouter } from '../../src/services/events/router.js';
import { EventsState } from '../../src/services/events/state.js';
import type { KeyFrontDoor } from '../../src/services/kms/front-door.js';
import type { DeliveredMessage, DeliveryOrigin, QueueFrontDoor } from '../../src/services/sqs/deliveries.js';

const BUS: BusRecord = {
  arn: 'arn:aws:events:us-east-1:000000000000:event-bus/sealed',
  name: 'sealed',
  account: '000000000000',
  region: 'us-east-1',
  kmsKeyIdentifier: 'arn:aws:kms:us-east-1:000000000000:key/k',
  deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:bus-dlq',
  createdAt: 0,
  lastModifiedAt: 0,
  tags: [],
};

const EVENT: BusEvent = {
  version: '0',
  id: 'e-1',
  'detail-type': 'Happened',
  source: 'test.kms',
  account: '000000000000',
  time: '2026-12-07T18:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { n: 1 },
};

function harness(keyState: 'Enabled' | 'Disabled', queueAnswer: 'delivered' | 'denied' = 'delivered') {
  const sent: { arn: string; message: DeliveredMessage; origin: DeliveryOrigin }[] = [];
  const checks: unknown[][] = [];
  const kms = {
    check: (...args: unknown[]) => {
      checks.push(args);
      return keyState === 'Enabled'
        ? {
            ok: true,
            keyId: 'k',
            arn: BUS.kmsKeyIdentifier!,
            account: BUS.account,
            region: BUS.region,
            manager: 'CUSTOMER',
            state: 'Enabled',
          }
        : { ok: false, code: 'DisabledException', message: `${BUS.kmsKeyIdentifier} is disabled.` };
    },
  } as unknown as KeyFrontDoor;
  const sqs: QueueFrontDoor = {
    deliver: (arn, message, origin) => {
      sent.push({ arn, message, origin });
      return queueAnswer === 'delivered'
        ? { kind: 'delivered', messageId: 'm' }
        : { kind: 'denied', reason: 'the queue has no policy' };
    },
  };
  const clock = new Clock();
  const state = new EventsState({
    clock,
    scheduler: new Scheduler(clock),
    log: createLogger('silent'),
    frontDoors: { kms, sqs },
    settings: {},
  });
  const seen: BusEvent[] = [];
  state.observers.add((_bus, event) => seen.push(event));
  const stop = installRouter(state);
  return { state, sent, checks, seen, stop };
}

describe("an encrypted bus's dead-letter queue", () => {
  it('takes the event the bus cannot encrypt, before any observer or rule sees it', async () => {
    const { state, sent, checks, seen, stop } = harness('Disabled');
    state.router!.route(BUS, EVENT);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, []);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].arn, BUS.deadLetterArn);
    assert.equal(sent[0].message.body, JSON.stringify(EVENT));
    assert.deepEqual(sent[0].message.attributes, {
      ERROR_CODE: { DataType: 'String', StringValue: 'DisabledException' },
      ERROR_MESSAGE: { DataType: 'String', StringValue: `${BUS.kmsKeyIdentifier} is disabled.` },
    });
    assert.deepEqual(
      { principal: sent[0].origin.principal, sourceArn: sent[0].origin.sourceArn },
      { principal: 'events.amazonaws.com', sourceArn: BUS.arn },
    );
    assert.equal(checks[0][1], 'kms:GenerateDataKey');
    assert.deepEqual(checks[0][3], { 'aws:events:event-bus:arn': BUS.arn });
    stop();
  });

  it('is not used while the key works', async () => {
    const { state, sent, seen, stop } = harness('Enabled');
    state.router!.route(BUS, EVENT);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, [EVENT]);
    assert.deepEqual(sent, []);
    stop();
  });

  it('counts a drop when its own policy keeps EventBridge out', async () => {
    const { state, stop } = harness('Disabled', 'denied');
    state.router!.route(BUS, EVENT);
    await new Promise((resolve) => setImmediate(resolve));
    const [drop] = deliveryDrops(state).list(BUS.arn);
    assert.equal(drop.count, 1);
    assert.match(drop.lastReason, /DisabledException.*the queue has no policy/);
    stop();
  });
});

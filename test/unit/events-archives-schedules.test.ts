import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import type { RequestContext } from '../../src/protocols/service.js';
import { archiveHandlers } from '../../src/services/events/archives.js';
import { installArchiving } from '../../src/services/events/archiving.js';
import type { BusEvent, BusRecord, RuleRecord } from '../../src/services/events/records.js';
import { REPLAY_BATCH } from '../../src/services/events/replays.js';
import { installSchedules } from '../../src/services/events/schedules.js';
import { EventsState, type RouteOptions } from '../../src/services/events/state.js';

// The clock-driven parts of EventBridge without the wire: scheduled rules firing, archives
// recording what their bus accepts, and replays stepping through an archive, all seen through a
// router that only records what it is asked to route.

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const ctx = { caller: { account: ACCOUNT, region: REGION } } as unknown as RequestContext;

interface Routed {
  bus: string;
  event: BusEvent;
  options?: RouteOptions;
  at: number;
}

let clock: Clock;
let scheduler: Scheduler;
let state: EventsState;
let routed: Routed[];
let stops: (() => void)[];

function newState(): EventsState {
  const created = new EventsState({
    clock,
    scheduler,
    log: createLogger('silent'),
    frontDoors: {},
    settings: {},
  });
  created.router = {
    route: (bus, event, options) => routed.push({ bus: bus.arn, event, options, at: clock.now() }),
    putServiceEvent: () => undefined,
  };
  return created;
}

beforeEach(() => {
  clock = new Clock();
  clock.freeze();
  scheduler = new Scheduler(clock);
  routed = [];
  stops = [];
  state = newState();
});

afterEach(() => {
  for (const stop of stops) stop();
  scheduler.stop();
});

const minutes = (n: number) => clock.advance(n * 60_000);

function scheduledRule(name: string, scheduleExpression: string): RuleRecord {
  return {
    arn: state.ruleArn(ACCOUNT, REGION, 'default', name),
    name,
    busName: 'default',
    busArn: state.busArn(ACCOUNT, REGION, 'default'),
    account: ACCOUNT,
    region: REGION,
    scheduleExpression,
    state: 'ENABLED',
    createdBy: ACCOUNT,
    targets: [],
    tags: [],
    createdAt: clock.now(),
  };
}

describe('scheduled rules', () => {
  it('fire on the clock as Scheduled Event from aws.events, straight to their rule', async () => {
    stops.push(installSchedules(state));
    const rule = scheduledRule('every-minute', 'rate(1 minute)');
    await state.putRule(rule);
    const start = clock.now();
    minutes(3);
    assert.equal(routed.length, 3);
    const [first] = routed;
    assert.equal(first.bus, state.busArn(ACCOUNT, REGION, 'default'));
    assert.deepEqual(first.options, { ruleArns: [rule.arn], direct: true });
    assert.deepEqual(Object.keys(first.event), [
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    assert.equal(first.event['detail-type'], 'Scheduled Event');
    assert.equal(first.event.source, 'aws.events');
    assert.deepEqual(first.event.resources, [rule.arn]);
    assert.deepEqual(first.event.detail, {});
    assert.deepEqual(
      routed.map((r) => r.event.time),
      [1, 2, 3].map((n) => `${new Date(start + n * 60_000).toISOString().slice(0, 19)}Z`),
    );
    assert.equal(new Set(routed.map((r) => r.event.id)).size, 3);
    assert.equal(state.rules.get(rule.arn)?.nextFireAt, start + 4 * 60_000);
  });

  it('fire every firing that fell due in one advance, in time order across rules', async () => {
    stops.push(installSchedules(state));
    await state.putRule(scheduledRule('two', 'rate(2 minutes)'));
    await state.putRule(scheduledRule('three', 'rate(5 minutes)'));
    minutes(9.5);
    assert.deepEqual(
      routed.map((r) => r.event.resources[0].split('/').at(-1)),
      ['two', 'two', 'three', 'two', 'two'],
    );
    const times = routed.map((r) => Date.parse(r.event.time));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it('stop when disabled or deleted, and start afresh when enabled again', async () => {
    stops.push(installSchedules(state));
    const rule = scheduledRule('toggled', 'rate(1 minute)');
    await state.putRule(rule);
    minutes(1);
    await state.putRule({ ...rule, state: 'DISABLED' });
    minutes(5);
    assert.equal(routed.length, 1);
    await state.putRule({ ...rule, state: 'ENABLED' });
    minutes(1);
    assert.equal(routed.length, 2);
    await state.deleteRule(rule.arn);
    minutes(5);
    assert.equal(routed.length, 2);
  });

  it('keep their cadence through updates of other fields, and re-arm on a new expression', async () => {
    stops.push(installSchedules(state));
    const rule = scheduledRule('cadence', 'rate(10 minutes)');
    await state.putRule(rule);
    minutes(6);
    await state.putRule({ ...rule, description: 'changed' });
    minutes(4);
    assert.equal(routed.length, 1, 'fires 10 minutes after creation, not after the update');
    await state.putRule({ ...rule, scheduleExpression: 'cron(0 0 1 1 ? 2199)' });
    minutes(60);
    assert.equal(routed.length, 1);
  });

  it('carry on after a restart from the kept next firing', async () => {
    const stop = installSchedules(state);
    const rule = scheduledRule('survivor', 'rate(5 minutes)');
    await state.putRule(rule);
    const due = state.rules.get(rule.arn)?.nextFireAt;
    stop();
    minutes(7);
    assert.equal(routed.length, 0);
    // A new runtime over the same records: the missed firing falls due at once, then every 5 minutes.
    stops.push(installSchedules(state));
    minutes(0.01);
    assert.equal(routed.length, 1);
    assert.equal(Date.parse(routed[0].event.time), Math.floor((due as number) / 1000) * 1000);
    minutes(5);
    assert.equal(routed.length, 2);
  });

  it('fire cron rules at their minute', async () => {
    stops.push(installSchedules(state));
    await state.putRule(scheduledRule('quarterly', 'cron(0/15 * * * ? *)'));
    minutes(60);
    assert.equal(routed.length, 4);
    for (const r of routed) assert.equal(new Date(r.event.time).getUTCMinutes() % 15, 0);
  });
});

describe('archives', () => {
  let bus: BusRecord;
  const handlers = () =>
    archiveHandlers(state) as Record<string, (input: unknown, ctx: RequestContext) => any>;

  beforeEach(() => {
    bus = state.bus(ACCOUNT, REGION, 'default') as BusRecord;
    stops.push(installArchiving(state));
  });

  let sent = 0;
  const event = (source: string, extra: Partial<BusEvent> = {}): BusEvent => ({
    version: '0',
    id: `id-${++sent}`,
    'detail-type': 'thing',
    source,
    account: ACCOUNT,
    time: new Date(clock.now()).toISOString(),
    region: REGION,
    resources: [],
    detail: { n: 1 },
    ...extra,
  });
  const accept = (e: BusEvent) => {
    for (const observer of state.observers) observer(bus, e);
  };

  it('record the events their pattern matches, never replayed ones, and count them', async () => {
    await handlers().CreateArchive(
      { ArchiveName: 'orders', EventSourceArn: bus.arn, EventPattern: '{"source":["shop"]}' },
      ctx,
    );
    accept(event('shop'));
    accept(event('other'));
    accept(event('shop', { 'replay-name': 'earlier' }));
    accept(event('shop'));
    const described = handlers().DescribeArchive({ ArchiveName: 'orders' }, ctx);
    assert.equal(described.EventCount, 2);
    // source + detail-type + detail + 14 for the time, as PutEvents counts an entry.
    assert.equal(described.SizeBytes, 2 * (4 + 5 + JSON.stringify({ n: 1 }).length + 14));
    const rule = state.rules.get(state.ruleArn(ACCOUNT, REGION, 'default', 'Events-Archive-orders'));
    assert.equal(rule?.eventPattern, '{"replay-name":[{"exists":false}],"source":["shop"]}');
    assert.equal(rule?.managedBy, 'prod.vhs.events.aws.internal');
    // Its target is the archive: the router finds it delivered (the observer stored the event).
    const target = rule?.targets[0];
    assert.equal(target?.Arn, `arn:aws:events:${REGION}:::`);
    const kind = state.targetKind(target?.Arn as string);
    assert.deepEqual(await kind?.deliver({} as never), { kind: 'delivered' });
  });

  it('drop events past their retention on the clock, and keep them for ever with 0', async () => {
    await handlers().CreateArchive({ ArchiveName: 'short', EventSourceArn: bus.arn, RetentionDays: 1 }, ctx);
    await handlers().CreateArchive({ ArchiveName: 'forever', EventSourceArn: bus.arn }, ctx);
    accept(event('a'));
    minutes(12 * 60);
    accept(event('b'));
    minutes(13 * 60);
    assert.equal(handlers().DescribeArchive({ ArchiveName: 'short' }, ctx).EventCount, 1);
    assert.equal(handlers().DescribeArchive({ ArchiveName: 'forever' }, ctx).EventCount, 2);
    minutes(24 * 60);
    assert.equal(state.archivedEvents.values().filter((e) => e.archiveArn.endsWith('/short')).length, 0);
    assert.equal(handlers().DescribeArchive({ ArchiveName: 'short' }, ctx).SizeBytes, 0);
    assert.equal(handlers().DescribeArchive({ ArchiveName: 'forever' }, ctx).EventCount, 2);
  });

  it('go DISABLED when their managed rule is deleted by force, and come back on UpdateArchive', async () => {
    await handlers().CreateArchive({ ArchiveName: 'fragile', EventSourceArn: bus.arn }, ctx);
    await state.deleteRule(state.ruleArn(ACCOUNT, REGION, 'default', 'Events-Archive-fragile'));
    const disabled = handlers().DescribeArchive({ ArchiveName: 'fragile' }, ctx);
    assert.equal(disabled.State, 'DISABLED');
    assert.equal(disabled.StateReason, 'Managed rule for the archive was forcefully deleted.');
    accept(event('lost'));
    assert.equal(handlers().DescribeArchive({ ArchiveName: 'fragile' }, ctx).EventCount, 0);
    await handlers().UpdateArchive({ ArchiveName: 'fragile', Description: 'repaired' }, ctx);
    assert.equal(handlers().DescribeArchive({ ArchiveName: 'fragile' }, ctx).State, 'ENABLED');
    assert.ok(state.rules.get(state.ruleArn(ACCOUNT, REGION, 'default', 'Events-Archive-fragile')));
  });

  describe('replays', () => {
    const replayOf = (name: string) => handlers().DescribeReplay({ ReplayName: name }, ctx);
    const archiveArn = `arn:aws:events:${REGION}:${ACCOUNT}:archive/all`;

    it('go STARTING, RUNNING, COMPLETED, routing the archived events in range with replay-name', async () => {
      await handlers().CreateArchive({ ArchiveName: 'all', EventSourceArn: bus.arn }, ctx);
      const before = clock.now();
      minutes(1);
      accept(event('first'));
      minutes(1);
      accept(event('second'));
      minutes(1);
      const end = clock.now();
      minutes(1);
      accept(event('after-the-range'));
      const started = await handlers().StartReplay(
        {
          ReplayName: 'again',
          EventSourceArn: archiveArn,
          EventStartTime: new Date(before),
          EventEndTime: new Date(end),
          Destination: { Arn: bus.arn },
        },
        ctx,
      );
      assert.equal(started.State, 'STARTING');
      assert.equal(replayOf('again').State, 'STARTING');
      clock.advance(1000);
      assert.equal(replayOf('again').State, 'RUNNING');
      assert.equal(routed.length, 0);
      clock.advance(1000);
      const done = replayOf('again');
      assert.equal(done.State, 'COMPLETED');
      assert.ok(done.ReplayEndTime instanceof Date);
      assert.deepEqual(
        routed.map((r) => r.event.source),
        ['first', 'second'],
      );
      assert.equal(routed[0].event['replay-name'], 'again');
      assert.deepEqual(Object.keys(routed[0].event).slice(6, 9), ['region', 'replay-name', 'resources']);
      assert.deepEqual(routed[0].options, { replayName: 'again', ruleArns: undefined });
      assert.equal(done.EventLastReplayedTime?.getTime(), Math.floor((before + 2 * 60_000) / 1000) * 1000);
      // Replayed events are not archived again.
      for (const r of routed) accept(r.event);
      assert.equal(handlers().DescribeArchive({ ArchiveName: 'all' }, ctx).EventCount, 3);
    });

    it('send big archives in batches, one batch per step, limited to FilterArns', async () => {
      await handlers().CreateArchive({ ArchiveName: 'all', EventSourceArn: bus.arn }, ctx);
      const rule = scheduledRule('only-this', 'rate(1 day)');
      await state.putRule({ ...rule, scheduleExpression: undefined, eventPattern: '{"source":["x"]}' });
      const start = clock.now();
      for (let i = 0; i < REPLAY_BATCH * 2 + 50; i++) accept(event('x'));
      await handlers().StartReplay(
        {
          ReplayName: 'big',
          EventSourceArn: archiveArn,
          EventStartTime: new Date(start - 1000),
          EventEndTime: new Date(start + 1000),
          Destination: { Arn: bus.arn, FilterArns: [rule.arn] },
        },
        ctx,
      );
      clock.advance(2000);
      assert.equal(routed.length, REPLAY_BATCH);
      assert.equal(replayOf('big').State, 'RUNNING');
      assert.deepEqual(routed[0].options?.ruleArns, [rule.arn]);
      clock.advance(2000);
      assert.equal(routed.length, REPLAY_BATCH * 2 + 50);
      assert.equal(replayOf('big').State, 'COMPLETED');
      assert.deepEqual(replayOf('big').Destination, { Arn: bus.arn, FilterArns: [rule.arn] });
    });

    it('cancel: CANCELLING at once, CANCELLED at the next step, and no more events', async () => {
      await handlers().CreateArchive({ ArchiveName: 'all', EventSourceArn: bus.arn }, ctx);
      const start = clock.now();
      for (let i = 0; i < REPLAY_BATCH * 3; i++) accept(event('x'));
      await handlers().StartReplay(
        {
          ReplayName: 'stopped',
          EventSourceArn: archiveArn,
          EventStartTime: new Date(start - 1000),
          EventEndTime: new Date(start + 1000),
          Destination: { Arn: bus.arn },
        },
        ctx,
      );
      clock.advance(2000);
      const cancelled = await handlers().CancelReplay({ ReplayName: 'stopped' }, ctx);
      assert.deepEqual(cancelled, {
        ReplayArn: `arn:aws:events:${REGION}:${ACCOUNT}:replay/stopped`,
        State: 'CANCELLING',
      });
      assert.equal(replayOf('stopped').State, 'CANCELLING');
      clock.advance(5000);
      assert.equal(replayOf('stopped').State, 'CANCELLED');
      assert.equal(routed.length, REPLAY_BATCH);
      await assert.rejects(handlers().CancelReplay({ ReplayName: 'stopped' }, ctx), {
        code: 'IllegalStatusException',
        message: 'Replay stopped is not in a valid state for this operation.',
      });
    });

    it('resume after a restart from the last replayed event', async () => {
      await handlers().CreateArchive({ ArchiveName: 'all', EventSourceArn: bus.arn }, ctx);
      const start = clock.now();
      for (let i = 0; i < REPLAY_BATCH * 2; i++) accept(event('x'));
      await handlers().StartReplay(
        {
          ReplayName: 'interrupted',
          EventSourceArn: archiveArn,
          EventStartTime: new Date(start - 1000),
          EventEndTime: new Date(start + 1000),
          Destination: { Arn: bus.arn },
        },
        ctx,
      );
      clock.advance(2000);
      assert.equal(routed.length, REPLAY_BATCH);
      for (const stop of stops.splice(0)) stop();
      stops.push(installArchiving(state));
      clock.advance(1000);
      clock.advance(1000);
      assert.equal(routed.length, REPLAY_BATCH * 2);
      assert.equal(new Set(routed.map((r) => r.event.id)).size, routed.length);
      assert.equal(replayOf('interrupted').State, 'COMPLETED');
    });
  });
});

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { StreamStatuses } from '../../src/services/kinesis/status.js';
import { EmbeddedEngine } from '../../src/storage/embedded/engine.js';
import { EmbeddedStreams } from '../../src/storage/embedded/streams.js';
import { EmbeddedTopics } from '../../src/storage/embedded/topics.js';
import type { QueueRecord, StreamRecord } from '../../src/storage/types.js';

// State that several nodes would share sits behind the storage contract: these drive the embedded
// engine through the contract alone, as a service on another node would.

const ACCOUNT = '000000000000';
/** Stands still between advances, so what the engine stamps can be compared exactly. */
class StillClock extends Clock {
  private at = 1_800_000_000_000;
  override now(): number {
    return this.at;
  }
  override advance(ms: number): void {
    this.at += ms;
    super.advance(ms);
  }
}

const clock = new StillClock();
const scheduler = new Scheduler(clock);
const log = createLogger('silent');
after(() => scheduler.stop());

function queue(name: string): QueueRecord {
  return {
    id: `id-${name}-${clock.now()}`,
    account: ACCOUNT,
    region: 'us-east-1',
    name,
    arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
    fifo: false,
    attributes: {},
    tags: {},
    createdAt: clock.now(),
    modifiedAt: clock.now(),
  };
}

function stream(name: string): StreamRecord {
  return {
    arn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`,
    name,
    account: ACCOUNT,
    region: 'us-east-1',
    mode: 'PROVISIONED',
    retentionHours: 24,
    createdAt: clock.now(),
    tags: {},
    maxRecordSizeKiB: 1024,
    shardLevelMetrics: [],
  };
}

describe('SQS deleted names behind QueueStorage', () => {
  it('remembers when a name was deleted, per account and region, until a reset', async () => {
    const engine = new EmbeddedEngine(clock, scheduler, log);
    const q = queue('gone');
    await engine.createQueue(q);
    assert.equal(await engine.deletedAt(ACCOUNT, 'us-east-1', 'gone'), undefined);
    await engine.deleteQueue(q);
    assert.equal(await engine.deletedAt(ACCOUNT, 'us-east-1', 'gone'), clock.now());
    assert.equal(await engine.deletedAt(ACCOUNT, 'eu-west-1', 'gone'), undefined);
    assert.equal(await engine.deletedAt('111111111111', 'us-east-1', 'gone'), undefined);
    await engine.reset();
    assert.equal(await engine.deletedAt(ACCOUNT, 'us-east-1', 'gone'), undefined);
    await engine.close();
  });
});

describe('SNS FIFO deduplication behind TopicStorage', () => {
  const arn = `arn:aws:sns:us-east-1:${ACCOUNT}:t.fifo`;

  it('numbers publications and answers a repeat within the window with the first one', async () => {
    const topics = new EmbeddedTopics();
    const t0 = clock.now();
    assert.deepEqual(await topics.sequencePublication(arn, 'a', 'm1', t0, 1000), {
      duplicate: false,
      messageId: 'm1',
      sequence: 1n,
    });
    assert.deepEqual(await topics.sequencePublication(arn, 'b', 'm2', t0, 1000), {
      duplicate: false,
      messageId: 'm2',
      sequence: 2n,
    });
    assert.deepEqual(await topics.sequencePublication(arn, 'a', 'm3', t0 + 999, 1000), {
      duplicate: true,
      messageId: 'm1',
      sequence: 1n,
    });
    // Past the window the id is new again, under the next number.
    assert.deepEqual(await topics.sequencePublication(arn, 'a', 'm4', t0 + 1000, 1000), {
      duplicate: false,
      messageId: 'm4',
      sequence: 3n,
    });
  });

  it('forgets a topic’s ids and numbers with the topic', async () => {
    const topics = new EmbeddedTopics();
    await topics.sequencePublication(arn, 'a', 'm1', 0, 1000);
    await topics.deleteTopic(arn);
    assert.deepEqual(await topics.sequencePublication(arn, 'a', 'm2', 1, 1000), {
      duplicate: false,
      messageId: 'm2',
      sequence: 1n,
    });
  });
});

describe('Kinesis statuses behind StreamStorage', () => {
  it('keeps passages in the storage, so a second view of the same storage sees them', async () => {
    const streams = new EmbeddedStreams(clock, scheduler, log);
    const one = new StreamStatuses(streams, clock, 1000, scheduler);
    const other = new StreamStatuses(streams, clock, 1000, scheduler);
    const s = stream('passing');
    await streams.createStream(s, 1);
    let completed = 0;
    await one.begin(s.arn, 'UPDATING', () => {
      completed++;
    });
    assert.equal(other.status(s.arn), 'UPDATING');
    assert.equal(other.idle, false);
    assert.equal(streams.passage(s.arn)?.due, clock.now() + 1000);
    clock.advance(1000);
    await one.settle();
    assert.equal(completed, 1);
    assert.equal(other.status(s.arn), 'ACTIVE');
    assert.equal(other.idle, true);
  });

  it('hides the shards of a stream deleted while it was being created', async () => {
    const streams = new EmbeddedStreams(clock, scheduler, log);
    const statuses = new StreamStatuses(streams, clock, 1000, scheduler);
    const s = stream('never-active');
    await streams.createStream(s, 1);
    await statuses.begin(s.arn, 'CREATING');
    assert.equal(statuses.hasShards(s.arn), false);
    await statuses.begin(s.arn, 'DELETING');
    assert.equal(statuses.status(s.arn), 'DELETING');
    assert.equal(statuses.hasShards(s.arn), false);
    await streams.reset();
    statuses.reset();
    assert.equal(statuses.status(s.arn), 'ACTIVE');
  });

  it('ends a passage that no node here can complete when it falls due', async () => {
    const streams = new EmbeddedStreams(clock, scheduler, log);
    const statuses = new StreamStatuses(streams, clock, 1000, scheduler);
    const s = stream('orphan');
    await streams.createStream(s, 1);
    streams.setPassage(s.arn, { status: 'UPDATING', due: clock.now() + 10, neverActive: false });
    await statuses.settle();
    assert.equal(statuses.status(s.arn), 'UPDATING');
    clock.advance(10);
    await statuses.settle();
    assert.equal(statuses.status(s.arn), 'ACTIVE');
  });
});

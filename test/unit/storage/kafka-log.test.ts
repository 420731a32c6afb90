import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { Scheduler } from '../../../src/core/scheduler.js';
import { createKafkaLogStorage } from '../../../src/storage/embedded/kafka-log.js';
import type { KafkaLogStorage } from '../../../src/storage/types.js';
import { type BatchSpec, baseOffsetOf, makeBatch, topicRecord } from '../../support/kafka-log-batch.js';

// The Kafka partition logs in memory: dense offsets over whole batches, reads by offset, the
// producers seen, retention on the clock, committed offsets and producer ids.

const T0 = 1_700_000_000_000;
let clock: Clock;
let scheduler: Scheduler;
let store: KafkaLogStorage;

const topic = (name: string, partitions?: number, configs?: Record<string, string>) =>
  topicRecord(name, clock.now(), partitions, configs);

/** A batch stamped now, unless the test says otherwise. */
const batch = (spec: BatchSpec = {}) => makeBatch({ timestamp: clock.now(), ...spec });

const offsetsOf = (name: string, partition = 0) => store.offsets('default', name, partition);

beforeEach(() => {
  clock = new Clock();
  clock.freeze();
  clock.advance(T0 - clock.now());
  scheduler = new Scheduler(clock);
  store = createKafkaLogStorage({ clock, scheduler, log: createLogger('silent') });
});

afterEach(() => scheduler.stop());

describe('Kafka log: appends and reads', () => {
  it('numbers batches densely from the log end and writes each base offset', async () => {
    await store.createTopic(topic('t'));
    const a = await store.append('default', 't', 0, [batch({ records: 2 }), batch({ records: 3 })]);
    const b = await store.append('default', 't', 0, [batch({ records: 1 })]);
    assert.equal(a.baseOffset, 0n);
    assert.equal(b.baseOffset, 5n);
    assert.equal(b.logStartOffset, 0n);
    assert.equal(b.appendTime, clock.now());
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 0n, highWatermark: 6n });
    const all = store.read('default', 't', 0, 0n, 1 << 20);
    assert.deepEqual(all.map(baseOffsetOf), [0n, 2n, 5n]);
  });

  it('reads whole batches from the one holding the offset asked, within maxBytes but never nothing', async () => {
    await store.createTopic(topic('t'));
    for (let i = 0; i < 5; i++) {
      await store.append('default', 't', 0, [batch({ records: 2, valueBytes: 100, fill: i })]);
    }
    const size = batch({ records: 2, valueBytes: 100 }).length;
    assert.deepEqual(store.read('default', 't', 0, 3n, 1 << 20).map(baseOffsetOf), [2n, 4n, 6n, 8n]);
    assert.deepEqual(store.read('default', 't', 0, 4n, 2 * size).map(baseOffsetOf), [4n, 6n]);
    assert.deepEqual(store.read('default', 't', 0, 4n, 1).map(baseOffsetOf), [4n]);
    assert.deepEqual(store.read('default', 't', 0, 10n, 1 << 20), []);
    assert.equal(store.read('default', 't', 0, 9n, 1 << 20)[0][100], 4);
  });

  it('keeps its own copy of what the producer sent', async () => {
    await store.createTopic(topic('t'));
    const sent = batch({ fill: 7 });
    const socket = Buffer.concat([Buffer.alloc(5), sent]);
    await store.append('default', 't', 0, [socket.subarray(5)]);
    socket.fill(0);
    const [stored] = store.read('default', 't', 0, 0n, 1000);
    assert.deepEqual(stored.subarray(8), sent.subarray(8));
  });

  it('reads across many segments, from any offset', async () => {
    await store.createTopic(topic('t'));
    // About 40 segments' worth of batches of 1–3 KiB.
    const shapes = [1, 2, 3].map((records) => batch({ records, valueBytes: 1000 }));
    for (let i = 0; i < 20; i++) {
      await store.append(
        'default',
        't',
        0,
        Array.from({ length: 4000 }, (_, j) => shapes[j % 3]),
      );
    }
    const end = offsetsOf('t').highWatermark;
    assert.equal(end, 20n * (1333n * 6n + 1n));
    for (const from of [0n, 1n, 77_777n, end - 1n]) {
      const got = store.read('default', 't', 0, from, 8000);
      const first = baseOffsetOf(got[0]);
      const last = first + BigInt(got[0].readInt32BE(23));
      assert.ok(first <= from && from <= last, `offset ${from} in ${first}..${last}`);
      assert.ok(got.reduce((n, b) => n + b.length, 0) <= 8000);
      if (from < end - 6n) assert.ok(got.length >= 3);
    }
    let next = 0n;
    let batches = 0;
    for (;;) {
      const got = store.read('default', 't', 0, next, 1 << 20);
      if (got.length === 0) break;
      for (const b of got) {
        assert.equal(baseOffsetOf(b), next);
        next += BigInt(b.readInt32BE(23)) + 1n;
        batches++;
      }
    }
    assert.equal(batches, 80_000);
    assert.equal(next, end);
  });

  it('refuses what is not a whole v2 batch, and stores nothing of the call', async () => {
    await store.createTopic(topic('t'));
    const bad = batch();
    bad[16] = 1;
    await assert.rejects(store.append('default', 't', 0, [batch(), bad]), /magic 1/);
    await assert.rejects(store.append('default', 't', 0, [batch().subarray(0, 70)]), /bytes/);
    await assert.rejects(store.append('default', 't', 0, [Buffer.alloc(10)]), /at least 61 bytes/);
    await assert.rejects(store.append('default', 't', 1, [batch()]), /no partition 1/);
    await assert.rejects(store.append('default', 'none', 0, [batch()]), /not known/);
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 0n, highWatermark: 0n });
    assert.equal((await store.append('default', 't', 0, [])).baseOffset, 0n);
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 0n, highWatermark: 0n });
  });

  it('finds batches by time and the one holding the largest timestamp', async () => {
    await store.createTopic(topic('t', 1, { 'retention.ms': '-1' }));
    for (const timestamp of [100, 300, 200, 300, 50]) {
      await store.append('default', 't', 0, [batch({ records: 2, timestamp })]);
    }
    const at = (ts: bigint) => store.batchAtTime('default', 't', 0, ts);
    assert.equal(baseOffsetOf(at(0n) as Buffer), 0n);
    assert.equal(baseOffsetOf(at(150n) as Buffer), 2n);
    assert.equal(baseOffsetOf(at(300n) as Buffer), 2n);
    assert.equal(at(301n), undefined);
    assert.equal(baseOffsetOf(store.batchWithMaxTimestamp('default', 't', 0) as Buffer), 2n);
    await store.createTopic(topic('empty'));
    assert.equal(store.batchWithMaxTimestamp('default', 'empty', 0), undefined);
    assert.equal(store.batchAtTime('default', 'empty', 0, 0n), undefined);
  });

  it('wakes watchers of the topic once an append lands', async () => {
    await store.createTopic(topic('t', 2));
    await store.createTopic(topic('other'));
    let woken = 0;
    const stop = store.watch('default', 't', () => woken++);
    await store.append('default', 't', 1, [batch()]);
    await store.append('default', 'other', 0, [batch()]);
    assert.equal(woken, 1);
    stop();
    await store.append('default', 't', 0, [batch()]);
    assert.equal(woken, 1);
  });
});

describe('Kafka log: topics', () => {
  it('finds topics by name and id, per cluster', async () => {
    await store.createTopic(topic('a'));
    await store.createTopic({ ...topic('a'), cluster: 'arn:msk', topicId: 'other-id'.padEnd(22, 'B') });
    assert.equal(store.getTopic('default', 'a')?.topicId, topic('a').topicId);
    assert.equal(store.topicById('arn:msk', 'other-id'.padEnd(22, 'B'))?.cluster, 'arn:msk');
    assert.equal(store.topicById('default', 'other-id'.padEnd(22, 'B')), undefined);
    assert.deepEqual(
      store.listTopics('default').map((t) => t.name),
      ['a'],
    );
    await assert.rejects(store.createTopic(topic('a')), /already exists/);
  });

  it('adds partitions but never takes them away', async () => {
    await store.createTopic(topic('t', 1, { 'retention.ms': '1000' }));
    await store.append('default', 't', 0, [batch()]);
    await store.updateTopic(topic('t', 3, { 'retention.ms': '2000' }));
    assert.equal(store.getTopic('default', 't')?.partitions, 3);
    assert.equal(store.getTopic('default', 't')?.configs['retention.ms'], '2000');
    await store.append('default', 't', 2, [batch()]);
    assert.deepEqual(store.offsets('default', 't', 2), { logStartOffset: 0n, highWatermark: 1n });
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 0n, highWatermark: 1n });
    await assert.rejects(store.updateTopic(topic('t', 2)), /can only be added/);
  });

  it('deletes a topic: a topic made again under its name starts empty', async () => {
    await store.createTopic(topic('t'));
    await store.append('default', 't', 0, [batch({ records: 3 })]);
    let woken = 0;
    store.watch('default', 't', () => woken++);
    await store.deleteTopic('default', 't');
    assert.equal(woken, 1);
    assert.equal(store.getTopic('default', 't'), undefined);
    assert.equal(store.topicById('default', topic('t').topicId), undefined);
    await store.createTopic(topic('t'));
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 0n, highWatermark: 0n });
  });

  it('drops a cluster, topics and offsets, leaving the others', async () => {
    await store.createTopic(topic('a'));
    await store.createTopic({ ...topic('b'), cluster: 'arn:msk' });
    await store.commitOffsets('arn:msk', 'g', [offset('b', 0, 1n)]);
    await store.commitOffsets('default', 'g', [offset('a', 0, 1n)]);
    await store.dropCluster('arn:msk');
    assert.deepEqual(store.listTopics('arn:msk'), []);
    assert.deepEqual(store.groupsWithOffsets('arn:msk'), []);
    assert.deepEqual(store.groupsWithOffsets('default'), ['g']);
    assert.equal(store.listTopics('default').length, 1);
  });

  it('resets to nothing, but never hands out a producer id twice', async () => {
    await store.createTopic(topic('a'));
    await store.commitOffsets('default', 'g', [offset('a', 0, 1n)]);
    assert.equal(await store.nextProducerId(), 0n);
    await store.reset();
    assert.deepEqual(store.listTopics('default'), []);
    assert.deepEqual(store.groupsWithOffsets('default'), []);
    assert.equal(await store.nextProducerId(), 1n);
  });
});

describe('Kafka log: idempotent producers', () => {
  it('keeps the last five batches of each producer, from the batch headers', async () => {
    await store.createTopic(topic('t'));
    await store.append('default', 't', 0, [batch({ records: 2 })]);
    for (let i = 0; i < 7; i++) {
      await store.append('default', 't', 0, [
        batch({ records: 3, producerId: 42n, producerEpoch: 0, baseSequence: i * 3, timestamp: 1000 + i }),
      ]);
    }
    const producers = store.producers('default', 't', 0);
    assert.deepEqual([...producers.keys()], [42n]);
    const entry = producers.get(42n);
    assert.equal(entry?.producerEpoch, 0);
    assert.deepEqual(entry?.batches[0], {
      firstSequence: 6,
      lastSequence: 8,
      baseOffset: 8n,
      lastOffset: 10n,
      timestamp: 1002n,
    });
    assert.deepEqual(
      entry?.batches.map((b) => b.firstSequence),
      [6, 9, 12, 15, 18],
    );
  });

  it('starts afresh on a new epoch, and wraps sequences past Int32.MAX_VALUE', async () => {
    await store.createTopic(topic('t'));
    await store.append('default', 't', 0, [batch({ producerId: 7n, producerEpoch: 0, baseSequence: 0 })]);
    await store.append('default', 't', 0, [
      batch({ records: 4, producerId: 7n, producerEpoch: 1, baseSequence: 2_147_483_646 }),
    ]);
    const entry = store.producers('default', 't', 0).get(7n);
    assert.equal(entry?.producerEpoch, 1);
    assert.deepEqual(
      entry?.batches.map((b) => [b.firstSequence, b.lastSequence]),
      [[2_147_483_646, 1]],
    );
  });
});

describe('Kafka log: retention', () => {
  it('drops batches once the clock is more than retention.ms past their max timestamp', async () => {
    await store.createTopic(topic('t', 1, { 'retention.ms': '60000' }));
    await store.append('default', 't', 0, [batch({ records: 2, timestamp: clock.now() })]);
    clock.advance(30_000);
    await store.append('default', 't', 0, [batch({ records: 3, timestamp: clock.now() })]);
    clock.advance(30_000);
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 0n, highWatermark: 5n });
    clock.advance(1);
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 2n, highWatermark: 5n });
    assert.deepEqual(store.read('default', 't', 0, 0n, 1 << 20).map(baseOffsetOf), [2n]);
    clock.advance(30_000);
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 5n, highWatermark: 5n });
    assert.deepEqual(store.read('default', 't', 0, 0n, 1 << 20), []);
    const next = await store.append('default', 't', 0, [batch({ timestamp: clock.now() })]);
    assert.equal(next.baseOffset, 5n);
    assert.equal(next.logStartOffset, 5n);
  });

  it('stops at the first batch still young, as Kafka deletes from the oldest on', async () => {
    await store.createTopic(topic('t', 1, { 'retention.ms': '1000' }));
    await store.append('default', 't', 0, [batch({ timestamp: clock.now() + 5000 })]);
    await store.append('default', 't', 0, [batch({ timestamp: clock.now() })]);
    clock.advance(2000);
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 0n, highWatermark: 2n });
    clock.advance(4001);
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 2n, highWatermark: 2n });
  });

  it('keeps the partition at retention.bytes or above, dropping whole batches from the oldest', async () => {
    const size = batch({ valueBytes: 100 }).length;
    await store.createTopic(topic('t', 1, { 'retention.bytes': String(2 * size + 10) }));
    for (let i = 0; i < 3; i++) await store.append('default', 't', 0, [batch({ valueBytes: 100 })]);
    // 3 batches: dropping the oldest would leave less than retention.bytes, so it stays.
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 0n, highWatermark: 3n });
    await store.append('default', 't', 0, [batch({ valueBytes: 100 })]);
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 1n, highWatermark: 4n });
    await store.updateTopic(topic('t', 1, { 'retention.bytes': '0' }));
    assert.deepEqual(offsetsOf('t'), { logStartOffset: 4n, highWatermark: 4n });
  });

  it('takes the cluster defaults where the topic sets none; -1 is unlimited', async () => {
    await store.createTopic(topic('inherits'));
    await store.createTopic(topic('keeps', 1, { 'retention.ms': '-1' }));
    for (const name of ['inherits', 'keeps']) {
      await store.append('default', name, 0, [batch({ timestamp: clock.now() })]);
    }
    // Kafka's default of 7 days holds until the cluster says otherwise.
    clock.advance(7 * 24 * 3_600_000);
    assert.equal(offsetsOf('inherits').logStartOffset, 0n);
    store.setRetentionDefaults('default', { retentionMs: 1000, retentionBytes: -1 });
    assert.equal(offsetsOf('inherits').logStartOffset, 1n);
    assert.equal(offsetsOf('keeps').logStartOffset, 0n);
    store.setRetentionDefaults('default', { retentionMs: -1, retentionBytes: -1 });
    await store.append('default', 'inherits', 0, [batch({ timestamp: 0 })]);
    clock.advance(365 * 24 * 3_600_000);
    assert.equal(offsetsOf('inherits').logStartOffset, 1n);
  });

  it('measures a batch without timestamps from when it arrived', async () => {
    await store.createTopic(topic('t', 1, { 'retention.ms': '1000' }));
    await store.append('default', 't', 0, [batch({ timestamp: -1 })]);
    clock.advance(1000);
    assert.equal(offsetsOf('t').logStartOffset, 0n);
    clock.advance(1);
    assert.equal(offsetsOf('t').logStartOffset, 1n);
  });

  it('keeps producer state after the producer’s batches are gone, as Kafka does', async () => {
    await store.createTopic(topic('t', 1, { 'retention.ms': '10' }));
    await store.append('default', 't', 0, [
      batch({ producerId: 3n, producerEpoch: 0, baseSequence: 0, timestamp: clock.now() }),
    ]);
    clock.advance(11);
    assert.equal(offsetsOf('t').logStartOffset, 1n);
    assert.equal(store.producers('default', 't', 0).get(3n)?.batches.length, 1);
  });
});

describe('Kafka log: committed offsets and producer ids', () => {
  it('keeps offsets per group and partition; a group with none left is gone', async () => {
    await store.commitOffsets('default', 'g1', [offset('a', 0, 5n), offset('a', 1, 7n), offset('b', 0, 1n)]);
    await store.commitOffsets('default', 'g1', [offset('a', 0, 6n)]);
    await store.commitOffsets('default', 'g2', [offset('a', 0, 1n)]);
    assert.deepEqual(
      store
        .committedOffsets('default', 'g1')
        .map((o) => [o.topic, o.partition, o.offset])
        .sort(),
      [
        ['a', 0, 6n],
        ['a', 1, 7n],
        ['b', 0, 1n],
      ],
    );
    assert.deepEqual(store.groupsWithOffsets('default').sort(), ['g1', 'g2']);
    await store.deleteOffsets('default', 'g1', ['a']);
    assert.deepEqual(
      store.committedOffsets('default', 'g1').map((o) => o.topic),
      ['b'],
    );
    await store.deleteOffsets('default', 'g1');
    assert.deepEqual(store.committedOffsets('default', 'g1'), []);
    assert.deepEqual(store.groupsWithOffsets('default'), ['g2']);
    assert.deepEqual(store.committedOffsets('other', 'g2'), []);
  });

  it('hands out producer ids in order', async () => {
    assert.deepEqual([await store.nextProducerId(), await store.nextProducerId()], [0n, 1n]);
  });
});

function offset(topicName: string, partition: number, value: bigint) {
  return {
    topic: topicName,
    partition,
    offset: value,
    leaderEpoch: 0,
    metadata: null,
    commitTimestamp: T0,
  };
}

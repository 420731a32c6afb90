import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { Journal } from '../../src/storage/embedded/journal.js';
import { createKafkaLogStorage } from '../../src/storage/embedded/kafka-log.js';
import type { KafkaLogStorage } from '../../src/storage/types.js';
import { scratchDataDir } from '../support/engine.js';
import { type BatchSpec, baseOffsetOf, makeBatch, topicRecord } from '../support/kafka-log-batch.js';

// The Kafka partition logs with --data-dir: what is acknowledged is in the journal, and a storage
// opened on the same folder finds topics, batches, offsets and producers as they were.

const T0 = 1_700_000_000_000;
let dir: { dataDir: string; remove: () => void };
let clock: Clock;
let scheduler: Scheduler;
let journal: Journal;
let store: KafkaLogStorage;

function open(): void {
  journal = new Journal(dir.dataDir);
  scheduler = new Scheduler(clock);
  store = createKafkaLogStorage({ clock, scheduler, log: createLogger('silent'), journal });
}

function reopen(): void {
  scheduler.stop();
  journal.close();
  open();
}

const topic = (name: string, partitions?: number, configs?: Record<string, string>) =>
  topicRecord(name, T0, partitions, configs);

const batch = (spec: BatchSpec = {}) => makeBatch({ timestamp: clock.now(), ...spec });
const readAll = (name: string, partition = 0) => store.read('default', name, partition, 0n, 1 << 30);

beforeEach(() => {
  dir = scratchDataDir();
  clock = new Clock();
  clock.freeze();
  clock.advance(T0 - clock.now());
  open();
});

afterEach(() => {
  scheduler.stop();
  journal.close();
  dir.remove();
});

describe('Kafka log with a journal', () => {
  it('keeps topics and batches, byte for byte, with their offsets', async () => {
    await store.createTopic(topic('t', 2, { 'retention.ms': '-1' }));
    await store.createTopic({ ...topic('m'), cluster: 'arn:msk' });
    // Appends of one turn share a commit, and rows of several commits follow one another.
    await Promise.all([
      store.append('default', 't', 0, [batch({ records: 2, fill: 1 }), batch({ records: 3, fill: 2 })]),
      store.append('default', 't', 0, [batch({ fill: 3 })]),
      store.append('default', 't', 1, [batch({ fill: 4 })]),
    ]);
    await store.append('default', 't', 0, [batch({ records: 4, fill: 5 })]);
    await store.append('default', 't', 1, []);
    await store.append('arn:msk', 'm', 0, [batch({ fill: 6 })]);
    const before = readAll('t').map((b) => Buffer.from(b));
    reopen();
    assert.deepEqual(
      store.listTopics('default').map((t) => [t.name, t.partitions, t.configs]),
      [['t', 2, { 'retention.ms': '-1' }]],
    );
    assert.equal(store.topicById('arn:msk', topic('m').topicId)?.name, 'm');
    assert.deepEqual(readAll('t').map(baseOffsetOf), [0n, 2n, 5n, 6n]);
    assert.deepEqual(readAll('t'), before);
    assert.deepEqual(store.offsets('default', 't', 0), { logStartOffset: 0n, highWatermark: 10n });
    assert.deepEqual(store.offsets('default', 't', 1), { logStartOffset: 0n, highWatermark: 1n });
    assert.equal(store.read('arn:msk', 'm', 0, 0n, 1000)[0][70], 6);
    const next = await store.append('default', 't', 0, [batch()]);
    assert.equal(next.baseOffset, 10n);
  });

  it('keeps the log start offset that retention reached, and deletes the rows behind it', async () => {
    await store.createTopic(topic('t', 1, { 'retention.ms': '1000' }));
    // One commit, one row of three batches, which retention then cuts through.
    await Promise.all([
      store.append('default', 't', 0, [batch({ records: 2 })]),
      store.append('default', 't', 0, [batch({ records: 2, timestamp: clock.now() + 500 })]),
      store.append('default', 't', 0, [batch({ records: 2, timestamp: clock.now() + 5000 })]),
    ]);
    await store.append('default', 't', 0, [batch({ timestamp: clock.now() + 9000 })]);
    clock.advance(1501);
    await journal.commit();
    assert.deepEqual(store.offsets('default', 't', 0), { logStartOffset: 4n, highWatermark: 7n });
    reopen();
    assert.deepEqual(store.offsets('default', 't', 0), { logStartOffset: 4n, highWatermark: 7n });
    assert.deepEqual(readAll('t').map(baseOffsetOf), [4n, 6n]);
    clock.advance(10_000);
    await journal.commit();
    reopen();
    assert.deepEqual(store.offsets('default', 't', 0), { logStartOffset: 7n, highWatermark: 7n });
    assert.deepEqual(readAll('t'), []);
    assert.equal((await store.append('default', 't', 0, [batch()])).baseOffset, 7n);
  });

  it('applies retention that came due while stopped', async () => {
    await store.createTopic(topic('t', 1, { 'retention.ms': '60000' }));
    await store.append('default', 't', 0, [batch({ records: 3 })]);
    scheduler.stop();
    journal.close();
    clock.advance(60_001);
    open();
    assert.deepEqual(store.offsets('default', 't', 0), { logStartOffset: 3n, highWatermark: 3n });
  });

  it('rebuilds producer state from the stored batches', async () => {
    await store.createTopic(topic('t'));
    for (let i = 0; i < 6; i++) {
      await store.append('default', 't', 0, [
        batch({ records: 2, producerId: 9n, producerEpoch: 2, baseSequence: i * 2 }),
      ]);
    }
    const before = store.producers('default', 't', 0).get(9n);
    reopen();
    assert.deepEqual(store.producers('default', 't', 0).get(9n), before);
    assert.equal(before?.batches.length, 5);
  });

  it('keeps committed offsets and producer ids', async () => {
    await store.commitOffsets('default', 'g', [
      { topic: 't', partition: 0, offset: 12n, leaderEpoch: 3, metadata: 'm', commitTimestamp: T0 },
      { topic: 't', partition: 1, offset: 2n ** 40n, leaderEpoch: -1, metadata: null, commitTimestamp: T0 },
    ]);
    await store.commitOffsets('arn:msk', 'h', [
      { topic: 'u', partition: 0, offset: 1n, leaderEpoch: 0, metadata: '', commitTimestamp: T0 },
    ]);
    await store.deleteOffsets('arn:msk', 'h');
    assert.equal(await store.nextProducerId(), 0n);
    assert.equal(await store.nextProducerId(), 1n);
    reopen();
    assert.deepEqual(
      store.committedOffsets('default', 'g').sort((a, b) => a.partition - b.partition),
      [
        { topic: 't', partition: 0, offset: 12n, leaderEpoch: 3, metadata: 'm', commitTimestamp: T0 },
        { topic: 't', partition: 1, offset: 2n ** 40n, leaderEpoch: -1, metadata: null, commitTimestamp: T0 },
      ],
    );
    assert.deepEqual(store.groupsWithOffsets('arn:msk'), []);
    assert.equal(await store.nextProducerId(), 2n);
  });

  it('keeps deleted topics deleted, and a topic made again under the name apart from the old one', async () => {
    await store.createTopic(topic('t'));
    await store.append('default', 't', 0, [batch({ records: 5 })]);
    await store.deleteTopic('default', 't');
    await store.createTopic({ ...topic('t'), topicId: 'new-id'.padEnd(22, 'C') });
    await store.append('default', 't', 0, [batch({ records: 1 })]);
    await store.createTopic({ ...topic('gone'), cluster: 'arn:msk' });
    await store.append('arn:msk', 'gone', 0, [batch()]);
    await store.dropCluster('arn:msk');
    reopen();
    assert.deepEqual(
      store.listTopics('default').map((t) => t.topicId),
      ['new-id'.padEnd(22, 'C')],
    );
    assert.deepEqual(store.offsets('default', 't', 0), { logStartOffset: 0n, highWatermark: 1n });
    assert.deepEqual(store.listTopics('arn:msk'), []);
    const db = journalRows();
    assert.deepEqual(db, [1]);
  });

  it('forgets everything on reset, and stays reset', async () => {
    await store.createTopic(topic('t'));
    await store.append('default', 't', 0, [batch()]);
    await store.commitOffsets('default', 'g', [
      { topic: 't', partition: 0, offset: 1n, leaderEpoch: 0, metadata: null, commitTimestamp: T0 },
    ]);
    await store.nextProducerId();
    await store.reset();
    reopen();
    assert.deepEqual(store.listTopics('default'), []);
    assert.deepEqual(store.groupsWithOffsets('default'), []);
    assert.equal(await store.nextProducerId(), 1n);
    await store.createTopic(topic('t'));
    assert.deepEqual(store.offsets('default', 't', 0), { logStartOffset: 0n, highWatermark: 0n });
  });
});

/** How many batch rows each log has in the file, read after closing the journal. */
function journalRows(): number[] {
  scheduler.stop();
  journal.close();
  const db = new Database(path.join(dir.dataDir, 'tideway.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT count(*) AS n FROM kafka_batches GROUP BY log ORDER BY log')
      .all() as Array<{
      n: number;
    }>;
    return rows.map((r) => r.n);
  } finally {
    db.close();
    open();
  }
}

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import { hashKeyOf } from '../../../src/core/hash-keys.js';
import { Scheduler } from '../../../src/core/scheduler.js';
import type { DeliveryStreamRecord, IngestedRecord } from '../../../src/services/firehose/model.js';
import type { PipelineDeps } from '../../../src/services/firehose/pipeline.js';
import { forgetKinesisSource, startKinesisSource } from '../../../src/services/firehose/sources/kinesis.js';
import { evenRange } from '../../../src/services/kinesis/rules/hash-ranges.js';
import { Journal } from '../../../src/storage/embedded/journal.js';
import { EmbeddedStreams } from '../../../src/storage/embedded/streams.js';
import type { StreamRecord } from '../../../src/storage/types.js';
import { captureLogger } from '../../support/log-capture.js';

const SOURCE = 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks';
const DELIVERY = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/clicks-to-s3';

function sourceStream(createdAt: number): StreamRecord {
  return {
    arn: SOURCE,
    name: 'clicks',
    account: '000000000000',
    region: 'us-east-1',
    mode: 'PROVISIONED',
    retentionHours: 24,
    createdAt,
    tags: {},
    maxRecordSizeKiB: 1024,
    shardLevelMetrics: [],
  };
}

const deliveryStream: DeliveryStreamRecord = {
  name: 'clicks-to-s3',
  arn: DELIVERY,
  account: '000000000000',
  region: 'us-east-1',
  status: 'ACTIVE',
  type: 'KinesisStreamAsSource',
  versionId: '1',
  created: 1_000,
  tags: [],
  source: {
    KinesisStreamSourceDescription: {
      KinesisStreamARN: SOURCE,
      RoleARN: 'arn:aws:iam::000000000000:role/firehose',
    },
  },
  destination: { id: 'destinationId-000000000001' },
};

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'condition not reached');
}

/** A hash key inside the i-th of `count` even ranges. */
const keyIn = (i: number, count: number) => hashKeyOf(evenRange(i, count).start);

describe('KinesisStreamAsSource', () => {
  let dir: string;
  let clock: Clock;
  let scheduler: Scheduler;
  let journal: Journal;
  let streams: EmbeddedStreams;
  let deps: PipelineDeps;
  let log: ReturnType<typeof captureLogger>;
  let ingested: IngestedRecord[];
  let stops: Array<() => void>;

  const open = () => {
    journal = new Journal(dir);
    streams = new EmbeddedStreams(clock, scheduler, log, journal);
    deps = {
      clock,
      scheduler,
      log,
      journal,
      frontDoors: {
        kinesis: {
          reader: streams,
          put: async () => ({ kind: 'missing', reason: 'not used here' }),
        },
      },
    };
  };
  const start = (ingest = async (records: readonly IngestedRecord[]) => void ingested.push(...records)) => {
    stops.push(startKinesisSource(deliveryStream, deps, ingest));
  };
  const put = (text: string, shard: number, count = 2) =>
    streams.append(SOURCE, [{ data: Buffer.from(text), partitionKey: text, hashKey: keyIn(shard, count) }]);
  const texts = () => ingested.map((r) => Buffer.from(r.data).toString());

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-source-'));
    clock = new Clock();
    clock.freeze();
    scheduler = new Scheduler(clock);
    log = captureLogger();
    ingested = [];
    stops = [];
    open();
    await streams.createStream(sourceStream(clock.now()), 2);
  });
  afterEach(() => {
    for (const stop of stops) stop();
    scheduler.stop();
    journal.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts at the tip (LATEST) and hands on later records of every shard with their arrival and shard metadata', async () => {
    await put('before', 0);
    start();
    clock.advance(1_500);
    const arrival = clock.now();
    const [a] = await put('after-0', 0);
    await put('after-1', 1);
    await until(() => ingested.length === 2);
    assert.deepEqual(texts().sort(), ['after-0', 'after-1']);
    const first = ingested.find((r) => Buffer.from(r.data).toString() === 'after-0')!;
    assert.equal(first.arrival, arrival);
    assert.deepEqual(first.kinesis, {
      shardId: a.shardId,
      sequenceNumber: a.sequenceNumber,
      partitionKey: 'after-0',
    });
  });

  it('reads a child shard only once its parent is read to its end', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    start(async (records) => {
      await gate;
      ingested.push(...records);
    });
    await put('parent-1', 0);
    await put('parent-2', 0);
    const parent = streams.shards(SOURCE)[0];
    const { start: lo, end: hi } = evenRange(0, 2);
    const mid = (lo + hi) / 2n;
    const [left] = await streams.reshard(
      SOURCE,
      [parent.id],
      [
        { start: lo, end: mid, parentShardId: parent.id },
        { start: mid + 1n, end: hi, parentShardId: parent.id },
      ],
    );
    await streams.append(SOURCE, [{ data: Buffer.from('child'), partitionKey: 'c', hashKey: hashKeyOf(lo) }]);
    release();
    await until(() => ingested.length === 3);
    assert.deepEqual(texts(), ['parent-1', 'parent-2', 'child']);
    assert.equal(ingested[2].kinesis?.shardId, left.id);
  });

  it('reads on after a restart from where it stood, neither skipping nor repeating records', async () => {
    start();
    await put('one', 0);
    await until(() => ingested.length === 1);
    for (const stop of stops.splice(0)) stop();
    // Put while the server is down (the records land before the source is back).
    await put('two', 0);
    await put('three', 1);
    journal.close();
    open();
    start();
    await until(() => ingested.length === 3);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(texts().sort(), ['one', 'three', 'two']);
  });

  it('keeps the records of an ingest that failed and retries them a second later on the clock', async () => {
    let fail = true;
    start(async (records) => {
      if (fail) throw new Error('buffer full');
      ingested.push(...records);
    });
    await put('kept', 1);
    await until(() => log.warnings.some((w) => w.text.includes('reading the Kinesis source failed')));
    assert.equal(ingested.length, 0);
    fail = false;
    clock.advance(1_000);
    await until(() => ingested.length === 1);
    assert.deepEqual(texts(), ['kept']);
  });

  it('stops reading when stopped, and starts afresh (at the tip) once its positions are forgotten', async () => {
    start();
    for (const stop of stops.splice(0)) stop();
    await put('unseen', 0);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(ingested.length, 0);
    await forgetKinesisSource(DELIVERY, deps);
    start();
    await put('seen', 0);
    await until(() => ingested.length === 1);
    assert.deepEqual(texts(), ['seen']);
  });

  it('waits for a source stream that does not exist, saying so once', async () => {
    await streams.deleteStream(SOURCE);
    start();
    await until(() => log.warnings.length === 1);
    assert.match(log.warnings[0].text, /source stream .*clicks does not exist/);
    await streams.createStream(sourceStream(clock.now()), 1);
    clock.advance(10_000);
    await new Promise((r) => setTimeout(r, 20));
    await streams.append(SOURCE, [{ data: Buffer.from('late'), partitionKey: 'l', hashKey: keyIn(0, 1) }]);
    await until(() => ingested.length === 1);
    assert.deepEqual(texts(), ['late']);
    assert.equal(log.warnings.length, 1);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeAccountSettingsCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  type KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  MergeShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type _Record as Record_,
  SplitShardCommand,
  StartStreamEncryptionCommand,
  UpdateAccountSettingsCommand,
  UpdateMaxRecordSizeCommand,
} from '@aws-sdk/client-kinesis';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import Database from 'better-sqlite3';
import { kinesisClient } from '../support/kinesis.js';
import { kmsClient } from '../support/kms.js';
import { advance, errorOf, type RunningTideway, startServer } from '../support/tideway.js';

const HALF = 1n << 127n;

/** Every record of a shard from its trim horizon, as GetRecords answers them. */
async function readShard(kinesis: KinesisClient, stream: string, shardId: string): Promise<Record_[]> {
  let { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const out: Record_[] = [];
  while (ShardIterator) {
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    out.push(...(got.Records ?? []));
    if ((got.Records ?? []).length === 0) break;
    ShardIterator = got.NextShardIterator;
  }
  return out;
}

/** What a reader sees of a record, comparable with deepEqual. */
function view(r: Record_) {
  return {
    sequenceNumber: r.SequenceNumber,
    partitionKey: r.PartitionKey,
    data: Buffer.from(r.Data ?? []).toString('base64'),
    arrival: r.ApproximateArrivalTimestamp?.getTime(),
    encryption: r.EncryptionType,
  };
}

async function everyRecord(kinesis: KinesisClient, stream: string) {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: stream }));
  const out: { [shard: string]: ReturnType<typeof view>[] } = {};
  for (const shard of Shards ?? []) {
    out[shard.ShardId!] = (await readShard(kinesis, stream, shard.ShardId!)).map(view);
  }
  return out;
}

/** The highest sequence number a shard handed out. */
function highest(records: ReturnType<typeof view>[]): bigint {
  assert.ok(records.length > 0);
  return records.reduce((max, r) => (BigInt(r.sequenceNumber!) > max ? BigInt(r.sequenceNumber!) : max), 0n);
}

function withoutMetadata<T extends object>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _, ...rest } = output as T & { $metadata: unknown };
  return rest;
}

// With --data-dir, an acknowledged write survives a restart (README, "Persistence"). What Kinesis
// keeps of a stream: its shards with their hash-key and sequence-number ranges and lineage (Kinesis
// API Reference, Shard, ListShards), retention, encryption, enhanced monitoring, record size limit,
// tags (DescribeStreamSummary, ListTagsForStream), and every record within retention with its
// sequence number, data, partition key and arrival time (GetRecords). A sequence number "is unique
// across all records in the stream" (PutRecord output, SequenceNumber), and they "generally
// increase over time" (PutRecord): new ones stay above those a shard handed out before.
describe('Kinesis persistence across restarts', () => {
  let root: string;
  let dir: string;
  let runs = 0;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tideway-kinesis-restart-'));
  });
  beforeEach(() => {
    dir = path.join(root, String(++runs));
  });
  after(() => rm(root, { recursive: true, force: true }));

  async function start(): Promise<{ server: RunningTideway; kinesis: KinesisClient }> {
    const server = await startServer({ dataDir: dir });
    return { server, kinesis: kinesisClient(server.endpoint) };
  }

  async function restart(running: {
    server: RunningTideway;
    kinesis: KinesisClient;
  }): Promise<{ server: RunningTideway; kinesis: KinesisClient }> {
    running.kinesis.destroy();
    await running.server.stop();
    return start();
  }

  function count(table: string): number {
    const db = new Database(path.join(dir, 'tideway.sqlite'), { readonly: true });
    try {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  it('brings back streams, shard lineage, settings and every record with its sequence number', async () => {
    let running = await start();
    try {
      let { kinesis } = running;
      await kinesis.send(
        new CreateStreamCommand({ StreamName: 'orders', ShardCount: 2, Tags: { team: 'payments' } }),
      );
      await kinesis.send(new CreateStreamCommand({ StreamName: 'clicks' }));
      // 500 records in one call, binary data of every byte value and of every length up to 300,
      // partition keys beyond ASCII.
      const batch = await kinesis.send(
        new PutRecordsCommand({
          StreamName: 'orders',
          Records: Array.from({ length: 500 }, (_, i) => ({
            Data: Uint8Array.from({ length: i % 301 }, (_, j) => (i + j) % 256),
            PartitionKey: `clé-${i} ✓`,
          })),
        }),
      );
      assert.equal(batch.FailedRecordCount, 0);
      await kinesis.send(
        new PutRecordCommand({
          StreamName: 'orders',
          Data: Buffer.from('pinned'),
          PartitionKey: 'any',
          ExplicitHashKey: '5',
        }),
      );
      // Split the first shard, then merge its upper child with the second shard.
      await kinesis.send(
        new SplitShardCommand({
          StreamName: 'orders',
          ShardToSplit: 'shardId-000000000000',
          NewStartingHashKey: (HALF / 2n).toString(),
        }),
      );
      await kinesis.send(
        new MergeShardsCommand({
          StreamName: 'orders',
          ShardToMerge: 'shardId-000000000003',
          AdjacentShardToMerge: 'shardId-000000000001',
        }),
      );
      // Into both open children, at the ends of the hash-key space.
      for (const [key, hash] of [
        ['after-1', '0'],
        ['after-2', (HALF * 2n - 1n).toString()],
        ['after-3', undefined],
      ]) {
        await kinesis.send(
          new PutRecordCommand({
            StreamName: 'orders',
            Data: Buffer.from(key!),
            PartitionKey: key!,
            ExplicitHashKey: hash,
          }),
        );
      }
      await kinesis.send(
        new IncreaseStreamRetentionPeriodCommand({ StreamName: 'orders', RetentionPeriodHours: 72 }),
      );
      // StartStreamEncryption meets the key it names: the alias must exist.
      const kms = kmsClient(running.server.endpoint);
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: KeyMetadata!.KeyId }));
      await kinesis.send(
        new StartStreamEncryptionCommand({
          StreamName: 'orders',
          EncryptionType: 'KMS',
          KeyId: 'alias/orders',
        }),
      );
      await kinesis.send(
        new EnableEnhancedMonitoringCommand({
          StreamName: 'orders',
          ShardLevelMetrics: ['IncomingBytes', 'IteratorAgeMilliseconds'],
        }),
      );
      await kinesis.send(
        new UpdateMaxRecordSizeCommand({
          StreamARN: await arnOf(kinesis, 'orders'),
          MaxRecordSizeInKiB: 2048,
        }),
      );
      await kinesis.send(new AddTagsToStreamCommand({ StreamName: 'orders', Tags: { env: 'test' } }));
      await kinesis.send(
        new PutRecordCommand({ StreamName: 'clicks', Data: Buffer.from('click'), PartitionKey: 'c' }),
      );

      const before = {
        orders: withoutMetadata(await kinesis.send(new DescribeStreamCommand({ StreamName: 'orders' }))),
        ordersSummary: withoutMetadata(
          await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'orders' })),
        ),
        clicks: withoutMetadata(await kinesis.send(new DescribeStreamCommand({ StreamName: 'clicks' }))),
        shards: withoutMetadata(await kinesis.send(new ListShardsCommand({ StreamName: 'orders' }))),
        tags: withoutMetadata(await kinesis.send(new ListTagsForStreamCommand({ StreamName: 'orders' }))),
        streams: withoutMetadata(await kinesis.send(new ListStreamsCommand({}))),
        records: await everyRecord(kinesis, 'orders'),
        clickRecords: await everyRecord(kinesis, 'clicks'),
      };
      assert.equal(before.shards.Shards?.length, 5);
      assert.equal(Object.values(before.records).flat().length, 504);

      running = await restart(running);
      kinesis = running.kinesis;
      const afterRestart = {
        orders: withoutMetadata(await kinesis.send(new DescribeStreamCommand({ StreamName: 'orders' }))),
        ordersSummary: withoutMetadata(
          await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'orders' })),
        ),
        clicks: withoutMetadata(await kinesis.send(new DescribeStreamCommand({ StreamName: 'clicks' }))),
        shards: withoutMetadata(await kinesis.send(new ListShardsCommand({ StreamName: 'orders' }))),
        tags: withoutMetadata(await kinesis.send(new ListTagsForStreamCommand({ StreamName: 'orders' }))),
        streams: withoutMetadata(await kinesis.send(new ListStreamsCommand({}))),
        records: await everyRecord(kinesis, 'orders'),
        clickRecords: await everyRecord(kinesis, 'clicks'),
      };
      assert.deepEqual(afterRestart, before);
      assert.equal(afterRestart.ordersSummary.StreamDescriptionSummary?.RetentionPeriodHours, 72);
      assert.equal(afterRestart.ordersSummary.StreamDescriptionSummary?.KeyId, 'alias/orders');

      // New records go to the open shards only, under sequence numbers above every one their shard
      // handed out before the restart.
      const next = await kinesis.send(
        new PutRecordsCommand({
          StreamName: 'orders',
          Records: [
            { Data: Buffer.from('low'), PartitionKey: 'x', ExplicitHashKey: '0' },
            { Data: Buffer.from('high'), PartitionKey: 'x', ExplicitHashKey: (HALF * 2n - 1n).toString() },
          ],
        }),
      );
      assert.deepEqual(
        next.Records?.map((r) => r.ShardId),
        ['shardId-000000000002', 'shardId-000000000004'],
      );
      for (const r of next.Records ?? []) {
        assert.ok(
          BigInt(r.SequenceNumber!) > highest(before.records[r.ShardId!]),
          `numbering of ${r.ShardId}`,
        );
      }
      const clicks = await kinesis.send(
        new PutRecordCommand({ StreamName: 'clicks', Data: Buffer.from('again'), PartitionKey: 'c' }),
      );
      assert.ok(BigInt(clicks.SequenceNumber!) > highest(before.clickRecords[clicks.ShardId!]));

      // And a second restart keeps those too.
      running = await restart(running);
      kinesis = running.kinesis;
      const records = await everyRecord(kinesis, 'orders');
      assert.deepEqual(
        records['shardId-000000000002'].slice(-1).map((r) => r.sequenceNumber),
        [next.Records![0].SequenceNumber],
      );
      assert.deepEqual(
        records['shardId-000000000004'].slice(-1).map((r) => r.sequenceNumber),
        [next.Records![1].SequenceNumber],
      );
    } finally {
      running.kinesis.destroy();
      await running.server.stop();
    }
  });

  it('keeps a deleted stream gone, and a stream made again under its name holds only its own records', async () => {
    let running = await start();
    try {
      let { kinesis } = running;
      await kinesis.send(new CreateStreamCommand({ StreamName: 'gone', ShardCount: 1 }));
      await kinesis.send(
        new PutRecordCommand({ StreamName: 'gone', Data: Buffer.from('g'), PartitionKey: 'g' }),
      );
      await kinesis.send(new DeleteStreamCommand({ StreamName: 'gone' }));
      await kinesis.send(new CreateStreamCommand({ StreamName: 'again', ShardCount: 1 }));
      await kinesis.send(
        new PutRecordCommand({ StreamName: 'again', Data: Buffer.from('first life'), PartitionKey: 'a' }),
      );
      await kinesis.send(new DeleteStreamCommand({ StreamName: 'again' }));
      await kinesis.send(new CreateStreamCommand({ StreamName: 'again', ShardCount: 1 }));
      await kinesis.send(
        new PutRecordCommand({ StreamName: 'again', Data: Buffer.from('second life'), PartitionKey: 'a' }),
      );

      running = await restart(running);
      kinesis = running.kinesis;
      assert.deepEqual((await kinesis.send(new ListStreamsCommand({}))).StreamNames, ['again']);
      const gone = await errorOf(() =>
        kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'gone' })),
      );
      assert.equal(gone.name, 'ResourceNotFoundException');
      const records = await readShard(kinesis, 'again', 'shardId-000000000000');
      assert.deepEqual(
        records.map((r) => Buffer.from(r.Data!).toString()),
        ['second life'],
      );
    } finally {
      running.kinesis.destroy();
      await running.server.stop();
    }
    // Nothing of the deleted streams is left in the file.
    assert.equal(count('streams'), 1);
    assert.equal(count('stream_chunks'), 1);
  });

  // Kinesis guide, "Change the data retention period": the retention period is "the time period
  // from when a record is added to when it is no longer accessible". Records past it leave the file
  // on the clock, and the numbering carries on above them after a restart.
  it('drops records past retention from the file, and numbering carries on after them', async () => {
    let running = await start();
    let last: string;
    try {
      const { kinesis } = running;
      await kinesis.send(new CreateStreamCommand({ StreamName: 'short', ShardCount: 1 }));
      for (const key of ['a', 'b', 'c']) {
        last = (
          await kinesis.send(
            new PutRecordCommand({ StreamName: 'short', Data: Buffer.from(key), PartitionKey: key }),
          )
        ).SequenceNumber!;
      }
      await advance(running.server, 23 * 3600);
      assert.equal((await readShard(kinesis, 'short', 'shardId-000000000000')).length, 3);
      // 24 hours by default (Kinesis API Reference, CreateStream); the sweep follows within minutes.
      await advance(running.server, 3600 + 120);
      assert.equal((await readShard(kinesis, 'short', 'shardId-000000000000')).length, 0);
    } finally {
      running.kinesis.destroy();
      await running.server.stop();
    }
    assert.equal(count('stream_chunks'), 0);
    running = await start();
    try {
      const { kinesis } = running;
      assert.equal((await readShard(kinesis, 'short', 'shardId-000000000000')).length, 0);
      const put = await kinesis.send(
        new PutRecordCommand({ StreamName: 'short', Data: Buffer.from('d'), PartitionKey: 'd' }),
      );
      assert.ok(BigInt(put.SequenceNumber!) > BigInt(last!), 'numbering carries on after trimmed records');
    } finally {
      running.kinesis.destroy();
      await running.server.stop();
    }
  });

  // UpdateAccountSettings: the commitment lasts at least 24 hours, whatever happens to the server.
  it("keeps an account's throughput commitment, which warm throughput rests on", async () => {
    let running = await start();
    try {
      await running.kinesis.send(
        new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }),
      );
      running = await restart(running);
      const { MinimumThroughputBillingCommitment: kept } = await running.kinesis.send(
        new DescribeAccountSettingsCommand({}),
      );
      assert.equal(kept?.Status, 'ENABLED');
      assert.ok(kept?.EarliestAllowedEndAt instanceof Date);
    } finally {
      running.kinesis.destroy();
      await running.server.stop();
    }
  });

  it('forgets every stream on reset, in the file too', async () => {
    let running = await start();
    try {
      const { kinesis } = running;
      await kinesis.send(new CreateStreamCommand({ StreamName: 'reset-me', ShardCount: 2 }));
      await kinesis.send(
        new PutRecordsCommand({
          StreamName: 'reset-me',
          Records: [1, 2, 3].map((i) => ({ Data: Buffer.from([i]), PartitionKey: `k${i}` })),
        }),
      );
      const res = await fetch(`${running.server.endpoint}/_tideway/reset`, { method: 'POST' });
      assert.equal(res.status, 200);
      running = await restart(running);
      assert.equal((await running.kinesis.send(new ListStreamsCommand({}))).StreamNames?.length, 0);
    } finally {
      running.kinesis.destroy();
      await running.server.stop();
    }
    assert.equal(count('streams'), 0);
    assert.equal(count('stream_chunks'), 0);
  });

  it('opens a data folder of the previous layout, and refuses one of a later layout', async () => {
    // Layout 2: the tables before Kinesis was persisted.
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'tideway.sqlite');
    let db = new Database(file);
    db.exec(`
      CREATE TABLE queues (id TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE log (seq INTEGER PRIMARY KEY, entries TEXT NOT NULL);
      CREATE TABLE resources (tbl TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (tbl, key)) WITHOUT ROWID;
    `);
    db.pragma('user_version = 2');
    db.close();
    let running = await start();
    try {
      await running.kinesis.send(new CreateStreamCommand({ StreamName: 'upgraded', ShardCount: 1 }));
      running = await restart(running);
      assert.deepEqual((await running.kinesis.send(new ListStreamsCommand({}))).StreamNames, ['upgraded']);
    } finally {
      running.kinesis.destroy();
      await running.server.stop();
    }
    db = new Database(file);
    assert.equal(db.pragma('user_version', { simple: true }), 4);
    db.pragma('user_version = 5');
    db.close();
    const refused = await errorOf(() => startServer({ dataDir: dir }));
    assert.match(refused.message, /was written by another version of Tideway \(layout 5, this one reads 4\)/);
  });
});

async function arnOf(kinesis: KinesisClient, name: string): Promise<string> {
  const { StreamDescriptionSummary } = await kinesis.send(
    new DescribeStreamSummaryCommand({ StreamName: name }),
  );
  return StreamDescriptionSummary!.StreamARN!;
}

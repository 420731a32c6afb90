import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../support/kinesis.js';
import { health, type RunningCli, startCli, stopCli } from '../support/server.js';

interface Acked {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  data: string;
}

const tmpDirs: string[] = [];
const running: RunningCli[] = [];
after(async () => {
  for (const cli of running) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await cli.exited;
  }
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function launch(args: string[]): Promise<RunningCli> {
  const cli = await startCli(['--port', '0', '--log-level', 'warn', ...args]);
  running.push(cli);
  return cli;
}

/** Every record of a shard from its trim horizon. */
async function readShard(kinesis: KinesisClient, stream: string, shardId: string): Promise<Acked[]> {
  let { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const out: Acked[] = [];
  while (ShardIterator) {
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    const records = got.Records ?? [];
    for (const r of records) {
      out.push({
        shardId,
        sequenceNumber: r.SequenceNumber!,
        partitionKey: r.PartitionKey!,
        data: Buffer.from(r.Data!).toString('base64'),
      });
    }
    if (records.length === 0) break;
    ShardIterator = got.NextShardIterator;
  }
  return out;
}

function dataFor(i: number): Uint8Array {
  return Uint8Array.from({ length: (i * 7) % 200 }, (_, j) => (i * 31 + j) % 256);
}

// Durability promise (README, --data-dir: "survives restarts and kill -9"): a PutRecord(s) that was
// answered is on disk, with the shard and sequence number it was answered with (Kinesis API
// Reference, PutRecord / PutRecords: ShardId and SequenceNumber of each record), and so is every
// change to the stream (SplitShard, tags).
describe('Kinesis persistence across kill -9', () => {
  it('keeps every acknowledged record, the shard layout and tags', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-kinesis-kill-'));
    tmpDirs.push(dataDir);
    const first = await launch(['--data-dir', dataDir]);
    assert.equal((await health(first.endpoint)).body.persistence, true);
    const kinesis = kinesisClient(first.endpoint);
    await kinesis.send(
      new CreateStreamCommand({ StreamName: 'events', ShardCount: 3, Tags: { app: 'kill' } }),
    );

    // Batches of PutRecords and single PutRecords, concurrently, with a split in the middle.
    const acked: Acked[] = [];
    const batch = async (b: number) => {
      const entries = Array.from({ length: 60 }, (_, j) => ({
        Data: dataFor(b * 60 + j),
        PartitionKey: `batch-${b}-${j}`,
      }));
      const res = await kinesis.send(new PutRecordsCommand({ StreamName: 'events', Records: entries }));
      assert.equal(res.FailedRecordCount, 0);
      res.Records!.forEach((r, j) => {
        acked.push({
          shardId: r.ShardId!,
          sequenceNumber: r.SequenceNumber!,
          partitionKey: entries[j].PartitionKey,
          data: Buffer.from(entries[j].Data).toString('base64'),
        });
      });
    };
    const single = async (i: number) => {
      const data = dataFor(1000 + i);
      const res = await kinesis.send(
        new PutRecordCommand({ StreamName: 'events', Data: data, PartitionKey: `single-${i}` }),
      );
      acked.push({
        shardId: res.ShardId!,
        sequenceNumber: res.SequenceNumber!,
        partitionKey: `single-${i}`,
        data: Buffer.from(data).toString('base64'),
      });
    };
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    await Promise.all([...range(0, 4).map(batch), ...range(0, 10).map(single)]);
    const middle = ((1n << 128n) / 6n).toString();
    await kinesis.send(
      new SplitShardCommand({
        StreamName: 'events',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: middle,
      }),
    );
    await Promise.all([...range(4, 8).map(batch), ...range(10, 20).map(single)]);
    const { Shards: shardsBefore } = await kinesis.send(new ListShardsCommand({ StreamName: 'events' }));

    // The last acknowledged put, then kill -9 at once.
    const last = await kinesis.send(
      new PutRecordCommand({
        StreamName: 'events',
        Data: Buffer.from('the very last one'),
        PartitionKey: 'last',
      }),
    );
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    kinesis.destroy();
    acked.push({
      shardId: last.ShardId!,
      sequenceNumber: last.SequenceNumber!,
      partitionKey: 'last',
      data: Buffer.from('the very last one').toString('base64'),
    });
    assert.equal(acked.length, 8 * 60 + 20 + 1);

    const second = await launch(['--data-dir', dataDir]);
    try {
      const kinesis2 = kinesisClient(second.endpoint);
      const { Shards } = await kinesis2.send(new ListShardsCommand({ StreamName: 'events' }));
      assert.deepEqual(Shards, shardsBefore);
      assert.equal(Shards?.length, 5);
      assert.deepEqual((await kinesis2.send(new ListTagsForStreamCommand({ StreamName: 'events' }))).Tags, [
        { Key: 'app', Value: 'kill' },
      ]);
      const summary = await kinesis2.send(new DescribeStreamSummaryCommand({ StreamName: 'events' }));
      assert.equal(summary.StreamDescriptionSummary?.OpenShardCount, 4);

      // Every acknowledged record is there, once, in its shard, under its sequence number.
      const read: Acked[] = [];
      for (const shard of Shards!) read.push(...(await readShard(kinesis2, 'events', shard.ShardId!)));
      const key = (r: Acked) => `${r.shardId} ${r.sequenceNumber}`;
      const sort = (list: Acked[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
      assert.deepEqual(sort(read), sort(acked));

      // New records keep rising within their shard.
      const next = await kinesis2.send(
        new PutRecordCommand({ StreamName: 'events', Data: Buffer.from('after'), PartitionKey: 'last' }),
      );
      assert.equal(next.ShardId, last.ShardId);
      assert.ok(BigInt(next.SequenceNumber!) > BigInt(last.SequenceNumber!));
      kinesis2.destroy();
    } finally {
      assert.equal((await stopCli(second)).code, 0);
    }
  });

  // Kinesis API Reference, GetShardIterator: "A shard iterator expires 5 minutes after it is
  // returned to the requester", not when the service behind it restarts. A restart within one
  // process keeps the signing key in memory, so this takes two processes.
  it('reads with iterators handed out before the process died', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-kinesis-iter-'));
    tmpDirs.push(dataDir);
    const first = await launch(['--data-dir', dataDir]);
    const kinesis = kinesisClient(first.endpoint);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'iter', ShardCount: 1 }));
    await kinesis.send(
      new PutRecordCommand({ StreamName: 'iter', Data: Buffer.from('one'), PartitionKey: 'k' }),
    );
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'iter',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    first.child.kill('SIGKILL');
    await first.exited;
    kinesis.destroy();
    const second = await launch(['--data-dir', dataDir]);
    try {
      const kinesis2 = kinesisClient(second.endpoint);
      const got = await kinesis2.send(new GetRecordsCommand({ ShardIterator }));
      assert.deepEqual(
        got.Records?.map((r) => Buffer.from(r.Data!).toString()),
        ['one'],
      );
      kinesis2.destroy();
    } finally {
      await stopCli(second);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  type ShardFilter,
  SplitShardCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { withKinesisServer } from '../support/kinesis.js';
import { advance, errorOf, type RunningTideway, uniqueName } from '../support/tideway.js';

// Kinesis guide, "Resharding a stream": a split or merge closes its parents; their records stay
// readable, and a reader that reaches a parent's end is told its children (ChildShards).
describe('Kinesis resharding', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer((s, k) => {
    server = s;
    kinesis = k;
  });

  it('splits a shard, keeps the parent readable to its end, then points at its children', async () => {
    const name = uniqueName('split');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await kinesis.send(
      new PutRecordCommand({ StreamName: name, Data: new Uint8Array([1]), PartitionKey: 'before' }),
    );
    const middle = (1n << 127n).toString();
    await kinesis.send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: middle,
      }),
    );
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
    assert.deepEqual(
      Shards?.map((s) => [
        s.ShardId,
        s.ParentShardId,
        s.HashKeyRange?.StartingHashKey,
        s.SequenceNumberRange?.EndingSequenceNumber !== undefined,
      ]),
      [
        ['shardId-000000000000', undefined, '0', true],
        ['shardId-000000000001', 'shardId-000000000000', '0', false],
        ['shardId-000000000002', 'shardId-000000000000', middle, false],
      ],
    );
    const after = await kinesis.send(
      new PutRecordCommand({
        StreamName: name,
        Data: new Uint8Array([2]),
        PartitionKey: 'k',
        ExplicitHashKey: middle,
      }),
    );
    assert.equal(after.ShardId, 'shardId-000000000002');
    assert.ok(BigInt(after.SequenceNumber!) > BigInt(Shards![0].SequenceNumberRange!.EndingSequenceNumber!));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const parent = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    assert.equal(parent.Records?.length, 1);
    assert.equal(parent.NextShardIterator, undefined);
    assert.deepEqual(
      parent.ChildShards?.map((c) => [c.ShardId, c.ParentShards]),
      [
        ['shardId-000000000001', ['shardId-000000000000']],
        ['shardId-000000000002', ['shardId-000000000000']],
      ],
    );
    const again = await errorOf(() =>
      kinesis.send(
        new SplitShardCommand({
          StreamName: name,
          ShardToSplit: 'shardId-000000000000',
          NewStartingHashKey: middle,
        }),
      ),
    );
    assert.equal(again.name, 'InvalidArgumentException');
  });

  // Kinesis API Reference, ShardFilter: AT_ filters list the shards open at one moment, FROM_ filters
  // every shard open at or after it.
  it('filters ListShards by the moment shards were open', async () => {
    const name = uniqueName('filter');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const created = server.clock.now();
    await advance(server, 10);
    await kinesis.send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: '1000',
      }),
    );
    const split = server.clock.now();
    await advance(server, 10);
    const ids = async (ShardFilter: ShardFilter) =>
      (await kinesis.send(new ListShardsCommand({ StreamName: name, ShardFilter }))).Shards?.map(
        (s) => s.ShardId,
      );
    const parent = ['shardId-000000000000'];
    const children = ['shardId-000000000001', 'shardId-000000000002'];
    assert.deepEqual(await ids({ Type: 'AT_TIMESTAMP', Timestamp: new Date(created + 5000) }), parent);
    assert.deepEqual(await ids({ Type: 'AT_TIMESTAMP', Timestamp: new Date(split + 5000) }), children);
    assert.deepEqual(await ids({ Type: 'FROM_TIMESTAMP', Timestamp: new Date(created + 5000) }), [
      ...parent,
      ...children,
    ]);
    assert.deepEqual(await ids({ Type: 'AT_TRIM_HORIZON' }), parent);
    assert.deepEqual(await ids({ Type: 'FROM_TRIM_HORIZON' }), [...parent, ...children]);
    assert.deepEqual(await ids({ Type: 'AT_LATEST' }), children);
    // Once the parent's day of retention has passed, the trim horizon starts at the children.
    await advance(server, 24 * 3600);
    assert.deepEqual(await ids({ Type: 'AT_TRIM_HORIZON' }), children);
    assert.deepEqual(await ids({ Type: 'FROM_TRIM_HORIZON' }), children);
  });

  it('merges adjacent shards only', async () => {
    const name = uniqueName('merge');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 3 }));
    const apart = await errorOf(() =>
      kinesis.send(
        new MergeShardsCommand({
          StreamName: name,
          ShardToMerge: 'shardId-000000000000',
          AdjacentShardToMerge: 'shardId-000000000002',
        }),
      ),
    );
    assert.equal(apart.name, 'InvalidArgumentException');
    await kinesis.send(
      new MergeShardsCommand({
        StreamName: name,
        ShardToMerge: 'shardId-000000000000',
        AdjacentShardToMerge: 'shardId-000000000001',
      }),
    );
    const { Shards } = await kinesis.send(
      new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }),
    );
    const merged = Shards?.find((s) => s.ShardId === 'shardId-000000000003');
    assert.equal(merged?.ParentShardId, 'shardId-000000000000');
    assert.equal(merged?.AdjacentParentShardId, 'shardId-000000000001');
    assert.equal(merged?.HashKeyRange?.StartingHashKey, '0');
    assert.equal(Shards?.length, 2);
  });

  // Kinesis API Reference, UpdateShardCount: UNIFORM_SCALING, between half and double the open shards.
  it('scales the shard count uniformly within half and double', async () => {
    const name = uniqueName('scale');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    const out = await kinesis.send(
      new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }),
    );
    assert.equal(out.CurrentShardCount, 2);
    assert.equal(out.TargetShardCount, 4);
    const { Shards } = await kinesis.send(
      new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }),
    );
    assert.equal(Shards?.length, 4);
    assert.ok(Shards?.every((s) => s.ParentShardId));
    const tooFar = await errorOf(() =>
      kinesis.send(
        new UpdateShardCountCommand({
          StreamName: name,
          TargetShardCount: 9,
          ScalingType: 'UNIFORM_SCALING',
        }),
      ),
    );
    assert.equal(tooFar.name, 'InvalidArgumentException');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RemoveTagsFromStreamCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { withKinesisServer } from '../support/kinesis.js';
import { advance, errorOf, type RunningTideway, uniqueName } from '../support/tideway.js';

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

// The default client: since 2024 it speaks HTTP/2 to every endpoint, cleartext (h2c) on http://.
describe('Kinesis streams and records (default client, h2c)', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer((s, k) => {
    server = s;
    kinesis = k;
  });

  // Kinesis API Reference, CreateStream / DescribeStream: shards split the 128-bit hash-key space evenly.
  it('creates provisioned and on-demand streams with evenly split shards', async () => {
    const name = uniqueName('s');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 5, minDelay: 0.1 } as never, {
      StreamName: name,
    });
    const { StreamDescription: d } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    assert.equal(d?.StreamStatus, 'ACTIVE');
    assert.equal(d?.StreamARN, `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`);
    assert.equal(d?.RetentionPeriodHours, 24);
    assert.deepEqual(d?.StreamModeDetails, { StreamMode: 'PROVISIONED' });
    assert.deepEqual(
      d?.Shards?.map((s) => [s.ShardId, s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey]),
      [
        ['shardId-000000000000', '0', '170141183460469231731687303715884105727'],
        [
          'shardId-000000000001',
          '170141183460469231731687303715884105728',
          '340282366920938463463374607431768211455',
        ],
      ],
    );
    const onDemand = uniqueName('od');
    await kinesis.send(new CreateStreamCommand({ StreamName: onDemand }));
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: onDemand }));
    assert.equal(summary.StreamDescriptionSummary?.StreamModeDetails?.StreamMode, 'ON_DEMAND');
    assert.equal(summary.StreamDescriptionSummary?.OpenShardCount, 4);
    const again = await errorOf(() =>
      kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 })),
    );
    assert.equal(again.name, 'ResourceInUseException');
    assert.equal(again.message, `Stream ${name} under account 000000000000 already exists.`);
    const { StreamNames } = await kinesis.send(new ListStreamsCommand({}));
    assert.ok(StreamNames?.includes(name) && StreamNames.includes(onDemand));
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamARN: d?.StreamARN }));
    assert.equal(Shards?.length, 2);
    await kinesis.send(new DeleteStreamCommand({ StreamName: onDemand }));
    const gone = await errorOf(() =>
      kinesis.send(new DescribeStreamSummaryCommand({ StreamName: onDemand })),
    );
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal(gone.message, `Stream ${onDemand} under account 000000000000 not found.`);
  });

  // Kinesis API Reference, PutRecord / PutRecords / GetShardIterator / GetRecords.
  it('routes records by partition key and explicit hash key, with 56-digit rising sequence numbers', async () => {
    const name = uniqueName('r');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    const low = await kinesis.send(
      new PutRecordCommand({ StreamName: name, Data: text('low'), PartitionKey: 'k', ExplicitHashKey: '5' }),
    );
    assert.equal(low.ShardId, 'shardId-000000000000');
    assert.match(low.SequenceNumber!, /^\d{56}$/);
    const high = await kinesis.send(
      new PutRecordCommand({
        StreamName: name,
        Data: text('high'),
        PartitionKey: 'k',
        ExplicitHashKey: '340282366920938463463374607431768211455',
      }),
    );
    assert.equal(high.ShardId, 'shardId-000000000001');
    const batch = await kinesis.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: Array.from({ length: 20 }, (_, i) => ({ Data: text(`r${i}`), PartitionKey: `p${i}` })),
      }),
    );
    assert.equal(batch.FailedRecordCount, 0);
    assert.equal(batch.Records?.length, 20);
    // Every record of one shard, in order, twice with the same iterator (iterators are stateless).
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const first = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    const second = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(
      first.Records?.map((r) => r.SequenceNumber),
      second.Records?.map((r) => r.SequenceNumber),
    );
    const inShard0 = [
      low.SequenceNumber,
      ...batch.Records!.filter((r) => r.ShardId === 'shardId-000000000000').map((r) => r.SequenceNumber),
    ];
    assert.deepEqual(
      first.Records?.map((r) => r.SequenceNumber),
      inShard0,
    );
    const seqs = first.Records!.map((r) => BigInt(r.SequenceNumber!));
    assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]));
    assert.equal(decode(first.Records?.[0].Data), 'low');
    assert.ok(first.Records?.[0].ApproximateArrivalTimestamp instanceof Date);
    assert.equal(first.MillisBehindLatest, 0);
    // Caught up: the next iterator returns nothing until a new record arrives.
    const empty = await kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    assert.deepEqual(empty.Records, []);
    await kinesis.send(
      new PutRecordCommand({
        StreamName: name,
        Data: text('later'),
        PartitionKey: 'k',
        ExplicitHashKey: '7',
      }),
    );
    const later = await kinesis.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator }));
    assert.deepEqual(
      later.Records?.map((r) => decode(r.Data)),
      ['later'],
    );
  });

  it('starts iterators at and after sequence numbers, at the latest record and at timestamps', async () => {
    const name = uniqueName('i');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const put = async (d: string) =>
      (await kinesis.send(new PutRecordCommand({ StreamName: name, Data: text(d), PartitionKey: 'k' })))
        .SequenceNumber!;
    const a = await put('a');
    const b = await put('b');
    await advance(server, 10);
    const midpoint = new Date(server.clock.now());
    await advance(server, 10);
    await put('c');
    const read = async (input: Partial<ConstructorParameters<typeof GetShardIteratorCommand>[0]>) => {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: name,
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'LATEST',
          ...input,
        }),
      );
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      return Records?.map((r) => decode(r.Data));
    };
    assert.deepEqual(await read({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: b }), [
      'b',
      'c',
    ]);
    assert.deepEqual(await read({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: a }), [
      'b',
      'c',
    ]);
    assert.deepEqual(await read({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: midpoint }), ['c']);
    assert.deepEqual(await read({ ShardIteratorType: 'LATEST' }), []);
  });

  it('expires iterators after five minutes and refuses forged ones', async () => {
    const name = uniqueName('x');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const forged = await errorOf(() =>
      kinesis.send(new GetRecordsCommand({ ShardIterator: `${ShardIterator}x` })),
    );
    assert.equal(forged.name, 'InvalidArgumentException');
    await advance(server, 301);
    const expired = await errorOf(() => kinesis.send(new GetRecordsCommand({ ShardIterator })));
    assert.equal(expired.name, 'ExpiredIteratorException');
    const noShard = await errorOf(() =>
      kinesis.send(
        new GetShardIteratorCommand({
          StreamName: name,
          ShardId: 'shardId-000000000009',
          ShardIteratorType: 'LATEST',
        }),
      ),
    );
    assert.equal(noShard.name, 'ResourceNotFoundException');
  });

  // An iterator names one stream: one deleted and created again under its name is another.
  it('refuses an iterator of a stream since deleted and created again', async () => {
    const name = uniqueName('again');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 3 }));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000002',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    await advance(server, 1);
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const stale = await errorOf(() => kinesis.send(new GetRecordsCommand({ ShardIterator })));
    assert.equal(stale.name, 'InvalidArgumentException');
    assert.equal(stale.$metadata.httpStatusCode, 400);
  });

  it('tags streams', async () => {
    const name = uniqueName('t');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: { team: 'a' } }));
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { env: 'dev' } }));
    await kinesis.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ['team'] }));
    const { Tags, HasMoreTags } = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }));
    assert.deepEqual(Tags, [{ Key: 'env', Value: 'dev' }]);
    assert.equal(HasMoreTags, false);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  type KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
  StartStreamEncryptionCommand,
  UpdateShardCountCommand,
  UpdateStreamModeCommand,
  waitUntilStreamExists,
  waitUntilStreamNotExists,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, withKinesisServer } from '../support/kinesis.js';
import { runCli, startCli, stopCli } from '../support/server.js';
import { errorOf, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

// Kinesis API Reference, StreamDescription: StreamStatus is CREATING ("Kinesis Data Streams
// immediately returns and sets StreamStatus to CREATING"), DELETING (until the deletion completes),
// ACTIVE, or UPDATING ("Read and write operations continue to work while the stream is in the
// UPDATING state"). SplitShard, MergeShards, UpdateShardCount and Start/StopStreamEncryption each
// return at once and set UPDATING until the change is done.

const ACCOUNT = '000000000000';
const MIDDLE = (1n << 127n).toString();
const data = (s: string) => new TextEncoder().encode(s);

/** What the SDK error carries: the modeled name, the HTTP status, and AWS's text. */
function assertError(err: any, name: string, message: string | RegExp): void {
  assert.equal(err.name, name, `${err.name}: ${err.message}`);
  assert.equal(err.$metadata?.httpStatusCode, 400);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
}

// AWS's ResourceInUseException text for a stream in the wrong state, as the live service answers
// SplitShard and MergeShards on a CREATING or UPDATING stream (the API pages give no wording).
const notActive = (name: string, state: string) =>
  `Stream ${name} under account ${ACCOUNT} not ACTIVE, instead in state ${state}`;

describe('Kinesis stream status with the default delay (0)', () => {
  let _server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer((s, k) => {
    _server = s;
    kinesis = k;
  });

  // The SDK waiters poll DescribeStream at once, then sleep minDelay (10 s by default) between
  // polls: with the default delay, their first poll already sees ACTIVE, then
  // ResourceNotFoundException. One observed response each proves no second poll was needed.
  it('is ACTIVE, then gone, once the call returns: the default waiters succeed on their first poll', async () => {
    const name = uniqueName('w');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const exists = await waitUntilStreamExists({ client: kinesis, maxWaitTime: 11 }, { StreamName: name });
    assert.deepEqual(exists.observedResponses, { '200: OK': 1 });
    const put = await kinesis.send(
      new PutRecordCommand({ StreamName: name, Data: data('x'), PartitionKey: 'k' }),
    );
    assert.equal(put.ShardId, 'shardId-000000000000');
    await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    const gone = await waitUntilStreamNotExists({ client: kinesis, maxWaitTime: 11 }, { StreamName: name });
    assert.deepEqual(Object.values(gone.observedResponses ?? {}), [1]);
  });

  it('lets reshards and setting changes follow one another at once', async () => {
    const name = uniqueName('b');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await kinesis.send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: MIDDLE,
      }),
    );
    await kinesis.send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000001',
        NewStartingHashKey: '1000',
      }),
    );
    await kinesis.send(
      new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 }),
    );
    const { StreamDescription: d } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    assert.equal(d?.StreamStatus, 'ACTIVE');
    assert.equal(d?.RetentionPeriodHours, 48);
    assert.equal(d?.Shards?.filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber).length, 3);
  });
});

describe('Kinesis stream status with a delay (CREATING, UPDATING, DELETING on the clock)', () => {
  const DELAY_MS = 60_000;
  let server: RunningTideway;
  let kinesis: KinesisClient;
  before(async () => {
    // A minute on the clock: real time between two requests of a test never reaches it.
    server = await startServer({ kinesisStatusDelayMs: DELAY_MS });
    kinesis = kinesisClient(server.endpoint);
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  const describeStream = async (name: string) =>
    (await kinesis.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription!;

  async function activeStream(shards = 1): Promise<string> {
    const name = uniqueName('a');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    server.clock.advance(DELAY_MS);
    assert.equal((await describeStream(name)).StreamStatus, 'ACTIVE');
    return name;
  }

  // A stream being created has no shards yet: DescribeStream shows none, writes find no stream,
  // GetShardIterator no shard, and changes are refused (ResourceInUseException: "For successful
  // operation, the resource must be in the ACTIVE state").
  it('is CREATING until the delay has passed, with no shards to use', async () => {
    const name = uniqueName('c');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    const creating = await describeStream(name);
    assert.equal(creating.StreamStatus, 'CREATING');
    assert.deepEqual(creating.Shards, []);
    assert.equal(creating.HasMoreShards, false);
    const { StreamDescriptionSummary: summary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    assert.equal(summary?.StreamStatus, 'CREATING');
    assert.equal(summary?.OpenShardCount, 0);
    const { StreamSummaries } = await kinesis.send(new ListStreamsCommand({}));
    assert.equal(StreamSummaries?.find((s) => s.StreamName === name)?.StreamStatus, 'CREATING');

    const notFound = `Stream ${name} under account ${ACCOUNT} not found.`;
    assertError(
      await errorOf(() =>
        kinesis.send(new PutRecordCommand({ StreamName: name, Data: data('x'), PartitionKey: 'k' })),
      ),
      'ResourceNotFoundException',
      notFound,
    );
    assertError(
      await errorOf(() =>
        kinesis.send(
          new PutRecordsCommand({ StreamName: name, Records: [{ Data: data('x'), PartitionKey: 'k' }] }),
        ),
      ),
      'ResourceNotFoundException',
      notFound,
    );
    assertError(
      await errorOf(() =>
        kinesis.send(
          new GetShardIteratorCommand({
            StreamName: name,
            ShardId: 'shardId-000000000000',
            ShardIteratorType: 'LATEST',
          }),
        ),
      ),
      'ResourceNotFoundException',
      `Shard shardId-000000000000 in stream ${name} under account ${ACCOUNT} does not exist`,
    );
    for (const refused of [
      () => kinesis.send(new ListShardsCommand({ StreamName: name })),
      () =>
        kinesis.send(
          new SplitShardCommand({
            StreamName: name,
            ShardToSplit: 'shardId-000000000000',
            NewStartingHashKey: '2',
          }),
        ),
      () => kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { a: 'b' } })),
    ]) {
      assertError(await errorOf(refused), 'ResourceInUseException', notActive(name, 'CREATING'));
    }

    server.clock.advance(DELAY_MS);
    const active = await describeStream(name);
    assert.equal(active.StreamStatus, 'ACTIVE');
    assert.equal(active.Shards?.length, 2);
    const put = await kinesis.send(
      new PutRecordCommand({ StreamName: name, Data: data('x'), PartitionKey: 'k', ExplicitHashKey: '0' }),
    );
    assert.equal(put.ShardId, 'shardId-000000000000');
  });

  it('lets a waiter poll until the stream is ACTIVE', async () => {
    const name = uniqueName('wait');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const waiting = waitUntilStreamExists(
      { client: kinesis, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.1 },
      { StreamName: name },
    );
    assert.equal((await describeStream(name)).StreamStatus, 'CREATING');
    server.clock.advance(DELAY_MS);
    const { state, reason } = await waiting;
    assert.equal(state, 'SUCCESS');
    assert.equal((reason as any).StreamDescription.StreamStatus, 'ACTIVE');
  });

  // SplitShard: "Kinesis Data Streams immediately returns a response and sets the stream status
  // to UPDATING"; MergeShards: "If a stream is in the CREATING, UPDATING, or DELETING state,
  // MergeShards returns a ResourceInUseException". Until it is ACTIVE again the old shards take
  // the writes; the children appear when the split is done.
  it('is UPDATING while a split is under way: records flow, a second change is refused', async () => {
    const name = await activeStream();
    await kinesis.send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: MIDDLE,
      }),
    );
    const updating = await describeStream(name);
    assert.equal(updating.StreamStatus, 'UPDATING');
    assert.deepEqual(
      updating.Shards?.map((s) => [s.ShardId, s.SequenceNumberRange?.EndingSequenceNumber]),
      [['shardId-000000000000', undefined]],
    );
    for (const refused of [
      () =>
        kinesis.send(
          new SplitShardCommand({
            StreamName: name,
            ShardToSplit: 'shardId-000000000000',
            NewStartingHashKey: '5',
          }),
        ),
      () =>
        kinesis.send(
          new UpdateShardCountCommand({
            StreamName: name,
            TargetShardCount: 2,
            ScalingType: 'UNIFORM_SCALING',
          }),
        ),
      () =>
        kinesis.send(
          new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 }),
        ),
    ]) {
      assertError(await errorOf(refused), 'ResourceInUseException', notActive(name, 'UPDATING'));
    }
    // Reads, writes and tags go on.
    const during = await kinesis.send(
      new PutRecordCommand({
        StreamName: name,
        Data: data('during'),
        PartitionKey: 'k',
        ExplicitHashKey: MIDDLE,
      }),
    );
    assert.equal(during.ShardId, 'shardId-000000000000');
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { stage: 'split' } }));
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
    assert.equal(Shards?.length, 1);
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const read = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    assert.equal(read.Records?.length, 1);

    server.clock.advance(DELAY_MS);
    const done = await describeStream(name);
    assert.equal(done.StreamStatus, 'ACTIVE');
    assert.deepEqual(
      done.Shards?.map((s) => [
        s.ShardId,
        s.ParentShardId,
        s.SequenceNumberRange?.EndingSequenceNumber !== undefined,
      ]),
      [
        ['shardId-000000000000', undefined, true],
        ['shardId-000000000001', 'shardId-000000000000', false],
        ['shardId-000000000002', 'shardId-000000000000', false],
      ],
    );
    const after = await kinesis.send(
      new PutRecordCommand({
        StreamName: name,
        Data: data('after'),
        PartitionKey: 'k',
        ExplicitHashKey: MIDDLE,
      }),
    );
    assert.equal(after.ShardId, 'shardId-000000000002');
    const { Tags } = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }));
    assert.deepEqual(Tags, [{ Key: 'stage', Value: 'split' }]);
  });

  // StartStreamEncryption: "Once the status of the stream is ACTIVE, encryption begins for records
  // written to the stream." Retention and capacity-mode changes land the same way.
  it('applies encryption, retention and capacity mode when the stream is ACTIVE again', async () => {
    const name = await activeStream();
    await kinesis.send(
      new StartStreamEncryptionCommand({
        StreamName: name,
        EncryptionType: 'KMS',
        KeyId: 'alias/aws/kinesis',
      }),
    );
    assert.equal((await describeStream(name)).StreamStatus, 'UPDATING');
    const plain = await kinesis.send(
      new PutRecordCommand({ StreamName: name, Data: data('x'), PartitionKey: 'k' }),
    );
    assert.equal(plain.EncryptionType, 'NONE');
    server.clock.advance(DELAY_MS);
    const encrypted = await kinesis.send(
      new PutRecordCommand({ StreamName: name, Data: data('x'), PartitionKey: 'k' }),
    );
    assert.equal(encrypted.EncryptionType, 'KMS');

    await kinesis.send(
      new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 72 }),
    );
    const retaining = await describeStream(name);
    assert.deepEqual([retaining.StreamStatus, retaining.RetentionPeriodHours], ['UPDATING', 24]);
    server.clock.advance(DELAY_MS);
    const retained = await describeStream(name);
    assert.deepEqual([retained.StreamStatus, retained.RetentionPeriodHours], ['ACTIVE', 72]);

    await kinesis.send(
      new UpdateStreamModeCommand({
        StreamARN: retained.StreamARN,
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      }),
    );
    const switching = await describeStream(name);
    assert.deepEqual(
      [switching.StreamStatus, switching.StreamModeDetails?.StreamMode],
      ['UPDATING', 'PROVISIONED'],
    );
    server.clock.advance(DELAY_MS);
    const switched = await describeStream(name);
    assert.deepEqual(
      [switched.StreamStatus, switched.StreamModeDetails?.StreamMode],
      ['ACTIVE', 'ON_DEMAND'],
    );
  });

  // DeleteStream: "the specified stream is in the DELETING state until Kinesis Data Streams
  // completes the deletion", and it "might continue to accept data read and write operations";
  // then ResourceNotFoundException.
  it('is DELETING until the delay has passed, then not found', async () => {
    const name = await activeStream();
    await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    const deleting = await describeStream(name);
    assert.equal(deleting.StreamStatus, 'DELETING');
    assert.equal(deleting.Shards?.length, 1);
    const { StreamSummaries } = await kinesis.send(new ListStreamsCommand({}));
    assert.equal(StreamSummaries?.find((s) => s.StreamName === name)?.StreamStatus, 'DELETING');
    await kinesis.send(new PutRecordCommand({ StreamName: name, Data: data('late'), PartitionKey: 'k' }));
    assertError(
      await errorOf(() => kinesis.send(new DeleteStreamCommand({ StreamName: name }))),
      'ResourceInUseException',
      notActive(name, 'DELETING'),
    );
    assertError(
      await errorOf(() => kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))),
      'ResourceInUseException',
      `Stream ${name} under account ${ACCOUNT} already exists.`,
    );

    server.clock.advance(DELAY_MS);
    const gone = await waitUntilStreamNotExists({ client: kinesis, maxWaitTime: 11 }, { StreamName: name });
    assert.equal(gone.state, 'SUCCESS');
    assertError(
      await errorOf(() => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))),
      'ResourceNotFoundException',
      `Stream ${name} under account ${ACCOUNT} not found.`,
    );
    // The name is free again.
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    assert.equal((await describeStream(name)).StreamStatus, 'CREATING');
  });

  // AWS lets a stream be deleted while it is still being created; it never shows shards.
  it('deletes a stream still CREATING, and drops a split still under way', async () => {
    const creating = uniqueName('dc');
    await kinesis.send(new CreateStreamCommand({ StreamName: creating, ShardCount: 1 }));
    await kinesis.send(new DeleteStreamCommand({ StreamName: creating }));
    const deleting = await describeStream(creating);
    assert.deepEqual([deleting.StreamStatus, deleting.Shards], ['DELETING', []]);

    const splitting = await activeStream();
    await kinesis.send(
      new SplitShardCommand({
        StreamName: splitting,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: MIDDLE,
      }),
    );
    await kinesis.send(new DeleteStreamCommand({ StreamName: splitting }));
    assert.equal((await describeStream(splitting)).StreamStatus, 'DELETING');

    server.clock.advance(DELAY_MS);
    for (const name of [creating, splitting]) {
      const err = await errorOf(() => kinesis.send(new DescribeStreamCommand({ StreamName: name })));
      assert.equal(err.name, 'ResourceNotFoundException');
    }
  });

  // The admin reset forgets changes under way: a deletion pending before it must not take a new
  // stream of the same name.
  it('forgets status changes under way on reset', async () => {
    const name = await activeStream();
    await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    const reset = await fetch(`${server.endpoint}/_tideway/reset`, { method: 'POST' });
    assert.equal(reset.status, 200);
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    server.clock.advance(DELAY_MS);
    assert.equal((await describeStream(name)).StreamStatus, 'ACTIVE');
  });

  it('refuses a delay that is not a number of milliseconds', async () => {
    await assert.rejects(startServer({ kinesisStatusDelayMs: -1 }), RangeError);
    await assert.rejects(startServer({ kinesisStatusDelayMs: Number.NaN }), RangeError);
  });
});

describe('--kinesis-status-delay', () => {
  it('is in --help, refuses a bad value, and sets the delay (flag or TIDEWAY_KINESIS_STATUS_DELAY)', async () => {
    const help = await runCli(['--help']);
    assert.ok(help.stdout.includes('--kinesis-status-delay'));
    assert.ok(help.stdout.includes('TIDEWAY_KINESIS_STATUS_DELAY'));
    const bad = await runCli(['--kinesis-status-delay', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--kinesis-status-delay/);

    for (const [args, env] of [
      [['--kinesis-status-delay', '60000'], {}],
      [[], { TIDEWAY_KINESIS_STATUS_DELAY: '60000' }],
    ] as const) {
      const cli = await startCli(['--port', '0', '--log-level', 'warn', ...args], { env });
      const client = kinesisClient(cli.endpoint);
      try {
        const name = uniqueName('cli');
        await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
        const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: name }));
        assert.equal(StreamDescription?.StreamStatus, 'CREATING');
      } finally {
        client.destroy();
        await stopCli(cli);
      }
    }
  });
});

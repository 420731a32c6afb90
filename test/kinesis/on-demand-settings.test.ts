// Warm throughput and the record distribution strategy of on-demand streams.
//
// Sources (AWS docs):
// - Kinesis API Reference, UpdateStreamWarmThroughput: on-demand streams only, "in accounts that have
//   MinimumThroughputBillingCommitment enabled"; "Scale to more than 10 GiBps" is refused;
//   WarmThroughputMiBps has a minimum of 0; the answer is StreamARN, StreamName and WarmThroughput.
// - Kinesis API Reference, WarmThroughputObject: "only present for On-Demand Kinesis Data Streams in
//   accounts that have MinimumThroughputBillingCommitment enabled".
// - Kinesis API Reference, UpdateStreamRecordDistributionStrategy: AUTO or USER_PARTITION_KEY (the
//   default); AUTO "distributes records evenly across shards ... and ignores any partition key and
//   ExplicitHashKey"; "Attempting to set AUTO on a provisioned stream results in an
//   InvalidArgumentException". PutRecord: with AUTO "the partition key is optional".
// - Kinesis API Reference, StreamDescriptionSummary: RecordDistributionStrategy "is only present for
//   streams that use the on-demand capacity mode"; MaxRecordSizeInKiB; WarmThroughput.
// - Kinesis API Reference, CreateStream and UpdateStreamMode: WarmThroughputMiBps (UpdateStreamMode:
//   "only valid when the stream mode is being updated to on-demand"), RecordDistributionStrategy.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  UpdateAccountSettingsCommand,
  UpdateStreamModeCommand,
  UpdateStreamRecordDistributionStrategyCommand,
  UpdateStreamWarmThroughputCommand,
} from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../support/kinesis.js';
import { advance, errorOf, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('Kinesis on-demand stream settings', () => {
  let server: RunningTideway;
  const clients: KinesisClient[] = [];
  let accounts = 0;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  /** A client for an account of its own, optionally under the throughput commitment. */
  async function account(committed: boolean): Promise<KinesisClient> {
    accounts++;
    const client = kinesisClient(server.endpoint, String(333300000000 + accounts));
    clients.push(client);
    if (committed) {
      await client.send(
        new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }),
      );
    }
    return client;
  }

  async function onDemand(client: KinesisClient): Promise<{ name: string; arn: string }> {
    const name = uniqueName('od');
    await client.send(new CreateStreamCommand({ StreamName: name }));
    const { StreamDescriptionSummary } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    return { name, arn: StreamDescriptionSummary!.StreamARN! };
  }

  const summary = async (client: KinesisClient, StreamName: string) =>
    (await client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!;

  it('warms an on-demand stream of a committed account', async () => {
    const client = await account(true);
    const { name, arn } = await onDemand(client);
    const before = await summary(client, name);
    assert.deepEqual(before.WarmThroughput, { TargetMiBps: 0, CurrentMiBps: 0 });
    assert.equal(before.RecordDistributionStrategy, 'USER_PARTITION_KEY');
    assert.equal(before.MaxRecordSizeInKiB, 1024);
    const out = await client.send(
      new UpdateStreamWarmThroughputCommand({ StreamARN: arn, WarmThroughputMiBps: 200 }),
    );
    assert.equal(out.StreamARN, arn);
    assert.equal(out.StreamName, name);
    assert.deepEqual(out.WarmThroughput, { TargetMiBps: 200, CurrentMiBps: 200 });
    assert.deepEqual((await summary(client, name)).WarmThroughput, { TargetMiBps: 200, CurrentMiBps: 200 });
  });

  it('refuses warm throughput where AWS does', async () => {
    const uncommitted = await account(false);
    const plain = await onDemand(uncommitted);
    const noCommitment = await errorOf(() =>
      uncommitted.send(
        new UpdateStreamWarmThroughputCommand({ StreamName: plain.name, WarmThroughputMiBps: 10 }),
      ),
    );
    assert.equal(noCommitment.name, 'InvalidArgumentException');
    assert.match(noCommitment.message, /MinimumThroughputBillingCommitment/);
    // Without the commitment an on-demand stream has no WarmThroughput at all.
    assert.equal((await summary(uncommitted, plain.name)).WarmThroughput, undefined);

    const client = await account(true);
    const provisioned = uniqueName('prov');
    await client.send(new CreateStreamCommand({ StreamName: provisioned, ShardCount: 1 }));
    const notOnDemand = await errorOf(() =>
      client.send(
        new UpdateStreamWarmThroughputCommand({ StreamName: provisioned, WarmThroughputMiBps: 10 }),
      ),
    );
    assert.equal(notOnDemand.name, 'InvalidArgumentException');
    const prov = await summary(client, provisioned);
    assert.equal(prov.WarmThroughput, undefined);
    assert.equal(prov.RecordDistributionStrategy, undefined);

    const { name } = await onDemand(client);
    const tooMuch = await errorOf(() =>
      client.send(new UpdateStreamWarmThroughputCommand({ StreamName: name, WarmThroughputMiBps: 10241 })),
    );
    assert.equal(tooMuch.name, 'LimitExceededException');
    await client.send(
      new UpdateStreamWarmThroughputCommand({ StreamName: name, WarmThroughputMiBps: 10240 }),
    );
    const negative = await errorOf(() =>
      client.send(new UpdateStreamWarmThroughputCommand({ StreamName: name, WarmThroughputMiBps: -1 })),
    );
    assert.equal(negative.name, 'ValidationException');
    assert.equal(
      negative.message,
      "1 validation error detected: Value '-1' at 'warmThroughputMiBps' failed to satisfy constraint: Member must have value greater than or equal to 0",
    );
    const missing = await errorOf(() =>
      client.send(
        new UpdateStreamWarmThroughputCommand({ StreamName: uniqueName('none'), WarmThroughputMiBps: 1 }),
      ),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('takes warm throughput and the strategy at creation and on a switch to on-demand', async () => {
    const client = await account(true);
    const name = uniqueName('created');
    await client.send(
      new CreateStreamCommand({
        StreamName: name,
        WarmThroughputMiBps: 50,
        RecordDistributionStrategy: 'AUTO',
      }),
    );
    const created = await summary(client, name);
    assert.deepEqual(created.WarmThroughput, { TargetMiBps: 50, CurrentMiBps: 50 });
    assert.equal(created.RecordDistributionStrategy, 'AUTO');
    const provisioned = await errorOf(() =>
      client.send(
        new CreateStreamCommand({ StreamName: uniqueName('p'), ShardCount: 1, WarmThroughputMiBps: 5 }),
      ),
    );
    assert.equal(provisioned.name, 'InvalidArgumentException');

    const switching = uniqueName('switch');
    await client.send(new CreateStreamCommand({ StreamName: switching, ShardCount: 2 }));
    const arn = (await summary(client, switching)).StreamARN!;
    const wrongWay = await errorOf(() =>
      client.send(
        new UpdateStreamModeCommand({
          StreamARN: arn,
          StreamModeDetails: { StreamMode: 'PROVISIONED' },
          WarmThroughputMiBps: 5,
        }),
      ),
    );
    assert.equal(wrongWay.name, 'InvalidArgumentException');
    await client.send(
      new UpdateStreamModeCommand({
        StreamARN: arn,
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        WarmThroughputMiBps: 30,
      }),
    );
    const switched = await summary(client, switching);
    assert.equal(switched.StreamModeDetails?.StreamMode, 'ON_DEMAND');
    assert.deepEqual(switched.WarmThroughput, { TargetMiBps: 30, CurrentMiBps: 30 });
  });

  it('spreads the records of an AUTO stream evenly over its shards', async () => {
    const client = await account(false);
    const { name, arn } = await onDemand(client);
    const bad = await errorOf(() =>
      client.send(
        new UpdateStreamRecordDistributionStrategyCommand({
          StreamARN: arn,
          RecordDistributionStrategy: 'RANDOM' as 'AUTO',
        }),
      ),
    );
    assert.equal(bad.name, 'ValidationException');
    assert.equal(
      bad.message,
      "1 validation error detected: Value 'RANDOM' at 'recordDistributionStrategy' failed to satisfy constraint: Member must satisfy enum value set: [AUTO, USER_PARTITION_KEY]",
    );
    // One partition key: every record lands on one shard...
    const sameKey = {
      Records: Array.from({ length: 8 }, (_, i) => ({ Data: text(`r${i}`), PartitionKey: 'same' })),
    };
    const keyed = await client.send(new PutRecordsCommand({ StreamName: name, ...sameKey }));
    assert.equal(new Set(keyed.Records?.map((r) => r.ShardId)).size, 1);
    // ... until the stream distributes records itself, ignoring keys.
    await client.send(
      new UpdateStreamRecordDistributionStrategyCommand({
        StreamARN: arn,
        RecordDistributionStrategy: 'AUTO',
      }),
    );
    assert.equal((await summary(client, name)).RecordDistributionStrategy, 'AUTO');
    const spread = await client.send(new PutRecordsCommand({ StreamName: name, ...sameKey }));
    const perShard = new Map<string, number>();
    for (const r of spread.Records ?? []) perShard.set(r.ShardId!, (perShard.get(r.ShardId!) ?? 0) + 1);
    assert.deepEqual([...perShard.values()], [2, 2, 2, 2]);
    // The partition key is optional there, and an ExplicitHashKey is ignored too.
    const keyless = await client.send(new PutRecordCommand({ StreamARN: arn, Data: text('no key') }));
    assert.ok(keyless.SequenceNumber);
    const hashed = await client.send(
      new PutRecordCommand({ StreamARN: arn, Data: text('h'), PartitionKey: 'k', ExplicitHashKey: '0' }),
    );
    const next = await client.send(
      new PutRecordCommand({ StreamARN: arn, Data: text('h'), PartitionKey: 'k', ExplicitHashKey: '0' }),
    );
    assert.notEqual(hashed.ShardId, next.ShardId);

    await client.send(
      new UpdateStreamRecordDistributionStrategyCommand({
        StreamARN: arn,
        RecordDistributionStrategy: 'USER_PARTITION_KEY',
      }),
    );
    const required = await errorOf(() =>
      client.send(new PutRecordCommand({ StreamARN: arn, Data: text('x') })),
    );
    assert.equal(required.name, 'ValidationException');
  });

  it('refuses AUTO on a provisioned stream', async () => {
    const client = await account(false);
    const name = uniqueName('prov');
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    const arn = (await summary(client, name)).StreamARN!;
    const err = await errorOf(() =>
      client.send(
        new UpdateStreamRecordDistributionStrategyCommand({
          StreamARN: arn,
          RecordDistributionStrategy: 'AUTO',
        }),
      ),
    );
    assert.equal(err.name, 'InvalidArgumentException');
    await client.send(
      new UpdateStreamRecordDistributionStrategyCommand({
        StreamARN: arn,
        RecordDistributionStrategy: 'USER_PARTITION_KEY',
      }),
    );
    const atCreation = await errorOf(() =>
      client.send(
        new CreateStreamCommand({
          StreamName: uniqueName('p'),
          ShardCount: 1,
          RecordDistributionStrategy: 'AUTO',
        }),
      ),
    );
    assert.equal(atCreation.name, 'InvalidArgumentException');
  });
});

// UpdateStreamMode puts the stream in UPDATING; the switch, and what it does to the on-demand
// settings, lands when it is ACTIVE again.
describe('Kinesis on-demand settings across a delayed mode switch', () => {
  let server: RunningTideway;
  let client: KinesisClient;
  before(async () => {
    server = await startServer({ kinesisStatusDelayMs: 10_000 });
    client = kinesisClient(server.endpoint, '333399999999');
    await client.send(
      new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }),
    );
  });
  after(async () => {
    client.destroy();
    await server.stop();
  });

  it('keeps warm throughput and AUTO while UPDATING, and drops them once PROVISIONED', async () => {
    const name = uniqueName('switch');
    await client.send(
      new CreateStreamCommand({
        StreamName: name,
        WarmThroughputMiBps: 20,
        RecordDistributionStrategy: 'AUTO',
      }),
    );
    await advance(server, 10);
    const { StreamDescriptionSummary: before } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    assert.equal(before?.RecordDistributionStrategy, 'AUTO');
    await client.send(
      new UpdateStreamModeCommand({
        StreamARN: before!.StreamARN,
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
      }),
    );
    const during = (await client.send(new DescribeStreamSummaryCommand({ StreamName: name })))
      .StreamDescriptionSummary!;
    assert.equal(during.StreamStatus, 'UPDATING');
    assert.equal(during.RecordDistributionStrategy, 'AUTO');
    assert.deepEqual(during.WarmThroughput, { TargetMiBps: 20, CurrentMiBps: 20 });
    // Records still go round the shards while the switch is under way.
    const { Records } = await client.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: Array.from({ length: 4 }, () => ({ Data: text('x'), PartitionKey: 'same' })),
      }),
    );
    assert.equal(new Set(Records?.map((r) => r.ShardId)).size, 4);
    await advance(server, 10);
    const afterSwitch = (await client.send(new DescribeStreamSummaryCommand({ StreamName: name })))
      .StreamDescriptionSummary!;
    assert.equal(afterSwitch.StreamStatus, 'ACTIVE');
    assert.equal(afterSwitch.StreamModeDetails?.StreamMode, 'PROVISIONED');
    assert.equal(afterSwitch.RecordDistributionStrategy, undefined);
    assert.equal(afterSwitch.WarmThroughput, undefined);
  });
});

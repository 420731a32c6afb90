import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DescribeLimitsCommand,
  DescribeStreamSummaryCommand,
  DisableEnhancedMonitoringCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  type KinesisClient,
  ListTagsForResourceCommand,
  PutRecordCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateMaxRecordSizeCommand,
} from '@aws-sdk/client-kinesis';
import { withKinesisServer } from '../support/kinesis.js';
import { advance, errorOf, type RunningTideway, uniqueName } from '../support/tideway.js';

describe('Kinesis stream settings', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer((s, k) => {
    server = s;
    kinesis = k;
  });

  async function stream(shards = 1): Promise<string> {
    const name = uniqueName('k');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    return name;
  }

  // Kinesis API Reference, Increase/DecreaseStreamRetentionPeriod: 24..8760 hours, each only one way.
  it('changes retention within bounds, and records past it are gone', async () => {
    const name = await stream();
    await kinesis.send(
      new PutRecordCommand({ StreamName: name, Data: new Uint8Array([1]), PartitionKey: 'k' }),
    );
    await kinesis.send(
      new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 }),
    );
    const shorter = await errorOf(() =>
      kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 30 })),
    );
    assert.equal(shorter.name, 'InvalidArgumentException');
    assert.equal(
      shorter.message,
      `Requested retention period (30 hours) for stream ${name} can not be shorter than existing retention period (48 hours). Use DecreaseRetentionPeriod API.`,
    );
    const tooLong = await errorOf(() =>
      kinesis.send(
        new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 8761 }),
      ),
    );
    assert.equal(
      tooLong.message,
      'Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.',
    );
    const tooShort = await errorOf(() =>
      kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 23 })),
    );
    assert.equal(
      tooShort.message,
      'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.',
    );
    await kinesis.send(
      new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 24 }),
    );
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    assert.equal(summary.StreamDescriptionSummary?.RetentionPeriodHours, 24);
    await advance(server, 24 * 3600 + 1);
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(Records, []);
  });

  it('turns encryption and enhanced monitoring on and off', async () => {
    const name = await stream();
    await kinesis.send(
      new StartStreamEncryptionCommand({
        StreamName: name,
        EncryptionType: 'KMS',
        KeyId: 'alias/aws/kinesis',
      }),
    );
    const put = await kinesis.send(
      new PutRecordCommand({ StreamName: name, Data: new Uint8Array([1]), PartitionKey: 'k' }),
    );
    assert.equal(put.EncryptionType, 'KMS');
    let summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    assert.equal(summary.StreamDescriptionSummary?.EncryptionType, 'KMS');
    assert.equal(summary.StreamDescriptionSummary?.KeyId, 'alias/aws/kinesis');
    await kinesis.send(
      new StopStreamEncryptionCommand({
        StreamName: name,
        EncryptionType: 'KMS',
        KeyId: 'alias/aws/kinesis',
      }),
    );
    const on = await kinesis.send(
      new EnableEnhancedMonitoringCommand({
        StreamName: name,
        ShardLevelMetrics: ['IncomingBytes', 'OutgoingRecords'],
      }),
    );
    assert.deepEqual(on.CurrentShardLevelMetrics, []);
    assert.deepEqual(on.DesiredShardLevelMetrics, ['IncomingBytes', 'OutgoingRecords']);
    const off = await kinesis.send(
      new DisableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: ['IncomingBytes'] }),
    );
    assert.deepEqual(off.DesiredShardLevelMetrics, ['OutgoingRecords']);
    summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    assert.equal(summary.StreamDescriptionSummary?.EncryptionType, 'NONE');
    assert.deepEqual(summary.StreamDescriptionSummary?.EnhancedMonitoring, [
      { ShardLevelMetrics: ['OutgoingRecords'] },
    ]);
  });

  // Kinesis API Reference, UpdateMaxRecordSize: 1024..10240 KiB; records above it are refused.
  it('raises the maximum record size', async () => {
    const name = await stream();
    const big = new Uint8Array(1024 * 1024 + 1);
    const refused = await errorOf(() =>
      kinesis.send(new PutRecordCommand({ StreamName: name, Data: big, PartitionKey: 'k' })),
    );
    assert.equal(refused.name, 'ValidationException');
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    await kinesis.send(
      new UpdateMaxRecordSizeCommand({
        StreamARN: StreamDescriptionSummary?.StreamARN,
        MaxRecordSizeInKiB: 2048,
      }),
    );
    await kinesis.send(new PutRecordCommand({ StreamName: name, Data: big, PartitionKey: 'k' }));
    const bad = await errorOf(() =>
      kinesis.send(
        new UpdateMaxRecordSizeCommand({
          StreamARN: StreamDescriptionSummary?.StreamARN,
          MaxRecordSizeInKiB: 20000,
        }),
      ),
    );
    assert.equal(bad.name, 'ValidationException');
  });

  it('reports limits and tags resources by ARN', async () => {
    const name = await stream(3);
    const limits = await kinesis.send(new DescribeLimitsCommand({}));
    assert.equal(limits.ShardLimit, 500);
    assert.ok((limits.OpenShardCount ?? 0) >= 3);
    assert.equal(limits.OnDemandStreamCountLimit, 50);
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    const ResourceARN = StreamDescriptionSummary?.StreamARN;
    await kinesis.send(new TagResourceCommand({ ResourceARN, Tags: { a: '1', b: '2' } }));
    await kinesis.send(new UntagResourceCommand({ ResourceARN, TagKeys: ['a'] }));
    const { Tags } = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN }));
    assert.deepEqual(Tags, [{ Key: 'b', Value: '2' }]);
  });
});

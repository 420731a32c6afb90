import type { Clock } from '../../core/clock.js';
import { KINESIS_OPERATIONS, type KinesisOperationName } from '../../protocols/models/kinesis.js';
import { type Operation, operationTable, type RequestContext } from '../../protocols/service.js';
import type { StreamStorage } from '../../storage/types.js';
import { AccountSettings } from './account-settings.js';
import { isConsumerArn } from './arns.js';
import { StreamConsumers } from './consumers.js';
import { StreamDeliveries } from './deliveries.js';
import { kinesisError } from './errors.js';
import { StreamRecords } from './records.js';
import { Resharding } from './resharding.js';
import { ResourcePolicies } from './resource-policies.js';
import { KinesisService, type KinesisStreamOptions } from './service.js';
import { StreamSettings } from './stream-settings.js';
import { ShardSubscriptions } from './subscriptions.js';

/** The operations of Kinesis, built on its first request (see index.ts), and what a reset forgets. */
export function kinesisOperations(
  streams: StreamStorage,
  clock: Clock,
  options: KinesisStreamOptions,
): { operations: Record<string, Operation>; deliveries: StreamDeliveries; reset(): Promise<void> } {
  const accountSettings = new AccountSettings(streams, clock, options.commitments);
  const kinesis = new KinesisService(streams, clock, { ...options, accounts: accountSettings });
  const records = new StreamRecords(kinesis);
  const resharding = new Resharding(kinesis);
  const consumers = new StreamConsumers(
    streams,
    clock,
    (input, ctx) => kinesis.stream(input, ctx),
    () => kinesis.statusDelayMs,
    (stream) => accountSettings.committed(stream.account, stream.region),
  );
  const subscriptions = new ShardSubscriptions(
    streams,
    consumers,
    clock,
    options.scheduler,
    (stream) => kinesis.encryption.checkRead(stream),
    options.hints,
  );
  const streamSettings = new StreamSettings(streams, accountSettings, (input, ctx) =>
    kinesis.stream(input, ctx),
  );
  const policies = new ResourcePolicies(streams, clock, (input, ctx) => kinesis.stream(input, ctx));
  type Handler = (input: any, ctx: RequestContext) => unknown;
  const handlers: Partial<Record<KinesisOperationName, Handler>> = {
    AddTagsToStream: (i, c) => kinesis.addTagsToStream(i, c),
    CreateStream: (i, c) => kinesis.createStream(i, c),
    DecreaseStreamRetentionPeriod: (i, c) => kinesis.decreaseStreamRetentionPeriod(i, c),
    DeleteStream: (i, c) => kinesis.deleteStream(i, c),
    DescribeLimits: (i, c) => kinesis.describeLimits(i, c),
    DisableEnhancedMonitoring: (i, c) => kinesis.disableEnhancedMonitoring(i, c),
    EnableEnhancedMonitoring: (i, c) => kinesis.enableEnhancedMonitoring(i, c),
    IncreaseStreamRetentionPeriod: (i, c) => kinesis.increaseStreamRetentionPeriod(i, c),
    ListTagsForResource: (i, c) =>
      isConsumerArn(i.ResourceARN) ? consumers.tags(i.ResourceARN, c) : kinesis.listTagsForResource(i, c),
    StartStreamEncryption: (i, c) => kinesis.startStreamEncryption(i, c),
    StopStreamEncryption: (i, c) => kinesis.stopStreamEncryption(i, c),
    TagResource: (i, c) =>
      isConsumerArn(i.ResourceARN)
        ? consumers.tag(i.ResourceARN, i.Tags ?? {}, c)
        : kinesis.tagResource(i, c),
    UntagResource: (i, c) =>
      isConsumerArn(i.ResourceARN)
        ? consumers.untag(i.ResourceARN, i.TagKeys ?? [], c)
        : kinesis.untagResource(i, c),
    UpdateMaxRecordSize: (i, c) => kinesis.updateMaxRecordSize(i, c),
    MergeShards: (i, c) => resharding.mergeShards(i, c),
    SplitShard: (i, c) => resharding.splitShard(i, c),
    UpdateShardCount: (i, c) => resharding.updateShardCount(i, c),
    UpdateStreamMode: (i, c) => kinesis.updateStreamMode(i, c),
    DescribeStream: (i, c) => kinesis.describeStream(i, c),
    DescribeStreamSummary: (i, c) => kinesis.describeStreamSummary(i, c),
    GetRecords: (i, c) => records.getRecords(i, c),
    GetShardIterator: (i, c) => records.getShardIterator(i, c),
    ListShards: (i, c) => kinesis.listShards(i, c),
    ListStreams: (i, c) => kinesis.listStreams(i, c),
    ListTagsForStream: (i, c) => kinesis.listTagsForStream(i, c),
    PutRecord: (i, c) => records.putRecord(i, c),
    PutRecords: (i, c) => records.putRecords(i, c),
    RemoveTagsFromStream: (i, c) => kinesis.removeTagsFromStream(i, c),
    RegisterStreamConsumer: (i, c) => consumers.register(i, c),
    DescribeStreamConsumer: (i, c) => consumers.describe(i, c),
    ListStreamConsumers: (i, c) => consumers.list(i, c),
    DeregisterStreamConsumer: (i, c) => consumers.deregister(i, c),
    SubscribeToShard: (i, c) => subscriptions.subscribe(i, c),
    PutResourcePolicy: (i, c) => policies.put(i, c),
    GetResourcePolicy: (i, c) => policies.get(i, c),
    DeleteResourcePolicy: (i, c) => policies.delete(i, c),
    DescribeAccountSettings: (i, c) => accountSettings.describe(i, c),
    UpdateAccountSettings: (i, c) => accountSettings.update(i, c),
    UpdateStreamWarmThroughput: (i, c) => streamSettings.updateWarmThroughput(i, c),
    UpdateStreamRecordDistributionStrategy: (i, c) => streamSettings.updateDistribution(i, c),
  };
  const unsupported =
    (name: string): Handler =>
    () => {
      throw kinesisError.notSupported(name);
    };
  return {
    operations: operationTable(KINESIS_OPERATIONS, handlers, unsupported),
    deliveries: new StreamDeliveries(kinesis, records, options.log),
    // What lives outside the streams: statuses in passing, quotas, AUTO placement turns, account settings.
    reset: () => {
      kinesis.reset();
      records.reset();
      return accountSettings.reset();
    },
  };
}

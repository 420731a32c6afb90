import {
  blob,
  boolean,
  integer,
  list,
  long,
  map,
  type OperationShapes,
  string,
  structure,
  timestamp,
} from '../../protocols/shapes.js';

// Shapes of the Amazon Kinesis Data Streams API (2013-12-02, awsJson 1.1,
// target prefix Kinesis_20131202), after the Smithy model the official SDKs
// are generated from, as @aws-sdk/client-kinesis 3.1143.0 encodes it. Members
// are listed in the model's order. Every number in the model is an Integer
// except GetRecords' MillisBehindLatest, a Long; the model has no Double, so
// the `double` kind is not used here.
//
// SubscribeToShard's output is an event stream (a union of SubscribeToShardEvent
// and error events) that the shape DSL cannot express: its output is left
// undefined, and the event structure is exported on its own.

const stringList = list(string);
// TagMap: string to string.
const tagMap = map(string);

const streamModeDetails = structure({ StreamMode: string }, ['StreamMode']);
const hashKeyRange = structure({ StartingHashKey: string, EndingHashKey: string }, [
  'StartingHashKey',
  'EndingHashKey',
]);
const sequenceNumberRange = structure({ StartingSequenceNumber: string, EndingSequenceNumber: string }, [
  'StartingSequenceNumber',
]);
const shard = structure(
  {
    ShardId: string,
    ParentShardId: string,
    AdjacentParentShardId: string,
    HashKeyRange: hashKeyRange,
    SequenceNumberRange: sequenceNumberRange,
  },
  ['ShardId', 'HashKeyRange', 'SequenceNumberRange'],
);
const shardList = list(shard);
const enhancedMetrics = structure({ ShardLevelMetrics: stringList });
const enhancedMonitoringList = list(enhancedMetrics);
const warmThroughputObject = structure({ TargetMiBps: integer, CurrentMiBps: integer });

const tag = structure({ Key: string, Value: string }, ['Key']);
const tagList = list(tag);

const consumer = structure(
  { ConsumerName: string, ConsumerARN: string, ConsumerStatus: string, ConsumerCreationTimestamp: timestamp },
  ['ConsumerName', 'ConsumerARN', 'ConsumerStatus', 'ConsumerCreationTimestamp'],
);
const consumerDescription = structure(
  {
    ConsumerName: string,
    ConsumerARN: string,
    ConsumerStatus: string,
    ConsumerCreationTimestamp: timestamp,
    StreamARN: string,
  },
  ['ConsumerName', 'ConsumerARN', 'ConsumerStatus', 'ConsumerCreationTimestamp', 'StreamARN'],
);

// The model's Record; PartitionKey is optional in this model version.
const record = structure(
  {
    SequenceNumber: string,
    ApproximateArrivalTimestamp: timestamp,
    Data: blob,
    PartitionKey: string,
    EncryptionType: string,
  },
  ['SequenceNumber', 'Data'],
);
const recordList = list(record);
const childShard = structure({ ShardId: string, ParentShards: stringList, HashKeyRange: hashKeyRange }, [
  'ShardId',
  'ParentShards',
  'HashKeyRange',
]);
const childShardList = list(childShard);

const startingPosition = structure({ Type: string, SequenceNumber: string, Timestamp: timestamp }, ['Type']);
const shardFilter = structure({ Type: string, ShardId: string, Timestamp: timestamp }, ['Type']);

const putRecordsRequestEntry = structure({ Data: blob, ExplicitHashKey: string, PartitionKey: string }, [
  'Data',
]);
const putRecordsResultEntry = structure({
  SequenceNumber: string,
  ShardId: string,
  ErrorCode: string,
  ErrorMessage: string,
});

const streamSummary = structure(
  {
    StreamName: string,
    StreamARN: string,
    StreamStatus: string,
    StreamModeDetails: streamModeDetails,
    StreamCreationTimestamp: timestamp,
  },
  ['StreamName', 'StreamARN', 'StreamStatus'],
);

const streamDescription = structure(
  {
    StreamName: string,
    StreamARN: string,
    StreamStatus: string,
    StreamModeDetails: streamModeDetails,
    Shards: shardList,
    HasMoreShards: boolean,
    RetentionPeriodHours: integer,
    StreamCreationTimestamp: timestamp,
    EnhancedMonitoring: enhancedMonitoringList,
    EncryptionType: string,
    KeyId: string,
  },
  [
    'StreamName',
    'StreamARN',
    'StreamStatus',
    'Shards',
    'HasMoreShards',
    'RetentionPeriodHours',
    'StreamCreationTimestamp',
    'EnhancedMonitoring',
  ],
);

const streamDescriptionSummary = structure(
  {
    StreamName: string,
    StreamARN: string,
    StreamId: string,
    StreamStatus: string,
    StreamModeDetails: streamModeDetails,
    RetentionPeriodHours: integer,
    StreamCreationTimestamp: timestamp,
    EnhancedMonitoring: enhancedMonitoringList,
    EncryptionType: string,
    KeyId: string,
    OpenShardCount: integer,
    ConsumerCount: integer,
    WarmThroughput: warmThroughputObject,
    MaxRecordSizeInKiB: integer,
    ChannelCount: integer,
    RecordDistributionStrategy: string,
  },
  [
    'StreamName',
    'StreamARN',
    'StreamStatus',
    'RetentionPeriodHours',
    'StreamCreationTimestamp',
    'EnhancedMonitoring',
    'OpenShardCount',
  ],
);

const minimumThroughputBillingCommitmentOutput = structure(
  { Status: string, StartedAt: timestamp, EndedAt: timestamp, EarliestAllowedEndAt: timestamp },
  ['Status'],
);

// ----- Channels (delivery of a stream's records to Amazon S3 / S3 Tables) -----

const recordConfiguration = structure({ RecordFormatType: string, GSRSchemaARN: string }, [
  'RecordFormatType',
]);
const channelStreamConfiguration = structure(
  { StreamARN: string, RecordConfiguration: recordConfiguration },
  ['StreamARN', 'RecordConfiguration'],
);
const channelStreamDescription = structure(
  { StreamARN: string, StreamCreationTimestamp: timestamp, RecordConfiguration: recordConfiguration },
  ['StreamARN', 'StreamCreationTimestamp', 'RecordConfiguration'],
);
const channelStreamIdentifier = structure({ StreamARN: string, StreamCreationTimestamp: timestamp }, [
  'StreamARN',
  'StreamCreationTimestamp',
]);
const deadLetterQueueS3Configuration = structure(
  { BucketARN: string, ExpectedBucketOwner: string, ErrorOutputPrefix: string },
  ['BucketARN', 'ExpectedBucketOwner'],
);
const s3StorageConfiguration = structure(
  {
    BucketARN: string,
    ExpectedBucketOwner: string,
    OutputKeyTemplate: string,
    StorageClass: string,
    CompressionType: string,
  },
  ['BucketARN', 'ExpectedBucketOwner', 'CompressionType'],
);
const partitionField = structure({ Transform: string, SourceName: string }, ['Transform', 'SourceName']);
const partitionSpec = structure({ PartitionFields: list(partitionField) }, ['PartitionFields']);
const s3TablesConfiguration = structure(
  {
    TableBucketARN: string,
    Namespace: string,
    TableName: string,
    CompressionType: string,
    PartitionSpec: partitionSpec,
  },
  ['TableBucketARN', 'Namespace', 'TableName', 'CompressionType'],
);
const s3TablesConfigurationList = list(s3TablesConfiguration);
const s3DestinationConfiguration = structure(
  {
    DataFreshnessInSeconds: integer,
    DeadLetterQueueS3Configuration: deadLetterQueueS3Configuration,
    StorageConfiguration: s3StorageConfiguration,
  },
  ['StorageConfiguration'],
);
const s3DestinationDescription = structure(
  {
    DataFreshnessInSeconds: integer,
    DeadLetterQueueS3Configuration: deadLetterQueueS3Configuration,
    StorageConfiguration: s3StorageConfiguration,
  },
  ['DataFreshnessInSeconds', 'DeadLetterQueueS3Configuration', 'StorageConfiguration'],
);
const s3TablesDestinationConfiguration = structure(
  {
    DataFreshnessInSeconds: integer,
    DeadLetterQueueS3Configuration: deadLetterQueueS3Configuration,
    S3TablesConfigurationList: s3TablesConfigurationList,
  },
  ['DeadLetterQueueS3Configuration', 'S3TablesConfigurationList'],
);
const s3TablesDestinationDescription = structure(
  {
    DataFreshnessInSeconds: integer,
    DeadLetterQueueS3Configuration: deadLetterQueueS3Configuration,
    S3TablesConfigurationList: s3TablesConfigurationList,
  },
  ['DataFreshnessInSeconds', 'DeadLetterQueueS3Configuration', 'S3TablesConfigurationList'],
);
const s3DestinationUpdateInput = structure({ DataFreshnessInSeconds: integer }, ['DataFreshnessInSeconds']);
const s3TablesDestinationUpdateInput = structure({ DataFreshnessInSeconds: integer }, [
  'DataFreshnessInSeconds',
]);
const channelEncryptionConfiguration = structure({ EncryptionType: string, KeyId: string }, [
  'EncryptionType',
  'KeyId',
]);
const cloudWatchLogs = structure({ Enabled: boolean, LogGroupName: string, LogStreamName: string }, [
  'Enabled',
]);
const channelLoggingConfiguration = structure({ CloudWatchLogs: cloudWatchLogs }, ['CloudWatchLogs']);
// CloudWatchLogsUpdateInput has the same members as CloudWatchLogs.
const channelLoggingUpdateInput = structure(
  {
    CloudWatchLogs: structure({ Enabled: boolean, LogGroupName: string, LogStreamName: string }, ['Enabled']),
  },
  ['CloudWatchLogs'],
);
const channelDescription = structure(
  {
    ChannelName: string,
    ChannelARN: string,
    ChannelId: string,
    ChannelStatus: string,
    ChannelStatusReason: string,
    ChannelCreationTimestamp: timestamp,
    ServiceExecutionRoleARN: string,
    StreamConfigurationList: list(channelStreamDescription),
    S3DestinationConfiguration: s3DestinationDescription,
    S3TablesDestinationConfiguration: s3TablesDestinationDescription,
    EncryptionConfiguration: channelEncryptionConfiguration,
    LoggingConfiguration: channelLoggingConfiguration,
  },
  [
    'ChannelName',
    'ChannelARN',
    'ChannelId',
    'ChannelStatus',
    'ChannelCreationTimestamp',
    'ServiceExecutionRoleARN',
    'StreamConfigurationList',
    'LoggingConfiguration',
  ],
);
const channelDescriptionOutput = () =>
  structure({ ChannelDescription: channelDescription }, ['ChannelDescription']);
const channelSummary = structure(
  {
    ChannelName: string,
    ChannelARN: string,
    ChannelId: string,
    ChannelStatus: string,
    ChannelStatusReason: string,
    ChannelCreationTimestamp: timestamp,
    ChannelDestinationType: string,
    Streams: list(channelStreamIdentifier),
  },
  [
    'ChannelName',
    'ChannelARN',
    'ChannelId',
    'ChannelStatus',
    'ChannelCreationTimestamp',
    'ChannelDestinationType',
    'Streams',
  ],
);
const streamFilter = structure({ StreamARN: string, StreamCreationTimestamp: timestamp }, ['StreamARN']);

/** One event of SubscribeToShard's event stream (not expressible as an operation output in the DSL). */
export const SUBSCRIBE_TO_SHARD_EVENT = structure(
  {
    Records: recordList,
    ContinuationSequenceNumber: string,
    MillisBehindLatest: long,
    ChildShards: childShardList,
  },
  ['Records', 'ContinuationSequenceNumber', 'MillisBehindLatest'],
);

// Input structures that identify a stream by name, ARN or id share these.
const enhancedMonitoringInput = () =>
  structure({ StreamName: string, ShardLevelMetrics: stringList, StreamARN: string, StreamId: string }, [
    'ShardLevelMetrics',
  ]);
const enhancedMonitoringOutput = () =>
  structure({
    StreamName: string,
    CurrentShardLevelMetrics: stringList,
    DesiredShardLevelMetrics: stringList,
    StreamARN: string,
  });
const retentionPeriodInput = () =>
  structure({ StreamName: string, RetentionPeriodHours: integer, StreamARN: string, StreamId: string }, [
    'RetentionPeriodHours',
  ]);
const streamEncryptionInput = () =>
  structure(
    { StreamName: string, EncryptionType: string, KeyId: string, StreamARN: string, StreamId: string },
    ['EncryptionType', 'KeyId'],
  );
const consumerInput = () =>
  structure({ StreamARN: string, ConsumerName: string, ConsumerARN: string, StreamId: string });

export const KINESIS_SHAPES = {
  AddTagsToStream: {
    input: structure({ StreamName: string, Tags: tagMap, StreamARN: string, StreamId: string }, ['Tags']),
  },
  CreateChannel: {
    input: structure(
      {
        ChannelName: string,
        ServiceExecutionRoleARN: string,
        StreamConfigurationList: list(channelStreamConfiguration),
        S3DestinationConfiguration: s3DestinationConfiguration,
        S3TablesDestinationConfiguration: s3TablesDestinationConfiguration,
        EncryptionConfiguration: channelEncryptionConfiguration,
        Tags: tagMap,
        LoggingConfiguration: channelLoggingConfiguration,
      },
      ['ChannelName', 'ServiceExecutionRoleARN', 'StreamConfigurationList'],
    ),
    output: channelDescriptionOutput(),
  },
  CreateStream: {
    input: structure(
      {
        StreamName: string,
        ShardCount: integer,
        StreamModeDetails: streamModeDetails,
        Tags: tagMap,
        WarmThroughputMiBps: integer,
        MaxRecordSizeInKiB: integer,
        RecordDistributionStrategy: string,
      },
      ['StreamName'],
    ),
  },
  DecreaseStreamRetentionPeriod: { input: retentionPeriodInput() },
  DeleteChannel: { input: structure({ ChannelARN: string }, ['ChannelARN']) },
  DeleteResourcePolicy: { input: structure({ ResourceARN: string, StreamId: string }, ['ResourceARN']) },
  DeleteStream: {
    input: structure({
      StreamName: string,
      EnforceConsumerDeletion: boolean,
      StreamARN: string,
      StreamId: string,
    }),
  },
  DeregisterStreamConsumer: { input: consumerInput() },
  DescribeAccountSettings: {
    input: structure({}),
    output: structure({ MinimumThroughputBillingCommitment: minimumThroughputBillingCommitmentOutput }),
  },
  DescribeChannel: {
    input: structure({ ChannelARN: string }, ['ChannelARN']),
    output: channelDescriptionOutput(),
  },
  DescribeLimits: {
    input: structure({}),
    output: structure(
      {
        ShardLimit: integer,
        OpenShardCount: integer,
        OnDemandStreamCount: integer,
        OnDemandStreamCountLimit: integer,
        ChannelCount: integer,
        ChannelCountLimit: integer,
      },
      ['ShardLimit', 'OpenShardCount', 'OnDemandStreamCount', 'OnDemandStreamCountLimit'],
    ),
  },
  DescribeStream: {
    input: structure({
      StreamName: string,
      Limit: integer,
      ExclusiveStartShardId: string,
      StreamARN: string,
      StreamId: string,
    }),
    output: structure({ StreamDescription: streamDescription }, ['StreamDescription']),
  },
  DescribeStreamConsumer: {
    input: consumerInput(),
    output: structure({ ConsumerDescription: consumerDescription }, ['ConsumerDescription']),
  },
  DescribeStreamSummary: {
    input: structure({ StreamName: string, StreamARN: string, StreamId: string }),
    output: structure({ StreamDescriptionSummary: streamDescriptionSummary }, ['StreamDescriptionSummary']),
  },
  DisableEnhancedMonitoring: { input: enhancedMonitoringInput(), output: enhancedMonitoringOutput() },
  EnableEnhancedMonitoring: { input: enhancedMonitoringInput(), output: enhancedMonitoringOutput() },
  GetRecords: {
    input: structure(
      { ShardIterator: string, Limit: integer, StreamARN: string, StreamId: string, DryRun: boolean },
      ['ShardIterator'],
    ),
    output: structure(
      {
        Records: recordList,
        NextShardIterator: string,
        MillisBehindLatest: long,
        ChildShards: childShardList,
      },
      ['Records'],
    ),
  },
  GetResourcePolicy: {
    input: structure({ ResourceARN: string, StreamId: string }, ['ResourceARN']),
    output: structure({ Policy: string }, ['Policy']),
  },
  GetShardIterator: {
    input: structure(
      {
        StreamName: string,
        ShardId: string,
        ShardIteratorType: string,
        StartingSequenceNumber: string,
        Timestamp: timestamp,
        StreamARN: string,
        StreamId: string,
        DryRun: boolean,
      },
      ['ShardId', 'ShardIteratorType'],
    ),
    output: structure({ ShardIterator: string }),
  },
  IncreaseStreamRetentionPeriod: { input: retentionPeriodInput() },
  ListChannels: {
    input: structure({ StreamFilter: list(streamFilter), MaxResults: integer, NextToken: string }),
    output: structure({ ChannelSummaries: list(channelSummary), NextToken: string }, ['ChannelSummaries']),
  },
  ListShards: {
    input: structure({
      StreamName: string,
      NextToken: string,
      ExclusiveStartShardId: string,
      MaxResults: integer,
      StreamCreationTimestamp: timestamp,
      ShardFilter: shardFilter,
      StreamARN: string,
      StreamId: string,
    }),
    output: structure({ Shards: shardList, NextToken: string }),
  },
  ListStreamConsumers: {
    input: structure(
      {
        StreamARN: string,
        NextToken: string,
        MaxResults: integer,
        StreamCreationTimestamp: timestamp,
        StreamId: string,
      },
      ['StreamARN'],
    ),
    output: structure({ Consumers: list(consumer), NextToken: string }),
  },
  ListStreams: {
    input: structure({ Limit: integer, ExclusiveStartStreamName: string, NextToken: string }),
    output: structure(
      {
        StreamNames: stringList,
        HasMoreStreams: boolean,
        NextToken: string,
        StreamSummaries: list(streamSummary),
      },
      ['StreamNames', 'HasMoreStreams'],
    ),
  },
  ListTagsForResource: {
    input: structure({ ResourceARN: string, StreamId: string }, ['ResourceARN']),
    output: structure({ Tags: tagList }),
  },
  ListTagsForStream: {
    input: structure({
      StreamName: string,
      ExclusiveStartTagKey: string,
      Limit: integer,
      StreamARN: string,
      StreamId: string,
    }),
    output: structure({ Tags: tagList, HasMoreTags: boolean }, ['Tags', 'HasMoreTags']),
  },
  MergeShards: {
    input: structure(
      {
        StreamName: string,
        ShardToMerge: string,
        AdjacentShardToMerge: string,
        StreamARN: string,
        StreamId: string,
      },
      ['ShardToMerge', 'AdjacentShardToMerge'],
    ),
  },
  PutRecord: {
    // PartitionKey is optional in this model version (streams may distribute records without one).
    input: structure(
      {
        StreamName: string,
        Data: blob,
        PartitionKey: string,
        ExplicitHashKey: string,
        SequenceNumberForOrdering: string,
        StreamARN: string,
        StreamId: string,
        DryRun: boolean,
      },
      ['Data'],
    ),
    output: structure({ ShardId: string, SequenceNumber: string, EncryptionType: string }, [
      'ShardId',
      'SequenceNumber',
    ]),
  },
  PutRecords: {
    input: structure(
      {
        Records: list(putRecordsRequestEntry),
        StreamName: string,
        StreamARN: string,
        StreamId: string,
        DryRun: boolean,
      },
      ['Records'],
    ),
    output: structure(
      { FailedRecordCount: integer, Records: list(putRecordsResultEntry), EncryptionType: string },
      ['Records'],
    ),
  },
  PutResourcePolicy: {
    input: structure({ ResourceARN: string, StreamId: string, Policy: string }, ['ResourceARN', 'Policy']),
  },
  RegisterStreamConsumer: {
    input: structure({ StreamARN: string, ConsumerName: string, StreamId: string, Tags: tagMap }, [
      'StreamARN',
      'ConsumerName',
    ]),
    output: structure({ Consumer: consumer }, ['Consumer']),
  },
  RemoveTagsFromStream: {
    input: structure({ StreamName: string, TagKeys: stringList, StreamARN: string, StreamId: string }, [
      'TagKeys',
    ]),
  },
  SplitShard: {
    input: structure(
      {
        StreamName: string,
        ShardToSplit: string,
        NewStartingHashKey: string,
        StreamARN: string,
        StreamId: string,
      },
      ['ShardToSplit', 'NewStartingHashKey'],
    ),
  },
  StartStreamEncryption: { input: streamEncryptionInput() },
  StopStreamEncryption: { input: streamEncryptionInput() },
  SubscribeToShard: {
    input: structure(
      {
        ConsumerARN: string,
        StreamId: string,
        ShardId: string,
        StartingPosition: startingPosition,
        DryRun: boolean,
      },
      ['ConsumerARN', 'ShardId', 'StartingPosition'],
    ),
    // The output's one member, EventStream, is an event stream of SubscribeToShardEvent.
    eventStream: { SubscribeToShardEvent: SUBSCRIBE_TO_SHARD_EVENT },
  },
  TagResource: {
    input: structure({ Tags: tagMap, ResourceARN: string, StreamId: string }, ['Tags', 'ResourceARN']),
  },
  UntagResource: {
    input: structure({ TagKeys: stringList, ResourceARN: string, StreamId: string }, [
      'TagKeys',
      'ResourceARN',
    ]),
  },
  UpdateAccountSettings: {
    input: structure({ MinimumThroughputBillingCommitment: structure({ Status: string }, ['Status']) }, [
      'MinimumThroughputBillingCommitment',
    ]),
    output: structure({ MinimumThroughputBillingCommitment: minimumThroughputBillingCommitmentOutput }),
  },
  UpdateChannel: {
    input: structure(
      {
        ChannelARN: string,
        S3DestinationConfiguration: s3DestinationUpdateInput,
        S3TablesDestinationConfiguration: s3TablesDestinationUpdateInput,
        LoggingConfiguration: channelLoggingUpdateInput,
      },
      ['ChannelARN'],
    ),
    output: channelDescriptionOutput(),
  },
  UpdateMaxRecordSize: {
    input: structure({ StreamARN: string, StreamId: string, MaxRecordSizeInKiB: integer }, [
      'MaxRecordSizeInKiB',
    ]),
  },
  UpdateShardCount: {
    input: structure(
      {
        StreamName: string,
        TargetShardCount: integer,
        ScalingType: string,
        StreamARN: string,
        StreamId: string,
      },
      ['TargetShardCount', 'ScalingType'],
    ),
    output: structure({
      StreamName: string,
      CurrentShardCount: integer,
      TargetShardCount: integer,
      StreamARN: string,
    }),
  },
  UpdateStreamMode: {
    input: structure(
      {
        StreamARN: string,
        StreamId: string,
        StreamModeDetails: streamModeDetails,
        WarmThroughputMiBps: integer,
      },
      ['StreamARN', 'StreamModeDetails'],
    ),
  },
  UpdateStreamRecordDistributionStrategy: {
    input: structure({ StreamARN: string, StreamId: string, RecordDistributionStrategy: string }, [
      'StreamARN',
      'RecordDistributionStrategy',
    ]),
  },
  UpdateStreamWarmThroughput: {
    input: structure(
      { StreamARN: string, StreamName: string, StreamId: string, WarmThroughputMiBps: integer },
      ['WarmThroughputMiBps'],
    ),
    output: structure({ StreamARN: string, StreamName: string, WarmThroughput: warmThroughputObject }),
  },
} satisfies Record<string, OperationShapes>;

export type KinesisOperationName = keyof typeof KINESIS_SHAPES;

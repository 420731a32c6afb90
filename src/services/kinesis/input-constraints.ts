import type { ConstraintTree } from './model-constraints.js';

// The constraints of each operation's input, as botocore 1.43.11's kinesis 2013-12-02
// service-2.json gives them (min, max, pattern, enum, by member). A stop-gap until the shapes are
// generated from the service models: those carry the same constraints, and replace this file.
// Operations the model does not have yet (CreateChannel, DeleteChannel, DescribeChannel, ListChannels, UpdateChannel, UpdateStreamRecordDistributionStrategy) have none here.
export const KINESIS_INPUT_CONSTRAINTS: Record<string, Record<string, ConstraintTree>> = {
  AddTagsToStream: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    Tags: {
      min: 1,
      max: 200,
      key: {
        min: 1,
        max: 128,
      },
      value: {
        min: 0,
        max: 256,
      },
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  CreateStream: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ShardCount: {
      min: 1,
    },
    StreamModeDetails: {
      name: 'StreamModeDetails',
      members: {
        StreamMode: {
          enum: ['PROVISIONED', 'ON_DEMAND'],
        },
      },
    },
    Tags: {
      min: 1,
      max: 200,
      key: {
        min: 1,
        max: 128,
      },
      value: {
        min: 0,
        max: 256,
      },
    },
    WarmThroughputMiBps: {
      min: 0,
    },
    MaxRecordSizeInKiB: {
      min: 1024,
      max: 10240,
    },
  },
  DecreaseStreamRetentionPeriod: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  DeleteResourcePolicy: {
    ResourceARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  DeleteStream: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  DeregisterStreamConsumer: {
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    ConsumerName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ConsumerARN: {
      min: 1,
      max: 2048,
      pattern:
        '^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  DescribeStream: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    Limit: {
      min: 1,
      max: 10000,
    },
    ExclusiveStartShardId: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  DescribeStreamConsumer: {
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    ConsumerName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ConsumerARN: {
      min: 1,
      max: 2048,
      pattern:
        '^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  DescribeStreamSummary: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  DisableEnhancedMonitoring: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ShardLevelMetrics: {
      min: 1,
      max: 7,
      member: {
        enum: [
          'IncomingBytes',
          'IncomingRecords',
          'OutgoingBytes',
          'OutgoingRecords',
          'WriteProvisionedThroughputExceeded',
          'ReadProvisionedThroughputExceeded',
          'IteratorAgeMilliseconds',
          'ALL',
        ],
      },
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  EnableEnhancedMonitoring: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ShardLevelMetrics: {
      min: 1,
      max: 7,
      member: {
        enum: [
          'IncomingBytes',
          'IncomingRecords',
          'OutgoingBytes',
          'OutgoingRecords',
          'WriteProvisionedThroughputExceeded',
          'ReadProvisionedThroughputExceeded',
          'IteratorAgeMilliseconds',
          'ALL',
        ],
      },
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  GetRecords: {
    ShardIterator: {
      min: 1,
      max: 512,
    },
    Limit: {
      min: 1,
      max: 10000,
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  GetResourcePolicy: {
    ResourceARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  GetShardIterator: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ShardId: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ShardIteratorType: {
      enum: ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'],
    },
    StartingSequenceNumber: {
      pattern: '0|([1-9]\\d{0,128})',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  IncreaseStreamRetentionPeriod: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  ListShards: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    NextToken: {
      min: 1,
      max: 1048576,
    },
    ExclusiveStartShardId: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    MaxResults: {
      min: 1,
      max: 10000,
    },
    ShardFilter: {
      name: 'ShardFilter',
      members: {
        Type: {
          enum: [
            'AFTER_SHARD_ID',
            'AT_TRIM_HORIZON',
            'FROM_TRIM_HORIZON',
            'AT_LATEST',
            'AT_TIMESTAMP',
            'FROM_TIMESTAMP',
          ],
        },
        ShardId: {
          min: 1,
          max: 128,
          pattern: '[a-zA-Z0-9_.-]+',
        },
      },
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  ListStreamConsumers: {
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    NextToken: {
      min: 1,
      max: 1048576,
    },
    MaxResults: {
      min: 1,
      max: 10000,
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  ListStreams: {
    Limit: {
      min: 1,
      max: 10000,
    },
    ExclusiveStartStreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    NextToken: {
      min: 1,
      max: 1048576,
    },
  },
  ListTagsForResource: {
    ResourceARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  ListTagsForStream: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ExclusiveStartTagKey: {
      min: 1,
      max: 128,
    },
    Limit: {
      min: 1,
      max: 50,
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  MergeShards: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ShardToMerge: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    AdjacentShardToMerge: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  PutRecord: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    Data: {
      min: 0,
      max: 10485760,
    },
    PartitionKey: {
      min: 1,
      max: 256,
    },
    ExplicitHashKey: {
      pattern: '0|([1-9]\\d{0,38})',
    },
    SequenceNumberForOrdering: {
      pattern: '0|([1-9]\\d{0,128})',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  PutRecords: {
    Records: {
      min: 1,
      max: 500,
      member: {
        name: 'PutRecordsRequestEntry',
        members: {
          Data: {
            min: 0,
            max: 10485760,
          },
          ExplicitHashKey: {
            pattern: '0|([1-9]\\d{0,38})',
          },
          PartitionKey: {
            min: 1,
            max: 256,
          },
        },
      },
    },
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  PutResourcePolicy: {
    ResourceARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  RegisterStreamConsumer: {
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    ConsumerName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
    Tags: {
      min: 1,
      max: 200,
      key: {
        min: 1,
        max: 128,
      },
      value: {
        min: 0,
        max: 256,
      },
    },
  },
  RemoveTagsFromStream: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    TagKeys: {
      min: 1,
      max: 50,
      member: {
        min: 1,
        max: 128,
      },
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  SplitShard: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    ShardToSplit: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    NewStartingHashKey: {
      pattern: '0|([1-9]\\d{0,38})',
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  StartStreamEncryption: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    EncryptionType: {
      enum: ['NONE', 'KMS'],
    },
    KeyId: {
      min: 1,
      max: 2048,
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  StopStreamEncryption: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    EncryptionType: {
      enum: ['NONE', 'KMS'],
    },
    KeyId: {
      min: 1,
      max: 2048,
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  SubscribeToShard: {
    ConsumerARN: {
      min: 1,
      max: 2048,
      pattern:
        '^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
    ShardId: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StartingPosition: {
      name: 'StartingPosition',
      members: {
        Type: {
          enum: ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'],
        },
        SequenceNumber: {
          pattern: '0|([1-9]\\d{0,128})',
        },
      },
    },
  },
  TagResource: {
    Tags: {
      min: 1,
      max: 200,
      key: {
        min: 1,
        max: 128,
      },
      value: {
        min: 0,
        max: 256,
      },
    },
    ResourceARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  UntagResource: {
    TagKeys: {
      min: 1,
      max: 50,
      member: {
        min: 1,
        max: 128,
      },
    },
    ResourceARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  UpdateAccountSettings: {
    MinimumThroughputBillingCommitment: {
      name: 'MinimumThroughputBillingCommitmentInput',
      members: {
        Status: {
          enum: ['ENABLED', 'DISABLED'],
        },
      },
    },
  },
  UpdateMaxRecordSize: {
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
    MaxRecordSizeInKiB: {
      min: 1024,
      max: 10240,
    },
  },
  UpdateShardCount: {
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    TargetShardCount: {
      min: 1,
    },
    ScalingType: {
      enum: ['UNIFORM_SCALING'],
    },
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
  },
  UpdateStreamMode: {
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
    StreamModeDetails: {
      name: 'StreamModeDetails',
      members: {
        StreamMode: {
          enum: ['PROVISIONED', 'ON_DEMAND'],
        },
      },
    },
    WarmThroughputMiBps: {
      min: 0,
    },
  },
  UpdateStreamWarmThroughput: {
    StreamARN: {
      min: 1,
      max: 2048,
      pattern: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
    },
    StreamName: {
      min: 1,
      max: 128,
      pattern: '[a-zA-Z0-9_.-]+',
    },
    StreamId: {
      min: 1,
      max: 24,
      pattern: '[a-z0-9]{20}-[a-z0-9]{3}',
    },
    WarmThroughputMiBps: {
      min: 0,
    },
  },
};

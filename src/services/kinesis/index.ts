import type { Clock } from '../../core/clock.js';
import { operationTable, type RequestContext, type ServiceDefinition } from '../../protocols/service.js';
import type { StreamStorage } from '../../storage/types.js';
import { kinesisError, kinesisValidation } from './errors.js';
import { KinesisService } from './service.js';
import { KINESIS_SHAPES } from './shapes.js';

export interface KinesisDefinition extends ServiceDefinition {
  kinesis: KinesisService;
}

export function createKinesis(streams: StreamStorage, clock: Clock): KinesisDefinition {
  const kinesis = new KinesisService(streams, clock);
  type Handler = (input: any, ctx: RequestContext) => unknown;
  const handlers: Record<string, Handler> = {
    AddTagsToStream: (i, c) => kinesis.addTagsToStream(i, c),
    CreateStream: (i, c) => kinesis.createStream(i, c),
    DecreaseStreamRetentionPeriod: (i, c) => kinesis.decreaseStreamRetentionPeriod(i, c),
    DeleteStream: (i, c) => kinesis.deleteStream(i, c),
    DescribeLimits: (i, c) => kinesis.describeLimits(i, c),
    DisableEnhancedMonitoring: (i, c) => kinesis.disableEnhancedMonitoring(i, c),
    EnableEnhancedMonitoring: (i, c) => kinesis.enableEnhancedMonitoring(i, c),
    IncreaseStreamRetentionPeriod: (i, c) => kinesis.increaseStreamRetentionPeriod(i, c),
    ListTagsForResource: (i, c) => kinesis.listTagsForResource(i, c),
    StartStreamEncryption: (i, c) => kinesis.startStreamEncryption(i, c),
    StopStreamEncryption: (i, c) => kinesis.stopStreamEncryption(i, c),
    TagResource: (i, c) => kinesis.tagResource(i, c),
    UntagResource: (i, c) => kinesis.untagResource(i, c),
    UpdateMaxRecordSize: (i, c) => kinesis.updateMaxRecordSize(i, c),
    MergeShards: (i, c) => kinesis.mergeShards(i, c),
    SplitShard: (i, c) => kinesis.splitShard(i, c),
    UpdateShardCount: (i, c) => kinesis.updateShardCount(i, c),
    UpdateStreamMode: (i, c) => kinesis.updateStreamMode(i, c),
    DescribeStream: (i, c) => kinesis.describeStream(i, c),
    DescribeStreamSummary: (i, c) => kinesis.describeStreamSummary(i, c),
    GetRecords: (i, c) => kinesis.getRecords(i, c),
    GetShardIterator: (i, c) => kinesis.getShardIterator(i, c),
    ListShards: (i, c) => kinesis.listShards(i, c),
    ListStreams: (i, c) => kinesis.listStreams(i, c),
    ListTagsForStream: (i, c) => kinesis.listTagsForStream(i, c),
    PutRecord: (i, c) => kinesis.putRecord(i, c),
    PutRecords: (i, c) => kinesis.putRecords(i, c),
    RemoveTagsFromStream: (i, c) => kinesis.removeTagsFromStream(i, c),
  };
  const unsupported =
    (name: string): Handler =>
    () => {
      throw kinesisError.notSupported(name);
    };
  return {
    name: 'kinesis',
    signingName: 'kinesis',
    json: {
      targetPrefix: 'Kinesis_20131202',
      contentType: 'application/x-amz-json-1.1',
      errorNamespace: '',
      queryCompatible: false,
      cbor: true,
    },
    operations: operationTable(KINESIS_SHAPES, handlers, unsupported),
    validation: kinesisValidation,
    unknownOperation: () => kinesisError.unknownOperation(),
    kinesis,
  };
}

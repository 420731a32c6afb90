import { createHash } from 'node:crypto';
import type * as K from '@aws-sdk/client-kinesis';
import { formatArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../protocols/service.js';
import type { ShardInfo, StoredStreamRecord, StreamRecord, StreamStorage } from '../../storage/types.js';
import { kinesisError } from './errors.js';
import { decodeIterator, encodeIterator } from './iterators.js';

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
// On-demand streams start with four shards (Kinesis guide, "On-demand mode").
const ON_DEMAND_SHARDS = 4;
const DEFAULT_RETENTION_HOURS = 24;
// An iterator is good for five minutes (Kinesis API Reference, GetShardIterator).
const ITERATOR_LIFETIME_MS = 300_000;
const MAX_GET_RECORDS = 10_000;
const MAX_GET_BYTES = 10 * 1024 * 1024;
const MAX_PUT_RECORDS = 500;
const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
const HASH_SPACE = 1n << 128n;
const MAX_HASH_KEY = HASH_SPACE - 1n;
const MAX_TAGS = 50;
// Kinesis API Reference, IncreaseStreamRetentionPeriod: 24 hours to 365 days.
const MIN_RETENTION_HOURS = 24;
const MAX_RETENTION_HOURS = 8760;
const SHARD_METRICS: string[] = [
  'IncomingBytes',
  'IncomingRecords',
  'OutgoingBytes',
  'OutgoingRecords',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
  'IteratorAgeMilliseconds',
];
// DescribeLimits: the default quotas of an account (Kinesis guide, "Quotas and limits").
const SHARD_LIMIT = 500;
const ON_DEMAND_STREAM_LIMIT = 50;

function streamArn(region: string, account: string, name: string): string {
  return formatArn('kinesis', region, account, `stream/${name}`);
}

function encryptionType(stream: StreamRecord): 'KMS' | 'NONE' {
  return stream.encryption ? 'KMS' : 'NONE';
}

/** Kinesis Data Streams: streams, shards, and records read through stateless iterators. */
export class KinesisService {
  constructor(
    private readonly streams: StreamStorage,
    private readonly clock: Clock,
  ) {}

  /** A stream named by StreamName or StreamARN (Kinesis accepts either wherever it takes a stream). */
  private stream(input: { StreamName?: string; StreamARN?: string }, ctx: RequestContext): StreamRecord {
    let account = ctx.caller.account;
    let region = ctx.caller.region;
    let name = input.StreamName;
    if (input.StreamARN !== undefined) {
      const m = /^arn:aws:kinesis:([^:]+):(\d{12}):stream\/([a-zA-Z0-9_.-]+)$/.exec(input.StreamARN);
      if (!m) throw kinesisError.invalidArgument(`StreamARN ${input.StreamARN} is invalid.`);
      [, region, account] = m;
      if (name !== undefined && name !== m[3]) {
        throw kinesisError.invalidArgument('StreamName and StreamARN name different streams.');
      }
      name = m[3];
    }
    if (name === undefined)
      throw kinesisError.invalidArgument('Either StreamName or StreamARN must be provided.');
    const stream = this.streams.getStream(streamArn(region, account, name));
    if (!stream || stream.account !== ctx.caller.account) throw kinesisError.notFound(name, account);
    return stream;
  }

  async createStream(input: K.CreateStreamInput, ctx: RequestContext): Promise<void> {
    const name = input.StreamName ?? '';
    if (!STREAM_NAME.test(name)) {
      throw kinesisError.validation(
        `1 validation error detected: Value '${name}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
      );
    }
    const mode =
      input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
    if (mode === 'PROVISIONED' && input.ShardCount === undefined) {
      throw kinesisError.invalidArgument('ShardCount is required for streams in PROVISIONED mode.');
    }
    if (mode === 'ON_DEMAND' && input.ShardCount !== undefined) {
      throw kinesisError.invalidArgument('ShardCount must not be given for streams in ON_DEMAND mode.');
    }
    const shardCount = input.ShardCount ?? ON_DEMAND_SHARDS;
    if (shardCount < 1) {
      throw kinesisError.validation(
        `1 validation error detected: Value '${shardCount}' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      );
    }
    const arn = streamArn(ctx.caller.region, ctx.caller.account, name);
    if (this.streams.getStream(arn)) {
      throw kinesisError.inUse(`Stream ${name} under account ${ctx.caller.account} already exists.`);
    }
    await this.streams.createStream(
      {
        arn,
        name,
        account: ctx.caller.account,
        region: ctx.caller.region,
        mode,
        retentionHours: DEFAULT_RETENTION_HOURS,
        createdAt: this.clock.now(),
        tags: { ...(input.Tags ?? {}) },
        maxRecordSizeKiB: input.MaxRecordSizeInKiB ?? 1024,
        shardLevelMetrics: [],
      },
      shardCount,
    );
  }

  async deleteStream(input: K.DeleteStreamInput, ctx: RequestContext): Promise<void> {
    await this.streams.deleteStream(this.stream(input, ctx).arn);
  }

  private modeDetails(stream: StreamRecord): K.StreamModeDetails {
    return { StreamMode: stream.mode };
  }

  private shardView(shard: ShardInfo): K.Shard {
    return {
      ShardId: shard.id,
      ParentShardId: shard.parentShardId,
      AdjacentParentShardId: shard.adjacentParentShardId,
      HashKeyRange: { StartingHashKey: shard.startingHashKey, EndingHashKey: shard.endingHashKey },
      SequenceNumberRange: {
        StartingSequenceNumber: shard.startingSequenceNumber,
        EndingSequenceNumber: shard.endingSequenceNumber,
      },
    };
  }

  describeStream(input: K.DescribeStreamInput, ctx: RequestContext): K.DescribeStreamOutput {
    const stream = this.stream(input, ctx);
    const all = this.streams.shards(stream.arn);
    const from = input.ExclusiveStartShardId
      ? all.findIndex((s) => s.id === input.ExclusiveStartShardId) + 1
      : 0;
    const limit = input.Limit ?? 100;
    const page = all.slice(from, from + limit);
    return {
      StreamDescription: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: 'ACTIVE',
        StreamModeDetails: this.modeDetails(stream),
        Shards: page.map((s) => this.shardView(s)),
        HasMoreShards: from + limit < all.length,
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: new Date(stream.createdAt),
        EnhancedMonitoring: [{ ShardLevelMetrics: [...stream.shardLevelMetrics] as K.MetricsName[] }],
        EncryptionType: stream.encryption ? 'KMS' : 'NONE',
        KeyId: stream.encryption?.keyId,
      },
    };
  }

  describeStreamSummary(
    input: K.DescribeStreamSummaryInput,
    ctx: RequestContext,
  ): K.DescribeStreamSummaryOutput {
    const stream = this.stream(input, ctx);
    return {
      StreamDescriptionSummary: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: 'ACTIVE',
        StreamModeDetails: this.modeDetails(stream),
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: new Date(stream.createdAt),
        EnhancedMonitoring: [{ ShardLevelMetrics: [...stream.shardLevelMetrics] as K.MetricsName[] }],
        EncryptionType: stream.encryption ? 'KMS' : 'NONE',
        KeyId: stream.encryption?.keyId,
        OpenShardCount: this.streams.shards(stream.arn).filter((s) => !s.endingSequenceNumber).length,
        ConsumerCount: 0,
      },
    };
  }

  listStreams(input: K.ListStreamsInput, ctx: RequestContext): K.ListStreamsOutput {
    const all = this.streams
      .listStreams(ctx.caller.account, ctx.caller.region)
      .sort((a, b) => a.name.localeCompare(b.name));
    let from = 0;
    if (input.NextToken !== undefined) {
      from = Number.parseInt(Buffer.from(input.NextToken, 'base64url').toString(), 10);
      if (!Number.isInteger(from) || from < 0) throw kinesisError.invalidArgument('NextToken is invalid.');
    } else if (input.ExclusiveStartStreamName !== undefined) {
      from = all.findIndex((s) => s.name > input.ExclusiveStartStreamName!);
      if (from < 0) from = all.length;
    }
    const limit = input.Limit ?? 100;
    const page = all.slice(from, from + limit);
    const more = from + limit < all.length;
    return {
      StreamNames: page.map((s) => s.name),
      HasMoreStreams: more,
      NextToken: more ? Buffer.from(String(from + limit)).toString('base64url') : undefined,
      StreamSummaries: page.map((s) => ({
        StreamName: s.name,
        StreamARN: s.arn,
        StreamStatus: 'ACTIVE',
        StreamModeDetails: this.modeDetails(s),
        StreamCreationTimestamp: new Date(s.createdAt),
      })),
    };
  }

  listShards(input: K.ListShardsInput, ctx: RequestContext): K.ListShardsOutput {
    let from = 0;
    let stream: StreamRecord;
    if (input.NextToken !== undefined) {
      if (input.StreamName !== undefined || input.StreamARN !== undefined) {
        throw kinesisError.invalidArgument('NextToken and StreamName cannot be provided together.');
      }
      const [arn, index] = Buffer.from(input.NextToken, 'base64url').toString().split('\n');
      const m = /^arn:aws:kinesis:[^:]+:\d{12}:stream\/(.+)$/.exec(arn ?? '');
      if (!m || !/^\d+$/.test(index ?? '')) throw kinesisError.invalidArgument('NextToken is invalid.');
      stream = this.stream({ StreamARN: arn }, ctx);
      from = Number(index);
    } else {
      stream = this.stream(input, ctx);
    }
    let shards = this.streams.shards(stream.arn);
    const exclusiveStart =
      input.ShardFilter?.Type === 'AFTER_SHARD_ID' ? input.ShardFilter.ShardId : input.ExclusiveStartShardId;
    if (exclusiveStart !== undefined) shards = shards.filter((s) => s.id > exclusiveStart);
    shards = this.filterShards(shards, input.ShardFilter, stream);
    const limit = input.MaxResults ?? 1000;
    const page = shards.slice(from, from + limit);
    const more = from + limit < shards.length;
    return {
      Shards: page.map((s) => this.shardView(s)),
      NextToken: more ? Buffer.from(`${stream.arn}\n${from + limit}`).toString('base64url') : undefined,
    };
  }

  /**
   * ListShards' ShardFilter (Kinesis API Reference, ShardFilter): AT_ filters give the shards open
   * at one moment, FROM_ filters every shard open at or after it; the trim horizon is the oldest
   * moment the retention period still keeps.
   */
  private filterShards(
    shards: ShardInfo[],
    filter: K.ShardFilter | undefined,
    stream: StreamRecord,
  ): ShardInfo[] {
    const openAt = (t: number) => (s: ShardInfo) =>
      s.openedAt <= t && (s.closedAt === undefined || s.closedAt > t);
    const openSince = (t: number) => (s: ShardInfo) => s.closedAt === undefined || s.closedAt > t;
    const trimHorizon = this.clock.now() - stream.retentionHours * 3_600_000;
    const at = () => {
      if (!filter?.Timestamp)
        throw kinesisError.invalidArgument(`Timestamp is required for ShardFilter type ${filter?.Type}.`);
      return filter.Timestamp.getTime();
    };
    switch (filter?.Type) {
      case 'AT_LATEST':
        return shards.filter((s) => s.closedAt === undefined);
      case 'AT_TRIM_HORIZON':
        return shards.filter(openAt(Math.max(trimHorizon, stream.createdAt)));
      case 'FROM_TRIM_HORIZON':
        return shards.filter(openSince(trimHorizon));
      case 'AT_TIMESTAMP':
        return shards.filter(openAt(at()));
      case 'FROM_TIMESTAMP':
        return shards.filter(openSince(at()));
      default:
        return shards;
    }
  }

  // ---- records --------------------------------------------------------------

  private hashKey(partitionKey: string, explicit: string | undefined): bigint {
    if (explicit !== undefined) {
      if (!/^\d{1,39}$/.test(explicit) || BigInt(explicit) > MAX_HASH_KEY) {
        throw kinesisError.invalidArgument(
          `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicit}`,
        );
      }
      return BigInt(explicit);
    }
    // Partition keys are hashed with MD5 into the 128-bit key space (Kinesis guide, "Terminology").
    return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
  }

  private checkRecord(
    stream: StreamRecord,
    data: Uint8Array | undefined,
    partitionKey: string | undefined,
  ): void {
    if (!partitionKey || partitionKey.length > 256) {
      throw kinesisError.validation(
        `1 validation error detected: Value '${partitionKey ?? ''}' at 'partitionKey' failed to satisfy constraint: Member must have length between 1 and 256`,
      );
    }
    const limit = stream.maxRecordSizeKiB * 1024;
    if ((data?.length ?? 0) > limit) {
      throw kinesisError.validation(
        `1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to ${limit}`,
      );
    }
  }

  async putRecord(input: K.PutRecordInput, ctx: RequestContext): Promise<K.PutRecordOutput> {
    const stream = this.stream(input, ctx);
    this.checkRecord(stream, input.Data, input.PartitionKey);
    const [put] = await this.streams.append(stream.arn, [
      {
        data: input.Data ?? new Uint8Array(),
        partitionKey: input.PartitionKey!,
        hashKey: this.hashKey(input.PartitionKey!, input.ExplicitHashKey),
      },
    ]);
    return {
      ShardId: put.shardId,
      SequenceNumber: put.sequenceNumber,
      EncryptionType: encryptionType(stream),
    };
  }

  async putRecords(input: K.PutRecordsInput, ctx: RequestContext): Promise<K.PutRecordsOutput> {
    const stream = this.stream(input, ctx);
    const entries = input.Records ?? [];
    if (entries.length < 1 || entries.length > MAX_PUT_RECORDS) {
      throw kinesisError.validation(
        `1 validation error detected: Value '[…]' at 'records' failed to satisfy constraint: Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 500'}`,
      );
    }
    let total = 0;
    for (const e of entries) {
      this.checkRecord(stream, e.Data, e.PartitionKey);
      total += (e.Data?.length ?? 0) + Buffer.byteLength(e.PartitionKey ?? '');
    }
    if (total > MAX_PUT_RECORDS_BYTES) {
      throw kinesisError.invalidArgument(`Records size exceeds 5 MB limit: ${total} bytes.`);
    }
    const puts = await this.streams.append(
      stream.arn,
      entries.map((e) => ({
        data: e.Data ?? new Uint8Array(),
        partitionKey: e.PartitionKey!,
        hashKey: this.hashKey(e.PartitionKey!, e.ExplicitHashKey),
      })),
    );
    return {
      FailedRecordCount: 0,
      Records: puts.map((p) => ({ ShardId: p.shardId, SequenceNumber: p.sequenceNumber })),
      EncryptionType: encryptionType(stream),
    };
  }

  getShardIterator(input: K.GetShardIteratorInput, ctx: RequestContext): K.GetShardIteratorOutput {
    const stream = this.stream(input, ctx);
    const shardId = input.ShardId!;
    if (!this.streams.shards(stream.arn).some((s) => s.id === shardId)) {
      throw kinesisError.notFoundText(
        `Shard ${shardId} in stream ${stream.name} under account ${stream.account} does not exist`,
      );
    }
    const needsSequence = (type: string) => {
      const seq = input.StartingSequenceNumber;
      if (seq === undefined || !/^\d{1,128}$/.test(seq)) {
        throw kinesisError.invalidArgument(
          `StartingSequenceNumber is required and must be a number for ${type}.`,
        );
      }
      return BigInt(seq);
    };
    let after: bigint;
    switch (input.ShardIteratorType) {
      case 'TRIM_HORIZON':
        after = 0n;
        break;
      case 'LATEST':
        after = this.streams.lastSequence(stream.arn, shardId) ?? 0n;
        break;
      case 'AT_SEQUENCE_NUMBER':
        after = needsSequence('AT_SEQUENCE_NUMBER') - 1n;
        break;
      case 'AFTER_SEQUENCE_NUMBER':
        after = needsSequence('AFTER_SEQUENCE_NUMBER');
        break;
      case 'AT_TIMESTAMP': {
        if (!input.Timestamp) throw kinesisError.invalidArgument('Timestamp is required for AT_TIMESTAMP.');
        after = this.streams.sequenceBefore(stream.arn, shardId, input.Timestamp.getTime()) ?? 0n;
        break;
      }
      default:
        throw kinesisError.validation(
          `1 validation error detected: Value '${input.ShardIteratorType}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]`,
        );
    }
    return {
      ShardIterator: encodeIterator({ streamArn: stream.arn, shardId, after, issuedAt: this.clock.now() }),
    };
  }

  getRecords(input: K.GetRecordsInput, ctx: RequestContext): K.GetRecordsOutput {
    const position = decodeIterator(input.ShardIterator ?? '');
    if (!position) throw kinesisError.invalidArgument('Invalid ShardIterator.');
    const now = this.clock.now();
    if (now - position.issuedAt > ITERATOR_LIFETIME_MS) {
      throw kinesisError.expiredIterator(
        `Iterator expired. The iterator was created at time ${new Date(position.issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
      );
    }
    const name = /stream\/(.+)$/.exec(position.streamArn)?.[1] ?? '';
    const stream = this.stream({ StreamARN: position.streamArn }, ctx);
    if (stream.name !== name) throw kinesisError.invalidArgument('Invalid ShardIterator.');
    const limit = input.Limit ?? MAX_GET_RECORDS;
    if (limit < 1 || limit > MAX_GET_RECORDS) {
      throw kinesisError.validation(
        `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000`,
      );
    }
    const records = this.streams.read(stream.arn, position.shardId, position.after, limit, MAX_GET_BYTES);
    const last = records.length > 0 ? BigInt(records[records.length - 1].sequenceNumber) : position.after;
    const newest = this.streams.lastSequence(stream.arn, position.shardId);
    const next = this.streams.read(stream.arn, position.shardId, last, 1, MAX_GET_BYTES)[0];
    // A closed shard read to its end names its children and hands out no further iterator.
    const shard = this.streams.shards(stream.arn).find((s) => s.id === position.shardId);
    if (shard?.endingSequenceNumber && !next) {
      const children = this.streams
        .shards(stream.arn)
        .filter((s) => s.parentShardId === shard.id || s.adjacentParentShardId === shard.id);
      return {
        Records: records.map((r) => this.recordView(stream, r)),
        MillisBehindLatest: 0,
        ChildShards: children.map((c) => ({
          ShardId: c.id,
          ParentShards: [c.parentShardId, c.adjacentParentShardId].filter(
            (p): p is string => p !== undefined,
          ),
          HashKeyRange: { StartingHashKey: c.startingHashKey, EndingHashKey: c.endingHashKey },
        })),
      };
    }
    return {
      Records: records.map((r) => this.recordView(stream, r)),
      NextShardIterator: encodeIterator({ ...position, after: last, issuedAt: now }),
      // How far this answer is from the tip: nothing left to read is 0.
      MillisBehindLatest: newest === undefined || last >= newest || !next ? 0 : now - next.arrivedAt,
    };
  }

  // ---- resharding -------------------------------------------------------------

  private openShard(stream: StreamRecord, id: string | undefined): ShardInfo {
    const shard = this.streams.shards(stream.arn).find((s) => s.id === id);
    if (!shard) {
      throw kinesisError.notFoundText(
        `Shard ${id} in stream ${stream.name} under account ${stream.account} does not exist`,
      );
    }
    if (shard.endingSequenceNumber) {
      throw kinesisError.invalidArgument(
        `Shard ${id} in stream ${stream.name} under account ${stream.account} has already been merged or split, and thus is not eligible for merging or splitting.`,
      );
    }
    return shard;
  }

  private checkProvisioned(stream: StreamRecord, operation: string): void {
    if (stream.mode === 'ON_DEMAND') {
      throw kinesisError.validation(`${operation} is not supported for streams in ON_DEMAND mode.`);
    }
  }

  async splitShard(input: K.SplitShardInput, ctx: RequestContext): Promise<void> {
    const stream = this.stream(input, ctx);
    this.checkProvisioned(stream, 'SplitShard');
    const shard = this.openShard(stream, input.ShardToSplit);
    const start = BigInt(shard.startingHashKey);
    const end = BigInt(shard.endingHashKey);
    const at = /^\d{1,39}$/.test(input.NewStartingHashKey ?? '') ? BigInt(input.NewStartingHashKey!) : -1n;
    if (at <= start || at > end) {
      throw kinesisError.invalidArgument(
        `NewStartingHashKey ${input.NewStartingHashKey} used in SplitShard() on shard ${shard.id} in stream ${stream.name} under account ${stream.account} is not both greater than one plus the shard's StartingHashKey ${start} and less than the shard's EndingHashKey ${end}.`,
      );
    }
    await this.streams.reshard(
      stream.arn,
      [shard.id],
      [
        { start, end: at - 1n, parentShardId: shard.id },
        { start: at, end, parentShardId: shard.id },
      ],
    );
  }

  async mergeShards(input: K.MergeShardsInput, ctx: RequestContext): Promise<void> {
    const stream = this.stream(input, ctx);
    this.checkProvisioned(stream, 'MergeShards');
    const a = this.openShard(stream, input.ShardToMerge);
    const b = this.openShard(stream, input.AdjacentShardToMerge);
    const [low, high] = BigInt(a.startingHashKey) < BigInt(b.startingHashKey) ? [a, b] : [b, a];
    if (BigInt(low.endingHashKey) + 1n !== BigInt(high.startingHashKey)) {
      throw kinesisError.invalidArgument(
        `Shards ${a.id} and ${b.id} in stream ${stream.name} under account ${stream.account} are not an adjacent pair of shards eligible for merging`,
      );
    }
    await this.streams.reshard(
      stream.arn,
      [a.id, b.id],
      [
        {
          start: BigInt(low.startingHashKey),
          end: BigInt(high.endingHashKey),
          parentShardId: a.id,
          adjacentParentShardId: b.id,
        },
      ],
    );
  }

  /**
   * UNIFORM_SCALING: the open shards are replaced by `target` shards over equal ranges, each
   * naming the old shards its range overlaps as parent and adjacent parent.
   */
  async updateShardCount(
    input: K.UpdateShardCountInput,
    ctx: RequestContext,
  ): Promise<K.UpdateShardCountOutput> {
    const stream = this.stream(input, ctx);
    this.checkProvisioned(stream, 'UpdateShardCount');
    if (input.ScalingType !== 'UNIFORM_SCALING') {
      throw kinesisError.validation(
        `1 validation error detected: Value '${input.ScalingType}' at 'scalingType' failed to satisfy constraint: Member must satisfy enum value set: [UNIFORM_SCALING]`,
      );
    }
    const open = this.streams.shards(stream.arn).filter((s) => !s.endingSequenceNumber);
    const current = open.length;
    const target = input.TargetShardCount ?? 0;
    if (target < 1 || target > current * 2 || target * 2 < current) {
      throw kinesisError.invalidArgument(
        `UpdateShardCount can scale a stream only between half and double its current open shard count (${current}); ${target} was asked for stream ${stream.name} under account ${stream.account}.`,
      );
    }
    if (target > SHARD_LIMIT)
      throw kinesisError.limitExceeded(
        `The target shard count exceeds the account's shard limit (${SHARD_LIMIT}).`,
      );
    const children = Array.from({ length: target }, (_, i) => {
      const start = (HASH_SPACE * BigInt(i)) / BigInt(target);
      const end = (HASH_SPACE * BigInt(i + 1)) / BigInt(target) - 1n;
      const overlapping = open.filter(
        (s) => BigInt(s.startingHashKey) <= end && BigInt(s.endingHashKey) >= start,
      );
      return { start, end, parentShardId: overlapping[0].id, adjacentParentShardId: overlapping[1]?.id };
    });
    await this.streams.reshard(
      stream.arn,
      open.map((s) => s.id),
      children,
    );
    return {
      StreamName: stream.name,
      StreamARN: stream.arn,
      CurrentShardCount: current,
      TargetShardCount: target,
    };
  }

  async updateStreamMode(input: K.UpdateStreamModeInput, ctx: RequestContext): Promise<void> {
    const stream = this.stream({ StreamARN: input.StreamARN }, ctx);
    const mode = input.StreamModeDetails?.StreamMode;
    if (mode !== 'PROVISIONED' && mode !== 'ON_DEMAND') {
      throw kinesisError.validation(`StreamMode must be PROVISIONED or ON_DEMAND.`);
    }
    await this.streams.updateStream({ ...stream, mode });
  }

  // ---- stream settings -------------------------------------------------------

  private checkRetention(hours: number | undefined): number {
    if (hours === undefined || hours < MIN_RETENTION_HOURS) {
      throw kinesisError.invalidArgument(
        `Minimum allowed retention period is ${MIN_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too short.`,
      );
    }
    if (hours > MAX_RETENTION_HOURS) {
      throw kinesisError.invalidArgument(
        `Maximum allowed retention period is ${MAX_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too long.`,
      );
    }
    return hours;
  }

  async increaseStreamRetentionPeriod(
    input: K.IncreaseStreamRetentionPeriodInput,
    ctx: RequestContext,
  ): Promise<void> {
    const stream = this.stream(input, ctx);
    const hours = this.checkRetention(input.RetentionPeriodHours);
    if (hours < stream.retentionHours) {
      throw kinesisError.invalidArgument(
        `Requested retention period (${hours} hours) for stream ${stream.name} can not be shorter than existing retention period (${stream.retentionHours} hours). Use DecreaseRetentionPeriod API.`,
      );
    }
    await this.streams.updateStream({ ...stream, retentionHours: hours });
  }

  async decreaseStreamRetentionPeriod(
    input: K.DecreaseStreamRetentionPeriodInput,
    ctx: RequestContext,
  ): Promise<void> {
    const stream = this.stream(input, ctx);
    const hours = this.checkRetention(input.RetentionPeriodHours);
    if (hours > stream.retentionHours) {
      throw kinesisError.invalidArgument(
        `Requested retention period (${hours} hours) for stream ${stream.name} can not be longer than existing retention period (${stream.retentionHours} hours). Use IncreaseRetentionPeriod API.`,
      );
    }
    await this.streams.updateStream({ ...stream, retentionHours: hours });
  }

  async startStreamEncryption(input: K.StartStreamEncryptionInput, ctx: RequestContext): Promise<void> {
    const stream = this.stream(input, ctx);
    if (input.EncryptionType !== 'KMS') {
      throw kinesisError.invalidArgument(
        `Encryption type ${input.EncryptionType} is not supported: use KMS.`,
      );
    }
    if (!input.KeyId) throw kinesisError.invalidArgument('KeyId is required.');
    await this.streams.updateStream({ ...stream, encryption: { keyId: input.KeyId } });
  }

  async stopStreamEncryption(input: K.StopStreamEncryptionInput, ctx: RequestContext): Promise<void> {
    const stream = this.stream(input, ctx);
    if (input.EncryptionType !== 'KMS') {
      throw kinesisError.invalidArgument(
        `Encryption type ${input.EncryptionType} is not supported: use KMS.`,
      );
    }
    await this.streams.updateStream({ ...stream, encryption: undefined });
  }

  private async monitoring(
    input: K.EnableEnhancedMonitoringInput,
    ctx: RequestContext,
    enable: boolean,
  ): Promise<K.EnhancedMonitoringOutput> {
    const stream = this.stream(input, ctx);
    const asked = input.ShardLevelMetrics ?? [];
    if (asked.length === 0 || asked.some((m) => !SHARD_METRICS.includes(m) && m !== 'ALL')) {
      throw kinesisError.invalidArgument(
        `ShardLevelMetrics must be among ${SHARD_METRICS.join(', ')} or ALL.`,
      );
    }
    const named = asked.includes('ALL') ? SHARD_METRICS : asked;
    const current = [...stream.shardLevelMetrics];
    const desired = enable
      ? SHARD_METRICS.filter((m) => current.includes(m) || named.includes(m))
      : current.filter((m) => !named.includes(m));
    await this.streams.updateStream({ ...stream, shardLevelMetrics: desired });
    return {
      StreamName: stream.name,
      StreamARN: stream.arn,
      CurrentShardLevelMetrics: current as K.MetricsName[],
      DesiredShardLevelMetrics: desired as K.MetricsName[],
    };
  }

  enableEnhancedMonitoring(input: K.EnableEnhancedMonitoringInput, ctx: RequestContext) {
    return this.monitoring(input, ctx, true);
  }

  disableEnhancedMonitoring(input: K.DisableEnhancedMonitoringInput, ctx: RequestContext) {
    return this.monitoring(input, ctx, false);
  }

  describeLimits(_input: K.DescribeLimitsInput, ctx: RequestContext): K.DescribeLimitsOutput {
    const mine = this.streams.listStreams(ctx.caller.account, ctx.caller.region);
    return {
      ShardLimit: SHARD_LIMIT,
      OpenShardCount: mine.reduce(
        (n, s) => n + this.streams.shards(s.arn).filter((x) => !x.endingSequenceNumber).length,
        0,
      ),
      OnDemandStreamCount: mine.filter((s) => s.mode === 'ON_DEMAND').length,
      OnDemandStreamCountLimit: ON_DEMAND_STREAM_LIMIT,
    };
  }

  async updateMaxRecordSize(input: K.UpdateMaxRecordSizeInput, ctx: RequestContext): Promise<void> {
    const stream = this.stream(input, ctx);
    const size = input.MaxRecordSizeInKiB ?? 0;
    if (size < 1024 || size > 10240) {
      throw kinesisError.validation(
        `1 validation error detected: Value '${size}' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value between 1024 and 10240`,
      );
    }
    await this.streams.updateStream({ ...stream, maxRecordSizeKiB: size });
  }

  private recordView(stream: StreamRecord, r: StoredStreamRecord): K._Record {
    return {
      SequenceNumber: r.sequenceNumber,
      ApproximateArrivalTimestamp: new Date(r.arrivedAt),
      Data: r.data,
      PartitionKey: r.partitionKey,
      EncryptionType: stream.encryption ? 'KMS' : undefined,
    };
  }

  // ---- tags -----------------------------------------------------------------

  /** TagResource and friends name the stream by ARN. */
  private byResource(arn: string | undefined, ctx: RequestContext): StreamRecord {
    if (!arn?.startsWith('arn:aws:kinesis:'))
      throw kinesisError.invalidArgument(`ResourceARN ${arn} is invalid.`);
    return this.stream({ StreamARN: arn }, ctx);
  }

  async tagResource(input: K.TagResourceInput, ctx: RequestContext): Promise<void> {
    await this.addTagsToStream(
      { StreamARN: this.byResource(input.ResourceARN, ctx).arn, Tags: input.Tags },
      ctx,
    );
  }

  async untagResource(input: K.UntagResourceInput, ctx: RequestContext): Promise<void> {
    await this.removeTagsFromStream(
      { StreamARN: this.byResource(input.ResourceARN, ctx).arn, TagKeys: input.TagKeys },
      ctx,
    );
  }

  listTagsForResource(input: K.ListTagsForResourceInput, ctx: RequestContext): K.ListTagsForResourceOutput {
    const stream = this.byResource(input.ResourceARN, ctx);
    return { Tags: Object.entries(stream.tags).map(([Key, Value]) => ({ Key, Value })) };
  }

  async addTagsToStream(input: K.AddTagsToStreamInput, ctx: RequestContext): Promise<void> {
    const stream = this.stream(input, ctx);
    const tags = { ...stream.tags, ...(input.Tags ?? {}) };
    if (Object.keys(tags).length > MAX_TAGS) {
      throw kinesisError.invalidArgument(
        `Failed to add tags to stream ${stream.name} under account ${stream.account} because a given stream cannot have more than ${MAX_TAGS} tags.`,
      );
    }
    await this.streams.updateStream({ ...stream, tags });
  }

  listTagsForStream(input: K.ListTagsForStreamInput, ctx: RequestContext): K.ListTagsForStreamOutput {
    const stream = this.stream(input, ctx);
    let keys = Object.keys(stream.tags).sort();
    if (input.ExclusiveStartTagKey !== undefined) keys = keys.filter((k) => k > input.ExclusiveStartTagKey!);
    const limit = input.Limit ?? 10;
    return {
      Tags: keys.slice(0, limit).map((Key) => ({ Key, Value: stream.tags[Key] })),
      HasMoreTags: keys.length > limit,
    };
  }

  async removeTagsFromStream(input: K.RemoveTagsFromStreamInput, ctx: RequestContext): Promise<void> {
    const stream = this.stream(input, ctx);
    const tags = { ...stream.tags };
    for (const key of input.TagKeys ?? []) delete tags[key];
    await this.streams.updateStream({ ...stream, tags });
  }
}

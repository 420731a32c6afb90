import type * as K from '@aws-sdk/client-kinesis';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler } from '../../core/scheduler.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import type { RequestContext } from '../../protocols/service.js';
import type { RecordStore, ShardInfo, StreamRecord, StreamStorage } from '../../storage/types.js';
import type { KeyFrontDoor } from '../kms/front-door.js';
import type { AccountCommitment, AccountSettings } from './account-settings.js';
import { STREAM_ARN, streamArn } from './arns.js';
import { liveConsumers } from './consumers.js';
import { StreamEncryption } from './encryption.js';
import { kinesisError } from './errors.js';
import { authorizeStreamAccess } from './resource-policies.js';
import { type StatusNeed, StreamStatuses } from './status.js';
import { checkDistribution, checkSwitchWarmThroughput, checkWarmThroughput } from './stream-settings.js';
import { ShardThroughput } from './throughput.js';

// On-demand streams start with four shards (Kinesis guide, "On-demand mode").
const ON_DEMAND_SHARDS = 4;
const DEFAULT_RETENTION_HOURS = 24;
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
export const SHARD_LIMIT = 500;
const ON_DEMAND_STREAM_LIMIT = 50;

type OnDemandSummary = Pick<K.StreamDescriptionSummary, 'RecordDistributionStrategy' | 'WarmThroughput'>;

export interface KinesisStreamOptions {
  /** How long CREATING, UPDATING and DELETING last, in clock ms; with 0 a change completes in its call. */
  statusDelayMs?: number;
  /** Enforce the per-shard throughput quotas (ProvisionedThroughputExceededException). */
  limits?: boolean;
  /** Completes status changes on time when no request comes to look. */
  scheduler: Scheduler;
  log?: Logger;
  /** Where the accounts' throughput commitments are kept. */
  commitments: RecordStore<AccountCommitment>;
  /** KMS's front door, for server-side encryption with a KMS key. */
  kms?: KeyFrontDoor;
  /** Readers falling behind, for `tideway doctor`. */
  hints?: HintRecorder;
}

interface KinesisServiceOptions extends KinesisStreamOptions {
  /** The accounts' throughput commitments, which warm throughput requires. */
  accounts: AccountSettings;
}

/**
 * Kinesis Data Streams' streams: their life, settings and tags, and the lookups records.ts and
 * resharding.ts share.
 */
export class KinesisService {
  readonly statuses: StreamStatuses;
  /** Present only with --kinesis-limits: no quota bookkeeping otherwise. */
  readonly throughput: ShardThroughput | undefined;
  /** The KMS key of encrypted streams, met at StartStreamEncryption, writes and reads. */
  readonly encryption: StreamEncryption;
  readonly hints: HintRecorder | undefined;
  private readonly accounts: AccountSettings;

  constructor(
    readonly streams: StreamStorage,
    readonly clock: Clock,
    options: KinesisServiceOptions,
  ) {
    this.statuses = new StreamStatuses(streams, clock, options.statusDelayMs ?? 0, options.scheduler, (err) =>
      options.log?.error({ err }, 'a Kinesis stream status change failed'),
    );
    this.throughput = options.limits ? new ShardThroughput() : undefined;
    this.encryption = new StreamEncryption(options.kms);
    this.accounts = options.accounts;
    this.hints = options.hints;
  }

  /** How long CREATING, UPDATING and DELETING last (consumers pass through theirs as long). */
  get statusDelayMs(): number {
    return this.statuses.delayMs;
  }

  /** Forgets status changes under way and throughput counters, with the streams (admin reset). */
  reset(): void {
    this.statuses.reset();
    this.throughput?.reset();
  }

  /**
   * The stream, once every status change that has fallen due has completed, checked against what
   * the operation needs of its status.
   */
  async current(
    input: { StreamName?: string; StreamARN?: string },
    ctx: RequestContext,
    need?: StatusNeed,
  ): Promise<StreamRecord> {
    await this.statuses.settle();
    return this.checked(input, ctx, need);
  }

  /**
   * `current` for the record path: with no status change under way there is nothing to settle, so
   * the stream is found without waiting for a turn of the event loop.
   */
  currentNow(
    input: { StreamName?: string; StreamARN?: string },
    ctx: RequestContext,
    need?: StatusNeed,
  ): StreamRecord | Promise<StreamRecord> {
    return this.statuses.idle ? this.checked(input, ctx, need) : this.current(input, ctx, need);
  }

  checked(
    input: { StreamName?: string; StreamARN?: string },
    ctx: RequestContext,
    need: StatusNeed | undefined,
  ): StreamRecord {
    const stream = this.stream(input, ctx);
    if (need) this.statuses.require(stream, need);
    return stream;
  }

  /** Puts the stream in UPDATING; the change lands when it is ACTIVE again, as on AWS. */
  updating(stream: StreamRecord, change: Partial<StreamRecord> | (() => Promise<unknown>)): Promise<void> {
    const arn = stream.arn;
    return this.statuses.begin(arn, 'UPDATING', async () => {
      // Read again at the end: tags and other settings may have changed in the meantime.
      const latest = this.streams.getStream(arn);
      if (!latest) return;
      if (typeof change === 'function') await change();
      else await this.streams.updateStream({ ...latest, ...change });
    });
  }

  /** A stream named by StreamName or StreamARN (Kinesis accepts either wherever it takes a stream). */
  stream(input: { StreamName?: string; StreamARN?: string }, ctx: RequestContext): StreamRecord {
    let account = ctx.caller.account;
    let region = ctx.caller.region;
    let name = input.StreamName;
    if (input.StreamARN !== undefined) {
      const m = STREAM_ARN.exec(input.StreamARN);
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
    if (!stream) throw kinesisError.notFound(name, account);
    // Another account's stream (named by ARN) is reached only where its resource policy allows it.
    authorizeStreamAccess(stream, ctx);
    return stream;
  }

  async createStream(input: K.CreateStreamInput, ctx: RequestContext): Promise<void> {
    const mode =
      input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
    const recordDistribution =
      input.RecordDistributionStrategy === undefined
        ? undefined
        : checkDistribution(input.RecordDistributionStrategy, mode);
    const warmThroughputMiBps =
      input.WarmThroughputMiBps === undefined
        ? undefined
        : checkWarmThroughput(
            input.WarmThroughputMiBps,
            mode,
            this.accounts.committed(ctx.caller.account, ctx.caller.region),
          );
    await this.statuses.settle();
    const name = input.StreamName!;
    if (mode === 'PROVISIONED' && input.ShardCount === undefined) {
      throw kinesisError.invalidArgument('ShardCount is required for streams in PROVISIONED mode.');
    }
    if (mode === 'ON_DEMAND' && input.ShardCount !== undefined) {
      throw kinesisError.invalidArgument('ShardCount must not be given for streams in ON_DEMAND mode.');
    }
    const shardCount = input.ShardCount ?? ON_DEMAND_SHARDS;
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
        warmThroughputMiBps,
        recordDistribution,
      },
      shardCount,
    );
    await this.statuses.begin(arn, 'CREATING');
  }

  async deleteStream(input: K.DeleteStreamInput, ctx: RequestContext): Promise<void> {
    const stream = await this.current(input, ctx, 'delete');
    const arn = stream.arn;
    // DeleteStream: a stream with registered consumers goes only with EnforceConsumerDeletion.
    if (!input.EnforceConsumerDeletion && liveConsumers(stream, this.clock.now()).length > 0) {
      throw kinesisError.inUse(
        `Stream ${stream.name} under account ${stream.account} has registered consumers. Deregister them or set EnforceConsumerDeletion.`,
      );
    }
    await this.statuses.begin(arn, 'DELETING', async () => {
      this.throughput?.forget(arn);
      if (this.streams.getStream(arn)) await this.streams.deleteStream(arn);
    });
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

  async describeStream(input: K.DescribeStreamInput, ctx: RequestContext): Promise<K.DescribeStreamOutput> {
    const stream = await this.current(input, ctx);
    // A stream being created shows no shards yet (Shards [] and HasMoreShards false on AWS).
    const all = this.statuses.hasShards(stream.arn) ? this.streams.shards(stream.arn) : [];
    const from = input.ExclusiveStartShardId
      ? all.findIndex((s) => s.id === input.ExclusiveStartShardId) + 1
      : 0;
    const limit = input.Limit ?? 100;
    const page = all.slice(from, from + limit);
    return {
      StreamDescription: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: this.statuses.status(stream.arn),
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

  async describeStreamSummary(
    input: K.DescribeStreamSummaryInput,
    ctx: RequestContext,
  ): Promise<K.DescribeStreamSummaryOutput> {
    const stream = await this.current(input, ctx);
    const shards = this.statuses.hasShards(stream.arn) ? this.streams.shards(stream.arn) : [];
    return {
      StreamDescriptionSummary: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: this.statuses.status(stream.arn),
        StreamModeDetails: this.modeDetails(stream),
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: new Date(stream.createdAt),
        EnhancedMonitoring: [{ ShardLevelMetrics: [...stream.shardLevelMetrics] as K.MetricsName[] }],
        EncryptionType: stream.encryption ? 'KMS' : 'NONE',
        KeyId: stream.encryption?.keyId,
        OpenShardCount: shards.filter((s) => !s.endingSequenceNumber).length,
        ConsumerCount: liveConsumers(stream, this.clock.now()).length,
        MaxRecordSizeInKiB: stream.maxRecordSizeKiB,
        ...this.onDemandSettings(stream),
      },
    };
  }

  /**
   * StreamDescriptionSummary's RecordDistributionStrategy, "only present for streams that use the
   * on-demand capacity mode", and WarmThroughput, only for on-demand streams of accounts under the
   * commitment (API Reference, WarmThroughputObject).
   */
  private onDemandSettings(stream: StreamRecord): OnDemandSummary {
    if (stream.mode !== 'ON_DEMAND') return {};
    const settings: OnDemandSummary = {
      RecordDistributionStrategy: stream.recordDistribution ?? 'USER_PARTITION_KEY',
    };
    if (this.accounts.committed(stream.account, stream.region)) {
      const mibps = stream.warmThroughputMiBps ?? 0;
      settings.WarmThroughput = { TargetMiBps: mibps, CurrentMiBps: mibps };
    }
    return settings;
  }

  async listStreams(input: K.ListStreamsInput, ctx: RequestContext): Promise<K.ListStreamsOutput> {
    await this.statuses.settle();
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
        StreamStatus: this.statuses.status(s.arn),
        StreamModeDetails: this.modeDetails(s),
        StreamCreationTimestamp: new Date(s.createdAt),
      })),
    };
  }

  async listShards(input: K.ListShardsInput, ctx: RequestContext): Promise<K.ListShardsOutput> {
    await this.statuses.settle();
    let from = 0;
    let stream: StreamRecord;
    if (input.NextToken !== undefined) {
      if (input.StreamName !== undefined || input.StreamARN !== undefined) {
        throw kinesisError.invalidArgument('NextToken and StreamName cannot be provided together.');
      }
      const [arn, index] = Buffer.from(input.NextToken, 'base64url').toString().split('\n');
      if (!STREAM_ARN.test(arn ?? '') || !/^\d+$/.test(index ?? '')) {
        throw kinesisError.invalidArgument('NextToken is invalid.');
      }
      stream = this.stream({ StreamARN: arn }, ctx);
      from = Number(index);
    } else {
      stream = this.stream(input, ctx);
    }
    this.statuses.require(stream, 'shards');
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

  async updateStreamMode(input: K.UpdateStreamModeInput, ctx: RequestContext): Promise<void> {
    const warm = checkSwitchWarmThroughput(
      input.WarmThroughputMiBps,
      input.StreamModeDetails?.StreamMode,
      this.accounts.committed(ctx.caller.account, ctx.caller.region),
    );
    const stream = await this.current({ StreamARN: input.StreamARN }, ctx, 'change');
    const mode = input.StreamModeDetails?.StreamMode;
    if (mode !== 'PROVISIONED' && mode !== 'ON_DEMAND') {
      throw kinesisError.validation(`StreamMode must be PROVISIONED or ON_DEMAND.`);
    }
    // Warm throughput and AUTO distribution are on-demand settings: a provisioned stream keeps
    // neither. Like the mode, they change when the stream is ACTIVE again.
    const change: Partial<StreamRecord> =
      mode === 'PROVISIONED'
        ? { mode, warmThroughputMiBps: undefined, recordDistribution: undefined }
        : warm === undefined
          ? { mode }
          : { mode, warmThroughputMiBps: warm };
    await this.updating(stream, change);
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
    const stream = await this.current(input, ctx, 'change');
    const hours = this.checkRetention(input.RetentionPeriodHours);
    if (hours < stream.retentionHours) {
      throw kinesisError.invalidArgument(
        `Requested retention period (${hours} hours) for stream ${stream.name} can not be shorter than existing retention period (${stream.retentionHours} hours). Use DecreaseRetentionPeriod API.`,
      );
    }
    await this.updating(stream, { retentionHours: hours });
  }

  async decreaseStreamRetentionPeriod(
    input: K.DecreaseStreamRetentionPeriodInput,
    ctx: RequestContext,
  ): Promise<void> {
    const stream = await this.current(input, ctx, 'change');
    const hours = this.checkRetention(input.RetentionPeriodHours);
    if (hours > stream.retentionHours) {
      throw kinesisError.invalidArgument(
        `Requested retention period (${hours} hours) for stream ${stream.name} can not be longer than existing retention period (${stream.retentionHours} hours). Use IncreaseRetentionPeriod API.`,
      );
    }
    await this.updating(stream, { retentionHours: hours });
  }

  async startStreamEncryption(input: K.StartStreamEncryptionInput, ctx: RequestContext): Promise<void> {
    const stream = await this.current(input, ctx, 'change');
    if (input.EncryptionType !== 'KMS') {
      throw kinesisError.invalidArgument(
        `Encryption type ${input.EncryptionType} is not supported: use KMS.`,
      );
    }
    if (!input.KeyId) throw kinesisError.invalidArgument('KeyId is required.');
    this.encryption.checkStart(stream, input.KeyId);
    // "Once the status of the stream is ACTIVE, encryption begins for records written" (StartStreamEncryption).
    await this.updating(stream, { encryption: { keyId: input.KeyId } });
  }

  async stopStreamEncryption(input: K.StopStreamEncryptionInput, ctx: RequestContext): Promise<void> {
    const stream = await this.current(input, ctx, 'change');
    if (input.EncryptionType !== 'KMS') {
      throw kinesisError.invalidArgument(
        `Encryption type ${input.EncryptionType} is not supported: use KMS.`,
      );
    }
    await this.updating(stream, { encryption: undefined });
  }

  private async monitoring(
    input: K.EnableEnhancedMonitoringInput,
    ctx: RequestContext,
    enable: boolean,
  ): Promise<K.EnhancedMonitoringOutput> {
    const stream = await this.current(input, ctx, 'settings');
    // The model's constraints (1 to 7 names from its enum) were checked before the handler ran.
    const asked = input.ShardLevelMetrics!;
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

  async describeLimits(_input: K.DescribeLimitsInput, ctx: RequestContext): Promise<K.DescribeLimitsOutput> {
    await this.statuses.settle();
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
    const stream = await this.current(input, ctx, 'settings');
    const size = input.MaxRecordSizeInKiB!;
    await this.streams.updateStream({ ...stream, maxRecordSizeKiB: size });
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

  async listTagsForResource(
    input: K.ListTagsForResourceInput,
    ctx: RequestContext,
  ): Promise<K.ListTagsForResourceOutput> {
    await this.statuses.settle();
    const stream = this.byResource(input.ResourceARN, ctx);
    return { Tags: Object.entries(stream.tags).map(([Key, Value]) => ({ Key, Value })) };
  }

  async addTagsToStream(input: K.AddTagsToStreamInput, ctx: RequestContext): Promise<void> {
    const stream = await this.current(input, ctx, 'settings');
    const tags = { ...stream.tags, ...(input.Tags ?? {}) };
    if (Object.keys(tags).length > MAX_TAGS) {
      throw kinesisError.invalidArgument(
        `Failed to add tags to stream ${stream.name} under account ${stream.account} because a given stream cannot have more than ${MAX_TAGS} tags.`,
      );
    }
    await this.streams.updateStream({ ...stream, tags });
  }

  async listTagsForStream(
    input: K.ListTagsForStreamInput,
    ctx: RequestContext,
  ): Promise<K.ListTagsForStreamOutput> {
    const stream = await this.current(input, ctx);
    let keys = Object.keys(stream.tags).sort();
    if (input.ExclusiveStartTagKey !== undefined) keys = keys.filter((k) => k > input.ExclusiveStartTagKey!);
    const limit = input.Limit ?? 10;
    return {
      Tags: keys.slice(0, limit).map((Key) => ({ Key, Value: stream.tags[Key] })),
      HasMoreTags: keys.length > limit,
    };
  }

  async removeTagsFromStream(input: K.RemoveTagsFromStreamInput, ctx: RequestContext): Promise<void> {
    const stream = await this.current(input, ctx, 'settings');
    const tags = { ...stream.tags };
    for (const key of input.TagKeys ?? []) delete tags[key];
    await this.streams.updateStream({ ...stream, tags });
  }
}

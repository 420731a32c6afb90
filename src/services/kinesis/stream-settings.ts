import { randomUUID } from 'node:crypto';
import type * as K from '@aws-sdk/client-kinesis';
import { formatArn } from '../../core/arn.js';
import type { RequestContext } from '../../protocols/service.js';
import type { StreamRecord, StreamStorage } from '../../storage/types.js';
import type { AccountSettings } from './account-settings.js';
import { kinesisError } from './errors.js';

// Settings of on-demand streams that come with the current API: warm throughput (the write
// capacity kept ready, On-demand Advantage accounts only) and the record distribution strategy
// (API Reference, UpdateStreamWarmThroughput and UpdateStreamRecordDistributionStrategy), with
// what they change elsewhere: CreateStream and UpdateStreamMode take them too, DescribeStreamSummary
// reports them, and an AUTO stream places records itself.

/** UpdateStreamWarmThroughput: "Scale to more than 10 GiBps for an on-demand stream" is refused. */
const MAX_WARM_MIBPS = 10 * 1024;
const STRATEGIES = ['AUTO', 'USER_PARTITION_KEY'];

type Handler = (input: any, ctx: RequestContext) => unknown;
type StreamInput = { StreamName?: string; StreamARN?: string };

export class StreamSettings {
  /** Where each AUTO stream's next record goes, counting over its open shards. */
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly streams: StreamStorage,
    private readonly accounts: AccountSettings,
    /** Finds a stream the caller may use, by name or ARN, with Kinesis's errors. */
    private readonly lookup: (input: StreamInput, ctx: RequestContext) => StreamRecord,
  ) {}

  async updateWarmThroughput(
    input: K.UpdateStreamWarmThroughputInput,
    ctx: RequestContext,
  ): Promise<K.UpdateStreamWarmThroughputOutput> {
    const stream = this.lookup(input, ctx);
    const mibps = this.checkWarm(input.WarmThroughputMiBps, stream.mode, stream.account, stream.region);
    await this.streams.updateStream({ ...stream, warmThroughputMiBps: mibps });
    // Tideway scales at once (no UPDATING), so the stream is already at its target.
    return {
      StreamARN: stream.arn,
      StreamName: stream.name,
      WarmThroughput: { TargetMiBps: mibps, CurrentMiBps: mibps },
    };
  }

  async updateDistribution(
    input: K.UpdateStreamRecordDistributionStrategyInput,
    ctx: RequestContext,
  ): Promise<void> {
    const stream = this.lookup({ StreamARN: input.StreamARN }, ctx);
    const strategy = this.checkStrategy(input.RecordDistributionStrategy, stream.mode);
    await this.streams.updateStream({ ...stream, recordDistribution: strategy });
  }

  // ---- what the settings change in other operations ----------------------------------------------

  /** CreateStream with WarmThroughputMiBps or RecordDistributionStrategy: checked, then set. */
  creating(create: Handler): Handler {
    return async (input: K.CreateStreamInput, ctx) => {
      if (input.WarmThroughputMiBps === undefined && input.RecordDistributionStrategy === undefined) {
        return create(input, ctx);
      }
      const mode =
        input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
      const strategy =
        input.RecordDistributionStrategy === undefined
          ? undefined
          : this.checkStrategy(input.RecordDistributionStrategy, mode);
      const mibps =
        input.WarmThroughputMiBps === undefined
          ? undefined
          : this.checkWarm(input.WarmThroughputMiBps, mode, ctx.caller.account, ctx.caller.region);
      const out = await create(input, ctx);
      const arn = formatArn('kinesis', ctx.caller.region, ctx.caller.account, `stream/${input.StreamName}`);
      const stream = this.streams.getStream(arn);
      if (stream) {
        await this.streams.updateStream({
          ...stream,
          warmThroughputMiBps: mibps,
          recordDistribution: strategy,
        });
      }
      return out;
    };
  }

  /**
   * UpdateStreamMode: WarmThroughputMiBps only with a switch to on-demand. A provisioned stream
   * keeps neither warm throughput nor AUTO distribution, which are on-demand settings.
   */
  switchingMode(update: Handler): Handler {
    return async (input: K.UpdateStreamModeInput, ctx) => {
      const target = input.StreamModeDetails?.StreamMode;
      let mibps: number | undefined;
      if (input.WarmThroughputMiBps !== undefined) {
        if (target !== 'ON_DEMAND') {
          throw kinesisError.invalidArgument(
            'WarmThroughputMiBps can only be given when the stream mode is updated to ON_DEMAND.',
          );
        }
        mibps = this.checkWarm(input.WarmThroughputMiBps, 'ON_DEMAND', ctx.caller.account, ctx.caller.region);
      }
      const out = await update(input, ctx);
      const stream = this.streams.getStream(input.StreamARN ?? '');
      if (stream && target === 'PROVISIONED') {
        await this.streams.updateStream({
          ...stream,
          warmThroughputMiBps: undefined,
          recordDistribution: undefined,
        });
      } else if (stream && mibps !== undefined) {
        await this.streams.updateStream({ ...stream, warmThroughputMiBps: mibps });
      }
      return out;
    };
  }

  /** DescribeStreamSummary with the settings it reports. */
  describing(describe: Handler): Handler {
    return async (input, ctx) => {
      const out = (await describe(input, ctx)) as K.DescribeStreamSummaryOutput;
      const summary = out.StreamDescriptionSummary;
      const stream = summary?.StreamARN ? this.streams.getStream(summary.StreamARN) : undefined;
      if (!summary || !stream) return out;
      summary.MaxRecordSizeInKiB = stream.maxRecordSizeKiB;
      if (stream.mode === 'ON_DEMAND') {
        summary.RecordDistributionStrategy = stream.recordDistribution ?? 'USER_PARTITION_KEY';
        // API Reference, WarmThroughputObject: only on-demand streams of committed accounts have one.
        if (this.accounts.committed(stream.account, stream.region)) {
          const mibps = stream.warmThroughputMiBps ?? 0;
          summary.WarmThroughput = { TargetMiBps: mibps, CurrentMiBps: mibps };
        }
      }
      return out;
    };
  }

  /**
   * PutRecord on an AUTO stream: the partition key and ExplicitHashKey are ignored and the record
   * goes to the next open shard in turn (API Reference, UpdateStreamRecordDistributionStrategy:
   * "distributes records evenly across shards"). A record sent without a partition key gets one.
   */
  placing(put: Handler): Handler {
    return (input: K.PutRecordInput, ctx) => {
      const stream = this.autoStream(input, ctx);
      return put(stream ? { ...input, ...this.place(stream, input.PartitionKey) } : input, ctx);
    };
  }

  /** PutRecords on an AUTO stream: each record placed as `placing` places one. */
  placingAll(put: Handler): Handler {
    return (input: K.PutRecordsInput, ctx) => {
      const stream = this.autoStream(input, ctx);
      if (!stream || !Array.isArray(input.Records)) return put(input, ctx);
      const records = input.Records.map((r) => ({ ...r, ...this.place(stream, r.PartitionKey) }));
      return put({ ...input, Records: records }, ctx);
    };
  }

  reset(): void {
    this.turns.clear();
  }

  // ---- checks and placement ------------------------------------------------------------------------

  private checkWarm(value: number | undefined, mode: string, account: string, region: string): number {
    const mibps = value ?? 0;
    if (mibps < 0) {
      throw kinesisError.validation(
        `1 validation error detected: Value '${mibps}' at 'warmThroughputMiBps' failed to satisfy constraint: Member must have value greater than or equal to 0`,
      );
    }
    if (mode !== 'ON_DEMAND') {
      throw kinesisError.invalidArgument(
        'Warm throughput is only supported for streams in ON_DEMAND mode; provisioned streams do not support it.',
      );
    }
    if (!this.accounts.committed(account, region)) {
      throw kinesisError.invalidArgument(
        'Warm throughput requires MinimumThroughputBillingCommitment to be enabled for the account (UpdateAccountSettings).',
      );
    }
    if (mibps > MAX_WARM_MIBPS) {
      throw kinesisError.limitExceeded(
        `Warm throughput of ${mibps} MiBps exceeds the limit of ${MAX_WARM_MIBPS} MiBps for an on-demand stream.`,
      );
    }
    return mibps;
  }

  private checkStrategy(value: string | undefined, mode: string): 'AUTO' | 'USER_PARTITION_KEY' {
    if (value === undefined || !STRATEGIES.includes(value)) {
      throw kinesisError.validation(
        `1 validation error detected: Value '${value}' at 'recordDistributionStrategy' failed to satisfy constraint: Member must satisfy enum value set: [${STRATEGIES.join(', ')}]`,
      );
    }
    // API Reference: "Attempting to set AUTO on a provisioned stream results in an InvalidArgumentException."
    if (value === 'AUTO' && mode !== 'ON_DEMAND') {
      throw kinesisError.invalidArgument(
        'The AUTO record distribution strategy is only supported for streams in ON_DEMAND mode.',
      );
    }
    return value as 'AUTO' | 'USER_PARTITION_KEY';
  }

  /**
   * The stream a put names when it distributes records itself, found straight from storage (a
   * put to any other stream pays one map lookup); the put's own lookup still does the checks.
   */
  private autoStream(input: StreamInput, ctx: RequestContext): StreamRecord | undefined {
    const arn =
      input.StreamARN ??
      (input.StreamName === undefined
        ? undefined
        : formatArn('kinesis', ctx.caller.region, ctx.caller.account, `stream/${input.StreamName}`));
    const stream = arn === undefined ? undefined : this.streams.getStream(arn);
    return stream?.mode === 'ON_DEMAND' && stream.recordDistribution === 'AUTO' ? stream : undefined;
  }

  private place(stream: StreamRecord, partitionKey: string | undefined) {
    const open = this.streams
      .shards(stream.arn)
      .filter((s) => s.endingSequenceNumber === undefined)
      .sort((a, b) => (BigInt(a.startingHashKey) < BigInt(b.startingHashKey) ? -1 : 1));
    const turn = this.turns.get(stream.arn) ?? 0;
    this.turns.set(stream.arn, turn + 1);
    return {
      PartitionKey: partitionKey || randomUUID(),
      ExplicitHashKey: open[turn % open.length].startingHashKey,
    };
  }
}

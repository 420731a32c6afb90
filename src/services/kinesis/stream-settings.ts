import type * as K from '@aws-sdk/client-kinesis';
import type { RequestContext } from '../../protocols/service.js';
import type { StreamRecord, StreamStorage } from '../../storage/types.js';
import type { AccountSettings } from './account-settings.js';
import { kinesisError } from './errors.js';

// Settings of on-demand streams that come with the current API: warm throughput (the write
// capacity kept ready, On-demand Advantage accounts only) and the record distribution strategy
// (API Reference, UpdateStreamWarmThroughput and UpdateStreamRecordDistributionStrategy). Their
// checks live here; CreateStream and UpdateStreamMode take the settings too, DescribeStreamSummary
// reports them and an AUTO stream places records itself, all in service.ts.

/** UpdateStreamWarmThroughput: "Scale to more than 10 GiBps for an on-demand stream" is refused. */
const MAX_WARM_MIBPS = 10 * 1024;
const STRATEGIES = ['AUTO', 'USER_PARTITION_KEY'];

export type RecordDistribution = 'AUTO' | 'USER_PARTITION_KEY';

/** A warm throughput target for a stream in `mode` of an account `committed` or not, in MiB/s. */
export function checkWarmThroughput(value: number | undefined, mode: string, committed: boolean): number {
  const mibps = value ?? 0;
  if (mode !== 'ON_DEMAND') {
    throw kinesisError.invalidArgument(
      'Warm throughput is only supported for streams in ON_DEMAND mode; provisioned streams do not support it.',
    );
  }
  if (!committed) {
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

/**
 * UpdateStreamMode's WarmThroughputMiBps, "only valid when the stream mode is being updated to
 * on-demand": the target, or undefined when none is given.
 */
export function checkSwitchWarmThroughput(
  value: number | undefined,
  target: string | undefined,
  committed: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  if (target !== 'ON_DEMAND') {
    throw kinesisError.invalidArgument(
      'WarmThroughputMiBps can only be given when the stream mode is updated to ON_DEMAND.',
    );
  }
  return checkWarmThroughput(value, 'ON_DEMAND', committed);
}

/** A record distribution strategy for a stream in `mode`. */
export function checkDistribution(value: string | undefined, mode: string): RecordDistribution {
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
  return value as RecordDistribution;
}

/** Whether the stream places records itself, ignoring partition keys and ExplicitHashKeys. */
export function distributesRecords(stream: StreamRecord): boolean {
  return stream.mode === 'ON_DEMAND' && stream.recordDistribution === 'AUTO';
}

/** UpdateStreamWarmThroughput and UpdateStreamRecordDistributionStrategy. */
export class StreamSettings {
  constructor(
    private readonly streams: StreamStorage,
    private readonly accounts: AccountSettings,
    /** Finds a stream the caller may use, by name or ARN, with Kinesis's errors. */
    private readonly lookup: (
      input: { StreamName?: string; StreamARN?: string },
      ctx: RequestContext,
    ) => StreamRecord,
  ) {}

  async updateWarmThroughput(
    input: K.UpdateStreamWarmThroughputInput,
    ctx: RequestContext,
  ): Promise<K.UpdateStreamWarmThroughputOutput> {
    const stream = this.lookup(input, ctx);
    const mibps = checkWarmThroughput(
      input.WarmThroughputMiBps,
      stream.mode,
      this.accounts.committed(stream.account, stream.region),
    );
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
    const strategy = checkDistribution(input.RecordDistributionStrategy, stream.mode);
    await this.streams.updateStream({ ...stream, recordDistribution: strategy });
  }
}

import type * as K from '@aws-sdk/client-kinesis';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../protocols/service.js';
import type { RecordStore, StreamStorage } from '../../storage/types.js';
import { kinesisError } from './errors.js';

// Account settings: the minimum throughput billing commitment ("On-demand Advantage"), one per
// account and Region (Kinesis guide, "Choose the right mode to stream in"). Enabling commits the
// account for at least 24 hours; a disable asked for earlier waits for that moment
// (ENABLED_UNTIL_EARLIEST_ALLOWED_END) and enabling again before then cancels it
// (API Reference, MinimumThroughputBillingCommitmentInput).

const MINIMUM_COMMITMENT_MS = 24 * 3_600_000;

/** One account's commitment in one Region, as stored. */
export interface AccountCommitment extends Commitment {
  /** `${account}:${region}` */
  key: string;
}

interface Commitment {
  startedAt?: number;
  /** Set while enabled: the commitment cannot end before then. */
  earliestEndAt?: number;
  endedAt?: number;
  enabled: boolean;
  /** A disable asked for before `earliestEndAt`, which takes effect then. */
  endsAtEarliest: boolean;
}

export class AccountSettings {
  constructor(
    private readonly streams: StreamStorage,
    private readonly clock: Clock,
    /** By `${account}:${region}`; kept in the journal with --data-dir, as the streams they govern are. */
    private readonly commitments: RecordStore<AccountCommitment>,
  ) {}

  describe(_input: K.DescribeAccountSettingsInput, ctx: RequestContext): K.DescribeAccountSettingsOutput {
    return { MinimumThroughputBillingCommitment: view(this.current(ctx.caller.account, ctx.caller.region)) };
  }

  async update(
    input: K.UpdateAccountSettingsInput,
    ctx: RequestContext,
  ): Promise<K.UpdateAccountSettingsOutput> {
    // The model's enum (ENABLED, DISABLED) was checked before the handler ran.
    const status = input.MinimumThroughputBillingCommitment!.Status;
    const { account, region } = ctx.caller;
    const now = this.clock.now();
    const was = this.current(account, region);
    let next = was;
    if (status === 'ENABLED') {
      if (!was.enabled) {
        next = {
          enabled: true,
          endsAtEarliest: false,
          startedAt: now,
          earliestEndAt: now + MINIMUM_COMMITMENT_MS,
        };
      } else if (was.endsAtEarliest) {
        next = { ...was, endsAtEarliest: false };
      }
    } else if (was.enabled && !was.endsAtEarliest) {
      // Guide: on-demand streams must give up their warm throughput before the account leaves.
      const warmed = this.streams
        .listStreams(account, region)
        .filter((s) => s.mode === 'ON_DEMAND' && (s.warmThroughputMiBps ?? 0) > 0);
      if (warmed.length > 0) {
        throw kinesisError.invalidArgument(
          `MinimumThroughputBillingCommitment cannot be disabled while on-demand streams have warm throughput configured: ${warmed.map((s) => s.name).join(', ')}. Set their warm throughput to 0 first.`,
        );
      }
      next =
        now >= (was.earliestEndAt ?? 0)
          ? { enabled: false, endsAtEarliest: false, startedAt: was.startedAt, endedAt: now }
          : { ...was, endsAtEarliest: true };
    }
    const key = `${account}:${region}`;
    await this.commitments.put(key, { ...next, key });
    return { MinimumThroughputBillingCommitment: view(next) };
  }

  /** Whether the account is under the commitment now, as warm throughput requires. */
  committed(account: string, region: string): boolean {
    return this.current(account, region).enabled;
  }

  reset(): Promise<void> {
    return this.commitments.clear();
  }

  /** The commitment as of now: a scheduled disable has happened once its moment has passed. */
  private current(account: string, region: string): Commitment {
    const c = this.commitments.get(`${account}:${region}`) ?? { enabled: false, endsAtEarliest: false };
    if (c.enabled && c.endsAtEarliest && this.clock.now() >= (c.earliestEndAt ?? 0)) {
      return { enabled: false, endsAtEarliest: false, startedAt: c.startedAt, endedAt: c.earliestEndAt };
    }
    return c;
  }
}

function view(c: Commitment): K.MinimumThroughputBillingCommitmentOutput {
  const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
  return {
    Status: !c.enabled ? 'DISABLED' : c.endsAtEarliest ? 'ENABLED_UNTIL_EARLIEST_ALLOWED_END' : 'ENABLED',
    StartedAt: date(c.startedAt),
    EndedAt: date(c.endedAt),
    EarliestAllowedEndAt: c.enabled ? date(c.earliestEndAt) : undefined,
  };
}

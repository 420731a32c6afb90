// Per-shard quotas (Kinesis guide, "Quotas and limits"; API Reference, PutRecords and GetRecords):
// writes up to 1 MiB and 1,000 records per second, partition keys counted; reads up to five
// GetRecords calls and 2 MiB per second.
export const WRITE_BYTES_PER_SECOND = 1024 * 1024;
export const WRITE_RECORDS_PER_SECOND = 1000;
export const READ_BYTES_PER_SECOND = 2 * 1024 * 1024;
export const READ_CALLS_PER_SECOND = 5;

interface Use {
  /** Clock time at which this use stops counting against the budget. */
  until: number;
  amount: number;
}

/**
 * What a shard has used of one quota over a sliding window: each use counts for one second, or
 * for as long as the quota takes to pay it back when it alone exceeds a second's worth ("If a call
 * returns 10 MiB of data, subsequent calls made within the next 5 seconds throw
 * ProvisionedThroughputExceededException", GetRecords). A sliding window rather than a refilling
 * bucket makes the answer exact: a thousand records within any second pass, the next one fails.
 */
class Budget {
  /** Ordered by `until`; almost every use is appended, so expiry is taken from the front. */
  private readonly uses: Use[] = [];
  private head = 0;
  private total = 0;

  constructor(private readonly perSecond: number) {}

  used(now: number): number {
    while (this.head < this.uses.length && this.uses[this.head].until <= now) {
      this.total -= this.uses[this.head].amount;
      this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.uses.length) {
      this.uses.splice(0, this.head);
      this.head = 0;
    }
    return this.total;
  }

  add(now: number, amount: number): void {
    if (amount <= 0) return;
    const until = now + Math.max(1000, Math.ceil((amount * 1000) / this.perSecond));
    const last = this.uses[this.uses.length - 1];
    this.total += amount;
    if (this.uses.length > this.head && last.until === until) {
      last.amount += amount;
      return;
    }
    let i = this.uses.length;
    while (i > this.head && this.uses[i - 1].until > until) i--;
    this.uses.splice(i, 0, { until, amount });
  }
}

interface ShardUse {
  writeBytes: Budget;
  writeRecords: Budget;
  readBytes: Budget;
  readCalls: Budget;
}

/**
 * The opt-in (`--kinesis-limits`) per-shard throughput quotas, on the injectable clock, so
 * producers and consumers can exercise their handling of ProvisionedThroughputExceededException.
 */
export class ShardThroughput {
  private readonly streams = new Map<string, Map<string, ShardUse>>();

  private shard(arn: string, shardId: string): ShardUse {
    let shards = this.streams.get(arn);
    if (!shards) {
      shards = new Map();
      this.streams.set(arn, shards);
    }
    let use = shards.get(shardId);
    if (!use) {
      use = {
        writeBytes: new Budget(WRITE_BYTES_PER_SECOND),
        writeRecords: new Budget(WRITE_RECORDS_PER_SECOND),
        readBytes: new Budget(READ_BYTES_PER_SECOND),
        readCalls: new Budget(READ_CALLS_PER_SECOND),
      };
      shards.set(shardId, use);
    }
    return use;
  }

  /**
   * Admits one record of `bytes` (data and partition key) into the shard, or answers false. A
   * record larger than a second's worth (UpdateMaxRecordSize allows up to 10 MiB) passes only
   * into an idle shard, and then holds it for as long as it takes to pay back.
   */
  write(arn: string, shardId: string, bytes: number, now: number): boolean {
    const use = this.shard(arn, shardId);
    const usedBytes = use.writeBytes.used(now);
    if (use.writeRecords.used(now) + 1 > WRITE_RECORDS_PER_SECOND) return false;
    if (usedBytes > 0 && usedBytes + bytes > WRITE_BYTES_PER_SECOND) return false;
    use.writeRecords.add(now, 1);
    use.writeBytes.add(now, bytes);
    return true;
  }

  /** Admits one GetRecords call on the shard, or answers false; `charge` then counts its bytes. */
  read(arn: string, shardId: string, now: number): boolean {
    const use = this.shard(arn, shardId);
    if (use.readCalls.used(now) + 1 > READ_CALLS_PER_SECOND) return false;
    if (use.readBytes.used(now) >= READ_BYTES_PER_SECOND) return false;
    use.readCalls.add(now, 1);
    return true;
  }

  charge(arn: string, shardId: string, bytes: number, now: number): void {
    this.shard(arn, shardId).readBytes.add(now, bytes);
  }

  /** Drops a deleted stream's counters. */
  forget(arn: string): void {
    this.streams.delete(arn);
  }

  reset(): void {
    this.streams.clear();
  }
}

import type { Clock } from '../../core/clock.js';
import type {
  NewStreamRecord,
  ShardInfo,
  StoredStreamRecord,
  StreamRecord,
  StreamStorage,
} from '../types.js';

/** The whole 128-bit hash-key space, split evenly across a new stream's shards as AWS splits it. */
const HASH_SPACE = 1n << 128n;
// Sequence numbers are 56 digits, as AWS's are (clients parse them as big integers): a fixed
// leading 49, the shard's index, then a counter shared by the stream so they only ever rise.
const SEQUENCE_BASE = 49n * 10n ** 54n;
const SHARD_FACTOR = 10n ** 40n;

interface ShardState {
  info: ShardInfo;
  start: bigint;
  end: bigint;
  records: StoredStreamRecord[];
}

interface StreamState {
  record: StreamRecord;
  shards: ShardState[];
  counter: bigint;
}

export function shardId(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

/**
 * Kinesis streams in memory. Records are kept per shard in arrival order, so a read is a binary
 * search for its starting point and a slice.
 */
export class EmbeddedStreams implements StreamStorage {
  /** By stream ARN, which names account, region and stream: every record call looks one up. */
  private readonly streams = new Map<string, StreamState>();

  constructor(private readonly clock: Clock) {}

  private state(arn: string): StreamState {
    const s = this.streams.get(arn);
    if (!s) throw new Error(`stream ${arn} is not known to the engine`);
    return s;
  }

  async createStream(stream: StreamRecord, shardCount: number): Promise<void> {
    const shards: ShardState[] = [];
    for (let i = 0; i < shardCount; i++) {
      const start = (HASH_SPACE * BigInt(i)) / BigInt(shardCount);
      const end = (HASH_SPACE * BigInt(i + 1)) / BigInt(shardCount) - 1n;
      shards.push({
        info: {
          id: shardId(i),
          startingHashKey: start.toString(),
          endingHashKey: end.toString(),
          startingSequenceNumber: (SEQUENCE_BASE + BigInt(i) * SHARD_FACTOR).toString(),
          openedAt: stream.createdAt,
        },
        start,
        end,
        records: [],
      });
    }
    this.streams.set(stream.arn, {
      record: stream,
      shards,
      counter: 0n,
    });
  }

  getStream(arn: string): StreamRecord | undefined {
    return this.streams.get(arn)?.record;
  }

  listStreams(account: string, region: string): StreamRecord[] {
    return [...this.streams.values()]
      .map((s) => s.record)
      .filter((r) => r.account === account && r.region === region);
  }

  async updateStream(stream: StreamRecord): Promise<void> {
    this.state(stream.arn).record = stream;
  }

  async deleteStream(arn: string): Promise<void> {
    this.state(arn);
    this.streams.delete(arn);
  }

  shards(arn: string): ShardInfo[] {
    return this.state(arn).shards.map((s) => s.info);
  }

  private shard(s: StreamState, id: string): ShardState {
    const shard = s.shards.find((x) => x.info.id === id);
    if (!shard) throw new Error(`shard ${id} is not in ${s.record.arn}`);
    return shard;
  }

  async append(
    arn: string,
    records: NewStreamRecord[],
  ): Promise<Array<{ shardId: string; sequenceNumber: string }>> {
    const s = this.state(arn);
    const now = this.clock.now();
    return records.map((r) => {
      const index = s.shards.findIndex(
        (x) => !x.info.endingSequenceNumber && r.hashKey >= x.start && r.hashKey <= x.end,
      );
      const shard = s.shards[index];
      s.counter++;
      const sequenceNumber = (SEQUENCE_BASE + BigInt(index) * SHARD_FACTOR + s.counter).toString();
      shard.records.push({ sequenceNumber, data: r.data, partitionKey: r.partitionKey, arrivedAt: now });
      return { shardId: shard.info.id, sequenceNumber };
    });
  }

  read(
    arn: string,
    id: string,
    afterSequence: bigint,
    limit: number,
    maxBytes: number,
  ): StoredStreamRecord[] {
    const s = this.state(arn);
    const shard = this.shard(s, id);
    const oldest = this.clock.now() - s.record.retentionHours * 3_600_000;
    let i = firstAfter(shard.records, afterSequence);
    const out: StoredStreamRecord[] = [];
    let bytes = 0;
    for (; i < shard.records.length && out.length < limit; i++) {
      const r = shard.records[i];
      if (r.arrivedAt < oldest) continue;
      bytes += r.data.length + Buffer.byteLength(r.partitionKey);
      // The first record always goes out, whatever its size, or a reader could never pass it.
      if (bytes > maxBytes && out.length > 0) break;
      out.push(r);
    }
    return out;
  }

  async reshard(
    arn: string,
    parents: string[],
    children: Array<{ start: bigint; end: bigint; parentShardId: string; adjacentParentShardId?: string }>,
  ): Promise<ShardInfo[]> {
    const s = this.state(arn);
    // A parent's range of sequence numbers ends where the stream's counter stands: nothing more
    // can arrive in it.
    for (const id of parents) {
      const parent = this.shard(s, id);
      parent.info = {
        ...parent.info,
        endingSequenceNumber: (
          SEQUENCE_BASE +
          BigInt(s.shards.indexOf(parent)) * SHARD_FACTOR +
          s.counter
        ).toString(),
        closedAt: this.clock.now(),
      };
    }
    const made: ShardInfo[] = [];
    for (const child of children) {
      const index = s.shards.length;
      const info: ShardInfo = {
        id: shardId(index),
        parentShardId: child.parentShardId,
        adjacentParentShardId: child.adjacentParentShardId,
        startingHashKey: child.start.toString(),
        endingHashKey: child.end.toString(),
        startingSequenceNumber: (SEQUENCE_BASE + BigInt(index) * SHARD_FACTOR + s.counter + 1n).toString(),
        openedAt: this.clock.now(),
      };
      s.shards.push({ info, start: child.start, end: child.end, records: [] });
      made.push(info);
    }
    return made;
  }

  lastSequence(arn: string, id: string): bigint | undefined {
    const records = this.shard(this.state(arn), id).records;
    return records.length > 0 ? BigInt(records[records.length - 1].sequenceNumber) : undefined;
  }

  sequenceBefore(arn: string, id: string, time: number): bigint | undefined {
    let found: bigint | undefined;
    for (const r of this.shard(this.state(arn), id).records) {
      if (r.arrivedAt >= time) break;
      found = BigInt(r.sequenceNumber);
    }
    return found;
  }

  async reset(): Promise<void> {
    this.streams.clear();
  }
}

/** Index of the first record whose sequence number is above `after` (records are in order). */
function firstAfter(records: StoredStreamRecord[], after: bigint): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (BigInt(records[mid].sequenceNumber) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

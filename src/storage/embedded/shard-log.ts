import type { StoredStreamRecord } from '../types.js';

/**
 * Sequence numbers are 56 digits, as AWS's are (clients parse them as big integers): a fixed
 * leading 49, the shard's index in 14 digits, then the stream's counter in 40.
 */
export function sequenceNumber(shardIndex: number, counter: number): string {
  return `49${String(shardIndex).padStart(14, '0')}${String(counter).padStart(40, '0')}`;
}

const SEQUENCE_BASE = 49n * 10n ** 54n;
const SHARD_FACTOR = 10n ** 40n;

// A segment's buffers start small and double up to these limits; a larger record gets a segment
// of its own size.
const FIRST_BYTES = 4 * 1024;
const SEGMENT_BYTES = 256 * 1024;
const FIRST_RECORDS = 64;
const SEGMENT_RECORDS = 4096;

/**
 * Records of one shard packed side by side, off the JavaScript heap: partition keys and data of
 * many records in one buffer, counters, arrival times and offsets in typed arrays. A stream holding
 * a million records then holds a few hundred objects, not several million, which keeps both the
 * heap and the garbage collector's work small (every stored record would otherwise survive each
 * collection, and the young generation grows with what survives).
 */
class Segment {
  size = 0;
  counters = new Float64Array(FIRST_RECORDS);
  arrivals = new Float64Array(FIRST_RECORDS);
  /** Where record i starts in `bytes` (its UTF-8 partition key, then its data); entry size is the end. */
  offsets = new Uint32Array(FIRST_RECORDS + 1);
  keyLengths = new Uint16Array(FIRST_RECORDS);
  bytes: Buffer;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  get used(): number {
    return this.offsets[this.size];
  }

  /** Whether a record of `length` bytes fits, growing the buffers up to the segment's limits. */
  fits(length: number): boolean {
    if (this.size >= SEGMENT_RECORDS) return false;
    const needed = this.used + length;
    if (needed > this.bytes.length) {
      if (needed > SEGMENT_BYTES) return false;
      let capacity = this.bytes.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = Buffer.allocUnsafe(Math.min(capacity, SEGMENT_BYTES));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (this.size === this.counters.length) {
      const n = this.size * 2;
      this.counters = grow(this.counters, new Float64Array(n));
      this.arrivals = grow(this.arrivals, new Float64Array(n));
      this.offsets = grow(this.offsets, new Uint32Array(n + 1));
      this.keyLengths = grow(this.keyLengths, new Uint16Array(n));
    }
    return true;
  }

  push(counter: number, arrivedAt: number, key: string, keyLength: number, data: Uint8Array): void {
    const at = this.used;
    this.bytes.write(key, at, keyLength, 'utf8');
    this.bytes.set(data, at + keyLength);
    this.counters[this.size] = counter;
    this.arrivals[this.size] = arrivedAt;
    this.keyLengths[this.size] = keyLength;
    this.size++;
    this.offsets[this.size] = at + keyLength + data.length;
  }

  /** Bytes record i weighs against read limits: its data and partition key. */
  weight(i: number): number {
    return this.offsets[i + 1] - this.offsets[i];
  }

  record(i: number, shardIndex: number): StoredStreamRecord {
    const start = this.offsets[i];
    const dataStart = start + this.keyLengths[i];
    return {
      sequenceNumber: sequenceNumber(shardIndex, this.counters[i]),
      data: this.bytes.subarray(dataStart, this.offsets[i + 1]),
      partitionKey: this.bytes.toString('utf8', start, dataStart),
      arrivedAt: this.arrivals[i],
    };
  }

  /** Index of the first record whose counter is above `after`. */
  firstAfter(after: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.counters[mid] <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function grow<T extends Float64Array | Uint32Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The records of one shard, in arrival order (so in counter order). */
export class ShardLog {
  private segments: Segment[] = [];

  constructor(readonly shardIndex: number) {}

  get empty(): boolean {
    return this.segments.length === 0;
  }

  append(counter: number, arrivedAt: number, partitionKey: string, data: Uint8Array): void {
    const keyLength = Buffer.byteLength(partitionKey, 'utf8');
    const length = keyLength + data.length;
    let tail = this.segments[this.segments.length - 1];
    if (!tail?.fits(length)) {
      tail = new Segment(Math.max(FIRST_BYTES, length));
      this.segments.push(tail);
    }
    tail.push(counter, arrivedAt, partitionKey, keyLength, data);
  }

  /**
   * The counter a sequence number stands for in this shard: a number below the shard's range
   * reads from its start, one above it past its end.
   */
  counterOf(sequence: bigint): number {
    const offset = sequence - SEQUENCE_BASE - BigInt(this.shardIndex) * SHARD_FACTOR;
    if (offset < 0n) return -1;
    if (offset >= SHARD_FACTOR || offset > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
    return Number(offset);
  }

  /**
   * Records after `afterSequence` up to counter `upTo`, oldest first, skipping those that arrived
   * before `oldest`.
   */
  read(
    afterSequence: bigint,
    limit: number,
    maxBytes: number,
    oldest: number,
    upTo = Number.MAX_SAFE_INTEGER,
  ): StoredStreamRecord[] {
    const after = this.counterOf(afterSequence);
    const out: StoredStreamRecord[] = [];
    let bytes = 0;
    let s = this.segmentAfter(after);
    if (s < 0) return out;
    let i = this.segments[s].firstAfter(after);
    for (; s < this.segments.length; s++, i = 0) {
      const seg = this.segments[s];
      for (; i < seg.size; i++) {
        if (out.length >= limit || seg.counters[i] > upTo) return out;
        if (seg.arrivals[i] < oldest) continue;
        bytes += seg.weight(i);
        // The first record always goes out, whatever its size, or a reader could never pass it.
        if (bytes > maxBytes && out.length > 0) return out;
        out.push(seg.record(i, this.shardIndex));
      }
    }
    return out;
  }

  /** The first segment holding a counter above `after`, or -1 when none does. */
  private segmentAfter(after: number): number {
    let lo = 0;
    let hi = this.segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const seg = this.segments[mid];
      if (seg.counters[seg.size - 1] <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.segments.length ? lo : -1;
  }

  /** The newest record's sequence number up to counter `upTo`, if any. */
  last(upTo = Number.MAX_SAFE_INTEGER): bigint | undefined {
    for (let s = this.segments.length - 1; s >= 0; s--) {
      const seg = this.segments[s];
      const i = seg.firstAfter(upTo) - 1;
      if (i >= 0) return BigInt(sequenceNumber(this.shardIndex, seg.counters[i]));
    }
    return undefined;
  }

  /** The last record up to counter `upTo` that arrived before `time`, if any. */
  lastBefore(time: number, upTo = Number.MAX_SAFE_INTEGER): bigint | undefined {
    let found: number | undefined;
    for (const seg of this.segments) {
      if (seg.arrivals[0] >= time || seg.counters[0] > upTo) break;
      for (let i = 0; i < seg.size && seg.arrivals[i] < time && seg.counters[i] <= upTo; i++) {
        found = seg.counters[i];
      }
    }
    return found === undefined ? undefined : BigInt(sequenceNumber(this.shardIndex, found));
  }

  /** When the oldest segment's newest record arrived: once that expires, dropBefore frees it. */
  oldestSegmentEnd(): number | undefined {
    const seg = this.segments[0];
    return seg?.arrivals[seg.size - 1];
  }

  /**
   * Drops whole segments whose every record arrived before `time`; a segment that straddles it
   * stays until its last record expires (reads skip the expired ones meanwhile).
   */
  dropBefore(time: number): boolean {
    let n = 0;
    while (n < this.segments.length) {
      const seg = this.segments[n];
      if (seg.arrivals[seg.size - 1] >= time) break;
      n++;
    }
    if (n > 0) this.segments = this.segments.slice(n);
    return n > 0;
  }
}

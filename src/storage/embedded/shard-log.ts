import { counterOf, sequenceNumber } from '../../services/kinesis/rules/sequence-numbers.js';
import type { StoredStreamRecord } from '../types.js';
import { grown, SegmentBytes } from './segment-bytes.js';

export { sequenceNumber };

// A segment's bytes start small and grow in place up to SEGMENT_BYTES; a larger record gets a
// segment of its own size. Its typed arrays start at FIRST_RECORDS (or at what the shard's last
// segment held) and double up to SEGMENT_RECORDS.
const FIRST_BYTES = 4 * 1024;
const SEGMENT_BYTES = 256 * 1024;
const FIRST_RECORDS = 64;
const SEGMENT_RECORDS = 4096;

/**
 * Records of one shard packed side by side, off the JavaScript heap: partition keys and data of
 * many records in one buffer, counters, arrival times and offsets in typed arrays. A stream holding
 * a million records then holds a few hundred objects, not several million, which keeps both the
 * heap and the garbage collector's work small (every stored record would otherwise survive each
 * collection, and the young generation grows with what survives). The bytes are SegmentBytes,
 * which take memory page by page and give it back when a dropped segment is released.
 */
class Segment {
  size = 0;
  // Counters and arrival times are kept as offsets from the segment's first record's: half the
  // bytes of whole numbers. A record whose offset would not fit starts a new segment.
  private baseCounter = 0;
  private baseArrival = 0;
  private counters: Uint32Array;
  private arrivals: Uint32Array;
  /** Where record i starts in `bytes` (its UTF-8 partition key, then its data); entry size is the end. */
  offsets: Uint32Array;
  keyLengths: Uint16Array;
  private readonly space: SegmentBytes;

  constructor(firstLength: number, records: number) {
    this.space = new SegmentBytes(firstLength, FIRST_BYTES, SEGMENT_BYTES);
    this.counters = new Uint32Array(records);
    this.arrivals = new Uint32Array(records);
    this.offsets = new Uint32Array(records + 1);
    this.keyLengths = new Uint16Array(records);
  }

  /**
   * Gives the bytes' memory back. Reads hand out views into it, which their callers consume before
   * yielding to the event loop, so the shard log calls this only from a later turn of it.
   */
  release(): void {
    this.space.release();
  }

  get bytes(): Buffer {
    return this.space.view;
  }

  get used(): number {
    return this.offsets[this.size];
  }

  counterAt(i: number): number {
    return this.baseCounter + this.counters[i];
  }

  arrivalAt(i: number): number {
    return this.baseArrival + this.arrivals[i];
  }

  /** Whether a record of `length` bytes fits, growing the buffers up to the segment's limits. */
  fits(length: number, counter: number, arrivedAt: number): boolean {
    if (this.size >= SEGMENT_RECORDS) return false;
    if (this.size > 0 && !(isOffset(counter - this.baseCounter) && isOffset(arrivedAt - this.baseArrival))) {
      return false;
    }
    if (!this.space.hold(this.used + length)) return false;
    if (this.size === this.counters.length) {
      const n = this.size * 2;
      this.counters = grown(this.counters, new Uint32Array(n));
      this.arrivals = grown(this.arrivals, new Uint32Array(n));
      this.offsets = grown(this.offsets, new Uint32Array(n + 1));
      this.keyLengths = grown(this.keyLengths, new Uint16Array(n));
    }
    return true;
  }

  push(counter: number, arrivedAt: number, key: string, keyLength: number, data: Uint8Array): void {
    const at = this.used;
    this.bytes.write(key, at, keyLength, 'utf8');
    this.bytes.set(data, at + keyLength);
    if (this.size === 0) {
      this.baseCounter = counter;
      this.baseArrival = arrivedAt;
    }
    this.counters[this.size] = counter - this.baseCounter;
    this.arrivals[this.size] = arrivedAt - this.baseArrival;
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
      sequenceNumber: sequenceNumber(shardIndex, this.counterAt(i)),
      data: this.bytes.subarray(dataStart, this.offsets[i + 1]),
      partitionKey: this.bytes.toString('utf8', start, dataStart),
      arrivedAt: this.arrivalAt(i),
    };
  }

  /** Index of the first record whose counter is above `after`. */
  firstAfter(after: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.counterAt(mid) <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const MAX_OFFSET = 0xffff_ffff;

/** Whether `n` can be stored as an offset: a whole number (a clock advanced by a fraction of a millisecond gives others) in range. */
function isOffset(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_OFFSET;
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
    if (!tail?.fits(length, counter, arrivedAt)) {
      // A busy shard's next segment has room for as many records as its last one held.
      tail = new Segment(length, Math.max(FIRST_RECORDS, tail?.size ?? 0));
      this.segments.push(tail);
    }
    tail.push(counter, arrivedAt, partitionKey, keyLength, data);
  }

  /**
   * The counter a sequence number stands for in this shard: a number below the shard's range
   * reads from its start, one above it past its end.
   */
  counterOf(sequence: bigint): number {
    return counterOf(sequence, this.shardIndex);
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
        if (out.length >= limit || seg.counterAt(i) > upTo) return out;
        if (seg.arrivalAt(i) < oldest) continue;
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
      if (seg.counterAt(seg.size - 1) <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.segments.length ? lo : -1;
  }

  /** The newest record's sequence number up to counter `upTo`, if any. */
  last(upTo = Number.MAX_SAFE_INTEGER): bigint | undefined {
    for (let s = this.segments.length - 1; s >= 0; s--) {
      const seg = this.segments[s];
      const i = seg.firstAfter(upTo) - 1;
      if (i >= 0) return BigInt(sequenceNumber(this.shardIndex, seg.counterAt(i)));
    }
    return undefined;
  }

  /** The last record up to counter `upTo` that arrived before `time`, if any. */
  lastBefore(time: number, upTo = Number.MAX_SAFE_INTEGER): bigint | undefined {
    let found: number | undefined;
    for (const seg of this.segments) {
      if (seg.arrivalAt(0) >= time || seg.counterAt(0) > upTo) break;
      for (let i = 0; i < seg.size && seg.arrivalAt(i) < time && seg.counterAt(i) <= upTo; i++) {
        found = seg.counterAt(i);
      }
    }
    return found === undefined ? undefined : BigInt(sequenceNumber(this.shardIndex, found));
  }

  /** When the oldest segment's newest record arrived: once that expires, dropBefore frees it. */
  oldestSegmentEnd(): number | undefined {
    const seg = this.segments[0];
    return seg?.arrivalAt(seg.size - 1);
  }

  /**
   * Drops whole segments whose every record arrived before `time`; a segment that straddles it
   * stays until its last record expires (reads skip the expired ones meanwhile).
   */
  dropBefore(time: number): boolean {
    let n = 0;
    while (n < this.segments.length) {
      const seg = this.segments[n];
      if (seg.arrivalAt(seg.size - 1) >= time) break;
      n++;
    }
    if (n === 0) return false;
    releaseLater(this.segments.slice(0, n));
    this.segments = this.segments.slice(n);
    return true;
  }

  /** Gives back every segment's memory: the shard is gone (its stream deleted). */
  release(): void {
    releaseLater(this.segments);
    this.segments = [];
  }
}

function releaseLater(segments: Segment[]): void {
  setImmediate(() => {
    for (const seg of segments) seg.release();
  });
}

import type { ProducerEntry } from '../types.js';
import { asBuffer, lastOffsetDeltaAt, readMaxTimestamp, writeBaseOffset } from './kafka-batch-header.js';
import { recordProducerBatch } from './kafka-producers.js';
import { grown, SegmentBytes } from './segment-bytes.js';

// A segment's bytes start at FIRST_BYTES and grow in place up to SEGMENT_BYTES; a larger batch
// gets a segment of its own size. Its per-batch arrays start at FIRST_BATCHES and double up to
// SEGMENT_BATCHES.
const FIRST_BYTES = 16 * 1024;
const SEGMENT_BYTES = 4 * 1024 * 1024;
const FIRST_BATCHES = 16;
const SEGMENT_BATCHES = 8192;

/**
 * Batches of one partition packed side by side in one buffer, off the JavaScript heap, with their
 * offsets and times in typed arrays: a partition holding a million batches is a few hundred
 * objects. As in the stream engine's shard log, the bytes are SegmentBytes: pages taken as
 * batches arrive and given back when a dropped segment is released.
 */
class Segment {
  /** Batches appended; those before `first` were dropped by retention. */
  count = 0;
  first = 0;
  private readonly space: SegmentBytes;
  /** Where batch i starts in `bytes`; entry `count` is where the next one goes. */
  starts: Uint32Array;
  bases: Float64Array;
  lasts: Float64Array;
  /** Header max timestamps (-1 when a batch has none). */
  maxTimes: Float64Array;
  /** The clock when each was appended: retention's measure for a batch without timestamps. */
  appended: Float64Array;

  constructor(firstLength: number, batches: number) {
    this.space = new SegmentBytes(firstLength, FIRST_BYTES, SEGMENT_BYTES);
    this.starts = new Uint32Array(batches + 1);
    this.bases = new Float64Array(batches);
    this.lasts = new Float64Array(batches);
    this.maxTimes = new Float64Array(batches);
    this.appended = new Float64Array(batches);
  }

  get bytes(): Buffer {
    return this.space.view;
  }

  get kept(): number {
    return this.count - this.first;
  }

  get used(): number {
    return this.starts[this.count];
  }

  /** Whether a batch of `length` bytes fits, growing the buffers up to the segment's limits. */
  fits(length: number): boolean {
    if (this.count >= SEGMENT_BATCHES) return false;
    if (!this.space.hold(this.used + length)) return false;
    if (this.count === this.bases.length) {
      const n = this.count * 2;
      this.starts = grown(this.starts, new Uint32Array(n + 1));
      this.bases = grown(this.bases, new Float64Array(n));
      this.lasts = grown(this.lasts, new Float64Array(n));
      this.maxTimes = grown(this.maxTimes, new Float64Array(n));
      this.appended = grown(this.appended, new Float64Array(n));
    }
    return true;
  }

  /** Copies the batch in, numbered from `base`; answers where it now starts. */
  push(batch: Buffer, base: number, appendedAt: number): number {
    const at = this.used;
    this.bytes.set(batch, at);
    writeBaseOffset(this.bytes, at, base);
    const i = this.count;
    this.bases[i] = base;
    // The header fields are read from the batch as handed in; only the base offset differs in the copy.
    this.lasts[i] = base + lastOffsetDeltaAt(batch, 0);
    this.maxTimes[i] = readMaxTimestamp(batch, 0);
    this.appended[i] = appendedAt;
    this.count++;
    this.starts[this.count] = at + batch.length;
    return at;
  }

  batch(i: number): Buffer {
    return this.bytes.subarray(this.starts[i], this.starts[i + 1]);
  }

  weight(i: number): number {
    return this.starts[i + 1] - this.starts[i];
  }

  /** The time retention.ms is measured from: the max timestamp, else when the batch arrived. */
  retentionTime(i: number): number {
    const t = this.maxTimes[i];
    return t >= 0 ? t : this.appended[i];
  }

  /** Index of the first kept batch whose last offset is at or after `offset`. */
  firstEndingAtOrAfter(offset: number): number {
    let lo = this.first;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.lasts[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  release(): void {
    this.space.release();
  }
}

/** Where one batch sits: a segment and an index in it. */
interface Position {
  seg: Segment;
  i: number;
}

/**
 * The log of one partition: whole v2 record batches with dense offsets from `start` (the log start
 * offset) to `next` (the log end offset), the idempotent producers seen in them, and their size.
 */
export class PartitionLog {
  private segments: Segment[] = [];
  /** The log start offset: the first offset kept (the log end offset once everything is dropped). */
  start = 0;
  /** The log end offset: the offset the next batch takes. */
  next = 0;
  /** Bytes of the batches kept. */
  size = 0;
  readonly producers = new Map<bigint, ProducerEntry>();

  get empty(): boolean {
    return this.segments.length === 0;
  }

  /**
   * Copies the batches in (callers hand views of socket buffers), numbering them from the log end
   * offset and writing each one's base offset. Answers views of the stored copies.
   */
  append(batches: Uint8Array[], appendedAt: number): Buffer[] {
    const stored: Buffer[] = [];
    for (const raw of batches) {
      const batch = asBuffer(raw);
      let tail = this.segments[this.segments.length - 1];
      if (!tail?.fits(batch.length)) {
        // A busy partition's next segment starts with room for as many batches as its last one held.
        tail = new Segment(batch.length, Math.max(FIRST_BATCHES, tail?.count ?? 0));
        this.segments.push(tail);
      }
      const base = this.next;
      tail.push(batch, base, appendedAt);
      const i = tail.count - 1;
      this.next = tail.lasts[i] + 1;
      this.size += batch.length;
      recordProducerBatch(this.producers, batch, 0, base);
      stored.push(tail.batch(i));
    }
    return stored;
  }

  /**
   * Kept batches holding offsets at or after `from` and below `upTo`, oldest first, up to
   * `maxBytes` except that the first is always given. Views into the segments.
   */
  read(from: number, maxBytes: number, upTo: number): Buffer[] {
    const out: Buffer[] = [];
    let s = this.segmentEndingAtOrAfter(from);
    if (s < 0) return out;
    let bytes = 0;
    let i = this.segments[s].firstEndingAtOrAfter(from);
    for (; s < this.segments.length; s++) {
      const seg = this.segments[s];
      for (; i < seg.count; i++) {
        if (seg.bases[i] >= upTo) return out;
        bytes += seg.weight(i);
        if (bytes > maxBytes && out.length > 0) return out;
        out.push(seg.batch(i));
      }
      i = this.segments[s + 1]?.first ?? 0;
    }
    return out;
  }

  /** The first kept batch below `upTo` whose max timestamp is at or after `timestamp`. */
  batchAtTime(timestamp: number, upTo: number): Buffer | undefined {
    for (const seg of this.segments) {
      for (let i = seg.first; i < seg.count && seg.bases[i] < upTo; i++) {
        if (seg.maxTimes[i] >= timestamp) return seg.batch(i);
      }
    }
    return undefined;
  }

  /** The kept batch below `upTo` holding the largest timestamp (the earliest of equals). */
  batchWithMaxTimestamp(upTo: number): Buffer | undefined {
    let found: Position | undefined;
    let max = Number.NEGATIVE_INFINITY;
    for (const seg of this.segments) {
      for (let i = seg.first; i < seg.count && seg.bases[i] < upTo; i++) {
        if (seg.maxTimes[i] > max) {
          max = seg.maxTimes[i];
          found = { seg, i };
        }
      }
    }
    return found?.seg.batch(found.i);
  }

  /** The time from which the oldest kept batch counts toward retention.ms, if any is kept. */
  oldestRetentionTime(): number | undefined {
    const seg = this.segments[0];
    return seg?.retentionTime(seg.first);
  }

  /**
   * Drops batches from the head while `now` is more than `retentionMs` past their time, as
   * Kafka's retention deletes segments from the oldest on until one is still young. Answers the
   * segments emptied, for release once nothing reads them.
   */
  dropExpired(now: number, retentionMs: number): Segment[] {
    return this.dropWhile((seg, i) => now - seg.retentionTime(i) > retentionMs);
  }

  /**
   * Kafka's size rule, batch by batch instead of segment by segment: the oldest goes while what
   * is left after it would still be at least `retentionBytes`.
   */
  dropOverSize(retentionBytes: number): Segment[] {
    if (this.size < retentionBytes) return [];
    let excess = this.size - retentionBytes;
    return this.dropWhile((seg, i) => {
      if (excess - seg.weight(i) < 0) return false;
      excess -= seg.weight(i);
      return true;
    });
  }

  /** Drops every batch before `offset` (a restart replaying a log trimmed before it stopped). */
  dropBefore(offset: number): Segment[] {
    return this.dropWhile((seg, i) => seg.lasts[i] < offset);
  }

  private dropWhile(drop: (seg: Segment, i: number) => boolean): Segment[] {
    const emptied: Segment[] = [];
    while (this.segments.length > 0) {
      const seg = this.segments[0];
      if (!drop(seg, seg.first)) break;
      this.size -= seg.weight(seg.first);
      seg.first++;
      this.start = seg.first < seg.count ? seg.bases[seg.first] : this.next;
      if (seg.kept === 0) emptied.push(this.segments.shift() as Segment);
    }
    return emptied;
  }

  /** Every segment, for release: the partition is gone. */
  takeAll(): Segment[] {
    const all = this.segments;
    this.segments = [];
    return all;
  }

  /** The first segment whose last kept batch ends at or after `offset`, or -1 when none does. */
  private segmentEndingAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const seg = this.segments[mid];
      if (seg.lasts[seg.count - 1] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.segments.length ? lo : -1;
  }
}

export type { Segment };

/** Gives segments' memory back, once nothing can still read them. */
export function releaseSegments(segments: Segment[]): void {
  for (const seg of segments) seg.release();
}

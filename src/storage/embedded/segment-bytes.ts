/**
 * The bytes of one log segment (a stream shard's or a Kafka partition's), in a resizable
 * ArrayBuffer: it reserves the segment's full size but takes memory page by page as entries
 * arrive, grows without copying, and gives its pages back the moment a dropped segment is
 * released, rather than at some later full collection. An entry larger than the segment's usual
 * limit gets a segment of its own size.
 */
export class SegmentBytes {
  private readonly store: ArrayBuffer;
  /** A view of the memory taken so far; replaced each time it grows. */
  view: Buffer;

  constructor(firstLength: number, firstBytes: number, segmentBytes: number) {
    const capacity = Math.max(firstBytes, firstLength);
    this.store = new ArrayBuffer(capacity, { maxByteLength: Math.max(segmentBytes, firstLength) });
    this.view = Buffer.from(this.store, 0, capacity);
  }

  /** Whether `needed` bytes fit, doubling the memory taken (up to the segment's limit) until they do. */
  hold(needed: number): boolean {
    if (needed <= this.view.length) return true;
    const limit = this.store.maxByteLength;
    if (needed > limit) return false;
    let capacity = this.view.length * 2;
    while (capacity < needed) capacity *= 2;
    capacity = Math.min(capacity, limit);
    this.store.resize(capacity);
    this.view = Buffer.from(this.store, 0, capacity);
    return true;
  }

  release(): void {
    this.store.resize(0);
  }
}

/** `to` (a larger array of the same kind) holding `from`'s entries at its start. */
export function grown<T extends Uint16Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Kafka's socket.request.max.bytes default: a larger frame closes the connection. */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024;

/** A frame larger than the limit, or a negative size: the connection is closed. */
export class FrameTooLargeError extends Error {}

/**
 * Collects chunks and hands back each complete frame (without its 4-byte size), in order. A frame
 * is a view of the chunk when it lies in one, a copy when it spans several; a frame spread over
 * many chunks is joined once, when its last byte arrives.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private held = 0;
  /** The size of the frame being collected, once its 4 size bytes are in. */
  private size = -1;

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** Bytes held of a frame not yet complete. */
  get pending(): number {
    return this.held;
  }

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.held += chunk.length;
    }
    for (;;) {
      if (this.size < 0) {
        if (this.held < 4) break;
        this.size = this.peekSize();
        if (this.size < 0 || this.size > this.maxFrameBytes) {
          throw new FrameTooLargeError(`frame of ${this.size} bytes (the limit is ${this.maxFrameBytes})`);
        }
      }
      if (this.held < 4 + this.size) break;
      frames.push(this.take(this.size));
      this.size = -1;
    }
    return frames;
  }

  private peekSize(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.concat(this.chunks, 4);
    return head.readInt32BE(0);
  }

  /** Removes the 4 size bytes and the `size` bytes after them. */
  private take(size: number): Buffer {
    this.drop(4);
    const first = this.chunks[0];
    let frame: Buffer;
    if (first && first.length >= size) {
      frame = first.subarray(0, size);
      this.drop(size);
      return frame;
    }
    frame = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const c = this.chunks[0];
      const n = Math.min(c.length, size - at);
      c.copy(frame, at, 0, n);
      at += n;
      this.drop(n);
    }
    return frame;
  }

  private drop(n: number): void {
    this.held -= n;
    while (n > 0) {
      const c = this.chunks[0];
      if (c.length <= n) {
        n -= c.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = c.subarray(n);
        n = 0;
      }
    }
  }
}

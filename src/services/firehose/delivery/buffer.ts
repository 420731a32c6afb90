import type * as F from '@aws-sdk/client-firehose';
import type { Timer } from '../../../core/scheduler.js';

const MIB = 1024 * 1024;

/** AWS's defaults for an S3 or HTTP endpoint destination's BufferingHints. */
export const DEFAULT_SIZE_MB = 5;
export const DEFAULT_INTERVAL_SECONDS = 300;

export interface BufferLimits {
  sizeBytes: number;
  intervalMs: number;
}

/** The hints as limits, AWS's defaults filling what is missing. */
export function bufferLimits(
  hints: F.BufferingHints | F.HttpEndpointBufferingHints | undefined,
): BufferLimits {
  const size = hints?.SizeInMBs ?? DEFAULT_SIZE_MB;
  const interval = hints?.IntervalInSeconds ?? DEFAULT_INTERVAL_SECONDS;
  return { sizeBytes: size * MIB, intervalMs: interval * 1000 };
}

/** One buffered item: the bytes that go into the object, and when its source record arrived. */
export interface BufferedItem {
  data: Uint8Array;
  arrival: number;
}

/**
 * Records waiting for one object: they flush when their bytes reach the size limit or when the
 * interval has passed since the first of them arrived, whichever comes first.
 */
export class RecordBuffer<Target> {
  readonly items: BufferedItem[] = [];
  bytes = 0;
  firstArrival = Number.POSITIVE_INFINITY;
  /** The journal rows whose records this buffer holds: released once it is delivered. */
  readonly rows = new Set<string>();
  timer: Timer | undefined;

  constructor(
    readonly key: string,
    readonly target: Target,
    readonly limits: BufferLimits,
    /** The stream version the buffer was started under: an update flushes it first. */
    readonly version: string,
  ) {}

  /** Adding this many bytes would overflow a buffer that already holds something. */
  wouldOverflow(size: number): boolean {
    return this.items.length > 0 && this.bytes + size > this.limits.sizeBytes;
  }

  add(item: BufferedItem, row: string | undefined): void {
    this.items.push(item);
    this.bytes += item.data.length;
    if (item.arrival < this.firstArrival) this.firstArrival = item.arrival;
    if (row !== undefined) this.rows.add(row);
  }

  get full(): boolean {
    return this.bytes >= this.limits.sizeBytes;
  }

  /** When the interval runs out: IntervalInSeconds after the first record's arrival. */
  get dueAt(): number {
    return this.firstArrival + this.limits.intervalMs;
  }

  body(): Uint8Array {
    return Buffer.concat(this.items.map((i) => i.data));
  }
}

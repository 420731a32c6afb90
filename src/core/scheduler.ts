import type { Clock } from './clock.js';
import { type HeapItem, IndexedHeap } from './heap.js';

export interface Timer extends HeapItem {
  at: number;
  run: () => void;
}

/**
 * Every clock-driven wake-up (visibility expiry, delays, retention, long-poll
 * deadlines, move tasks) goes through one real setTimeout armed for the
 * earliest deadline, so advancing the injectable clock fires due work at once.
 */
export class Scheduler {
  private readonly heap = new IndexedHeap<Timer>((t) => t.at);
  private handle: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly clock: Clock) {
    this.unsubscribe = clock.onAdvance(() => this.fire());
  }

  at(at: number, run: () => void): Timer {
    const timer: Timer = { at, run, heapIndex: -1 };
    this.heap.push(timer);
    this.arm();
    return timer;
  }

  /** Moves a timer (or re-adds a fired one) to a new deadline. */
  reschedule(timer: Timer, at: number): void {
    timer.at = at;
    this.heap.update(timer);
    this.arm();
  }

  cancel(timer: Timer | undefined): void {
    if (!timer) return;
    this.heap.remove(timer);
  }

  isPending(timer: Timer | undefined): boolean {
    return timer !== undefined && this.heap.has(timer);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    if (this.handle) clearTimeout(this.handle);
    this.heap.clear();
  }

  private fire(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    for (let t = this.heap.peek(); t && t.at <= now; t = this.heap.peek()) {
      this.heap.pop();
      t.run();
    }
    this.arm(true);
  }

  private arm(force = false): void {
    if (this.stopped) return;
    const next = this.heap.peek();
    if (!next) {
      if (this.handle) clearTimeout(this.handle);
      this.handle = undefined;
      this.armedFor = Number.POSITIVE_INFINITY;
      return;
    }
    if (!force && this.handle && this.armedFor <= next.at) return;
    if (this.handle) clearTimeout(this.handle);
    this.armedFor = next.at;
    // setTimeout caps near 2^31 ms; long deadlines simply re-arm when reached.
    const delay = Math.min(Math.max(0, next.at - this.clock.now()), 2 ** 31 - 1);
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.armedFor = Number.POSITIVE_INFINITY;
      this.fire();
    }, delay);
    this.handle.unref?.();
  }
}

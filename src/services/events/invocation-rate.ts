import type { Clock } from '../../core/clock.js';
import type { Scheduler, Timer } from '../../core/scheduler.js';

interface Window {
  start: number;
  used: number;
  limit: number;
  waiting: (() => void)[];
  timer?: Timer;
}

/**
 * InvocationRateLimitPerSecond, on Tideway's clock: each destination may start `limit` calls per
 * second; the calls beyond wait their turn in order (AWS holds them back rather than failing
 * them), and each new second lets the next `limit` go.
 */
export class InvocationRate {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
  ) {}

  /** Resolves when the destination may be called. */
  acquire(key: string, limit: number): Promise<void> {
    const now = this.clock.now();
    let w = this.windows.get(key);
    if (!w) {
      w = { start: now, used: 0, limit, waiting: [] };
      this.windows.set(key, w);
    }
    w.limit = limit;
    if (w.waiting.length === 0 && now >= w.start + 1000) {
      w.start = now;
      w.used = 0;
    }
    if (w.waiting.length === 0 && w.used < w.limit) {
      w.used++;
      return Promise.resolve();
    }
    const window = w;
    return new Promise((resolve) => {
      window.waiting.push(resolve);
      this.arm(key, window);
    });
  }

  /** How many calls wait for their turn (for tests and logs). */
  waiting(key: string): number {
    return this.windows.get(key)?.waiting.length ?? 0;
  }

  private arm(key: string, w: Window): void {
    if (this.scheduler.isPending(w.timer)) return;
    w.timer = this.scheduler.at(w.start + 1000, () => {
      w.start = Math.max(this.clock.now(), w.start + 1000);
      w.used = 0;
      while (w.waiting.length > 0 && w.used < w.limit) {
        w.used++;
        w.waiting.shift()!();
      }
      if (w.waiting.length > 0) this.arm(key, w);
      else w.timer = undefined;
    });
  }

  stop(): void {
    for (const w of this.windows.values()) this.scheduler.cancel(w.timer);
    this.windows.clear();
  }
}

import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

// A dead or broken server fails the phase fast instead of spinning through errors for its length.
const MAX_ERRORS = 200;

/** Latencies (successful calls only, so fast failures can't flatter them) and errors of one phase. */
export class Recorder {
  readonly latency: RecordableHistogram = createHistogram();
  errors = 0;
  firstError?: string;

  async time<T>(call: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    const result = await call();
    this.latency.record(process.hrtime.bigint() - start);
    return result;
  }

  fail(err: unknown): void {
    this.errors++;
    this.firstError ??= err instanceof Error ? err.message : String(err);
  }

  /** Latency at percentile `p`, in milliseconds; NaN when nothing succeeded. */
  ms(p: number): number {
    return this.latency.count === 0 ? Number.NaN : this.latency.percentile(p) / 1e6;
  }

  get aborted(): boolean {
    return this.errors >= MAX_ERRORS;
  }
}

/** Keeps going until `ms` have passed. */
export function forDuration(ms: number): () => boolean {
  const end = performance.now() + ms;
  return () => performance.now() < end;
}

/** Allows exactly `n` steps in total, across all workers. */
export function forCount(n: number): () => boolean {
  let started = 0;
  return () => started++ < n;
}

/**
 * Runs `step` on `concurrency` workers, each with one request in flight, while `more()` says so:
 * a closed loop, as an SDK-driven test suite or consumer behaves. Returns the elapsed time in ms.
 */
export async function drive(
  concurrency: number,
  more: () => boolean,
  step: () => Promise<void>,
  recorder: Recorder,
): Promise<number> {
  const start = performance.now();
  const worker = async () => {
    while (!recorder.aborted && more()) {
      try {
        await step();
      } catch (err) {
        recorder.fail(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}

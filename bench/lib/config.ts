/** How long each phase runs; every phase is bounded so a full run stays within a few minutes. */
export interface BenchConfig {
  quick: boolean;
  /** In-flight requests, and connections in the undici pool. */
  concurrency: number;
  /** Per warm-up step (send, batch), so the JIT has seen every code path before we measure. */
  warmMs: number;
  warmDrainMessages: number;
  sendMs: number;
  batchMs: number;
  drainMessages: number;
  /** A drain stuck on an unacknowledged message would otherwise wait out the visibility timeout. */
  drainTimeoutMs: number;
  sdkMs: number;
  coldStartRuns: number;
}

const FULL: BenchConfig = {
  quick: false,
  concurrency: 16,
  warmMs: 2_000,
  warmDrainMessages: 2_000,
  sendMs: 10_000,
  batchMs: 10_000,
  drainMessages: 50_000,
  drainTimeoutMs: 120_000,
  sdkMs: 4_000,
  coldStartRuns: 5,
};

// BENCH_QUICK=1 only proves the harness works end to end; its numbers are too short to trust.
const QUICK: BenchConfig = {
  ...FULL,
  quick: true,
  warmMs: 1_000,
  warmDrainMessages: 500,
  sendMs: 1_500,
  batchMs: 1_500,
  drainMessages: 5_000,
  drainTimeoutMs: 30_000,
  sdkMs: 1_000,
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK !== undefined && env.BENCH_QUICK !== '' && env.BENCH_QUICK !== '0';
  return quick ? QUICK : FULL;
}

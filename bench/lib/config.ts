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
  /**
   * Passes over all servers, interleaved; each phase reports its median pass. This machine's
   * speed drifts over minutes, and interleaving spreads the drift over every server alike.
   */
  rounds: number;
}

const FULL: BenchConfig = {
  quick: false,
  concurrency: 16,
  warmMs: 2_000,
  warmDrainMessages: 2_000,
  sendMs: 4_000,
  batchMs: 4_000,
  drainMessages: 30_000,
  drainTimeoutMs: 120_000,
  sdkMs: 4_000,
  coldStartRuns: 5,
  rounds: 3,
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
  rounds: 1,
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK !== undefined && env.BENCH_QUICK !== '' && env.BENCH_QUICK !== '0';
  return quick ? QUICK : FULL;
}

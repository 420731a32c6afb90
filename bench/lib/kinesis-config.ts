import { loadConfig } from './config.js';
import type { ServerKind } from './servers.js';

/** The Kinesis bench's phases; `quick`, rounds and connections follow the SQS bench's settings. */
export interface KinesisConfig {
  quick: boolean;
  rounds: number;
  /** Connections and requests in flight in the put phases. */
  concurrency: number;
  /** Shards of every stream, on every server. */
  shards: number;
  /**
   * Requests in flight while warming up and loading the drain's records, neither measured:
   * kinesis-local slows down several times over with 16 PutRecords of 500 in flight.
   */
  setupConcurrency: number;
  /** Per warm-up step, so the JIT has seen every code path before anything is measured. */
  warmMs: number;
  /** Caps on the warm-up's writes, so every server holds about as much garbage after it. */
  warmRecords: number;
  warmPutRecords: number;
  warmDrainRecords: number;
  putRecordsMs: number;
  putRecordMs: number;
  /** Records loaded (unmeasured) and then read back by the drain; RSS is read with them held. */
  drainRecords: number;
  /** The same for SLOW_PEERS, whichever is fewer. */
  slowDrainRecords: number;
  /** A server too slow to load them in this time has its drain reported as failed. */
  prefillTimeoutMs: number;
  /** GetRecords `Limit`. */
  drainLimit: number;
  /** A drain that stops finding records would otherwise poll until the iterators expire. */
  drainTimeoutMs: number;
  /** Per SDK variant. */
  sdkMs: number;
  /** Bounds one SDK call: a server that never answers must not hang the run. */
  sdkCallTimeoutMs: number;
}

/**
 * kinesis-local's PutRecords costs more CPU the more records the stream holds (here about 0.5 ms
 * a record into an empty stream, 3.4 ms at 30,000), so loading 100,000 would take many minutes:
 * it loads `slowDrainRecords` for its drain and runs in the first pass only, which keeps a full
 * run within a few minutes. No target rests on its figures.
 */
export const SLOW_PEERS: ReadonlySet<ServerKind> = new Set(['kinesis-local']);

const FULL: Omit<KinesisConfig, 'quick' | 'rounds' | 'concurrency'> = {
  shards: 4,
  setupConcurrency: 4,
  warmMs: 1_000,
  warmRecords: 20_000,
  warmPutRecords: 2_000,
  warmDrainRecords: 2_000,
  putRecordsMs: 4_000,
  putRecordMs: 4_000,
  drainRecords: 100_000,
  slowDrainRecords: 10_000,
  prefillTimeoutMs: 120_000,
  drainLimit: 1_000,
  drainTimeoutMs: 60_000,
  sdkMs: 2_000,
  sdkCallTimeoutMs: 5_000,
};

// BENCH_QUICK=1 only proves the harness works end to end; its numbers are too short to trust.
const QUICK: typeof FULL = {
  ...FULL,
  warmMs: 300,
  warmDrainRecords: 1_000,
  putRecordsMs: 1_000,
  putRecordMs: 1_000,
  drainRecords: 5_000,
  prefillTimeoutMs: 20_000,
  drainTimeoutMs: 20_000,
  sdkMs: 1_000,
};

/** How many records `kind` loads for its drain. */
export function drainRecordsFor(config: KinesisConfig, kind: ServerKind): number {
  return SLOW_PEERS.has(kind) ? Math.min(config.drainRecords, config.slowDrainRecords) : config.drainRecords;
}

export function loadKinesisConfig(env: NodeJS.ProcessEnv = process.env): KinesisConfig {
  const { quick, rounds, concurrency } = loadConfig(env);
  return { quick, rounds, concurrency, ...(quick ? QUICK : FULL) };
}

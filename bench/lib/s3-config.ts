import { loadConfig } from './config.js';

/** The S3 bench's phases; `quick`, rounds and connections follow the SQS bench's settings. */
export interface S3Config {
  quick: boolean;
  rounds: number;
  /** Connections and requests in flight in the 1 KiB phases. */
  concurrency: number;
  smallBytes: number;
  /** Keys the 1 KiB phases cycle through: PutObject overwrites them, GetObject reads them. */
  smallKeys: number;
  warmMs: number;
  smallMs: number;
  largeBytes: number;
  /** 64 MiB objects put (over two keys, so memory mode holds two) and then got, one at a time. */
  largeObjects: number;
  /** The upload whose server RSS is watched; the 1 GiB of the target in a full run. */
  hugeBytes: number;
  /** How often the server's RSS is read during that upload and its download. */
  rssSampleMs: number;
}

const MiB = 1024 * 1024;

const FULL: Omit<S3Config, 'quick' | 'rounds' | 'concurrency'> = {
  smallBytes: 1024,
  smallKeys: 2_000,
  warmMs: 2_000,
  smallMs: 4_000,
  largeBytes: 64 * MiB,
  largeObjects: 8,
  hugeBytes: 1024 * MiB,
  rssSampleMs: 20,
};

// BENCH_QUICK=1 only proves the harness works end to end; its numbers are too short to trust.
const QUICK: typeof FULL = {
  ...FULL,
  smallKeys: 1_000,
  warmMs: 500,
  smallMs: 1_500,
  largeObjects: 2,
  hugeBytes: 256 * MiB,
};

export function loadS3Config(env: NodeJS.ProcessEnv = process.env): S3Config {
  const { quick, rounds, concurrency } = loadConfig(env);
  return { quick, rounds, concurrency, ...(quick ? QUICK : FULL) };
}

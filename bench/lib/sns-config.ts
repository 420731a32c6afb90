import { loadConfig } from './config.js';

/** The SNS bench's phases; `quick`, rounds and connections follow the SQS bench's settings. */
export interface SnsConfig {
  quick: boolean;
  rounds: number;
  /** Connections and requests in flight in the Publish throughput phase. */
  concurrency: number;
  /** SQS queues subscribed to the topic, one set of phases each. */
  subscriptions: number[];
  /** SQS queues subscribed with RawMessageDelivery=true, for a Publish phase of their own. */
  rawSubscriptions: number;
  /** Subscriptions in the warm-up, which runs every phase briefly before any is measured. */
  warmSubscriptions: number;
  warmMs: number;
  publishMs: number;
  /**
   * Publishes per second in the latency phase, the same for every server and subscription
   * count. It must stay well below the slowest server's Publish rate at 50 subscriptions (about
   * 55/s for Tideway at the time of writing, whose Publish then costs ~17 ms of CPU), or the
   * figure measures a queue building up instead of the path of one publication.
   */
  deliveryRate: number;
  deliveryMs: number;
  warmDeliveryMs: number;
  settleTimeoutMs: number;
  /** Long-poll wait; a poll ends on the first copy, so this only bounds how long a stop takes. */
  waitTimeSeconds: number;
}

const FULL: Omit<SnsConfig, 'quick' | 'rounds' | 'concurrency'> = {
  subscriptions: [1, 10, 50],
  rawSubscriptions: 10,
  warmSubscriptions: 10,
  warmMs: 2_000,
  publishMs: 4_000,
  deliveryRate: 25,
  // 300 publications: 300 copies at one subscription, so its p99 rests on more than a handful.
  deliveryMs: 12_000,
  warmDeliveryMs: 1_500,
  settleTimeoutMs: 15_000,
  waitTimeSeconds: 1,
};

// BENCH_QUICK=1 only proves the harness works end to end; its numbers are too short to trust.
const QUICK: typeof FULL = {
  ...FULL,
  warmMs: 1_000,
  publishMs: 1_500,
  deliveryMs: 2_000,
  warmDeliveryMs: 500,
};

export function loadSnsConfig(env: NodeJS.ProcessEnv = process.env): SnsConfig {
  const { quick, rounds, concurrency } = loadConfig(env);
  return { quick, rounds, concurrency, ...(quick ? QUICK : FULL) };
}

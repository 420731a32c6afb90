import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler } from '../../core/scheduler.js';

/** The part of a delivery policy that decides retries (SNS guide, "Amazon SNS message delivery retries"). */
export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

// Keys in the order AWS writes them in EffectiveDeliveryPolicy.
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

/**
 * The seconds to wait before each retry: first the immediate ones, then those at the minimum
 * delay, then the backoff phase rising from minimum to maximum, then those at the maximum.
 */
export function retryDelays(policy: RetryPolicy): number[] {
  const delays: number[] = [];
  for (let i = 0; i < policy.numNoDelayRetries; i++) delays.push(0);
  for (let i = 0; i < policy.numMinDelayRetries; i++) delays.push(policy.minDelayTarget);
  const backoff = Math.max(
    0,
    policy.numRetries - policy.numNoDelayRetries - policy.numMinDelayRetries - policy.numMaxDelayRetries,
  );
  const span = policy.maxDelayTarget - policy.minDelayTarget;
  for (let i = 1; i <= backoff; i++) {
    const x = i / backoff;
    const curve =
      policy.backoffFunction === 'arithmetic'
        ? x * x
        : policy.backoffFunction === 'geometric'
          ? x * x * x
          : policy.backoffFunction === 'exponential'
            ? (2 ** (8 * x) - 1) / (2 ** 8 - 1)
            : x;
    delays.push(Math.round(policy.minDelayTarget + span * curve));
  }
  for (let i = 0; i < policy.numMaxDelayRetries; i++) delays.push(policy.maxDelayTarget);
  return delays.slice(0, policy.numRetries);
}

/** Reads the healthy retry policy out of a subscription's or topic's DeliveryPolicy JSON. */
export function retryPolicyOf(...policies: Array<string | undefined>): RetryPolicy {
  for (const text of policies) {
    if (!text) continue;
    try {
      const doc = JSON.parse(text) as {
        healthyRetryPolicy?: Partial<RetryPolicy>;
        http?: { defaultHealthyRetryPolicy?: Partial<RetryPolicy> };
      };
      const found = doc.healthyRetryPolicy ?? doc.http?.defaultHealthyRetryPolicy;
      if (found) return { ...DEFAULT_RETRY_POLICY, ...found };
    } catch {
      // Validated when set; a policy that cannot be read falls back to the default.
    }
  }
  return DEFAULT_RETRY_POLICY;
}

export interface HttpPost {
  url: string;
  headers: Record<string, string>;
  body: string;
}

// AWS waits 15 seconds for an endpoint to answer (SNS guide, "HTTP/HTTPS endpoints").
const ANSWER_TIMEOUT_MS = 15_000;

/**
 * Posts to HTTP/HTTPS subscribers, retrying on the clock as the delivery policy says. Nothing
 * here is awaited by Publish: a slow endpoint delays only its own deliveries.
 */
export class HttpDelivery {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** One attempt: true on a 2xx answer. */
  async post(post: HttpPost): Promise<boolean> {
    try {
      const res = await fetch(post.url, {
        method: 'POST',
        headers: post.headers,
        body: post.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status >= 200 && res.status < 300;
    } catch (err) {
      this.log.debug({ url: post.url, err: (err as Error).message }, 'HTTP delivery attempt failed');
      return false;
    }
  }

  /** Delivers with retries; `gaveUp` runs once every attempt has failed. */
  deliver(post: HttpPost, policy: RetryPolicy, gaveUp: () => void): void {
    const delays = retryDelays(policy);
    const attempt = (n: number) => {
      void this.post(post).then((ok) => {
        if (ok) return;
        if (n >= delays.length) {
          gaveUp();
          return;
        }
        this.scheduler.at(this.clock.now() + delays[n] * 1000, () => attempt(n + 1));
      });
    };
    attempt(0);
  }
}

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
  // minDelayTarget is the first backoff retry's delay, maxDelayTarget the last's.
  for (let i = 1; i <= backoff; i++) {
    const x = backoff === 1 ? 0 : (i - 1) / (backoff - 1);
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

const RETRY_FIELDS = [
  'minDelayTarget',
  'maxDelayTarget',
  'numRetries',
  'numNoDelayRetries',
  'numMinDelayRetries',
  'numMaxDelayRetries',
] as const;
const BACKOFF = new Set(['linear', 'arithmetic', 'geometric', 'exponential']);

/**
 * Why a retry policy is refused, or undefined when AWS would take it (SNS guide, "Amazon SNS
 * message delivery retries": delays 1..3600 s with min ≤ max, at most 100 retries, no more than
 * 3600 s of retrying in all).
 */
export function retryPolicyProblem(policy: Partial<Record<string, unknown>>): string | undefined {
  for (const field of RETRY_FIELDS) {
    const value = policy[field];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) {
      return `${field} must be a non-negative integer`;
    }
  }
  if (policy.backoffFunction !== undefined && !BACKOFF.has(String(policy.backoffFunction))) {
    return 'backoffFunction must be one of linear, arithmetic, geometric, exponential';
  }
  const full = { ...DEFAULT_RETRY_POLICY, ...policy } as RetryPolicy;
  if (full.minDelayTarget < 1 || full.minDelayTarget > full.maxDelayTarget)
    return 'minDelayTarget must be between 1 and maxDelayTarget';
  if (full.maxDelayTarget > 3600) return 'maxDelayTarget must be at most 3600';
  if (full.numRetries > 100) return 'numRetries must be at most 100';
  if (full.numNoDelayRetries + full.numMinDelayRetries + full.numMaxDelayRetries > full.numRetries) {
    return 'the retries of each phase must add up to no more than numRetries';
  }
  if (retryDelays(full).reduce((a, b) => a + b, 0) > 3600)
    return 'the total retry time must be at most 3600 seconds';
  return undefined;
}

/** Checks a DeliveryPolicy as a topic (`http.defaultHealthyRetryPolicy`) or a subscription (`healthyRetryPolicy`) sets it. */
export function deliveryPolicyProblem(text: string, of: 'topic' | 'subscription'): string | undefined {
  const doc = JSON.parse(text) as {
    healthyRetryPolicy?: unknown;
    http?: { defaultHealthyRetryPolicy?: unknown };
  };
  const retry = of === 'topic' ? doc.http?.defaultHealthyRetryPolicy : doc.healthyRetryPolicy;
  if (retry === undefined || retry === null) return undefined;
  if (typeof retry !== 'object' || Array.isArray(retry)) return 'the retry policy must be a JSON object';
  return retryPolicyProblem(retry as Record<string, unknown>);
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
  // Aborted when the server stops, so no post outlives it (or keeps the process alive).
  private readonly stopping = new AbortController();

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
        signal: AbortSignal.any([AbortSignal.timeout(ANSWER_TIMEOUT_MS), this.stopping.signal]),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status >= 200 && res.status < 300;
    } catch (err) {
      this.log.debug({ url: post.url, err: (err as Error).message }, 'HTTP delivery attempt failed');
      return false;
    }
  }

  close(): void {
    this.stopping.abort();
  }

  /** Delivers with retries; `gaveUp` runs once every attempt has failed. */
  deliver(post: HttpPost, policy: RetryPolicy, gaveUp: () => void): void {
    const delays = retryDelays(policy);
    const attempt = (n: number) => {
      void this.post(post).then((ok) => {
        if (ok || this.stopping.signal.aborted) return;
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

/** The headers AWS puts on every post to an HTTP/HTTPS subscriber. */
export function snsHttpHeaders(
  type: string,
  messageId: string,
  topicArn: string,
  subscriptionArn?: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-amz-sns-message-type': type,
    'x-amz-sns-message-id': messageId,
    'x-amz-sns-topic-arn': topicArn,
    'content-type': 'text/plain; charset=UTF-8',
    'user-agent': 'Amazon Simple Notification Service Agent',
  };
  if (subscriptionArn) headers['x-amz-sns-subscription-arn'] = subscriptionArn;
  return headers;
}

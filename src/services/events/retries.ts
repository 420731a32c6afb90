import type { Timer } from '../../core/scheduler.js';
import { type ExhaustedCondition, sendToDeadLetter } from './dead-letters.js';
import type { TargetRecord } from './records.js';
import type { EventsState, TargetInvocation, TargetResult } from './state.js';

/** RetryPolicy's defaults (AWS: 24 hours and 185 attempts). */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;

// AWS documents "exponential back off and jitter" without its constants: Tideway doubles from one
// second up to three minutes, and waits a random time between half and all of that step.
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 180_000;

export interface RetryLimits {
  maximumRetryAttempts: number;
  maximumEventAgeMs: number;
}

export function retryLimits(target: TargetRecord): RetryLimits {
  const policy = target.RetryPolicy;
  return {
    maximumRetryAttempts: policy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
    maximumEventAgeMs: (policy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000,
  };
}

/** The wait before retry number `retry` (0 for the first retry): exponential, capped, jittered. */
export function backoffDelayMs(retry: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(retry, 30));
  return Math.ceil(step / 2 + (step / 2) * random());
}

/** What to do after a failed attempt: try again at `at`, or stop for `exhausted`. */
export function nextStep(
  limits: RetryLimits,
  retriesDone: number,
  firstAttemptAt: number,
  now: number,
  random: () => number = Math.random,
  /** A target's own wait (an API destination's Retry-After), when longer than the backoff. */
  retryAfterMs = 0,
): { retryAt: number } | { exhausted: ExhaustedCondition } {
  if (retriesDone >= limits.maximumRetryAttempts) return { exhausted: 'MaximumRetryAttempts' };
  const retryAt = now + Math.max(backoffDelayMs(retriesDone, random), retryAfterMs);
  if (retryAt - firstAttemptAt > limits.maximumEventAgeMs) return { exhausted: 'MaximumEventAgeInSeconds' };
  return { retryAt };
}

/**
 * Every delivery to a target: the first attempt at once, retries on the clock (never a real timer)
 * while the target's RetryPolicy allows, and the dead-letter queue for what fails for good. Errors
 * that retrying cannot mend (permissions, a missing resource, KMS, size) skip the retries, as AWS's do.
 */
export class TargetDeliveries {
  private readonly timers = new Set<Timer>();
  private stopped = false;
  /** Deliveries started and not yet settled (delivered, dead-lettered or dropped). */
  inFlight = 0;

  constructor(private readonly state: EventsState) {}

  deliver(invocation: TargetInvocation): void {
    this.inFlight++;
    void this.attempt(invocation, 0, this.state.clock.now());
  }

  /** A delivery that cannot even be attempted (its input does not render): straight to the DLQ. */
  fail(invocation: TargetInvocation, result: Extract<TargetResult, { kind: 'failed' }>): void {
    this.inFlight++;
    void this.deadLetter(invocation, result, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) this.state.scheduler.cancel(timer);
    this.timers.clear();
  }

  private async attempt(
    invocation: TargetInvocation,
    retriesDone: number,
    firstAttemptAt: number,
  ): Promise<void> {
    const result = await this.invoke(invocation);
    if (result.kind === 'delivered') {
      this.inFlight--;
      return;
    }
    if (result.kind === 'failed') {
      await this.deadLetter(invocation, result, retriesDone);
      return;
    }
    const step = nextStep(
      retryLimits(invocation.target),
      retriesDone,
      firstAttemptAt,
      this.state.clock.now(),
      Math.random,
      (result.retryAfterSeconds ?? 0) * 1000,
    );
    if ('exhausted' in step) {
      await this.deadLetter(invocation, result, retriesDone, step.exhausted);
      return;
    }
    if (this.stopped) return;
    const timer = this.state.scheduler.at(step.retryAt, () => {
      this.timers.delete(timer);
      void this.attempt(invocation, retriesDone + 1, firstAttemptAt);
    });
    this.timers.add(timer);
  }

  private async invoke(invocation: TargetInvocation): Promise<TargetResult> {
    const arn = invocation.target.Arn ?? '';
    const kind = this.state.targetKind(arn);
    if (!kind) {
      return {
        kind: 'failed',
        errorCode: 'SDK_CLIENT_ERROR',
        errorMessage: `Tideway does not deliver to targets like ${arn} (docs/eventbridge/delivery.md lists the target kinds it has).`,
      };
    }
    try {
      return await kind.deliver(invocation);
    } catch (err) {
      this.state.log.error({ err, target: arn }, 'EventBridge target delivery threw');
      return {
        kind: 'failed',
        errorCode: 'UNKNOWN',
        errorMessage: 'An internal error occurred while delivering the event.',
      };
    }
  }

  private async deadLetter(
    invocation: TargetInvocation,
    result: Exclude<TargetResult, { kind: 'delivered' }>,
    retriesDone: number,
    exhausted?: ExhaustedCondition,
  ): Promise<void> {
    try {
      await sendToDeadLetter(this.state, {
        rule: invocation.rule,
        target: invocation.target,
        event: invocation.event,
        traceHeader: invocation.traceHeader,
        errorCode: result.errorCode,
        errorMessage: result.errorMessage,
        retryAttempts: retriesDone,
        exhausted,
      });
    } finally {
      this.inFlight--;
    }
  }
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BACKOFF_CAP_MS,
  backoffDelayMs,
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  nextStep,
  retryLimits,
} from '../../src/services/events/retries.js';

describe('EventBridge retry policy', () => {
  it("defaults to AWS's 185 attempts over 24 hours", () => {
    assert.deepEqual(retryLimits({ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }), {
      maximumRetryAttempts: DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
      maximumEventAgeMs: DEFAULT_MAXIMUM_EVENT_AGE_SECONDS * 1000,
    });
    assert.equal(DEFAULT_MAXIMUM_RETRY_ATTEMPTS, 185);
    assert.equal(DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, 86_400);
  });

  it('backs off exponentially, jittered between half and all of each step, up to the cap', () => {
    assert.equal(
      backoffDelayMs(0, () => 0),
      500,
    );
    assert.equal(
      backoffDelayMs(0, () => 1),
      1000,
    );
    assert.equal(
      backoffDelayMs(3, () => 1),
      8000,
    );
    assert.equal(
      backoffDelayMs(3, () => 0),
      4000,
    );
    assert.equal(
      backoffDelayMs(40, () => 1),
      BACKOFF_CAP_MS,
    );
    assert.equal(
      backoffDelayMs(1000, () => 0),
      BACKOFF_CAP_MS / 2,
    );
  });

  it('stops on MaximumRetryAttempts once that many retries are spent', () => {
    const limits = { maximumRetryAttempts: 2, maximumEventAgeMs: 86_400_000 };
    assert.ok('retryAt' in nextStep(limits, 0, 0, 0, () => 0));
    assert.ok('retryAt' in nextStep(limits, 1, 0, 0, () => 0));
    assert.deepEqual(
      nextStep(limits, 2, 0, 0, () => 0),
      { exhausted: 'MaximumRetryAttempts' },
    );
    assert.deepEqual(nextStep({ ...limits, maximumRetryAttempts: 0 }, 0, 0, 0), {
      exhausted: 'MaximumRetryAttempts',
    });
  });

  it('waits as long as a Retry-After asks when that is longer than the backoff', () => {
    const limits = { maximumRetryAttempts: 185, maximumEventAgeMs: 86_400_000 };
    assert.deepEqual(
      nextStep(limits, 0, 0, 1_000, () => 0, 30_000),
      { retryAt: 31_000 },
    );
    assert.deepEqual(
      nextStep(limits, 0, 0, 1_000, () => 0, 100),
      { retryAt: 1_500 },
    );
  });

  it('stops on MaximumEventAgeInSeconds when the next retry would come after it', () => {
    const limits = { maximumRetryAttempts: 185, maximumEventAgeMs: 60_000 };
    assert.deepEqual(
      nextStep(limits, 0, 0, 59_000, () => 0),
      { retryAt: 59_500 },
    );
    assert.deepEqual(
      nextStep(limits, 0, 0, 59_600, () => 0),
      { exhausted: 'MaximumEventAgeInSeconds' },
    );
  });
});

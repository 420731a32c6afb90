import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deletedTooRecently, RECREATE_AFTER_DELETE_MS } from '../../src/services/sqs/rules/queue-names.js';
import {
  expiredUnderRetention,
  queueSettingsOf,
  visibleAfterSend,
} from '../../src/services/sqs/rules/queue-settings.js';
import { formatSequenceNumber, nextSequenceNumber } from '../../src/services/sqs/rules/sequence-numbers.js';
import {
  deleteDecision,
  MAX_VISIBILITY_MS,
  retriedVisibilityMs,
  visibilityDecision,
} from '../../src/services/sqs/rules/visibility.js';

const target = (over: Partial<Parameters<typeof deleteDecision>[0]>) => ({
  exists: true,
  latest: true,
  inflight: true,
  fifo: false,
  ...over,
});

describe('SQS receipt-handle rules', () => {
  it('deletes with the latest handle of a message in flight', () => {
    assert.equal(deleteDecision(target({})), 'deleted');
    assert.equal(deleteDecision(target({ fifo: true })), 'deleted');
  });

  it('ignores stale handles on standard queues and refuses them on FIFO queues', () => {
    assert.equal(deleteDecision(target({ exists: false })), 'ignored');
    assert.equal(deleteDecision(target({ latest: false })), 'ignored');
    assert.equal(deleteDecision(target({ latest: false, fifo: true })), 'expired');
    // Standard: the timeout ran out but no one received it since, the delete still works.
    assert.equal(deleteDecision(target({ inflight: false })), 'deleted');
    assert.equal(deleteDecision(target({ inflight: false, fifo: true })), 'expired');
  });

  it('changes visibility within 12 hours of the receive only', () => {
    assert.equal(MAX_VISIBILITY_MS, 43_200_000);
    assert.equal(visibilityDecision(target({}), 0, 1000, MAX_VISIBILITY_MS - 1000), 'ok');
    assert.equal(visibilityDecision(target({}), 0, 1000, MAX_VISIBILITY_MS - 999), 'tooLong');
    assert.equal(visibilityDecision(target({ latest: false }), 0, 0, 0), 'missing');
    assert.equal(visibilityDecision(target({ exists: false }), 0, 0, 0), 'missing');
    assert.equal(visibilityDecision(target({ inflight: false }), 0, 0, 10), 'ok');
    assert.equal(visibilityDecision(target({ inflight: false, fifo: true }), 0, 0, 10), 'expired');
  });

  it('resets a retried receive attempt’s timeout, never past 12 hours in flight', () => {
    assert.equal(retriedVisibilityMs(0, 1000, 30_000), 30_000);
    assert.equal(retriedVisibilityMs(0, MAX_VISIBILITY_MS - 10, 30_000), 10);
  });
});

describe('SQS queue rules', () => {
  it('numbers FIFO messages in 20 digits, rising with the clock and within a millisecond', () => {
    const first = nextSequenceNumber(0n, 1_700_000_000_000);
    assert.equal(formatSequenceNumber(first), '01700000000000000000');
    assert.equal(formatSequenceNumber(first).length, 20);
    assert.equal(nextSequenceNumber(first, 1_700_000_000_000), first + 1n);
    // A clock that went back (a restart on another machine) still never repeats a number.
    assert.equal(nextSequenceNumber(first + 5n, 1_600_000_000_000), first + 6n);
  });

  it('refuses to recreate a deleted queue name for 60 seconds', () => {
    assert.equal(RECREATE_AFTER_DELETE_MS, 60_000);
    assert.equal(deletedTooRecently(undefined, 0), false);
    assert.equal(deletedTooRecently(1000, 60_999), true);
    assert.equal(deletedTooRecently(1000, 61_000), false);
  });

  it('reads the settings engines act on from the attribute strings', () => {
    const settings = queueSettingsOf({
      VisibilityTimeout: '45',
      DelaySeconds: '5',
      MessageRetentionPeriod: '60',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'messageGroup',
      RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:d","maxReceiveCount":4}',
    });
    assert.deepEqual(settings, {
      visibilityTimeoutMs: 45_000,
      delayMs: 5000,
      retentionMs: 60_000,
      contentBasedDeduplication: true,
      deduplicationPerGroup: true,
      redrive: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:d', maxReceiveCount: 4 },
    });
    const defaults = queueSettingsOf({});
    assert.equal(defaults.visibilityTimeoutMs, 30_000);
    assert.equal(defaults.retentionMs, 345_600_000);
    assert.equal(defaults.redrive, undefined);
    assert.equal(visibleAfterSend(100, undefined, settings), 5100);
    assert.equal(visibleAfterSend(100, 0, settings), 100);
    assert.equal(expiredUnderRetention(0, 59_999, settings), false);
    assert.equal(expiredUnderRetention(0, 60_000, settings), true);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEDUPLICATION_WINDOW_MS,
  DeduplicationWindow,
  deduplicationKey,
  withinDeduplicationWindow,
} from '../../src/services/sqs/rules/deduplication.js';

// SQS Developer Guide, "Exactly-once processing": the deduplication interval is five minutes.

describe('SQS deduplication rules', () => {
  it('keys ids by queue, or by message group with DeduplicationScope messageGroup', () => {
    assert.equal(deduplicationKey(false, 'g1', 'id'), 'id');
    assert.equal(deduplicationKey(false, 'g2', 'id'), deduplicationKey(false, 'g1', 'id'));
    assert.notEqual(deduplicationKey(true, 'g1', 'id'), deduplicationKey(true, 'g2', 'id'));
    // No group/id pair may collide with another one split differently.
    assert.notEqual(deduplicationKey(true, 'a', 'bc'), deduplicationKey(true, 'ab', 'c'));
  });

  it('deduplicates for exactly five minutes', () => {
    assert.equal(DEDUPLICATION_WINDOW_MS, 300_000);
    assert.equal(withinDeduplicationWindow(1000, 1000 + 299_999), true);
    assert.equal(withinDeduplicationWindow(1000, 1000 + 300_000), false);
  });

  it('gives the first answer within the window and forgets it after', () => {
    const window = new DeduplicationWindow<string>();
    window.remember('k', 'first', 0);
    assert.equal(window.get('k', 299_999), 'first');
    assert.equal(window.get('k', 300_000), undefined);
    assert.equal(window.size, 0);
  });

  it('drops stale entries as new ones come, so ids used once do not pile up', () => {
    const window = new DeduplicationWindow<number>(100);
    for (let i = 0; i < 50; i++) window.remember(`k${i}`, i, i);
    assert.equal(window.size, 50);
    window.remember('late', 99, 200);
    assert.equal(window.size, 1);
    assert.equal(window.get('late', 250), 99);
  });

  it('forgets a key on demand (a receive attempt whose messages changed)', () => {
    const window = new DeduplicationWindow<number>();
    window.remember('attempt', 1, 0);
    window.forget('attempt');
    assert.equal(window.get('attempt', 1), undefined);
  });
});

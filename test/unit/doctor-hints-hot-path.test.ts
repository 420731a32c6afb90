import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { FALLING_BEHIND_MS, HintRecorder, SHORT_POLL_EMPTY_THRESHOLD } from '../../src/knowhow/live/hints.js';
import { captureLogger } from '../support/log-capture.js';

// The recorder's request-path entries skip work in the common case; these pin that the
// shortcuts decide exactly as the plain rules say.

const QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:orders';
const OTHER_QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:invoices';
const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks';
const CONSUMER = `${STREAM}/consumer/audit:1700000000`;
const SHARD = 'shardId-000000000000';

function recorder() {
  const clock = new Clock();
  clock.freeze();
  return new HintRecorder(clock, captureLogger());
}

describe('HintRecorder on the request path', () => {
  it('hints at the first read past the bar after a read under it: the lag grew', () => {
    const hints = recorder();
    hints.kinesisLag(STREAM, STREAM, SHARD, 0);
    hints.kinesisLag(STREAM, STREAM, SHARD, 5_000);
    assert.deepEqual(hints.list(), []);
    hints.kinesisLag(STREAM, STREAM, SHARD, FALLING_BEHIND_MS + 1);
    assert.equal(hints.list().length, 1);
    assert.equal(hints.list()[0].kind, 'consumer-falling-behind');
  });

  it('needs a previous read: the very first read past the bar makes no hint', () => {
    const hints = recorder();
    hints.kinesisLag(STREAM, STREAM, SHARD, FALLING_BEHIND_MS + 30_000);
    assert.deepEqual(hints.list(), []);
  });

  it('hints again after a reader that caught up falls behind anew', () => {
    const hints = recorder();
    hints.kinesisLag(STREAM, STREAM, SHARD, FALLING_BEHIND_MS + 30_000);
    hints.kinesisLag(STREAM, STREAM, SHARD, FALLING_BEHIND_MS + 30_000);
    assert.equal(hints.list()[0].count, 1);
    hints.kinesisLag(STREAM, STREAM, SHARD, 0);
    hints.kinesisLag(STREAM, STREAM, SHARD, FALLING_BEHIND_MS + 10_000);
    assert.equal(hints.list()[0].count, 2);
  });

  it('keeps each reader of a shard apart: a consumer lagging does not count for GetRecords', () => {
    const hints = recorder();
    hints.kinesisLag(STREAM, STREAM, SHARD, 0);
    hints.kinesisLag(STREAM, CONSUMER, SHARD, FALLING_BEHIND_MS + 10_000);
    assert.deepEqual(hints.list(), [], 'the consumer has no previous read yet');
    hints.kinesisLag(STREAM, CONSUMER, SHARD, FALLING_BEHIND_MS + 20_000);
    const [hint] = hints.list();
    assert.match(
      hint.message,
      /consumer arn:aws:kinesis:us-east-1:123456789012:stream\/clicks\/consumer\/audit/,
    );
    assert.equal(hint.count, 1);
  });

  it('names only the system attributes among the message attribute names asked, and none for user names', () => {
    const hints = recorder();
    hints.receive(QUEUE, ['All', 'tenant', 'trace.id'], 20, false);
    assert.deepEqual(hints.list(), []);
    hints.receive(QUEUE, ['tenant', 'SentTimestamp', 'MessageGroupId'], 20, false);
    const [hint] = hints.list();
    assert.match(hint.message, /asked for SentTimestamp, MessageGroupId in MessageAttributeNames/);
    assert.doesNotMatch(hint.message, /tenant/);
  });

  it('lets a receive with messages on one queue leave the empty polls of another counting', () => {
    const hints = recorder();
    for (let i = 1; i < SHORT_POLL_EMPTY_THRESHOLD; i++) hints.receive(QUEUE, undefined, 0, true);
    hints.receive(OTHER_QUEUE, undefined, 0, false);
    hints.receive(QUEUE, undefined, 0, true);
    const [hint] = hints.list();
    assert.equal(hint.kind, 'short-polling-empty-receives');
    assert.equal(hint.resource, QUEUE);
  });

  it('forgets the readers and polls it saw on clear', () => {
    const hints = recorder();
    hints.kinesisLag(STREAM, STREAM, SHARD, 0);
    for (let i = 1; i < SHORT_POLL_EMPTY_THRESHOLD; i++) hints.receive(QUEUE, undefined, 0, true);
    hints.clear();
    hints.kinesisLag(STREAM, STREAM, SHARD, FALLING_BEHIND_MS + 1);
    hints.receive(QUEUE, undefined, 0, true);
    assert.deepEqual(hints.list(), []);
  });
});

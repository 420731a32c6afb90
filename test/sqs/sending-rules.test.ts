import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ServiceError } from '../../src/protocols/errors.js';
import { checkFifoBatch, newMessage } from '../../src/services/sqs/sending.js';
import type { QueueRecord } from '../../src/storage/types.js';

// SendMessage's rules as a pure function of the queue and the entry: no server, no storage.

function queue(fifo: boolean, attributes: Record<string, string> = {}): QueueRecord {
  const name = fifo ? 'q.fifo' : 'q';
  return {
    id: 'id',
    account: '000000000000',
    region: 'us-east-1',
    name,
    arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
    fifo,
    attributes: { MaximumMessageSize: '1024', ...attributes },
    tags: {},
    createdAt: 0,
    modifiedAt: 0,
  };
}

function refusal(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ServiceError, String(err));
    return err;
  }
  assert.fail('expected a refusal');
}

describe('SQS send rules', () => {
  it('keeps a standard queue per-message delay and drops a FIFO zero delay for the queue default', () => {
    assert.equal(
      newMessage(queue(false), { MessageBody: 'x', DelaySeconds: 0 }, 's', 'single').delaySeconds,
      0,
    );
    const fifo = queue(true, { ContentBasedDeduplication: 'true' });
    const m = newMessage(fifo, { MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 0 }, 's', 'single');
    assert.equal(m.delaySeconds, undefined);
    const err = refusal(() =>
      newMessage(fifo, { MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 1 }, 's', 'single'),
    );
    assert.equal(err.queryCode, 'InvalidParameterValue');
  });

  it('derives a content-based deduplication id as the SHA-256 of the body', () => {
    const fifo = queue(true, { ContentBasedDeduplication: 'true' });
    const m = newMessage(fifo, { MessageBody: 'body', MessageGroupId: 'g' }, 'sender', 'single');
    assert.equal(m.deduplicationId, createHash('sha256').update('body').digest('hex'));
    assert.equal(m.senderId, 'sender');
  });

  it('words the size refusal by carrier', () => {
    const big = { MessageBody: 'a'.repeat(1025) };
    assert.equal(
      refusal(() => newMessage(queue(false), big, 's', 'single')).message,
      'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    );
    assert.equal(
      refusal(() => newMessage(queue(false), big, 's', 'batch')).message,
      'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
    );
  });

  it('refuses a FIFO batch whose entry lacks its group or deduplication id, and passes a standard one', () => {
    const fifo = queue(true);
    checkFifoBatch(queue(false), [{ MessageBody: 'x' }]);
    checkFifoBatch(fifo, [{ MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }]);
    assert.equal(
      refusal(() => checkFifoBatch(fifo, [{ MessageBody: 'x', MessageDeduplicationId: 'd' }])).message,
      'The request must contain the parameter MessageGroupId.',
    );
    assert.match(
      refusal(() => checkFifoBatch(fifo, [{ MessageBody: 'x', MessageGroupId: 'g' }])).message,
      /^The queue should either have ContentBasedDeduplication enabled/,
    );
    checkFifoBatch(queue(true, { ContentBasedDeduplication: 'true' }), [
      { MessageBody: 'x', MessageGroupId: 'g' },
    ]);
  });
});

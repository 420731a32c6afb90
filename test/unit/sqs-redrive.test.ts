import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DESTINATION_GONE,
  MAX_MOVE_RATE,
  moveBudget,
  moveCredit,
  moveTaskDone,
} from '../../src/services/sqs/rules/move-tasks.js';
import {
  arrivalFromMoveTask,
  arrivalInDeadLetterQueue,
  goesToDeadLetterQueue,
  redriveRuleOf,
} from '../../src/services/sqs/rules/redrive.js';

const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';

describe('SQS redrive rules', () => {
  it('reads the RedrivePolicy attribute', () => {
    assert.deepEqual(redriveRuleOf(JSON.stringify({ deadLetterTargetArn: DLQ, maxReceiveCount: '3' })), {
      deadLetterTargetArn: DLQ,
      maxReceiveCount: 3,
    });
    assert.equal(redriveRuleOf(undefined), undefined);
    assert.equal(redriveRuleOf(''), undefined);
    assert.equal(redriveRuleOf('{not json'), undefined);
    assert.equal(redriveRuleOf('{"maxReceiveCount":3}'), undefined);
  });

  it('moves a message once it has been received maxReceiveCount times', () => {
    const rule = { deadLetterTargetArn: DLQ, maxReceiveCount: 2 };
    assert.equal(goesToDeadLetterQueue(0, rule), false);
    assert.equal(goesToDeadLetterQueue(1, rule), false);
    assert.equal(goesToDeadLetterQueue(2, rule), true);
    assert.equal(goesToDeadLetterQueue(5, undefined), false);
  });

  it('keeps the enqueue time in a standard dead-letter queue and restarts it in a FIFO one', () => {
    const m = { enqueuedAt: 100, receiveCount: 3, firstReceiveAt: 150 };
    const source = 'arn:aws:sqs:us-east-1:000000000000:source';
    assert.deepEqual(arrivalInDeadLetterQueue(m, source, false, 900), {
      enqueuedAt: 100,
      receiveCount: 3,
      firstReceiveAt: 150,
      deadLetterSourceArn: source,
      newSequenceNumber: false,
    });
    assert.equal(arrivalInDeadLetterQueue(m, source, true, 900).enqueuedAt, 900);
  });

  it('starts a message over when a move task takes it out of a dead-letter queue', () => {
    assert.deepEqual(arrivalFromMoveTask(false, 900), {
      enqueuedAt: 900,
      receiveCount: 0,
      firstReceiveAt: undefined,
      deadLetterSourceArn: undefined,
      newSequenceNumber: false,
    });
    assert.equal(arrivalFromMoveTask(true, 900).newSequenceNumber, true);
  });
});

describe('SQS message move task rules', () => {
  it('moves a second of the rate at once, then earns the rate per second', () => {
    assert.equal(moveCredit(0, 0, MAX_MOVE_RATE, 0), 500);
    assert.equal(moveCredit(0, 0, 10, 5000), 10);
    assert.equal(moveCredit(0.5, 10, 10, 1000), 10.5);
    assert.equal(moveBudget(10.5, 10, 100), 10);
    assert.equal(moveBudget(10.5, 95, 100), 5);
  });

  it('completes when all is moved, or when nothing is left to move and nothing in flight', () => {
    assert.equal(moveTaskDone(10, 10, 0, 0, 3), true);
    assert.equal(moveTaskDone(4, 10, 5, 0, 0), true);
    assert.equal(moveTaskDone(4, 10, 5, 0, 1), false);
    assert.equal(moveTaskDone(4, 10, 0, 0, 0), false);
    assert.equal(DESTINATION_GONE, 'AWS.SimpleQueueService.NonExistentQueue');
  });
});

/**
 * Dead-letter queues (SQS Developer Guide, "Using dead-letter queues"): a message received
 * maxReceiveCount times moves to the queue the RedrivePolicy names the next time a receive would
 * hand it out; a message move task (StartMessageMoveTask) later moves it out again.
 */

export interface RedriveRule {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The rule a queue's RedrivePolicy attribute sets, if any (the service has validated its text). */
export function redriveRuleOf(policy: string | undefined): RedriveRule | undefined {
  if (!policy) return undefined;
  let parsed: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  try {
    parsed = JSON.parse(policy);
  } catch {
    return undefined;
  }
  if (typeof parsed?.deadLetterTargetArn !== 'string' || parsed.deadLetterTargetArn === '') return undefined;
  return { deadLetterTargetArn: parsed.deadLetterTargetArn, maxReceiveCount: Number(parsed.maxReceiveCount) };
}

/**
 * Whether a receive must move the message to the dead-letter queue instead of handing it out:
 * it has already been received maxReceiveCount times. A dead-letter queue that does not exist
 * moves nothing (the message stays where it is).
 */
export function goesToDeadLetterQueue(receiveCount: number, rule: RedriveRule | undefined): boolean {
  return rule !== undefined && receiveCount >= rule.maxReceiveCount;
}

/** What a message keeps and changes as it moves between queues. */
export interface Arrival {
  /** Retention counts from this instant in the new queue. */
  enqueuedAt: number;
  receiveCount: number;
  firstReceiveAt: number | undefined;
  deadLetterSourceArn: string | undefined;
  /** Whether the new queue gives it a new FIFO sequence number. */
  newSequenceNumber: boolean;
}

interface Moving {
  enqueuedAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
}

/**
 * A move into a dead-letter queue. A standard queue keeps the original enqueue time for
 * retention ("the expiration of a message is always based on its original enqueue timestamp");
 * a FIFO dead-letter queue restarts it. The receive count and sequence number stay.
 */
export function arrivalInDeadLetterQueue(
  m: Moving,
  sourceArn: string,
  deadLetterFifo: boolean,
  now: number,
): Arrival {
  return {
    enqueuedAt: deadLetterFifo ? now : m.enqueuedAt,
    receiveCount: m.receiveCount,
    firstReceiveAt: m.firstReceiveAt,
    deadLetterSourceArn: sourceArn,
    newSequenceNumber: false,
  };
}

/**
 * A move out of a dead-letter queue by a move task: the message starts over in its new queue,
 * or it would go straight back on its next receive.
 */
export function arrivalFromMoveTask(destinationFifo: boolean, now: number): Arrival {
  return {
    enqueuedAt: now,
    receiveCount: 0,
    firstReceiveAt: undefined,
    deadLetterSourceArn: undefined,
    newSequenceNumber: destinationFifo,
  };
}

import type { StoredAttributeValue } from '../../storage/types.js';
import type { DeliveredMessage, DeliveryOutcome } from '../sqs/deliveries.js';
import { deliveryDrops } from './drops.js';
import type { BusEvent, BusRecord, RuleRecord, TargetRecord } from './records.js';
import type { EventsState } from './state.js';

export const EVENTS_PRINCIPAL = 'events.amazonaws.com';

/** Why retries ended, as the EXHAUSTED_RETRY_CONDITION attribute names it. */
export type ExhaustedCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

export interface DeadLetter {
  rule: RuleRecord;
  target: TargetRecord;
  event: BusEvent;
  traceHeader?: string;
  errorCode: string;
  errorMessage: string;
  retryAttempts: number;
  /** Only when a retry limit ended the delivery; errors that are never retried have none. */
  exhausted?: ExhaustedCondition;
}

/**
 * A target's undeliverable event to its DeadLetterConfig queue, with the attributes AWS documents
 * (RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS, all
 * strings) and the trace header as the AWSTraceHeader system attribute. The queue's own policy must
 * let events.amazonaws.com send, as in AWS: otherwise, or with no queue, the event is dropped.
 */
export async function sendToDeadLetter(state: EventsState, letter: DeadLetter): Promise<void> {
  const { rule, target } = letter;
  const queueArn = target.DeadLetterConfig?.Arn;
  const drop = (reason: string) =>
    deliveryDrops(state).record({ ruleArn: rule.arn, targetId: target.Id!, targetArn: target.Arn!, reason });
  const failure = `${letter.errorCode}: ${letter.errorMessage}`;
  if (!queueArn) {
    drop(`the delivery failed (${failure}) and the target has no dead-letter queue`);
    return;
  }
  const attributes: Record<string, StoredAttributeValue> = {
    RULE_ARN: text(rule.arn),
    TARGET_ARN: text(target.Arn!),
    ERROR_CODE: text(letter.errorCode),
    ERROR_MESSAGE: text(letter.errorMessage),
    RETRY_ATTEMPTS: text(String(letter.retryAttempts)),
  };
  if (letter.exhausted) attributes.EXHAUSTED_RETRY_CONDITION = text(letter.exhausted);
  const outcome = await deliverToQueue(
    state,
    queueArn,
    {
      body: JSON.stringify(letter.event),
      attributes,
      systemAttributes: traceAttribute(letter.traceHeader),
    },
    rule.arn,
    rule.account,
  );
  if (outcome.kind !== 'delivered') {
    drop(
      `the delivery failed (${failure}) and so did its dead-letter queue ${queueArn}: ${reasonOf(outcome)}`,
    );
  }
}

/**
 * A bus's own dead-letter queue: events the bus could not encrypt or decrypt with its customer
 * managed key. Sent as the bus (aws:SourceArn is the bus ARN).
 */
export async function sendToBusDeadLetter(
  state: EventsState,
  bus: BusRecord,
  event: BusEvent,
  errorCode: string,
  errorMessage: string,
  traceHeader?: string,
): Promise<void> {
  const drop = (reason: string) =>
    deliveryDrops(state).record({ ruleArn: bus.arn, targetId: '(bus)', targetArn: bus.arn, reason });
  if (!bus.deadLetterArn) {
    drop(`the bus could not use its KMS key (${errorCode}: ${errorMessage}) and has no dead-letter queue`);
    return;
  }
  const outcome = await deliverToQueue(
    state,
    bus.deadLetterArn,
    {
      body: JSON.stringify(event),
      attributes: { ERROR_CODE: text(errorCode), ERROR_MESSAGE: text(errorMessage) },
      systemAttributes: traceAttribute(traceHeader),
    },
    bus.arn,
    bus.account,
  );
  if (outcome.kind !== 'delivered') {
    drop(
      `the bus could not use its KMS key (${errorCode}: ${errorMessage}) and its dead-letter queue ${bus.deadLetterArn} refused the event: ${reasonOf(outcome)}`,
    );
  }
}

async function deliverToQueue(
  state: EventsState,
  queueArn: string,
  message: DeliveredMessage,
  sourceArn: string,
  sourceAccount: string,
): Promise<DeliveryOutcome> {
  const queues = state.frontDoors.sqs;
  if (!queues) return { kind: 'missing' };
  return queues.deliver(queueArn, message, {
    principal: EVENTS_PRINCIPAL,
    sourceArn,
    sourceAccount,
    lenient: state.settings.lenientPolicies ?? false,
  });
}

export function reasonOf(outcome: Exclude<DeliveryOutcome, { kind: 'delivered' }>): string {
  return outcome.kind === 'missing' ? 'the queue does not exist' : outcome.reason;
}

function text(value: string): StoredAttributeValue {
  return { DataType: 'String', StringValue: value };
}

export function traceAttribute(
  traceHeader: string | undefined,
): Record<string, StoredAttributeValue> | undefined {
  return traceHeader === undefined ? undefined : { AWSTraceHeader: text(traceHeader) };
}

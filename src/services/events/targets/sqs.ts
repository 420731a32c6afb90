import type { DeliveryOutcome } from '../../sqs/deliveries.js';
import { EVENTS_PRINCIPAL, reasonOf, traceAttribute } from '../dead-letters.js';
import type { EventsState, TargetKind, TargetResult } from '../state.js';
import { serviceOf } from './arns.js';

/**
 * SQS queues, through SQS's front door: the queue policy must let events.amazonaws.com send
 * (aws:SourceArn is the rule), and an encrypted queue's key must let it too. A FIFO queue takes the
 * target's SqsParameters.MessageGroupId and the event id as deduplication id.
 */
export function sqsTargets(state: EventsState): TargetKind {
  return {
    accepts: (arn) => serviceOf(arn) === 'sqs',
    deliver: async (invocation) => {
      const queues = state.frontDoors.sqs;
      const { rule, target, event } = invocation;
      const arn = target.Arn!;
      if (!queues) return noQueue(arn);
      const fifo = arn.endsWith('.fifo');
      const outcome = await queues.deliver(
        arn,
        {
          body: invocation.payload,
          systemAttributes: traceAttribute(invocation.traceHeader),
          groupId: fifo ? target.SqsParameters?.MessageGroupId : undefined,
          deduplicationId: fifo ? event.id : undefined,
        },
        {
          principal: EVENTS_PRINCIPAL,
          sourceArn: rule.arn,
          sourceAccount: rule.account,
          lenient: invocation.lenient,
        },
      );
      return queueResult(arn, outcome);
    },
  };
}

function noQueue(arn: string): TargetResult {
  return { kind: 'failed', errorCode: 'NO_RESOURCE', errorMessage: `The queue ${arn} does not exist.` };
}

/** What an SQS delivery's outcome means for the target: none of its refusals is worth a retry. */
export function queueResult(arn: string, outcome: DeliveryOutcome): TargetResult {
  switch (outcome.kind) {
    case 'delivered':
      return { kind: 'delivered' };
    case 'missing':
      return noQueue(arn);
    case 'denied':
      return { kind: 'failed', errorCode: 'NO_PERMISSIONS', errorMessage: reasonOf(outcome) };
    case 'rejected':
      return {
        kind: 'failed',
        errorCode: /KMS|key/.test(outcome.reason) ? 'NO_PERMISSIONS' : 'INVALID_PARAMETER',
        errorMessage: outcome.reason,
      };
  }
}

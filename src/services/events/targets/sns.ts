import { EVENTS_PRINCIPAL } from '../dead-letters.js';
import type { EventsState, TargetKind } from '../state.js';
import { serviceOf } from './arns.js';

/**
 * SNS topics, through SNS's front door: the topic policy must let events.amazonaws.com publish,
 * and Publish's own limits hold, so an event over SNS's 256 KB fails here as it does in AWS.
 */
export function snsTargets(state: EventsState): TargetKind {
  return {
    accepts: (arn) => serviceOf(arn) === 'sns',
    deliver: async ({ rule, target, payload, lenient }) => {
      const arn = target.Arn!;
      const topics = state.frontDoors.sns;
      const outcome = topics
        ? await topics.publish(
            arn,
            { message: payload },
            { principal: EVENTS_PRINCIPAL, sourceArn: rule.arn, sourceAccount: rule.account, lenient },
          )
        : ({ kind: 'missing' } as const);
      switch (outcome.kind) {
        case 'delivered':
          return { kind: 'delivered' };
        case 'missing':
          return {
            kind: 'failed',
            errorCode: 'NO_RESOURCE',
            errorMessage: `The topic ${arn} does not exist.`,
          };
        case 'denied':
          return { kind: 'failed', errorCode: 'NO_PERMISSIONS', errorMessage: outcome.reason };
        case 'rejected':
          return {
            kind: 'failed',
            errorCode: /KMS|key/.test(outcome.reason) ? 'NO_PERMISSIONS' : 'INVALID_PARAMETER',
            errorMessage: outcome.reason,
          };
      }
    },
  };
}

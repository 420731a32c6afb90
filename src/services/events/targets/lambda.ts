import { lambdaOutbox } from '../outbox.js';
import type { EventsState, TargetKind } from '../state.js';
import { serviceOf } from './arns.js';

/** Lambda functions: Tideway has no Lambda, so each invocation is recorded in the outbox (outbox.ts). */
export function lambdaTargets(state: EventsState): TargetKind {
  return {
    accepts: (arn) => serviceOf(arn) === 'lambda',
    deliver: async ({ rule, target, event, payload }) => {
      lambdaOutbox(state).add({
        functionArn: target.Arn!,
        invocationType: 'Event',
        payload,
        ruleArn: rule.arn,
        targetId: target.Id!,
        eventId: event.id,
        invokedAt: new Date(state.clock.now()).toISOString(),
      });
      return { kind: 'delivered' };
    },
  };
}

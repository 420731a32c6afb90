import { randomUUID } from 'node:crypto';
import { parseArn } from '../../../core/arn.js';
import { busPolicyAllows } from '../bus-policy.js';
import type { EventsState, TargetKind, TargetResult } from '../state.js';

/**
 * Another event bus, in this account or another, in this region or another. Another account's bus
 * takes the event only when its policy lets the rule's account events:PutEvents. As AWS's recorded
 * answers show, the event keeps its account and region fields; in the same region it keeps its id,
 * in another region it gets a new one.
 */
export function eventBusTargets(state: EventsState): TargetKind {
  return {
    accepts: (arn) => parseArn(arn)?.service === 'events' && arn.includes(':event-bus/'),
    deliver: async ({ rule, target, event, traceHeader, lenient }): Promise<TargetResult> => {
      const arn = parseArn(target.Arn!)!;
      const bus = state.bus(arn.account, arn.region, arn.resource.slice('event-bus/'.length));
      if (!bus) {
        return {
          kind: 'failed',
          errorCode: 'NO_RESOURCE',
          errorMessage: `Event bus ${target.Arn} does not exist.`,
        };
      }
      if (!busPolicyAllows(bus, rule.account, 'events:PutEvents', rule.arn)) {
        const reason = `the policy of event bus ${bus.arn} does not allow account ${rule.account} events:PutEvents (aws:SourceArn ${rule.arn})`;
        if (!lenient) return { kind: 'failed', errorCode: 'NO_PERMISSIONS', errorMessage: reason };
        state.log.warn(
          { bus: bus.arn, rule: rule.arn },
          `delivered only because of --lenient-policies: ${reason}`,
        );
      }
      const crossRegion = bus.region !== event.region;
      const forwarded = crossRegion ? { ...event, id: randomUUID() } : { ...event };
      delete forwarded['replay-name'];
      state.router?.route(bus, forwarded, { traceHeader });
      return { kind: 'delivered' };
    },
  };
}

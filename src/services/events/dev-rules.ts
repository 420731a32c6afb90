import type * as EB from '@aws-sdk/client-eventbridge';
import { parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../protocols/service.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import type { RuleRecord } from './records.js';
import { DEFAULT_BUS, type EventsState } from './state.js';

/**
 * THROWAWAY (delivery branch only; deleted at merge): bare PutRule, PutTargets, DeleteRule and
 * RemoveTargets so the delivery tests can run end to end before the rules part lands. The real
 * handlers (rules.ts) are spread after these in operations.ts and replace them.
 */
export function devRuleHandlers(state: EventsState): EventsHandlers {
  const busName = (given: string | undefined) => {
    if (!given) return DEFAULT_BUS;
    return given.startsWith('arn:') ? parseArn(given)!.resource.slice('event-bus/'.length) : given;
  };
  const ruleOf = (name: string, bus: string | undefined, ctx: RequestContext) => {
    const { account, region } = ctx.caller;
    const rule = state.rules.get(state.ruleArn(account, region, busName(bus), name));
    if (!rule) throw eventsError.notFound(`Rule ${name} does not exist on EventBus ${busName(bus)}.`);
    return rule;
  };
  return {
    PutRule: async (input: EB.PutRuleRequest, ctx: RequestContext): Promise<EB.PutRuleResponse> => {
      const { account, region } = ctx.caller;
      const name = busName(input.EventBusName);
      const bus = state.bus(account, region, name);
      if (!bus) throw eventsError.notFound(`Event bus ${name} does not exist.`);
      const arn = state.ruleArn(account, region, name, input.Name!);
      const known = state.rules.get(arn);
      const rule: RuleRecord = {
        arn,
        name: input.Name!,
        busName: name,
        busArn: bus.arn,
        account,
        region,
        eventPattern: input.EventPattern,
        scheduleExpression: input.ScheduleExpression,
        state: (input.State as RuleRecord['state']) ?? 'ENABLED',
        description: input.Description,
        roleArn: input.RoleArn,
        createdBy: account,
        targets: known?.targets ?? [],
        tags: known?.tags ?? [],
        createdAt: known?.createdAt ?? state.clock.now(),
      };
      await state.putRule(rule);
      return { RuleArn: arn };
    },
    PutTargets: async (input: EB.PutTargetsRequest, ctx: RequestContext): Promise<EB.PutTargetsResponse> => {
      const rule = ruleOf(input.Rule!, input.EventBusName, ctx);
      const targets = new Map(rule.targets.map((t) => [t.Id, t]));
      for (const target of input.Targets ?? []) targets.set(target.Id, target);
      await state.putRule({ ...rule, targets: [...targets.values()] });
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    RemoveTargets: async (
      input: EB.RemoveTargetsRequest,
      ctx: RequestContext,
    ): Promise<EB.RemoveTargetsResponse> => {
      const rule = ruleOf(input.Rule!, input.EventBusName, ctx);
      const gone = new Set(input.Ids ?? []);
      await state.putRule({ ...rule, targets: rule.targets.filter((t) => !gone.has(t.Id!)) });
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    DeleteRule: async (input: EB.DeleteRuleRequest, ctx: RequestContext): Promise<Record<string, never>> => {
      const rule = ruleOf(input.Name!, input.EventBusName, ctx);
      await state.deleteRule(rule.arn);
      return {};
    },
  };
}

import type * as EB from '@aws-sdk/client-eventbridge';
import { compileEventPattern, EventPatternError } from '../../core/patterns/event-pattern.js';
import type { RequestContext } from '../../protocols/service.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import { pageByOffset } from './paging.js';
import type { BusRecord, RuleRecord, Tag, TargetRecord } from './records.js';
import { ruleError } from './rule-errors.js';
import { busAddress, findBus, findRule, findTagged, requireRule } from './rule-lookup.js';
import { byName, ruleDescription, ruleSummary, usesWildcard } from './rule-views.js';
import { parseScheduleExpression } from './schedule-expressions.js';
import { DEFAULT_BUS, type EventsState } from './state.js';
import { mergeTags, removeTags } from './tags.js';
import { checkTarget } from './target-checks.js';

/**
 * Rules, their targets, and the tags of rules and event buses. Every rule is written through
 * state.putRule / state.deleteRule, which the router and the schedules follow.
 */
export function ruleHandlers(state: EventsState): EventsHandlers {
  const busOf = (name: string | undefined, ctx: RequestContext): BusRecord =>
    findBus(state, busAddress(name, ctx));

  /** A managed rule (an archive's, another service's) changes only with Force, where there is one. */
  const refuseManaged = (rule: RuleRecord, force?: boolean): void => {
    if (rule.managedBy !== undefined && !force) throw ruleError.managed(rule.name);
  };

  const checkRuleQuotas = (bus: BusRecord, existing: RuleRecord | undefined, wildcard: boolean): void => {
    const rules = state.rulesOf(bus.arn);
    const perBus = state.quota('rules-per-bus');
    if (!existing && perBus !== undefined && rules.length >= perBus) throw ruleError.limitExceeded();
    const wildcards = state.quota('wildcard-rules-per-bus');
    if (!wildcard || wildcards === undefined) return;
    const others = rules.filter(
      (r) => r.arn !== existing?.arn && r.eventPattern && wildcardIn(r.eventPattern),
    );
    if (others.length >= wildcards) throw ruleError.limitExceeded();
  };

  return {
    PutRule: async (input: EB.PutRuleRequest, ctx): Promise<EB.PutRuleResponse> => {
      const { Name, EventPattern, ScheduleExpression } = input;
      if (!EventPattern && !ScheduleExpression) throw ruleError.patternOrSchedule();
      const bus = busOf(input.EventBusName, ctx);
      if (ScheduleExpression) {
        if (bus.name !== DEFAULT_BUS) throw ruleError.scheduleOnCustomBus();
        parseScheduleExpression(ScheduleExpression);
      }
      let wildcard = false;
      if (EventPattern) {
        try {
          compileEventPattern(EventPattern);
        } catch (err) {
          if (err instanceof EventPatternError) throw eventsError.invalidEventPattern(err.message);
          throw err;
        }
        wildcard = wildcardIn(EventPattern);
      }
      const existing = findRule(state, bus, Name!);
      if (existing) refuseManaged(existing);
      checkRuleQuotas(bus, existing, wildcard);
      // PutRule replaces the rule: what the call leaves out is not kept (API Reference), except
      // the targets and tags, which have operations of their own.
      const rule: RuleRecord = {
        arn: state.ruleArn(bus.account, bus.region, bus.name, Name!),
        name: Name!,
        busName: bus.name,
        busArn: bus.arn,
        account: bus.account,
        region: bus.region,
        eventPattern: EventPattern || undefined,
        scheduleExpression: ScheduleExpression || undefined,
        state: input.State ?? 'ENABLED',
        description: input.Description,
        roleArn: input.RoleArn,
        createdBy: existing?.createdBy ?? ctx.caller.account,
        targets: existing?.targets ?? [],
        tags: mergeTags(existing?.tags ?? [], (input.Tags ?? []) as Tag[]),
        createdAt: existing?.createdAt ?? state.clock.now(),
      };
      await state.putRule(rule);
      return { RuleArn: rule.arn };
    },

    DescribeRule: (input: EB.DescribeRuleRequest, ctx): EB.DescribeRuleResponse => {
      const bus = busOf(input.EventBusName, ctx);
      return ruleDescription(requireRule(state, bus, input.Name!));
    },

    // Deleting a rule that is not there succeeds (API Reference: every repeated call succeeds).
    DeleteRule: async (input: EB.DeleteRuleRequest, ctx): Promise<object> => {
      const bus = busOf(input.EventBusName, ctx);
      const rule = findRule(state, bus, input.Name!);
      if (!rule) return {};
      refuseManaged(rule, input.Force);
      if (rule.targets.length > 0 && !input.Force) throw ruleError.hasTargets();
      await state.deleteRule(rule.arn);
      return {};
    },

    EnableRule: (input: EB.EnableRuleRequest, ctx) => setRuleState(input, ctx, 'ENABLED'),
    DisableRule: (input: EB.DisableRuleRequest, ctx) => setRuleState(input, ctx, 'DISABLED'),

    ListRules: (input: EB.ListRulesRequest, ctx): EB.ListRulesResponse => {
      const bus = busOf(input.EventBusName, ctx);
      const prefix = input.NamePrefix ?? '';
      const rules = state
        .rulesOf(bus.arn)
        .filter((rule) => rule.name.startsWith(prefix))
        .sort(byName);
      const { items: page, next } = pageByOffset(rules, input.NextToken, input.Limit);
      return { Rules: page.map(ruleSummary), NextToken: next };
    },

    ListRuleNamesByTarget: (
      input: EB.ListRuleNamesByTargetRequest,
      ctx,
    ): EB.ListRuleNamesByTargetResponse => {
      const bus = busOf(input.EventBusName, ctx);
      const rules = state
        .rulesOf(bus.arn)
        .filter((rule) => rule.targets.some((target) => target.Arn === input.TargetArn))
        .sort(byName);
      const { items: page, next } = pageByOffset(rules, input.NextToken, input.Limit);
      return { RuleNames: page.map((rule) => rule.name), NextToken: next };
    },

    PutTargets: async (input: EB.PutTargetsRequest, ctx): Promise<EB.PutTargetsResponse> => {
      const bus = busOf(input.EventBusName, ctx);
      const rule = requireRule(state, bus, input.Rule!);
      refuseManaged(rule);
      const given = input.Targets as TargetRecord[];
      for (const target of given) checkTarget(target);
      // A target Id given again replaces that target where it stands (AWS's recorded answers).
      const targets = new Map(rule.targets.map((target) => [target.Id!, target]));
      for (const target of given) targets.set(target.Id!, target);
      const limit = state.quota('targets-per-rule');
      if (limit !== undefined && targets.size > limit && targets.size > rule.targets.length) {
        throw ruleError.limitExceeded();
      }
      await state.putRule({ ...rule, targets: [...targets.values()] });
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    // Ids the rule does not have are no error: the call is idempotent, as DeleteRule is.
    RemoveTargets: async (input: EB.RemoveTargetsRequest, ctx): Promise<EB.RemoveTargetsResponse> => {
      const bus = busOf(input.EventBusName, ctx);
      const rule = requireRule(state, bus, input.Rule!);
      refuseManaged(rule, input.Force);
      const gone = new Set(input.Ids);
      const targets = rule.targets.filter((target) => !gone.has(target.Id!));
      if (targets.length !== rule.targets.length) await state.putRule({ ...rule, targets });
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    ListTargetsByRule: (input: EB.ListTargetsByRuleRequest, ctx): EB.ListTargetsByRuleResponse => {
      const bus = busOf(input.EventBusName, ctx);
      const rule = requireRule(state, bus, input.Rule!);
      const { items: page, next } = pageByOffset(rule.targets, input.NextToken, input.Limit);
      return { Targets: page, NextToken: next };
    },

    TagResource: async (input: EB.TagResourceRequest): Promise<object> => {
      await retag(input.ResourceARN!, (tags) => mergeTags(tags, input.Tags as Tag[]));
      return {};
    },

    UntagResource: async (input: EB.UntagResourceRequest): Promise<object> => {
      await retag(input.ResourceARN!, (tags) => removeTags(tags, input.TagKeys!));
      return {};
    },

    ListTagsForResource: (input: EB.ListTagsForResourceRequest): EB.ListTagsForResourceResponse => {
      const found = findTagged(state, input.ResourceARN!);
      return { Tags: found.kind === 'bus' ? found.bus.tags : found.rule.tags };
    },
  };

  async function setRuleState(
    input: EB.EnableRuleRequest,
    ctx: RequestContext,
    ruleState: RuleRecord['state'],
  ): Promise<object> {
    const bus = busOf(input.EventBusName, ctx);
    const rule = requireRule(state, bus, input.Name!);
    refuseManaged(rule);
    if (rule.state !== ruleState) await state.putRule({ ...rule, state: ruleState });
    return {};
  }

  async function retag(arn: string, change: (tags: Tag[]) => Tag[]): Promise<void> {
    const found = findTagged(state, arn);
    if (found.kind === 'bus') {
      const bus = found.bus;
      await state.buses.put(bus.arn, { ...bus, tags: change(bus.tags) });
      return;
    }
    refuseManaged(found.rule);
    await state.putRule({ ...found.rule, tags: change(found.rule.tags) });
  }
}

/** Whether a pattern's text (already compiled, so valid JSON) uses the wildcard operator. */
function wildcardIn(pattern: string): boolean {
  try {
    return usesWildcard(JSON.parse(pattern));
  } catch {
    return false;
  }
}

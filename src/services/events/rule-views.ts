import type * as EB from '@aws-sdk/client-eventbridge';
import type { RuleRecord } from './records.js';

/** A rule as ListRules shows it (DescribeRule adds CreatedBy). */
export function ruleSummary(rule: RuleRecord): EB.Rule {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    State: rule.state,
    Description: rule.description,
    ScheduleExpression: rule.scheduleExpression,
    RoleArn: rule.roleArn,
    ManagedBy: rule.managedBy,
    EventBusName: rule.busName,
  };
}

export function ruleDescription(rule: RuleRecord): EB.DescribeRuleResponse {
  return { ...ruleSummary(rule), CreatedBy: rule.createdBy };
}

export function byName(a: RuleRecord, b: RuleRecord): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Whether a pattern uses the wildcard operator (its own, smaller quota of rules per bus). */
export function usesWildcard(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(
      (item) =>
        (item !== null && typeof item === 'object' && !Array.isArray(item) && 'wildcard' in item) ||
        usesWildcard(item),
    );
  }
  if (value !== null && typeof value === 'object') return Object.values(value).some(usesWildcard);
  return false;
}

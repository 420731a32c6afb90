import type { EventsHandlers } from './operations.js';
import type { EventsState } from './state.js';

/** Handlers of: PutRule DeleteRule DescribeRule EnableRule DisableRule ListRules ListRuleNamesByTarget PutTargets RemoveTargets ListTargetsByRule TagResource UntagResource ListTagsForResource. (To be built.) */
export function ruleHandlers(_state: EventsState): EventsHandlers {
  return {};
}

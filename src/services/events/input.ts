import type { BusEvent, RuleRecord, TargetRecord } from './records.js';

/**
 * What a target receives for an event: the event itself, the target's constant Input, the part
 * InputPath selects, or InputTransformer's template filled from InputPathsMap. (To be completed.)
 */
export function renderTargetInput(target: TargetRecord, event: BusEvent, _rule: RuleRecord): string {
  if (target.Input !== undefined) return target.Input;
  return JSON.stringify(event);
}

/** PutTargets' checks of Input, InputPath and InputTransformer; throws AWS's ValidationException. (To be completed.) */
export function checkTargetInput(_target: TargetRecord): void {}

import type { Finding, RuleContext, Severity } from '../findings.js';
import type { Entity, Model } from '../model.js';
import { ignores, makeFindingFor, placeOf } from './policy-findings.js';

export { ignores } from './policy-findings.js';

/** How messages name a resource: its id, and its author's when SAM generated it. */
export function label(entity: Entity): string {
  return entity.generatedBy && entity.generatedBy !== entity.id
    ? `${entity.id} (generated from ${entity.generatedBy})`
    : entity.id;
}

export interface FindingText {
  message: string;
  fix: string;
}

/**
 * A finding on `entity`, reported on the resource the author wrote (its `generatedBy` for what a
 * SAM transform made), or none when the entity (or one of `alsoSuppressedBy`, resources the
 * finding is just as much about) ignores the rule; the notes then say which resource did.
 */
export function findingOn(
  model: Model,
  context: RuleContext,
  rule: string,
  severity: Severity,
  entity: Entity,
  text: FindingText,
  alsoSuppressedBy: Entity[] = [],
): Finding | undefined {
  if ([entity, ...alsoSuppressedBy].some((each) => ignores(model, each, rule, context))) return undefined;
  return makeFindingFor(rule, severity, placeOf(entity), text.message, text.fix);
}

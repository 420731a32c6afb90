import type { Finding, Severity } from '../findings.js';
import { type Entity, entities, type Model } from '../model.js';

/**
 * Where a finding lands. Resources that a SAM transform created are reported on the resource the
 * author wrote (`generatedBy`), so the finding points at something they can edit; suppression on
 * either the generated resource or its author silences it.
 */
export function ignores(model: Model, entity: Entity, ruleId: string): boolean {
  if (entity.ignore.includes(ruleId)) return true;
  if (!entity.generatedBy) return false;
  return authorOf(model, entity)?.ignore.includes(ruleId) ?? false;
}

function authorOf(model: Model, entity: Entity): Entity | undefined {
  const id = entity.generatedBy;
  if (!id) return undefined;
  return entities(model).find((candidate) => candidate.id === id);
}

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
 * A finding on `entity`, or none when the entity (or one of `alsoSuppressedBy`, resources the
 * finding is just as much about) ignores the rule.
 */
export function findingOn(
  model: Model,
  rule: string,
  severity: Severity,
  entity: Entity,
  text: FindingText,
  alsoSuppressedBy: Entity[] = [],
): Finding | undefined {
  if ([entity, ...alsoSuppressedBy].some((each) => ignores(model, each, rule))) return undefined;
  const finding: Finding = {
    rule,
    severity,
    resource: entity.generatedBy ?? entity.id,
    file: entity.origin.file,
    message: text.message,
    fix: text.fix,
  };
  if (entity.origin.line !== undefined) finding.line = entity.origin.line;
  return finding;
}

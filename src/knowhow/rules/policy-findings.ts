import type { Finding, KnowHowRule, RuleContext, Severity } from '../findings.js';
import { type AttachedPolicy, type Entity, lookup, type Model, type Origin } from '../model.js';

/** The resource an author edits: the template's own resource for those a SAM transform generated. */
export function editedResource(entity: Entity): string {
  return entity.generatedBy ?? entity.id;
}

/**
 * Whether the resource (by entity or id) suppresses the rule through its Metadata; the context, when
 * given, hears about it as the lint engine says it for the resources it filters itself.
 */
export function ignores(
  model: Model,
  resource: Entity | string | undefined,
  ruleId: string,
  context?: RuleContext,
): boolean {
  if (resource === undefined) return false;
  const entity = typeof resource === 'string' ? lookup(model, resource) : resource;
  if (!entity) return false;
  // A suppression written on the SAM resource (or the topic an inline subscription sits in) covers
  // what was generated from it, and the note names that resource: it is where the Metadata stands.
  const author = entity.generatedBy ? lookup(model, entity.generatedBy) : undefined;
  const suppressor = [author, entity].find((candidate) => candidate?.ignore.includes(ruleId));
  if (suppressor) suppressed(context, ruleId, suppressor.id, suppressor.origin);
  return suppressor !== undefined;
}

/** Whether the resource that carries a policy suppresses the rule. */
export function policyIgnores(
  model: Model,
  policy: AttachedPolicy,
  ruleId: string,
  context?: RuleContext,
): boolean {
  if (policy.ignore?.includes(ruleId)) {
    suppressed(context, ruleId, policy.from, policy.origin);
    return true;
  }
  return ignores(model, policy.from, ruleId, context);
}

function suppressed(context: RuleContext | undefined, ruleId: string, id: string, origin: Origin): void {
  context?.explain({
    resource: id,
    origin,
    message: `${ruleId} suppressed by Metadata tideway ignore on ${id}`,
  });
}

export interface FindingPlace {
  resource: string;
  origin: Origin;
}

export function placeOf(entity: Entity): FindingPlace {
  return { resource: editedResource(entity), origin: entity.origin };
}

export function makeFinding(
  rule: KnowHowRule,
  place: FindingPlace,
  message: string,
  fix: string,
  severity: Severity = rule.severity,
): Finding {
  return makeFindingFor(rule.id, severity, place, message, fix);
}

/** A finding by rule id, at a place: the one shape every rule reports in. */
export function makeFindingFor(
  ruleId: string,
  severity: Severity,
  place: FindingPlace,
  message: string,
  fix: string,
): Finding {
  const finding: Finding = {
    rule: ruleId,
    severity,
    resource: place.resource,
    file: place.origin.file,
    message,
    fix,
  };
  if (place.origin.line !== undefined) finding.line = place.origin.line;
  return finding;
}

/** Records why no finding was made on an entity. */
export function explainOn(context: RuleContext, rule: KnowHowRule, entity: Entity, message: string): void {
  context.explain({
    resource: editedResource(entity),
    origin: entity.origin,
    message: `${rule.id}: ${message}`,
  });
}

/** Keeps the first of findings that say the same thing about the same resource. */
export function distinct(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.rule}\u0000${finding.resource}\u0000${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

import type { Finding, KnowHowRule, RuleContext } from './findings.js';
import { type Entity, type ExplainNote, entities, type Model } from './model.js';
import { RULES } from './rules/index.js';

export interface RunRulesOptions {
  /** Rule ids not to run (`--disable`). */
  disable?: readonly string[];
  profile?: RuleContext['profile'];
  /** The rules to run; every rule when absent. */
  rules?: readonly KnowHowRule[];
}

export interface RuleRun {
  findings: Finding[];
  /** Why no finding was made on something, in the order the rules said it. */
  notes: ExplainNote[];
}

/**
 * Runs the rules over one model: skips disabled rules, drops findings that the resource's
 * `Metadata: { tideway: { ignore } }` suppresses (saying so in the notes), and returns the
 * findings sorted. A rule that throws costs its own findings for this model, not the run: the
 * failure becomes a note, since one odd template must not stop a lint of a whole repository.
 */
export function runRules(model: Model, options: RunRulesOptions = {}): RuleRun {
  const disabled = new Set(options.disable ?? []);
  const notes: ExplainNote[] = [...model.notes];
  const context: RuleContext = {
    profile: options.profile ?? 'default',
    explain: (note) => notes.push(note),
  };
  const suppressors = suppressorsOf(model);
  const findings: Finding[] = [];
  for (const rule of options.rules ?? RULES) {
    if (disabled.has(rule.id)) continue;
    let found: Finding[];
    try {
      found = rule.check(model, context);
    } catch (err) {
      notes.push({
        origin: firstOrigin(model),
        message: `rule ${rule.id} could not check this input (${(err as Error).message}); it made no finding here`,
      });
      continue;
    }
    for (const finding of found) {
      const suppressor = suppressors(finding.resource).find((entity) => entity.ignore.includes(finding.rule));
      if (suppressor) {
        notes.push({
          resource: finding.resource,
          origin: suppressor.origin,
          message: `${finding.rule} suppressed by Metadata tideway ignore on ${suppressor.id}`,
        });
        continue;
      }
      findings.push(finding);
    }
  }
  return { findings: sortFindings(dedupe(findings)), notes };
}

/**
 * The entities whose `ignore` list applies to a finding's resource: the resource itself (by id or
 * ARN) and, for a resource a SAM transform generated, the resource written in the template.
 */
function suppressorsOf(model: Model): (resource: string) => Entity[] {
  const all = entities(model);
  const byId = new Map<string, Entity>();
  for (const entity of all) byId.set(entity.id, entity);
  return (resource) => {
    const found: Entity[] = [];
    for (const entity of all) {
      if (entity.id !== resource && entity.arn !== resource) continue;
      found.push(entity);
      const author = entity.generatedBy === undefined ? undefined : byId.get(entity.generatedBy);
      if (author) found.push(author);
    }
    return found;
  };
}

function firstOrigin(model: Model): ExplainNote['origin'] {
  const first = entities(model)[0];
  return first ? { file: first.origin.file } : undefined;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = JSON.stringify([finding.rule, finding.resource, finding.file, finding.line, finding.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** By file, then line (findings without one last in their file), rule id and resource. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
    compareText(a.rule, b.rule) ||
    compareText(a.resource, b.resource) ||
    compareText(a.message, b.message)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

// Plain code-unit order, so the output is the same in every locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import type { ExplainNote, Model } from './model.js';

export type Severity = 'error' | 'warning' | 'notice';

/** One mistake found in a template or on a live resource. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** The resource the author edits to fix it: logical id, Terraform address or ARN. */
  resource: string;
  /** Template path, or `tideway://<account>/<region>` for live resources. */
  file: string;
  /** 1-based line of the resource in the template; absent for plans and live resources. */
  line?: number;
  /** Why it is a mistake, naming the resources involved. */
  message: string;
  /** What to change. */
  fix: string;
}

export interface RuleContext {
  /** `production` raises some notices to warnings (no-customer-managed-key). */
  profile: 'default' | 'production';
  /** Records why no finding was made on something (an unresolved value…), for --explain. */
  explain(note: ExplainNote): void;
}

/** A rule that reads a model: the same code runs for lint (templates) and doctor (live). */
export interface KnowHowRule {
  id: string;
  /** Its usual severity; a rule may report some findings at another one, as its page says. */
  severity: Severity;
  /** One line for listings and SARIF's shortDescription. */
  title: string;
  check(model: Model, context: RuleContext): Finding[];
}

/** The page that documents a rule. */
export function rulePage(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

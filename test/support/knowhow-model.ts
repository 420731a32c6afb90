import type { RuleContext } from '../../src/knowhow/findings.js';
import {
  type Entity,
  type ExplainNote,
  emptyModel,
  type Model,
  type Queue,
  type Sym,
  type Topic,
} from '../../src/knowhow/model.js';

/** Builds models by hand for rule tests: every list empty unless given. */
export function model(
  parts: Partial<Omit<Model, 'source'>> = {},
  source: Model['source'] = 'template',
): Model {
  return { ...emptyModel(source), ...parts };
}

/** The common fields of an entity declared at `line` of template.yaml. */
export function base(id: string, type: string, line = 1): Entity {
  return { id, type, origin: { file: 'template.yaml', line }, ignore: [] };
}

export function queue(id: string, fields: Partial<Queue> = {}): Queue {
  return { ...base(id, 'AWS::SQS::Queue'), fifo: false, policies: [], ...fields };
}

export function topic(id: string, fields: Partial<Topic> = {}): Topic {
  return { ...base(id, 'AWS::SNS::Topic'), fifo: false, policies: [], ...fields };
}

export const ref = (id: string, attr?: string): Sym => (attr ? { $ref: id, $attr: attr } : { $ref: id });

/** A context that records explanations, for tests that check why no finding was made. */
export function context(profile: RuleContext['profile'] = 'default'): RuleContext & { notes: ExplainNote[] } {
  const notes: ExplainNote[] = [];
  return { profile, notes, explain: (note) => notes.push(note) };
}

/** A finding's fields in the order `--format json` prints them (issue 13's contract). */
export const FINDING_FIELDS = ['rule', 'severity', 'resource', 'file', 'line', 'message', 'fix'];

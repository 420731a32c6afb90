import { isRef, isUnknown, type Sym, type SymObject } from '../model.js';
import type { Path, PlanResource, TerraformPlan } from './terraform-plan.js';

/**
 * Policy documents of a plan. A policy is a JSON string: known at plan time only when nothing it
 * interpolates is computed at apply. Otherwise the configuration shows only which resources it
 * reads (`jsonencode({...})` and heredocs keep no structure), except for the data source
 * `aws_iam_policy_document`, whose statement blocks stay visible attribute by attribute.
 */

/** A part of a document that decides what it allows is not visible in the plan. */
class Unreadable extends Error {}

export type PolicyValue = { document: Sym } | { unknown: string };

function parseJson(text: string): Sym | undefined {
  try {
    return JSON.parse(text) as Sym;
  } catch {
    return undefined;
  }
}

/** The policy at `path` of a resource; undefined when none is set. */
export function policyAt(plan: TerraformPlan, resource: PlanResource, path: Path): PolicyValue | undefined {
  const value = plan.valueAt(resource, path);
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') {
    const document = parseJson(value);
    return document === undefined
      ? { unknown: `the policy of ${resource.address} is not valid JSON` }
      : { document };
  }
  if (isRef(value)) {
    const source = plan.get(value.$ref);
    if (source?.type === 'aws_iam_policy_document' && source.mode === 'data') {
      return policyDocumentData(plan, source);
    }
    if (source?.type === 'aws_iam_policy' && value.$attr === 'policy') {
      return policyAt(plan, source, ['policy']) ?? { unknown: `${source.address} has no policy` };
    }
  }
  const reads = plan.describe(resource, path);
  const reason =
    isUnknown(value) && value.param
      ? `it comes from variable ${value.param}`
      : 'it is known only after apply';
  return {
    unknown:
      `the policy of ${resource.address} cannot be read from the plan: ${reason}` +
      (reads.length > 0 ? ` (it reads ${reads.join(', ')})` : ''),
  };
}

/** An `aws_iam_policy_document` data source: its `json` when read at plan time, else its blocks. */
export function policyDocumentData(plan: TerraformPlan, data: PlanResource): PolicyValue {
  const json = plan.literal(data, ['json']);
  if (typeof json === 'string') {
    const document = parseJson(json);
    if (document !== undefined) return { document };
  }
  for (const merged of [
    'source_policy_documents',
    'override_policy_documents',
    'source_json',
    'override_json',
  ]) {
    const value = plan.valueAt(data, [merged]);
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      return {
        unknown: `${data.address} merges other documents (${merged}) that are known only after apply`,
      };
    }
  }
  const statements: Sym[] = [];
  const count = blockCount(plan, data, ['statement']);
  if (count === undefined) return { unknown: `the statements of ${data.address} are known only after apply` };
  try {
    for (let i = 0; i < count; i++) statements.push(statement(plan, data, ['statement', i]));
  } catch (error) {
    if (error instanceof Unreadable) return { unknown: error.message };
    throw error;
  }
  const document: SymObject = {
    Version: stringOr(plan.valueAt(data, ['version']), '2012-10-17'),
    Statement: statements,
  };
  const id = plan.valueAt(data, ['policy_id']);
  if (id !== undefined) document.Id = id;
  return { document };
}

function stringOr(value: Sym | undefined, fallback: string): Sym {
  return value === undefined ? fallback : value;
}

/** How many blocks of a kind the planned value (or, failing that, the configuration) holds. */
export function blockCount(plan: TerraformPlan, resource: PlanResource, path: Path): number | undefined {
  const planned = plan.literal(resource, path);
  if (Array.isArray(planned)) return planned.length;
  if (plan.isUnknown(resource, path)) {
    const configured = configBlocks(resource, path);
    return configured;
  }
  return planned === undefined ? 0 : undefined;
}

function configBlocks(resource: PlanResource, path: Path): number | undefined {
  let node: unknown = resource.expressions;
  for (const key of path) {
    node = Array.isArray(node)
      ? node[key as number]
      : node && typeof node === 'object'
        ? (node as Record<string, unknown>)[String(key)]
        : undefined;
  }
  return Array.isArray(node) ? node.length : undefined;
}

function list(plan: TerraformPlan, resource: PlanResource, path: Path): Sym | undefined {
  return plan.listAt(resource, path);
}

function statement(plan: TerraformPlan, data: PlanResource, path: Path): Sym {
  const out: SymObject = {};
  const sid = plan.valueAt(data, [...path, 'sid']);
  if (sid !== undefined && sid !== '') out.Sid = sid;
  out.Effect = stringOr(plan.valueAt(data, [...path, 'effect']), 'Allow');
  const fields: [string, string][] = [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ];
  for (const [attribute, key] of fields) {
    const value = list(plan, data, [...path, attribute]);
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) out[key] = value;
  }
  for (const [attribute, key] of [
    ['principals', 'Principal'],
    ['not_principals', 'NotPrincipal'],
  ] as const) {
    const count = blockCount(plan, data, [...path, attribute]) ?? 0;
    if (count === 0) continue;
    const principal: SymObject = {};
    let everyone = false;
    for (let i = 0; i < count; i++) {
      const type = plan.valueAt(data, [...path, attribute, i, 'type']);
      const identifiers = list(plan, data, [...path, attribute, i, 'identifiers']);
      if (typeof type !== 'string') {
        throw new Unreadable(`a principal type of ${data.address} is known only after apply`);
      }
      if (type === '*') everyone = true;
      else if (identifiers !== undefined) {
        const previous = principal[type];
        principal[type] =
          Array.isArray(previous) && Array.isArray(identifiers) ? [...previous, ...identifiers] : identifiers;
      }
    }
    out[key] = everyone && Object.keys(principal).length === 0 ? '*' : principal;
  }
  const conditions = blockCount(plan, data, [...path, 'condition']) ?? 0;
  if (conditions > 0) {
    const condition: SymObject = {};
    for (let i = 0; i < conditions; i++) {
      const test = plan.valueAt(data, [...path, 'condition', i, 'test']);
      const variable = plan.valueAt(data, [...path, 'condition', i, 'variable']);
      const values = list(plan, data, [...path, 'condition', i, 'values']);
      if (typeof test !== 'string' || typeof variable !== 'string') {
        throw new Unreadable(`a condition of ${data.address} has an operator or key known only after apply`);
      }
      if (values === undefined) continue;
      const byKey = (condition[test] ?? {}) as SymObject;
      byKey[variable] = values;
      condition[test] = byKey;
    }
    out.Condition = condition;
  }
  return out;
}

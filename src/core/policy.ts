import { BlockList, isIP } from 'node:net';

/**
 * Resource-policy evaluation in the style of AWS IAM, for queue (and later topic / bus) policies.
 * Only the resource policy is consulted: there are no identity policies, SCPs or permission
 * boundaries here, so the outcome is Allow, an explicit Deny, or the implicit deny when nothing allows.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[] | PolicyStatement;
}

export type PolicyPrincipal =
  | { kind: 'AWS'; id: string }
  | { kind: 'Service'; id: string }
  | { kind: 'Anonymous' };

export interface PolicyRequest {
  /**
   * Who calls: an AWS account id (12 digits), an IAM ARN (arn:aws:iam::123456789012:root, :user/x,
   * :role/x, sts assumed-role sessions), or a service principal such as 'sns.amazonaws.com'.
   */
  principal: PolicyPrincipal;
  /** e.g. 'sqs:SendMessage'; matched case-insensitively against the policy's patterns */
  action: string;
  /** e.g. 'arn:aws:sqs:us-east-1:123456789012:q1'; matched case-sensitively */
  resource: string;
  /**
   * Condition keys such as 'aws:SourceArn', 'aws:SourceAccount' or 'aws:SecureTransport' ('true'/'false');
   * looked up case-insensitively. aws:PrincipalAccount, aws:PrincipalArn and aws:PrincipalServiceName
   * are derived from `principal` unless given here.
   */
  context?: Record<string, string | string[] | undefined>;
}

export type PolicyDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface PolicyEvaluation {
  decision: PolicyDecision;
  /** The statement that decided an Allow or ExplicitDeny. */
  statement?: { index: number; sid?: string };
  /** One line a user can act on, e.g. in an AccessDenied message or a debug log. */
  reason: string;
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

// ---------------------------------------------------------------------------------------------------------
// Parsing and validation

export function parsePolicy(json: string): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new PolicyError(`Policy is not valid JSON: ${(err as Error).message}`);
  }
  return validatePolicy(doc);
}

/** Checks an already-decoded document, e.g. one built in code or embedded in another JSON value. */
export function validatePolicy(doc: unknown): PolicyDocument {
  if (!isRecord(doc)) throw new PolicyError('Policy must be a JSON object');
  for (const key of Object.keys(doc)) {
    if (!DOCUMENT_KEYS.has(key)) throw new PolicyError(`Policy has an unsupported element "${key}"`);
  }
  if (doc.Version !== undefined && (typeof doc.Version !== 'string' || !VERSIONS.has(doc.Version))) {
    throw new PolicyError(
      `Policy Version must be "2012-10-17" or "2008-10-17", got ${JSON.stringify(doc.Version)}`,
    );
  }
  if (doc.Id !== undefined && typeof doc.Id !== 'string') throw new PolicyError('Policy Id must be a string');
  if (doc.Statement === undefined) throw new PolicyError('Policy is missing the Statement element');
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  statements.forEach((statement, index) => {
    validateStatement(statement, index);
  });
  return doc as unknown as PolicyDocument;
}

/** Builds the error for a statement, so validators can `throw` and TypeScript narrows after it. */
type Fail = (message: string) => PolicyError;

function validateStatement(statement: unknown, index: number): void {
  const where = statementLabel(index, isRecord(statement) ? statement.Sid : undefined);
  const fail: Fail = (message) => new PolicyError(`${where}: ${message}`);
  if (!isRecord(statement)) throw fail('must be a JSON object');
  for (const key of Object.keys(statement)) {
    if (!STATEMENT_KEYS.has(key)) throw fail(`unsupported element "${key}"`);
  }
  if (statement.Sid !== undefined && typeof statement.Sid !== 'string') throw fail('Sid must be a string');
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
    throw fail(`Effect must be "Allow" or "Deny", got ${JSON.stringify(statement.Effect)}`);
  }
  exclusive(statement, 'Principal', 'NotPrincipal', false, fail);
  const principal = statement.Principal ?? statement.NotPrincipal;
  if (principal !== undefined) validatePrincipal(principal, fail);
  exclusive(statement, 'Action', 'NotAction', true, fail);
  for (const action of stringList(statement.Action ?? statement.NotAction, 'Action', fail)) {
    // AWS rejects un-prefixed actions with a similar message; catching it here beats a silent no-match.
    if (action !== '*' && !/^[^:]+:.+$/.test(action)) {
      throw fail(`action "${action}" must be prefixed by a service, e.g. "sqs:SendMessage"`);
    }
  }
  exclusive(statement, 'Resource', 'NotResource', false, fail);
  const resource = statement.Resource ?? statement.NotResource;
  if (resource !== undefined) stringList(resource, 'Resource', fail);
  if (statement.Condition !== undefined) validateCondition(statement.Condition, fail);
}

function exclusive(
  statement: Record<string, unknown>,
  positive: string,
  negative: string,
  required: boolean,
  fail: Fail,
): void {
  const hasPositive = statement[positive] !== undefined;
  const hasNegative = statement[negative] !== undefined;
  if (hasPositive && hasNegative) throw fail(`cannot have both ${positive} and ${negative}`);
  if (required && !hasPositive && !hasNegative) throw fail(`must have ${positive} or ${negative}`);
}

function stringList(value: unknown, element: string, fail: Fail): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw fail(`${element} must not be an empty list`);
  for (const item of list) {
    if (typeof item !== 'string' || item === '') throw fail(`${element} entries must be non-empty strings`);
  }
  return list as string[];
}

function validatePrincipal(principal: unknown, fail: Fail): void {
  if (principal === '*') return;
  if (!isRecord(principal)) throw fail('Principal must be "*" or an object such as {"AWS": "123456789012"}');
  const entries = Object.entries(principal);
  if (entries.length === 0) throw fail('Principal must name at least one principal');
  for (const [type, value] of entries) {
    if (!PRINCIPAL_TYPES.has(type)) {
      throw fail(`unsupported principal type "${type}" (use AWS, Service, Federated or CanonicalUser)`);
    }
    stringList(value, `Principal ${type}`, fail);
  }
}

function validateCondition(condition: unknown, fail: Fail): void {
  if (!isRecord(condition)) throw fail('Condition must be an object of operators');
  for (const [operatorName, block] of Object.entries(condition)) {
    if (!parseOperator(operatorName)) throw fail(`unknown condition operator "${operatorName}"`);
    if (!isRecord(block)) throw fail(`condition ${operatorName} must map condition keys to values`);
    for (const [key, value] of Object.entries(block)) {
      if (conditionValues(value) === undefined) {
        throw fail(`condition ${operatorName} ${key} must be a string, number, boolean or a list of them`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

export function evaluatePolicy(policy: PolicyDocument | string, request: PolicyRequest): PolicyDecision {
  return evaluatePolicyDetailed(policy, request).decision;
}

/** A short human explanation of the decision, e.g. for AccessDenied messages and debug logs. */
export function explainPolicy(policy: PolicyDocument | string, request: PolicyRequest): string {
  return evaluatePolicyDetailed(policy, request).reason;
}

type Mismatch = { element: 'Principal' | 'Action' | 'Resource' | 'Condition'; detail?: string };

export function evaluatePolicyDetailed(
  policy: PolicyDocument | string,
  request: PolicyRequest,
): PolicyEvaluation {
  const doc = typeof policy === 'string' ? parsePolicy(policy) : policy;
  const raw: unknown = doc?.Statement;
  const statements: unknown[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const context = buildContext(request);
  const summary = describeRequest(request);

  let allowed: { index: number; sid?: string } | undefined;
  // The most informative near miss among Allow statements, reported when nothing allows.
  let nearMiss: { index: number; sid?: string; mismatch: Mismatch } | undefined;
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index];
    if (!isRecord(statement)) continue;
    const effect = statement.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') continue;
    const sid = typeof statement.Sid === 'string' ? statement.Sid : undefined;
    const mismatch = statementMismatch(statement, request, context);
    if (mismatch === undefined) {
      if (effect === 'Deny') {
        const label = statementLabel(index, sid);
        return {
          decision: 'ExplicitDeny',
          statement: { index, sid },
          reason: `${label} explicitly denies ${summary}`,
        };
      }
      allowed ??= { index, sid };
    } else if (effect === 'Allow' && (!nearMiss || rank(mismatch) > rank(nearMiss.mismatch))) {
      nearMiss = { index, sid, mismatch };
    }
  }
  if (allowed) {
    return {
      decision: 'Allow',
      statement: allowed,
      reason: `${statementLabel(allowed.index, allowed.sid)} allows ${summary}`,
    };
  }
  let reason = `no statement allows ${summary}`;
  if (nearMiss) {
    const { mismatch } = nearMiss;
    const what = mismatch.detail ? `${mismatch.element} (${mismatch.detail})` : mismatch.element;
    reason += `; closest: ${statementLabel(nearMiss.index, nearMiss.sid)} did not match on ${what}`;
  }
  return { decision: 'ImplicitDeny', reason };
}

// A statement that got further through the checks says more about what the author intended.
function rank(mismatch: Mismatch): number {
  return ['Principal', 'Action', 'Resource', 'Condition'].indexOf(mismatch.element);
}

function statementMismatch(
  statement: Record<string, unknown>,
  request: PolicyRequest,
  context: Map<string, string[]>,
): Mismatch | undefined {
  // A resource policy statement without a principal is invalid in AWS; treating it as "anyone" keeps
  // evaluation lenient, and validatePolicy is where strictness belongs.
  if (statement.Principal !== undefined) {
    if (!principalMatches(statement.Principal, request.principal)) return { element: 'Principal' };
  } else if (statement.NotPrincipal !== undefined) {
    if (principalMatches(statement.NotPrincipal, request.principal)) return { element: 'Principal' };
  }

  const action = request.action.toLowerCase();
  const actionMatches = (patterns: string[]) => patterns.some((p) => globMatch(p.toLowerCase(), action));
  if (statement.Action !== undefined) {
    if (!actionMatches(patternList(statement.Action))) return { element: 'Action' };
  } else if (statement.NotAction !== undefined) {
    if (actionMatches(patternList(statement.NotAction))) return { element: 'Action' };
  } else {
    return { element: 'Action', detail: 'the statement has no Action' };
  }

  const resourceMatches = (patterns: string[]) => patterns.some((p) => globMatch(p, request.resource));
  if (statement.Resource !== undefined) {
    if (!resourceMatches(patternList(statement.Resource))) return { element: 'Resource' };
  } else if (statement.NotResource !== undefined) {
    if (resourceMatches(patternList(statement.NotResource))) return { element: 'Resource' };
  }

  if (statement.Condition !== undefined) {
    if (!isRecord(statement.Condition)) return { element: 'Condition', detail: 'malformed' };
    for (const [operatorName, block] of Object.entries(statement.Condition)) {
      const operator = parseOperator(operatorName);
      if (!operator) return { element: 'Condition', detail: `unknown operator ${operatorName}` };
      if (!isRecord(block)) return { element: 'Condition', detail: `malformed ${operatorName}` };
      for (const [key, rawValues] of Object.entries(block)) {
        const values = conditionValues(rawValues);
        if (!values || !conditionHolds(operator, values, context.get(key.toLowerCase()))) {
          return { element: 'Condition', detail: `${operatorName} ${key}` };
        }
      }
    }
  }
  return undefined;
}

function patternList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

// ---------------------------------------------------------------------------------------------------------
// Principals

function principalMatches(spec: unknown, who: PolicyPrincipal): boolean {
  if (spec === '*') return true;
  // A bare ARN or account id is not valid AWS syntax, but its meaning is unambiguous.
  if (typeof spec === 'string') return who.kind === 'AWS' && awsPrincipalMatches(spec, who.id);
  if (!isRecord(spec)) return false;
  for (const [type, raw] of Object.entries(spec)) {
    const values = patternList(raw);
    switch (type.toLowerCase()) {
      case 'aws':
        // {"AWS": "*"} is documented as equivalent to "*", so it also covers services and anonymous callers.
        if (values.includes('*')) return true;
        if (who.kind === 'AWS' && values.some((v) => awsPrincipalMatches(v, who.id))) return true;
        break;
      case 'service':
        if (who.kind === 'Service' && values.some((v) => v === '*' || sameText(v, who.id))) return true;
        break;
      default:
        // Federated and CanonicalUser callers are not modelled, so they never match.
        break;
    }
  }
  return false;
}

function awsPrincipalMatches(policyValue: string, callerId: string): boolean {
  const account = isAccountId(policyValue) ? policyValue : rootAccount(policyValue);
  if (account !== undefined) return accountOf(callerId) === account;
  if (policyValue === callerId) return true;
  // A role ARN in a policy grants its sessions, whose ARNs drop the role path and name the session.
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(policyValue);
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerId);
  return !!role && !!session && role[1] === session[1] && role[2] === session[2] && role[3] === session[3];
}

function rootAccount(value: string): string | undefined {
  return /^arn:[^:]+:iam::(\d{12}):root$/.exec(value)?.[1];
}

function accountOf(id: string): string | undefined {
  if (isAccountId(id)) return id;
  const account = splitArn(id)?.[4];
  return account !== undefined && isAccountId(account) ? account : undefined;
}

function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

// ---------------------------------------------------------------------------------------------------------
// Conditions

interface BaseOperator {
  /** Does one policy value match one request value? For negated operators this is the un-negated test. */
  test: (policyValue: string, requestValue: string) => boolean;
  negated: boolean;
}

interface Operator {
  base: BaseOperator | 'Null';
  ifExists: boolean;
  set?: 'any' | 'all';
}

const stringEquals = (p: string, r: string) => p === r;
const stringEqualsIgnoreCase = (p: string, r: string) => sameText(p, r);
const stringLike = (p: string, r: string) => globMatch(p, r);
const numericCompare = (cmp: (a: number, b: number) => boolean) => (p: string, r: string) => {
  const a = toNumber(r);
  const b = toNumber(p);
  return a !== undefined && b !== undefined && cmp(a, b);
};
const dateCompare = (cmp: (a: number, b: number) => boolean) => (p: string, r: string) => {
  const a = toTime(r);
  const b = toTime(p);
  return a !== undefined && b !== undefined && cmp(a, b);
};
const eq = (a: number, b: number) => a === b;

const BASE_OPERATORS: Record<string, BaseOperator> = {
  stringequals: { test: stringEquals, negated: false },
  stringnotequals: { test: stringEquals, negated: true },
  stringequalsignorecase: { test: stringEqualsIgnoreCase, negated: false },
  stringnotequalsignorecase: { test: stringEqualsIgnoreCase, negated: true },
  stringlike: { test: stringLike, negated: false },
  stringnotlike: { test: stringLike, negated: true },
  numericequals: { test: numericCompare(eq), negated: false },
  numericnotequals: { test: numericCompare(eq), negated: true },
  numericlessthan: { test: numericCompare((a, b) => a < b), negated: false },
  numericlessthanequals: { test: numericCompare((a, b) => a <= b), negated: false },
  numericgreaterthan: { test: numericCompare((a, b) => a > b), negated: false },
  numericgreaterthanequals: { test: numericCompare((a, b) => a >= b), negated: false },
  dateequals: { test: dateCompare(eq), negated: false },
  datenotequals: { test: dateCompare(eq), negated: true },
  datelessthan: { test: dateCompare((a, b) => a < b), negated: false },
  datelessthanequals: { test: dateCompare((a, b) => a <= b), negated: false },
  dategreaterthan: { test: dateCompare((a, b) => a > b), negated: false },
  dategreaterthanequals: { test: dateCompare((a, b) => a >= b), negated: false },
  bool: { test: (p, r) => isBoolText(p) && sameText(p, r), negated: false },
  binaryequals: { test: stringEquals, negated: false },
  ipaddress: { test: ipInRange, negated: false },
  notipaddress: { test: ipInRange, negated: true },
  // AWS documents ArnEquals and ArnLike identically: per-part comparison with wildcards.
  arnequals: { test: arnLike, negated: false },
  arnnotequals: { test: arnLike, negated: true },
  arnlike: { test: arnLike, negated: false },
  arnnotlike: { test: arnLike, negated: true },
};

function parseOperator(name: string): Operator | undefined {
  let rest = name;
  let set: Operator['set'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') set = 'any';
    else if (prefix === 'forallvalues') set = 'all';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const lower = rest.toLowerCase();
  if (lower === 'null') {
    // IAM allows IfExists on every operator except Null, and a set prefix on Null has no meaning.
    return ifExists || set ? undefined : { base: 'Null', ifExists: false };
  }
  const base = BASE_OPERATORS[lower];
  return base ? { base, ifExists, set } : undefined;
}

/**
 * @param policyValues the values listed for the key (OR for positive operators, NOR for negated ones)
 * @param requestValues the key's values in the request, undefined when absent
 */
function conditionHolds(operator: Operator, policyValues: string[], requestValues?: string[]): boolean {
  const { base } = operator;
  if (base === 'Null') {
    const absent = requestValues === undefined;
    return policyValues.some((v) => isBoolText(v) && v.toLowerCase() === String(absent));
  }
  if (requestValues === undefined) {
    if (operator.ifExists) return true;
    // Documented IAM behaviour: ForAllValues holds vacuously, ForAnyValue has nothing to match.
    if (operator.set === 'all') return true;
    if (operator.set === 'any') return false;
    // A missing key never matches, so the negated operators (StringNotEquals, ArnNotLike, ...) hold.
    return base.negated;
  }
  const matchesPolicy = (value: string) => policyValues.some((p) => base.test(p, value));
  const passes = (value: string) => matchesPolicy(value) !== base.negated;
  if (operator.set === 'all') return requestValues.every(passes);
  if (operator.set === 'any') return requestValues.some(passes);
  // Without a set operator, a multi-valued key matches if any of its values does.
  return requestValues.some(matchesPolicy) !== base.negated;
}

function conditionValues(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
    else return undefined;
  }
  return out;
}

function buildContext(request: PolicyRequest): Map<string, string[]> {
  const context = new Map<string, string[]>();
  for (const [key, value] of Object.entries(request.context ?? {})) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    // An empty multi-valued key is as good as absent for Null, IfExists and the set operators.
    if (values.length > 0) context.set(key.toLowerCase(), values);
  }
  // AWS puts these global keys in every authenticated request; callers need not repeat them.
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && !context.has(key)) context.set(key, [value]);
  };
  const { principal } = request;
  if (principal.kind === 'AWS') {
    const account = accountOf(principal.id);
    const partition = splitArn(request.resource)?.[1] ?? 'aws';
    add('aws:principalaccount', account);
    add(
      'aws:principalarn',
      isAccountId(principal.id) ? `arn:${partition}:iam::${principal.id}:root` : principal.id,
    );
  } else if (principal.kind === 'Service') {
    add('aws:principalservicename', principal.id);
  }
  return context;
}

function toNumber(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isNaN(n) ? undefined : n;
}

function toTime(value: string): number | undefined {
  // IAM accepts ISO 8601 dates and epoch seconds.
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function ipInRange(range: string, address: string): boolean {
  const family = isIP(address);
  const [network, bits, extra] = range.split('/');
  const networkFamily = isIP(network);
  if (!family || !networkFamily || extra !== undefined) return false;
  const maxBits = networkFamily === 4 ? 32 : 128;
  const prefix = bits === undefined ? maxBits : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxBits) return false;
  try {
    const list = new BlockList();
    list.addSubnet(network, prefix, networkFamily === 4 ? 'ipv4' : 'ipv6');
    return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
}

function arnLike(pattern: string, value: string): boolean {
  const patternParts = splitArn(pattern);
  const valueParts = splitArn(value);
  if (!patternParts || !valueParts) return false;
  // Comparing part by part keeps a wildcard in one part (say the region) from swallowing the colons
  // that separate it from the next.
  return patternParts.every((part, i) => globMatch(part, valueParts[i]));
}

/** The six ARN parts: arn, partition, service, region, account, resource (which may contain colons). */
function splitArn(value: string): string[] | undefined {
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** IAM wildcard match: `*` is any run of characters (even none), `?` exactly one, all else literal. */
function globMatch(pattern: string, value: string): boolean {
  // Code points, so `?` matches one character even outside the BMP.
  const p = Array.from(pattern);
  const v = Array.from(value);
  let pi = 0;
  let vi = 0;
  let starAt = -1;
  let starValue = 0;
  // Greedy scan that backtracks only to the last `*`: linear-ish, and no regex to escape or blow up.
  while (vi < v.length) {
    if (pi < p.length && p[pi] === '*') {
      starAt = pi++;
      starValue = vi;
    } else if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (starAt >= 0) {
      pi = starAt + 1;
      vi = ++starValue;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function isBoolText(value: string): boolean {
  const lower = value.toLowerCase();
  return lower === 'true' || lower === 'false';
}

function statementLabel(index: number, sid: unknown): string {
  return typeof sid === 'string' && sid !== '' ? `statement ${index} ("${sid}")` : `statement ${index}`;
}

function describeRequest(request: PolicyRequest): string {
  const { principal } = request;
  const who = principal.kind === 'Anonymous' ? 'an anonymous caller' : principal.id;
  return `${who} to ${request.action} on ${request.resource}`;
}

import { matchesWildcard, type WildcardGlob } from './event-wildcard.js';
import { type IpRange, parseIp } from './ip.js';

/**
 * The operator matcher shared by SNS filter policies and (later) EventBridge event patterns: both are AWS's
 * Ruler language, so one set of semantics serves both. Service layers own parsing limits and error texts;
 * this module only says whether a compiled pattern accepts a JSON value.
 */

export type JsonScalar = string | number | boolean | null;
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };

/**
 * Ruler compares numbers as fixed-point values inside a symmetric range; SNS documents ±1e9 with five
 * decimal places, EventBridge's newer engine ±5e9 with six.
 */
export interface NumberDomain {
  limit: number;
  decimals: number;
}

export interface Bound {
  value: number;
  inclusive: boolean;
}

export type Matcher =
  | { type: 'equals'; value: JsonScalar }
  | { type: 'prefix'; value: string }
  | { type: 'suffix'; value: string }
  | { type: 'prefix-ignore-case'; value: string }
  | { type: 'suffix-ignore-case'; value: string }
  | { type: 'equals-ignore-case'; value: string }
  | { type: 'wildcard'; glob: WildcardGlob }
  | { type: 'anything-but'; values: (string | number)[] }
  | { type: 'anything-but-prefix'; values: string[] }
  | { type: 'anything-but-suffix'; values: string[] }
  | { type: 'anything-but-ignore-case'; values: string[] }
  | { type: 'anything-but-wildcard'; globs: WildcardGlob[] }
  | { type: 'numeric'; lower?: Bound; upper?: Bound }
  | { type: 'cidr'; range: IpRange }
  | { type: 'exists'; value: boolean };

/** One field of a pattern: the path of keys from the root, and the matchers of which any may accept it. */
export interface FieldCondition {
  path: string[];
  matchers: Matcher[];
}

/** Fields that must all match: one branch of a pattern after `$or` is expanded. */
export type Conjunction = FieldCondition[];

/** The fixed-point form Ruler compares numbers in, or undefined outside the domain's range. */
export function comparableNumber(value: number, domain: NumberDomain): number | undefined {
  if (!Number.isFinite(value) || value < -domain.limit || value > domain.limit) return undefined;
  return Math.trunc((value + domain.limit) * 10 ** domain.decimals);
}

/** The scalar values at a field: arrays (nested too) contribute every element, objects are not leaves. */
export function leafValues(value: JsonValue | undefined): JsonScalar[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item) => leafValues(item));
  if (typeof value === 'object' && value !== null) return [];
  return [value];
}

/** Whether a field (absent when undefined) satisfies any of the matchers. */
export function matchesField(
  matchers: Matcher[],
  value: JsonValue | undefined,
  domain: NumberDomain,
): boolean {
  const values = leafValues(value);
  return matchers.some((matcher) =>
    matcher.type === 'exists'
      ? matcher.value === values.length > 0
      : values.some((item) => matchesScalar(matcher, item, domain)),
  );
}

export function matchesScalar(matcher: Matcher, value: JsonScalar, domain: NumberDomain): boolean {
  switch (matcher.type) {
    case 'equals':
      return scalarEquals(matcher.value, value, domain);
    case 'prefix':
      return typeof value === 'string' && value.startsWith(matcher.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(matcher.value);
    case 'prefix-ignore-case':
      return typeof value === 'string' && foldCase(value).startsWith(foldCase(matcher.value));
    case 'suffix-ignore-case':
      return typeof value === 'string' && foldCase(value).endsWith(foldCase(matcher.value));
    case 'equals-ignore-case':
      return typeof value === 'string' && foldCase(value) === foldCase(matcher.value);
    case 'wildcard':
      return typeof value === 'string' && matchesWildcard(matcher.glob, value);
    // The anything-but family accepts every value its positive form rejects, whatever its type: Ruler
    // compares encoded values, so a number is never equal to an excluded string.
    case 'anything-but':
      return !matcher.values.some((excluded) => scalarEquals(excluded, value, domain));
    case 'anything-but-prefix':
      return !(typeof value === 'string' && matcher.values.some((v) => value.startsWith(v)));
    case 'anything-but-suffix':
      return !(typeof value === 'string' && matcher.values.some((v) => value.endsWith(v)));
    case 'anything-but-wildcard':
      return !(typeof value === 'string' && matcher.globs.some((glob) => matchesWildcard(glob, value)));
    case 'anything-but-ignore-case':
      return !(typeof value === 'string' && matcher.values.some((v) => foldCase(v) === foldCase(value)));
    case 'numeric':
      return typeof value === 'number' && inRange(matcher, value, domain);
    case 'cidr': {
      const ip = typeof value === 'string' ? parseIp(value) : undefined;
      const { range } = matcher;
      return !!ip && ip.family === range.family && ip.value >= range.low && ip.value <= range.high;
    }
    case 'exists':
      return matcher.value;
  }
}

function scalarEquals(expected: JsonScalar, value: JsonScalar, domain: NumberDomain): boolean {
  if (expected === value) return true;
  if (typeof expected === 'number' && typeof value === 'number') {
    // 301.5 and 3.015e2 are the same number; Ruler compares them at its fixed precision.
    const a = comparableNumber(expected, domain);
    return a !== undefined && a === comparableNumber(value, domain);
  }
  if (typeof expected === 'string' && typeof value === 'string') {
    // Ruler turns address-shaped strings into bytes on both sides, so "::1" equals "0:0:0:0:0:0:0:1".
    const a = parseIp(expected);
    const b = a && parseIp(value);
    return !!a && !!b && a.family === b.family && a.value === b.value;
  }
  return false;
}

function inRange(matcher: { lower?: Bound; upper?: Bound }, value: number, domain: NumberDomain): boolean {
  const n = comparableNumber(value, domain);
  if (n === undefined) return false;
  const { lower, upper } = matcher;
  if (lower) {
    const bound = comparableNumber(lower.value, domain)!;
    if (lower.inclusive ? n < bound : n <= bound) return false;
  }
  if (upper) {
    const bound = comparableNumber(upper.value, domain)!;
    if (upper.inclusive ? n > bound : n >= bound) return false;
  }
  return true;
}

export function foldCase(text: string): string {
  return text.toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Matching a JSON document

interface FieldTree {
  leaves: Map<string, Matcher[][]>;
  children: Map<string, FieldTree>;
}

/**
 * A pattern over JSON documents: any branch matches. Keys join into dotted paths as in Ruler, so
 * {"a.b": [...]} and {"a": {"b": [...]}} are one field, in the pattern and in the document alike.
 */
export class DocumentPattern {
  private readonly branches: FieldTree[];

  constructor(
    branches: readonly Conjunction[],
    private readonly domain: NumberDomain,
  ) {
    this.branches = branches.map(buildTree);
  }

  matches(document: JsonValue): boolean {
    const normalized = splitDottedKeys(document);
    return this.branches.some((tree) => this.matchesNode(tree, normalized));
  }

  /** Whether one branch matches a document already passed through `normalizeDocument`. */
  matchesBranch(branch: number, normalized: JsonValue): boolean {
    return this.matchesNode(this.branches[branch], normalized);
  }

  // Within one array element every field must match together: a field from one element and another field
  // from a sibling element do not add up to a match (Ruler's array consistency).
  private matchesNode(tree: FieldTree, value: JsonValue | undefined): boolean {
    if (Array.isArray(value)) {
      const objects = flattenArrays(value).filter(isObject);
      if (objects.length > 0) return objects.some((item) => this.matchesObject(tree, item));
    }
    return this.matchesObject(tree, isObject(value) ? value : {});
  }

  private matchesObject(tree: FieldTree, object: { [key: string]: JsonValue }): boolean {
    for (const [key, conditions] of tree.leaves) {
      const value = Object.hasOwn(object, key) ? object[key] : undefined;
      if (!conditions.every((matchers) => matchesField(matchers, value, this.domain))) return false;
    }
    for (const [key, child] of tree.children) {
      if (!this.matchesNode(child, Object.hasOwn(object, key) ? object[key] : undefined)) return false;
    }
    return true;
  }
}

function flattenArrays(values: JsonValue[]): JsonValue[] {
  return values.flatMap((item) => (Array.isArray(item) ? flattenArrays(item) : [item]));
}

function buildTree(conditions: Conjunction): FieldTree {
  const root: FieldTree = { leaves: new Map(), children: new Map() };
  for (const { path, matchers } of conditions) {
    const keys = path.join('.').split('.');
    let node = root;
    for (const key of keys.slice(0, -1)) {
      let child = node.children.get(key);
      if (!child) {
        child = { leaves: new Map(), children: new Map() };
        node.children.set(key, child);
      }
      node = child;
    }
    const leaf = keys[keys.length - 1];
    node.leaves.set(leaf, [...(node.leaves.get(leaf) ?? []), matchers]);
  }
  return root;
}

/** Rewrites {"a.b": 1} as {"a": {"b": 1}} all through a document, merging with keys already there. */
export const normalizeDocument = (value: JsonValue): JsonValue => splitDottedKeys(value);

function splitDottedKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(splitDottedKeys);
  if (!isObject(value)) return value;
  const out = emptyRecord();
  for (const [key, child] of Object.entries(value)) {
    const keys = key.split('.');
    let target = out;
    for (const step of keys.slice(0, -1)) {
      const existing = target[step];
      if (isObject(existing)) target = existing;
      else {
        const created = emptyRecord();
        target[step] = existing === undefined ? created : [existing, created];
        target = created;
      }
    }
    const last = keys[keys.length - 1];
    target[last] = merge(target[last], splitDottedKeys(child));
  }
  return out;
}

function merge(existing: JsonValue | undefined, added: JsonValue): JsonValue {
  if (existing === undefined) return added;
  if (isObject(existing) && isObject(added)) {
    const out = Object.assign(emptyRecord(), existing);
    for (const [key, value] of Object.entries(added)) out[key] = merge(out[key], value);
    return out;
  }
  // Two values at one path: either may match, as two flattened fields would in Ruler.
  return [existing, added];
}

// Keys come from message bodies, so "__proto__" must stay an ordinary key.
function emptyRecord(): { [key: string]: JsonValue } {
  return Object.create(null);
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

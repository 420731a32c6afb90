import type { CompiledEventPattern, EventPattern } from './event-pattern.js';
import { parseIp } from './ip.js';
import {
  comparableNumber,
  type FieldCondition,
  foldCase,
  type JsonScalar,
  type JsonValue,
  type Matcher,
  matchesScalar,
  type NumberDomain,
  normalizeDocument,
} from './operators.js';

/**
 * Matching one event against many patterns without walking every pattern. Like AWS's Ruler, the
 * work is driven by the event's values rather than by the rules: each `$or` alternative of each
 * pattern is filed under one of its fields (its anchor), in per-field value indexes shared by all
 * patterns — hash maps for exact and case-folded values, maps per length for prefixes and suffixes,
 * short lists for ranges, CIDRs and wildcards. An event looks up only the fields it carries, and
 * only the alternatives found that way (plus the few with no indexable field, such as a lone
 * anything-but or exists:false) are checked in full. The anchor is the field whose bucket is
 * emptiest when the pattern is added, so rules that share a common value (one source for all)
 * spread over their rarer fields.
 */

// Must equal the domain patterns are compiled in (event-pattern.ts); kept here to avoid an import cycle.
const NUMBERS: NumberDomain = { limit: 5e9, decimals: 6 };

interface Entry<K> {
  key: K;
  seq: number;
  pattern: CompiledEventPattern;
  /** Undoes every filing of this entry's alternatives. */
  undo: (() => void)[];
}

interface Alternative<K> {
  entry: Entry<K>;
  branch: number;
}

type Bucket<K> = Set<Alternative<K>>;

/** The value indexes of one field path (dotted keys split, so "a.b" and a → b are one field). */
class FieldIndex<K> {
  readonly exact = new Map<string, Bucket<K>>();
  readonly folded = new Map<string, Bucket<K>>();
  /** Keyed by length, then by the affix: a value is cut once per distinct length. */
  readonly prefixes = new Map<number, Map<string, Bucket<K>>>();
  readonly suffixes = new Map<number, Map<string, Bucket<K>>>();
  readonly foldedPrefixes = new Map<number, Map<string, Bucket<K>>>();
  readonly foldedSuffixes = new Map<number, Map<string, Bucket<K>>>();
  /** Ranges, CIDRs and wildcards, tested one by one against each value. */
  readonly scanned = new Set<{ matcher: Matcher; alternative: Alternative<K> }>();
  /** exists:true: any value at all. */
  readonly present: Bucket<K> = new Set();

  constructor(readonly path: readonly string[]) {}

  isEmpty(): boolean {
    return (
      this.exact.size === 0 &&
      this.folded.size === 0 &&
      this.prefixes.size === 0 &&
      this.suffixes.size === 0 &&
      this.foldedPrefixes.size === 0 &&
      this.foldedSuffixes.size === 0 &&
      this.scanned.size === 0 &&
      this.present.size === 0
    );
  }

  /** Adds to `found` every alternative filed here that one of the values satisfies. */
  collect(values: readonly JsonScalar[], found: Set<Alternative<K>>): void {
    if (values.length === 0) return;
    for (const alternative of this.present) found.add(alternative);
    for (const value of values) {
      addAll(found, this.exact.get(exactKey(value)));
      if (typeof value === 'string') {
        const lower =
          this.folded.size + this.foldedPrefixes.size + this.foldedSuffixes.size > 0 ? foldCase(value) : '';
        addAll(found, this.folded.get(lower));
        collectAffixes(this.prefixes, value, true, found);
        collectAffixes(this.suffixes, value, false, found);
        collectAffixes(this.foldedPrefixes, lower, true, found);
        collectAffixes(this.foldedSuffixes, lower, false, found);
      }
      for (const { matcher, alternative } of this.scanned) {
        if (!found.has(alternative) && matchesScalar(matcher, value, NUMBERS)) found.add(alternative);
      }
    }
  }
}

function collectAffixes<K>(
  byLength: Map<number, Map<string, Bucket<K>>>,
  value: string,
  prefix: boolean,
  found: Set<Alternative<K>>,
): void {
  for (const [length, affixes] of byLength) {
    if (length > value.length) continue;
    addAll(found, affixes.get(prefix ? value.slice(0, length) : value.slice(value.length - length)));
  }
}

function addAll<K>(found: Set<Alternative<K>>, bucket: Bucket<K> | undefined): void {
  if (bucket) for (const alternative of bucket) found.add(alternative);
}

/**
 * One key per value as equality sees it (operators.ts scalarEquals): numbers at Ruler's fixed
 * precision, address-shaped strings by their address ("::1" is "0:0:0:0:0:0:0:1").
 */
function exactKey(value: JsonScalar): string {
  switch (typeof value) {
    case 'string': {
      const ip = value.includes('.') || value.includes(':') ? parseIp(value) : undefined;
      return ip ? `i${ip.family}:${ip.value}` : `s${value}`;
    }
    case 'number': {
      const comparable = comparableNumber(value, NUMBERS);
      return comparable === undefined ? `N${value}` : `n${comparable}`;
    }
    case 'boolean':
      return value ? 'T' : 'F';
    default:
      return 'z';
  }
}

/** How a matcher is filed, or undefined when it cannot anchor (it may hold for absent or most values). */
type Filing =
  | { index: 'exact' | 'folded'; key: string }
  | { index: 'prefixes' | 'suffixes' | 'foldedPrefixes' | 'foldedSuffixes'; key: string }
  | { index: 'scanned' }
  | { index: 'present' };

function filing(matcher: Matcher): Filing | undefined {
  switch (matcher.type) {
    case 'equals':
      return { index: 'exact', key: exactKey(matcher.value) };
    case 'equals-ignore-case':
      return { index: 'folded', key: foldCase(matcher.value) };
    case 'prefix':
      return { index: 'prefixes', key: matcher.value };
    case 'suffix':
      return { index: 'suffixes', key: matcher.value };
    case 'prefix-ignore-case':
      return { index: 'foldedPrefixes', key: foldCase(matcher.value) };
    case 'suffix-ignore-case':
      return { index: 'foldedSuffixes', key: foldCase(matcher.value) };
    case 'numeric':
    case 'cidr':
    case 'wildcard':
      return { index: 'scanned' };
    case 'exists':
      return matcher.value ? { index: 'present' } : undefined;
    default:
      return undefined;
  }
}

// What one more alternative under a filing costs an event that reaches it, before bucket sizes.
const BASE_COST = { exact: 1, folded: 2, prefixes: 4, suffixes: 4, foldedPrefixes: 5, foldedSuffixes: 5 };
const SCAN_COST = 64;
const PRESENT_COST = 4096;

export class EventPatternIndex<K> {
  private readonly entries = new Map<K, Entry<K>>();
  private readonly fields = new Map<string, FieldIndex<K>>();
  /** Alternatives with no field to file under: checked for every event. */
  private readonly unanchored = new Set<Alternative<K>>();
  private nextSeq = 0;

  add(key: K, pattern: EventPattern): void {
    const compiled = pattern as CompiledEventPattern;
    const previous = this.entries.get(key);
    if (previous) this.unfile(previous);
    const entry: Entry<K> = { key, seq: previous?.seq ?? this.nextSeq++, pattern: compiled, undo: [] };
    this.entries.set(key, entry);
    compiled.branches.forEach((conditions, branch) => {
      this.file({ entry, branch }, conditions);
    });
  }

  remove(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.unfile(entry);
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The keys whose pattern matches the event, in the order they were first added. */
  match(event: JsonValue): K[] {
    const normalized = normalizeDocument(event);
    const candidates = new Set<Alternative<K>>(this.unanchored);
    for (const field of this.fields.values()) field.collect(valuesAt(normalized, field.path), candidates);
    const matched = new Set<Entry<K>>();
    for (const { entry, branch } of candidates) {
      if (!matched.has(entry) && entry.pattern.document.matchesBranch(branch, normalized)) matched.add(entry);
    }
    return [...matched].sort((a, b) => a.seq - b.seq).map((entry) => entry.key);
  }

  private unfile(entry: Entry<K>): void {
    for (const undo of entry.undo) undo();
    entry.undo.length = 0;
  }

  private file(alternative: Alternative<K>, conditions: readonly FieldCondition[]): void {
    let best: { condition: FieldCondition; filings: Filing[]; cost: number } | undefined;
    for (const condition of conditions) {
      const filings = condition.matchers.map(filing);
      if (filings.some((f) => f === undefined)) continue;
      const cost = this.cost(condition, filings as Filing[]);
      if (!best || cost < best.cost) best = { condition, filings: filings as Filing[], cost };
    }
    const { entry } = alternative;
    if (!best) {
      this.unanchored.add(alternative);
      entry.undo.push(() => this.unanchored.delete(alternative));
      return;
    }
    const path = fieldPath(best.condition.path);
    const id = path.join('\u0000');
    let field = this.fields.get(id);
    if (!field) {
      field = new FieldIndex<K>(path);
      this.fields.set(id, field);
    }
    const index = field;
    best.condition.matchers.forEach((matcher, i) => {
      const f = best.filings[i];
      if (f.index === 'scanned') {
        const item = { matcher, alternative };
        index.scanned.add(item);
        entry.undo.push(() => index.scanned.delete(item));
      } else if (f.index === 'present') {
        index.present.add(alternative);
        entry.undo.push(() => index.present.delete(alternative));
      } else {
        const buckets =
          f.index === 'exact' || f.index === 'folded'
            ? index[f.index]
            : affixMap(index[f.index], f.key.length);
        let bucket = buckets.get(f.key);
        if (!bucket) {
          bucket = new Set();
          buckets.set(f.key, bucket);
        }
        const filed = bucket;
        filed.add(alternative);
        entry.undo.push(() => {
          filed.delete(alternative);
          if (filed.size === 0 && buckets.get(f.key) === filed) buckets.delete(f.key);
          if (f.index !== 'exact' && f.index !== 'folded' && buckets.size === 0)
            index[f.index].delete(f.key.length);
        });
      }
    });
    entry.undo.push(() => {
      if (index.isEmpty() && this.fields.get(id) === index) this.fields.delete(id);
    });
  }

  private cost(condition: FieldCondition, filings: Filing[]): number {
    const field = this.fields.get(fieldPath(condition.path).join('\u0000'));
    let cost = 0;
    for (const f of filings) {
      if (f.index === 'scanned') cost += SCAN_COST + (field?.scanned.size ?? 0);
      else if (f.index === 'present') cost += PRESENT_COST + (field?.present.size ?? 0);
      else {
        const buckets =
          f.index === 'exact' || f.index === 'folded' ? field?.[f.index] : field?.[f.index].get(f.key.length);
        cost += BASE_COST[f.index] + (buckets?.get(f.key)?.size ?? 0);
      }
    }
    return cost;
  }
}

function affixMap<K>(byLength: Map<number, Map<string, Bucket<K>>>, length: number): Map<string, Bucket<K>> {
  let map = byLength.get(length);
  if (!map) {
    map = new Map();
    byLength.set(length, map);
  }
  return map;
}

function fieldPath(path: readonly string[]): string[] {
  return path.join('.').split('.');
}

/** Every scalar reachable along the path, through arrays at any level. */
function valuesAt(document: JsonValue, path: readonly string[]): JsonScalar[] {
  let nodes: JsonValue[] = [document];
  for (const key of path) {
    const next: JsonValue[] = [];
    for (const node of nodes) collectChild(node, key, next);
    if (next.length === 0) return [];
    nodes = next;
  }
  const values: JsonScalar[] = [];
  for (const node of nodes) collectLeaves(node, values);
  return values;
}

function collectChild(node: JsonValue, key: string, into: JsonValue[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectChild(item, key, into);
  } else if (typeof node === 'object' && node !== null && Object.hasOwn(node, key)) {
    into.push(node[key]);
  }
}

function collectLeaves(node: JsonValue, into: JsonScalar[]): void {
  if (Array.isArray(node)) for (const item of node) collectLeaves(item, into);
  else if (typeof node !== 'object' || node === null) into.push(node);
}

import type { CompiledEventPattern, EventPattern } from './event-pattern.js';
import { RangeIndex } from './event-ranges.js';
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
 * Matching one event against many patterns at a cost driven by the event, not by the number of
 * rules — the design of AWS's Ruler, written anew. Each `$or` alternative of each pattern is a
 * list of field conditions in field-name order; alternatives are threaded through a tree whose
 * edges are (field, condition) steps, so alternatives that begin with the same conditions share
 * nodes and a shared condition is tested once. At each node the edges of one field sit in value
 * indexes shared by every alternative through that node: hash maps for exact and case-folded
 * values, maps per length for prefixes and suffixes, an interval index for numeric ranges, and
 * short lists for what cannot be hashed (anything-but, CIDR, wildcard). An event descends only
 * the edges its values satisfy; an alternative reached at the end is confirmed against the event
 * with the single-pattern matcher, which alone knows Ruler's array-consistency rule.
 */

// Must equal the domain patterns are compiled in (event-pattern.ts).
const NUMBERS: NumberDomain = { limit: 5e9, decimals: 6 };

interface Entry<K> {
  key: K;
  seq: number;
  pattern: CompiledEventPattern;
  /** Where each of the pattern's alternatives ends. */
  ends: Node<K>[];
}

interface Alternative<K> {
  entry: Entry<K>;
  branch: number;
}

class Node<K> {
  readonly terminals = new Set<Alternative<K>>();
  readonly fields = new Map<string, FieldEdges<K>>();
  readonly children = new Map<string, Node<K>>();
  /** Alternatives passing through or ending here; at zero the node leaves its parent. */
  users = 0;

  constructor(
    readonly parent?: Node<K>,
    readonly step?: { fieldId: string; edgeKey: string; undo: (() => void)[] },
  ) {}
}

type Bucket<K> = Set<Node<K>>;

/** The edges of one field out of one node, indexed by what satisfies them. */
class FieldEdges<K> {
  readonly exact = new Map<string, Bucket<K>>();
  readonly folded = new Map<string, Bucket<K>>();
  /** Keyed by length, then by the affix: a value is cut once per distinct length. */
  readonly prefixes = new Map<number, Map<string, Bucket<K>>>();
  readonly suffixes = new Map<number, Map<string, Bucket<K>>>();
  readonly foldedPrefixes = new Map<number, Map<string, Bucket<K>>>();
  readonly foldedSuffixes = new Map<number, Map<string, Bucket<K>>>();
  readonly ranges = new RangeIndex<Node<K>>(NUMBERS);
  /** anything-but of values: taken unless a value is among the ones the edge excludes. */
  readonly anythingBut = new Set<{ node: Node<K> }>();
  readonly excludedBy = new Map<string, Set<{ node: Node<K> }>>();
  /** Tested one by one: the rest of the anything-but family, CIDR, wildcard. */
  readonly scanned = new Set<{ matcher: Matcher; node: Node<K> }>();
  /** exists:true, taken when the field has any value. */
  readonly present: Bucket<K> = new Set();
  /** exists:false, taken when the field may be absent. */
  readonly absent: Bucket<K> = new Set();
  edges = 0;

  constructor(readonly path: readonly string[]) {}

  /** Adds to `into` the nodes whose edge the field's values satisfy. */
  collect(field: FieldValues, into: Set<Node<K>>): void {
    const { values } = field;
    // In an array of objects one element may lack the field while another has it.
    if (values.length === 0 || field.throughArray) for (const node of this.absent) into.add(node);
    if (values.length === 0) return;
    for (const node of this.present) into.add(node);
    const foldedNeeded = this.folded.size + this.foldedPrefixes.size + this.foldedSuffixes.size > 0;
    for (const value of values) {
      addAll(into, this.exact.get(exactKey(value)));
      if (typeof value === 'string') {
        collectAffixes(this.prefixes, value, true, into);
        collectAffixes(this.suffixes, value, false, into);
        if (foldedNeeded) {
          const lower = foldCase(value);
          addAll(into, this.folded.get(lower));
          collectAffixes(this.foldedPrefixes, lower, true, into);
          collectAffixes(this.foldedSuffixes, lower, false, into);
        }
      } else if (typeof value === 'number') {
        this.ranges.collect(value, into);
      }
      if (this.anythingBut.size > 0) {
        const excluded = this.excludedBy.get(exactKey(value));
        if (!excluded) for (const { node } of this.anythingBut) into.add(node);
        else if (excluded.size < this.anythingBut.size) {
          for (const item of this.anythingBut) if (!excluded.has(item)) into.add(item.node);
        }
      }
      for (const { matcher, node } of this.scanned) {
        if (!into.has(node) && matchesScalar(matcher, value, NUMBERS)) into.add(node);
      }
    }
  }

  /** Files `node` under one matcher of its edge; returns how to take it back out. */
  file(matcher: Matcher, node: Node<K>): () => void {
    this.edges++;
    const undo = this.fileMatcher(matcher, node);
    return () => {
      undo();
      this.edges--;
    };
  }

  private fileMatcher(matcher: Matcher, node: Node<K>): () => void {
    switch (matcher.type) {
      case 'equals':
        return fileIn(this.exact, exactKey(matcher.value), node);
      case 'equals-ignore-case':
        return fileIn(this.folded, foldCase(matcher.value), node);
      case 'prefix':
        return fileAffix(this.prefixes, matcher.value, node);
      case 'suffix':
        return fileAffix(this.suffixes, matcher.value, node);
      case 'prefix-ignore-case':
        return fileAffix(this.foldedPrefixes, foldCase(matcher.value), node);
      case 'suffix-ignore-case':
        return fileAffix(this.foldedSuffixes, foldCase(matcher.value), node);
      case 'numeric': {
        const handle = this.ranges.add(matcher, node);
        return () => this.ranges.remove(handle);
      }
      case 'anything-but': {
        // One item per matcher: two anything-but matchers on one edge each accept on their own.
        const item = { node };
        this.anythingBut.add(item);
        const keys = new Set(matcher.values.map(exactKey));
        const undos = [...keys].map((key) => fileIn(this.excludedBy, key, item));
        return () => {
          this.anythingBut.delete(item);
          for (const undo of undos) undo();
        };
      }
      case 'exists': {
        const set = matcher.value ? this.present : this.absent;
        set.add(node);
        return () => set.delete(node);
      }
      default: {
        const item = { matcher, node };
        this.scanned.add(item);
        return () => this.scanned.delete(item);
      }
    }
  }
}

function fileIn<T>(map: Map<string, Set<T>>, key: string, node: T): () => void {
  let bucket = map.get(key);
  if (!bucket) {
    bucket = new Set();
    map.set(key, bucket);
  }
  const filed = bucket;
  filed.add(node);
  return () => {
    filed.delete(node);
    if (filed.size === 0 && map.get(key) === filed) map.delete(key);
  };
}

function fileAffix<K>(
  byLength: Map<number, Map<string, Bucket<K>>>,
  affix: string,
  node: Node<K>,
): () => void {
  let map = byLength.get(affix.length);
  if (!map) {
    map = new Map();
    byLength.set(affix.length, map);
  }
  const affixes = map;
  const undo = fileIn(affixes, affix, node);
  return () => {
    undo();
    if (affixes.size === 0 && byLength.get(affix.length) === affixes) byLength.delete(affix.length);
  };
}

function collectAffixes<K>(
  byLength: Map<number, Map<string, Bucket<K>>>,
  value: string,
  prefix: boolean,
  into: Set<Node<K>>,
): void {
  for (const [length, affixes] of byLength) {
    if (length > value.length) continue;
    addAll(into, affixes.get(prefix ? value.slice(0, length) : value.slice(value.length - length)));
  }
}

function addAll<K>(into: Set<Node<K>>, bucket: Bucket<K> | undefined): void {
  if (bucket) for (const node of bucket) into.add(node);
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

/**
 * How narrowly a condition selects, lowest first: an equality, then case-folded equality, affixes
 * and presence (one edge shared by every rule that asks), ranges and the other scanned tests
 * (distinct bounds rarely share an edge), and last what holds for most values (the anything-but
 * family, exists:false). A new step goes to the narrowest condition left, so an event
 * leaves a branch of the tree early.
 */
function rank(matchers: readonly Matcher[]): number {
  let worst = 0;
  for (const m of matchers) {
    const r =
      m.type === 'equals'
        ? 0
        : m.type === 'equals-ignore-case'
          ? 1
          : m.type.startsWith('anything-but') || (m.type === 'exists' && !m.value)
            ? 5
            : m.type === 'exists'
              ? 2
              : m.type === 'numeric' || m.type === 'cidr' || m.type === 'wildcard'
                ? 3
                : 2;
    worst = Math.max(worst, r);
  }
  return worst;
}

/** A condition's identity, so alternatives with the same step share an edge. */
function edgeKey(fieldId: string, matchers: readonly Matcher[]): string {
  return `${fieldId}\u0001${JSON.stringify(matchers, (_key, value) =>
    typeof value === 'bigint' ? value.toString() : value,
  )}`;
}

interface FieldValues {
  values: JsonScalar[];
  /** Whether an array of objects was crossed, where absence is judged per element. */
  throughArray: boolean;
}

export class EventPatternIndex<K> {
  private readonly entries = new Map<K, Entry<K>>();
  private readonly root = new Node<K>();
  private nextSeq = 0;

  add(key: K, pattern: EventPattern): void {
    const compiled = pattern as CompiledEventPattern;
    if (!Array.isArray(compiled.branches))
      throw new TypeError('EventPatternIndex takes patterns from compileEventPattern');
    const previous = this.entries.get(key);
    if (previous) this.unthread(previous);
    const entry: Entry<K> = { key, seq: previous?.seq ?? this.nextSeq++, pattern: compiled, ends: [] };
    this.entries.set(key, entry);
    compiled.branches.forEach((conditions, branch) => {
      const end = this.thread(conditions);
      end.terminals.add({ entry, branch });
      entry.ends.push(end);
    });
  }

  remove(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.unthread(entry);
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The keys whose pattern matches the event, in the order they were first added. */
  match(event: JsonValue): K[] {
    const normalized = normalizeDocument(event);
    const fieldValues = new Map<string, FieldValues>();
    const valuesOf = (id: string, path: readonly string[]) => {
      let found = fieldValues.get(id);
      if (!found) {
        found = valuesAt(normalized, path);
        fieldValues.set(id, found);
      }
      return found;
    };
    const matched = new Set<Entry<K>>();
    const stack: Node<K>[] = [this.root];
    const reached = new Set<Node<K>>();
    while (stack.length > 0) {
      const node = stack.pop()!;
      for (const { entry, branch } of node.terminals) {
        if (!matched.has(entry) && entry.pattern.document.matchesBranch(branch, normalized))
          matched.add(entry);
      }
      if (node.fields.size === 0) continue;
      reached.clear();
      for (const [id, edges] of node.fields) edges.collect(valuesOf(id, edges.path), reached);
      for (const child of reached) stack.push(child);
    }
    return [...matched].sort((a, b) => a.seq - b.seq).map((entry) => entry.key);
  }

  /** Walks (or lays) the alternative's conditions in field-name order; returns the last node. */
  /**
   * Walks (or lays) the alternative's conditions from the root; returns the last node. Where a
   * node already has an edge for one of the remaining conditions the walk takes it (the busiest
   * first), so alternatives share the steps they have in common, as Ruler's machine does; where
   * none exists, the narrowest condition makes the new edge.
   */
  private thread(conditions: readonly FieldCondition[]): Node<K> {
    const steps = conditions.map((condition) => {
      const path = condition.path.join('.').split('.');
      const id = path.join('\u0000');
      return {
        path,
        id,
        matchers: condition.matchers,
        key: edgeKey(id, condition.matchers),
        rank: rank(condition.matchers),
      };
    });
    let node = this.root;
    node.users++;
    while (steps.length > 0) {
      let chosen = -1;
      let busiest = 0;
      steps.forEach((step, i) => {
        const users = node.children.get(step.key)?.users ?? 0;
        if (users > busiest) {
          busiest = users;
          chosen = i;
        }
      });
      if (chosen === -1) {
        chosen = 0;
        steps.forEach((step, i) => {
          const best = steps[chosen];
          if (step.rank < best.rank || (step.rank === best.rank && step.key < best.key)) chosen = i;
        });
      }
      const [{ path, id, matchers, key }] = steps.splice(chosen, 1);
      let child = node.children.get(key);
      if (!child) {
        let edges = node.fields.get(id);
        if (!edges) {
          edges = new FieldEdges<K>(path);
          node.fields.set(id, edges);
        }
        const undo: (() => void)[] = [];
        child = new Node<K>(node, { fieldId: id, edgeKey: key, undo });
        for (const matcher of matchers) undo.push(edges.file(matcher, child));
        node.children.set(key, child);
      }
      node = child;
      node.users++;
    }
    return node;
  }

  private unthread(entry: Entry<K>): void {
    for (const end of entry.ends) {
      for (const terminal of end.terminals) if (terminal.entry === entry) end.terminals.delete(terminal);
      for (let node: Node<K> | undefined = end; node; node = node.parent) {
        node.users--;
        const { parent, step } = node;
        if (node.users > 0 || !parent || !step) continue;
        for (const undo of step.undo) undo();
        parent.children.delete(step.edgeKey);
        const edges = parent.fields.get(step.fieldId);
        if (edges && edges.edges === 0) parent.fields.delete(step.fieldId);
      }
    }
    entry.ends.length = 0;
  }
}

/** Every scalar reachable along the path, through arrays at any level. */
function valuesAt(document: JsonValue, path: readonly string[]): FieldValues {
  let nodes: JsonValue[] = [document];
  let throughArray = false;
  for (const key of path) {
    const next: JsonValue[] = [];
    for (const node of nodes) {
      if (Array.isArray(node)) throughArray = true;
      collectChild(node, key, next);
    }
    if (next.length === 0) return { values: [], throughArray };
    nodes = next;
  }
  const values: JsonScalar[] = [];
  for (const node of nodes) collectLeaves(node, values);
  return { values, throughArray };
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

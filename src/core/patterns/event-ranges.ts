import { type Bound, comparableNumber, type NumberDomain } from './operators.js';

/**
 * Numeric ranges of many patterns, queried by one number: a centered interval tree, rebuilt on
 * the first query after a change, so a query costs about log(ranges) plus the ranges it finds
 * instead of a test per range. Bounds compare as Ruler compares them (operators.ts
 * comparableNumber), so a value in range here is in range for the single-pattern matcher too.
 */

interface Interval<T> {
  low: number;
  high: number;
  lowInclusive: boolean;
  highInclusive: boolean;
  item: T;
}

type Tree<T> =
  | { leaf: true; intervals: Interval<T>[] }
  | {
      leaf: false;
      center: number;
      byLow: Interval<T>[];
      byHigh: Interval<T>[];
      left: Tree<T>;
      right: Tree<T>;
    };

const LEAF_SIZE = 16;

export class RangeIndex<T> {
  private readonly intervals = new Set<Interval<T>>();
  private tree: Tree<T> | undefined;

  constructor(private readonly domain: NumberDomain) {}

  get size(): number {
    return this.intervals.size;
  }

  add(range: { lower?: Bound; upper?: Bound }, item: T): unknown {
    const interval: Interval<T> = {
      low: range.lower ? comparableNumber(range.lower.value, this.domain)! : Number.NEGATIVE_INFINITY,
      high: range.upper ? comparableNumber(range.upper.value, this.domain)! : Number.POSITIVE_INFINITY,
      lowInclusive: range.lower?.inclusive ?? true,
      highInclusive: range.upper?.inclusive ?? true,
      item,
    };
    this.intervals.add(interval);
    this.tree = undefined;
    return interval;
  }

  remove(handle: unknown): void {
    if (this.intervals.delete(handle as Interval<T>)) this.tree = undefined;
  }

  collect(value: number, into: Set<T>): void {
    if (this.intervals.size === 0) return;
    const n = comparableNumber(value, this.domain);
    if (n === undefined) return;
    this.tree ??= build([...this.intervals]);
    let tree: Tree<T> = this.tree;
    for (;;) {
      if (tree.leaf) {
        for (const interval of tree.intervals) if (contains(interval, n)) into.add(interval.item);
        return;
      }
      if (n < tree.center) {
        for (const interval of tree.byLow) {
          if (interval.low > n) break;
          if (contains(interval, n)) into.add(interval.item);
        }
        tree = tree.left;
      } else if (n > tree.center) {
        for (const interval of tree.byHigh) {
          if (interval.high < n) break;
          if (contains(interval, n)) into.add(interval.item);
        }
        tree = tree.right;
      } else {
        for (const interval of tree.byLow) if (contains(interval, n)) into.add(interval.item);
        return;
      }
    }
  }
}

function contains(interval: Interval<unknown>, n: number): boolean {
  if (interval.lowInclusive ? n < interval.low : n <= interval.low) return false;
  if (interval.highInclusive ? n > interval.high : n >= interval.high) return false;
  return true;
}

function build<T>(intervals: Interval<T>[]): Tree<T> {
  if (intervals.length <= LEAF_SIZE) return { leaf: true, intervals };
  const ends: number[] = [];
  for (const { low, high } of intervals) {
    if (Number.isFinite(low)) ends.push(low);
    if (Number.isFinite(high)) ends.push(high);
  }
  if (ends.length === 0) return { leaf: true, intervals };
  ends.sort((a, b) => a - b);
  const center = ends[ends.length >> 1];
  const here: Interval<T>[] = [];
  const left: Interval<T>[] = [];
  const right: Interval<T>[] = [];
  for (const interval of intervals) {
    if (interval.high < center) left.push(interval);
    else if (interval.low > center) right.push(interval);
    else here.push(interval);
  }
  if (left.length === intervals.length || right.length === intervals.length) return { leaf: true, intervals };
  return {
    leaf: false,
    center,
    byLow: [...here].sort((a, b) => a.low - b.low),
    byHigh: [...here].sort((a, b) => b.high - a.high),
    left: build(left),
    right: build(right),
  };
}

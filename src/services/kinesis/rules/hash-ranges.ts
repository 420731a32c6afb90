/**
 * How Kinesis spreads the 128-bit hash-key space over shards (Kinesis API Reference: CreateStream,
 * SplitShard, MergeShards, UpdateShardCount). Ranges are inclusive at both ends; the open shards
 * of a stream always cover the whole space without overlap.
 */

/** The whole hash-key space: keys run from 0 to 2^128 - 1. */
export const HASH_SPACE = 1n << 128n;
export const MAX_HASH_KEY = HASH_SPACE - 1n;

export interface HashRange {
  start: bigint;
  end: bigint;
}

/** A child range of a reshard, with the shards it comes from. */
export interface ChildRange extends HashRange {
  parentShardId: string;
  adjacentParentShardId?: string;
}

/** A parent shard as a reshard sees it. */
export interface ParentRange extends HashRange {
  id: string;
}

/** The i-th of `count` equal ranges, as CreateStream and UpdateShardCount cut them. */
export function evenRange(i: number, count: number): HashRange {
  return {
    start: (HASH_SPACE * BigInt(i)) / BigInt(count),
    end: (HASH_SPACE * BigInt(i + 1)) / BigInt(count) - 1n,
  };
}

export function evenRanges(count: number): HashRange[] {
  return Array.from({ length: count }, (_, i) => evenRange(i, count));
}

/**
 * SplitShard's NewStartingHashKey must lie inside the shard and above its first key: the lower
 * child then keeps [start, at - 1], the upper one [at, end]. Undefined when `at` does not qualify.
 */
export function splitRange(parent: ParentRange, at: bigint): ChildRange[] | undefined {
  if (at <= parent.start || at > parent.end) return undefined;
  return [
    { start: parent.start, end: at - 1n, parentShardId: parent.id },
    { start: at, end: parent.end, parentShardId: parent.id },
  ];
}

/**
 * MergeShards: two shards whose ranges touch become one over both. The shard asked to merge is
 * the parent, the adjacent one the adjacent parent, whichever holds the lower range. Undefined
 * when the two are not adjacent.
 */
export function mergeRanges(shard: ParentRange, adjacent: ParentRange): ChildRange | undefined {
  const [low, high] = shard.start < adjacent.start ? [shard, adjacent] : [adjacent, shard];
  if (low.end + 1n !== high.start) return undefined;
  return { start: low.start, end: high.end, parentShardId: shard.id, adjacentParentShardId: adjacent.id };
}

/**
 * UpdateShardCount's UNIFORM_SCALING: `target` equal ranges replace the open shards, each naming
 * the first open shard its range overlaps as parent and the second (if any) as adjacent parent.
 */
export function uniformScaling(open: ParentRange[], target: number): ChildRange[] {
  return evenRanges(target).map(({ start, end }) => {
    const overlapping = open.filter((s) => s.start <= end && s.end >= start);
    return { start, end, parentShardId: overlapping[0].id, adjacentParentShardId: overlapping[1]?.id };
  });
}

/** UNIFORM_SCALING may go from half to double the open shard count, and to one shard at least. */
export function uniformScalingAllowed(current: number, target: number): boolean {
  return target >= 1 && target <= current * 2 && target * 2 >= current;
}

/** Whether `key` falls in the range (both ends included). */
export function holds(range: HashRange, key: bigint): boolean {
  return key >= range.start && key <= range.end;
}

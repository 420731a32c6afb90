import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  evenRanges,
  HASH_SPACE,
  holds,
  MAX_HASH_KEY,
  mergeRanges,
  splitRange,
  uniformScaling,
  uniformScalingAllowed,
} from '../../src/services/kinesis/rules/hash-ranges.js';

// Kinesis API Reference: CreateStream, SplitShard, MergeShards, UpdateShardCount.

describe('Kinesis hash-range rules', () => {
  it('cuts the key space into equal ranges that cover it without gaps', () => {
    const ranges = evenRanges(3);
    assert.equal(ranges[0].start, 0n);
    assert.equal(ranges[2].end, MAX_HASH_KEY);
    for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i].start, ranges[i - 1].end + 1n);
    // AWS's two-shard split, as DescribeStream shows it.
    assert.deepEqual(
      evenRanges(2).map((r) => [r.start.toString(), r.end.toString()]),
      [
        ['0', '170141183460469231731687303715884105727'],
        ['170141183460469231731687303715884105728', '340282366920938463463374607431768211455'],
      ],
    );
    assert.equal(HASH_SPACE, MAX_HASH_KEY + 1n);
  });

  it('splits a shard at a key above its first and within it', () => {
    const parent = { id: 'shardId-000000000000', start: 10n, end: 20n };
    assert.deepEqual(splitRange(parent, 15n), [
      { start: 10n, end: 14n, parentShardId: parent.id },
      { start: 15n, end: 20n, parentShardId: parent.id },
    ]);
    assert.deepEqual(splitRange(parent, 20n)?.[1], { start: 20n, end: 20n, parentShardId: parent.id });
    assert.equal(splitRange(parent, 10n), undefined);
    assert.equal(splitRange(parent, 21n), undefined);
    assert.equal(splitRange(parent, -1n), undefined);
  });

  it('merges adjacent shards in either order, naming the one asked for as parent', () => {
    const low = { id: 'a', start: 0n, end: 9n };
    const high = { id: 'b', start: 10n, end: 20n };
    assert.deepEqual(mergeRanges(high, low), {
      start: 0n,
      end: 20n,
      parentShardId: 'b',
      adjacentParentShardId: 'a',
    });
    assert.deepEqual(mergeRanges(low, high), {
      start: 0n,
      end: 20n,
      parentShardId: 'a',
      adjacentParentShardId: 'b',
    });
    assert.equal(mergeRanges(low, { id: 'c', start: 11n, end: 20n }), undefined);
  });

  it('scales uniformly between half and double, each child naming the shards it overlaps', () => {
    assert.equal(uniformScalingAllowed(4, 8), true);
    assert.equal(uniformScalingAllowed(4, 9), false);
    assert.equal(uniformScalingAllowed(4, 2), true);
    assert.equal(uniformScalingAllowed(4, 1), false);
    assert.equal(uniformScalingAllowed(1, 0), false);
    const open = evenRanges(2).map((r, i) => ({ id: `s${i}`, ...r }));
    const three = uniformScaling(open, 3);
    assert.deepEqual(
      three.map((c) => [c.parentShardId, c.adjacentParentShardId]),
      [
        ['s0', undefined],
        ['s0', 's1'],
        ['s1', undefined],
      ],
    );
    assert.equal(holds(three[1], open[1].start), true);
  });
});

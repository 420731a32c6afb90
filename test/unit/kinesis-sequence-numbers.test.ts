import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  counterOf,
  endingSequenceNumber,
  MAX_COUNTER,
  sequenceNumber,
  startingSequenceNumber,
} from '../../src/services/kinesis/rules/sequence-numbers.js';
import { shardId, shardIndexOf } from '../../src/services/kinesis/rules/shard-ids.js';

describe('Kinesis sequence-number rules', () => {
  it('writes 56 digits: 49, the shard index in 14, the counter in 40', () => {
    const s = sequenceNumber(3, 123_456);
    assert.equal(s.length, 56);
    assert.equal(s, `49${'3'.padStart(14, '0')}${'123456'.padStart(40, '0')}`);
    // Built from cached pieces: the same number again, and neighbours across a cache boundary.
    assert.equal(sequenceNumber(3, 123_456), s);
    assert.equal(BigInt(sequenceNumber(3, 20_000)) - BigInt(sequenceNumber(3, 19_999)), 1n);
  });

  it('rises with the counter within a shard, and orders shards by index', () => {
    assert.ok(BigInt(sequenceNumber(0, 2)) > BigInt(sequenceNumber(0, 1)));
    assert.ok(BigInt(sequenceNumber(1, 0)) > BigInt(sequenceNumber(0, 10 ** 12)));
  });

  it('reads the counter back, clamping numbers outside the shard', () => {
    assert.equal(counterOf(BigInt(sequenceNumber(2, 77)), 2), 77);
    assert.equal(counterOf(BigInt(sequenceNumber(1, 77)), 2), -1);
    assert.equal(counterOf(BigInt(sequenceNumber(3, 0)), 2), MAX_COUNTER);
    assert.equal(counterOf(0n, 0), -1);
  });

  it('opens a shard at the next counter and closes it where the counter stands', () => {
    assert.equal(startingSequenceNumber(0, -1), sequenceNumber(0, 0));
    assert.equal(startingSequenceNumber(4, 10), sequenceNumber(4, 11));
    assert.equal(endingSequenceNumber(4, 10), sequenceNumber(4, 10));
  });
});

describe('Kinesis shard-id rules', () => {
  it('names shards by index in 12 digits, and reads the index back', () => {
    assert.equal(shardId(0), 'shardId-000000000000');
    assert.equal(shardId(42), 'shardId-000000000042');
    assert.equal(shardIndexOf('shardId-000000000042'), 42);
    assert.equal(shardIndexOf('shardId-42'), undefined);
    assert.equal(shardIndexOf('shard-000000000042'), undefined);
    assert.equal(shardIndexOf('shardId-00000000004x'), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShardThroughput } from '../../src/services/kinesis/throughput.js';

// The quota arithmetic on its own (the HTTP behaviour is in test/kinesis/limits.test.ts):
// Kinesis guide, "Quotas and limits": 1 MiB and 1,000 records per second in, 2 MiB and five
// GetRecords calls per second out, per shard.
const MIB = 1024 * 1024;
const ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/s';
const SHARD = 'shardId-000000000000';

describe('ShardThroughput', () => {
  it('counts each write for exactly one second', () => {
    const t = new ShardThroughput();
    assert.ok(t.write(ARN, SHARD, 1, 5_000));
    for (let i = 1; i < 1000; i++) assert.ok(t.write(ARN, SHARD, 1, 5_005));
    assert.equal(t.write(ARN, SHARD, 1, 5_999), false);
    // The first record (at 5 000) stops counting at 6 000, freeing one slot.
    assert.ok(t.write(ARN, SHARD, 1, 6_000));
    assert.equal(t.write(ARN, SHARD, 1, 6_000), false);
  });

  it('lets a record over a second of bytes into an idle shard only, and holds the shard after it', () => {
    const t = new ShardThroughput();
    assert.ok(t.write(ARN, SHARD, 10, 0));
    assert.equal(t.write(ARN, SHARD, 2 * MIB, 0), false);
    assert.ok(t.write(ARN, SHARD, 2 * MIB, 1_000));
    // Two MiB at one MiB a second: two seconds before the shard takes anything again.
    assert.equal(t.write(ARN, SHARD, 1, 2_999), false);
    assert.ok(t.write(ARN, SHARD, 1, 3_000));
  });

  it('keeps shards and streams apart, and forgets a deleted stream', () => {
    const t = new ShardThroughput();
    assert.ok(t.write(ARN, SHARD, MIB, 0));
    assert.equal(t.write(ARN, SHARD, 1, 0), false);
    assert.ok(t.write(ARN, 'shardId-000000000001', 1, 0));
    assert.ok(t.write(`${ARN}2`, SHARD, 1, 0));
    t.forget(ARN);
    assert.ok(t.write(ARN, SHARD, 1, 0));
  });

  it('answers five reads a second, and pays back a large read at 2 MiB a second', () => {
    const t = new ShardThroughput();
    for (let i = 0; i < 5; i++) assert.ok(t.read(ARN, SHARD, i));
    assert.equal(t.read(ARN, SHARD, 999), false);
    assert.ok(t.read(ARN, SHARD, 1_000));
    t.charge(ARN, SHARD, 10 * MIB, 1_000);
    // "If a call returns 10 MiB of data, subsequent calls made within the next 5 seconds throw".
    assert.equal(t.read(ARN, SHARD, 5_999), false);
    assert.ok(t.read(ARN, SHARD, 6_000));
  });

  it('expires uses that end before ones recorded earlier', () => {
    const t = new ShardThroughput();
    assert.ok(t.read(ARN, SHARD, 0));
    t.charge(ARN, SHARD, 4 * MIB, 0); // counts until 2 000
    assert.equal(t.read(ARN, SHARD, 1_500), false);
    assert.ok(t.read(ARN, SHARD, 2_000));
    t.charge(ARN, SHARD, MIB, 2_000); // until 3 000
    t.charge(ARN, SHARD, 0, 2_000);
    assert.ok(t.read(ARN, SHARD, 2_001));
    t.charge(ARN, SHARD, MIB, 2_001); // 2 MiB in use until 3 000, the last until 3 001
    assert.equal(t.read(ARN, SHARD, 2_999), false);
    assert.ok(t.read(ARN, SHARD, 3_001));
  });
});

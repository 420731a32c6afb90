import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShardLog, sequenceNumber } from '../../src/storage/embedded/shard-log.js';

// The packed per-shard record store behind Kinesis reads: whatever the segment layout, a read
// must give the records after a sequence number in order, within the record and byte limits.

const seq = (shard: number, counter: number) => BigInt(sequenceNumber(shard, counter));

function filled(count: number, size: number): ShardLog {
  const log = new ShardLog(2);
  for (let i = 1; i <= count; i++) log.append(i * 3, 1000 + i, `key-${i}`, Buffer.alloc(size, i % 251));
  return log;
}

describe('ShardLog', () => {
  it('reads across many segments in order, from any point', () => {
    const log = filled(10_000, 100); // about four segments of 256 KiB
    const all = log.read(0n, 20_000, Number.POSITIVE_INFINITY, 0);
    assert.equal(all.length, 10_000);
    assert.deepEqual(
      all.slice(0, 2).map((r) => [r.sequenceNumber, r.partitionKey, r.data.length, r.data[0], r.arrivedAt]),
      [
        [sequenceNumber(2, 3), 'key-1', 100, 1, 1001],
        [sequenceNumber(2, 6), 'key-2', 100, 2, 1002],
      ],
    );
    const after = log.read(seq(2, 3 * 7000), 3, Number.POSITIVE_INFINITY, 0);
    assert.deepEqual(
      after.map((r) => r.partitionKey),
      ['key-7001', 'key-7002', 'key-7003'],
    );
    // A sequence number between two records starts at the next one.
    assert.equal(log.read(seq(2, 3 * 7000 + 1), 1, Number.POSITIVE_INFINITY, 0)[0].partitionKey, 'key-7001');
    assert.equal(log.last(), seq(2, 30_000));
  });

  it('stops at the byte limit but always hands out one record', () => {
    const log = filled(10, 1000);
    assert.equal(log.read(0n, 100, 2500, 0).length, 2);
    const big = new ShardLog(0);
    big.append(1, 0, 'k', Buffer.alloc(2 * 1024 * 1024));
    big.append(2, 0, 'k', Buffer.alloc(10));
    assert.equal(big.read(0n, 100, 1024, 0).length, 1);
    assert.equal(big.read(0n, 100, 1024, 0)[0].data.length, 2 * 1024 * 1024);
  });

  it('reads a number outside the shard as its start or its end', () => {
    const log = filled(5, 10);
    assert.equal(log.read(seq(1, 999), 10, Number.POSITIVE_INFINITY, 0).length, 5);
    assert.equal(log.read(seq(3, 0), 10, Number.POSITIVE_INFINITY, 0).length, 0);
  });

  it('skips expired records and drops segments once all of theirs have expired', () => {
    const log = filled(10_000, 100);
    assert.equal(log.read(0n, 20_000, Number.POSITIVE_INFINITY, 1000 + 9001).length, 1000);
    assert.equal(log.lastBefore(1000 + 5001), seq(2, 5000 * 3));
    assert.equal(log.dropBefore(1000 + 9001), true);
    const kept = log.read(0n, 20_000, Number.POSITIVE_INFINITY, 0);
    assert.ok(kept.length >= 1000 && kept.length < 10_000, `${kept.length} kept`);
    assert.equal(kept[kept.length - 1].partitionKey, 'key-10000');
    assert.equal(log.dropBefore(Number.POSITIVE_INFINITY), true);
    assert.equal(log.empty, true);
    assert.equal(log.last(), undefined);
  });

  it('keeps multi-byte partition keys whole', () => {
    const log = new ShardLog(0);
    log.append(1, 0, 'clé-ünïcødé-🔑', Buffer.from('x'));
    const [r] = log.read(0n, 1, 1024, 0);
    assert.equal(r.partitionKey, 'clé-ünïcødé-🔑');
    assert.equal(r.data.toString(), 'x');
  });
});

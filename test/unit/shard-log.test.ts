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

  it('keeps every byte as segments grow in place, records larger than a segment included', () => {
    const log = new ShardLog(1);
    const sizes = [10, 5000, 300 * 1024, 1, 200 * 1024, 3 * 1024 * 1024, 70_000];
    sizes.forEach((size, i) => {
      log.append(i + 1, 0, `k${i}`, Buffer.alloc(size, i + 1));
    });
    const all = log.read(0n, 100, Number.POSITIVE_INFINITY, 0);
    assert.deepEqual(
      all.map((r) => [r.partitionKey, r.data.length]),
      sizes.map((size, i) => [`k${i}`, size]),
    );
    all.forEach((r, i) => {
      assert.ok(
        r.data.every((b) => b === i + 1),
        `record ${i} kept its bytes`,
      );
    });
  });

  it('keeps counters and arrival times exact however far apart they are', () => {
    const log = new ShardLog(0);
    // Counters beyond 2^32 apart (other shards took the ones between), arrivals a fraction of a
    // millisecond apart (a test clock advanced by 0.5 ms) or years apart.
    const records: Array<[number, number]> = [
      [1, 1_000],
      [2, 1_000],
      [5_000_000_001, 1_000.5],
      [5_000_000_002, 1_001.5],
      [5_000_000_003, 1_001.75],
      [9_007_199_254_740_000, 1_000 + 6 * 365 * 86_400_000],
      [9_007_199_254_740_001, 1_000 + 6 * 365 * 86_400_000],
    ];
    for (const [counter, at] of records) log.append(counter, at, `k${counter}`, Buffer.from('x'));
    const all = log.read(0n, 100, Number.POSITIVE_INFINITY, 0);
    assert.deepEqual(
      all.map((r) => [r.sequenceNumber, r.arrivedAt]),
      records.map(([counter, at]) => [sequenceNumber(0, counter), at]),
    );
    assert.equal(log.last(), seq(0, 9_007_199_254_740_001));
    assert.equal(log.lastBefore(1_001.6), seq(0, 5_000_000_002));
    assert.deepEqual(
      log.read(seq(0, 2), 2, Number.POSITIVE_INFINITY, 0).map((r) => r.partitionKey),
      ['k5000000001', 'k5000000002'],
    );
  });

  it('gives a dropped segment back only after the current turn, so views read just now stay whole', async () => {
    const log = filled(10_000, 100);
    const read = log.read(0n, 1, 1024, 0);
    log.release();
    assert.equal(log.empty, true);
    // Still the record's bytes until the event loop turns.
    assert.equal(read[0].data.length, 100);
    assert.equal(read[0].data[0], 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(read[0].data.length, 0, 'the memory went back once the turn ended');
  });
});

describe('sequenceNumber', () => {
  it('is 56 digits: 49, the shard index in 14, the counter in 40, whatever counters came before', () => {
    const padded = (shard: number, counter: number) =>
      `49${String(shard).padStart(14, '0')}${String(counter).padStart(40, '0')}`;
    const cases: Array<[number, number]> = [
      [0, 0],
      [3, 9_999],
      [3, 10_000],
      [3, 10_001],
      [4, 123_456_789],
      [4, 7],
      [12, Number.MAX_SAFE_INTEGER],
      [99_999_999, 1],
    ];
    for (const [shard, counter] of cases) {
      assert.equal(sequenceNumber(shard, counter), padded(shard, counter));
    }
  });
});

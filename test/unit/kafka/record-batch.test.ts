import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import snappy from 'snappyjs';
import {
  BATCH_HEADER_BYTES,
  batchIsValid,
  batchLastOffset,
  decodeRecords,
  encodeBatch,
  ensureBatchValid,
  RecordBatchError,
  readBatchHeader,
  setLogAppendTime,
  splitBatches,
  writeBatchCrc,
} from '../../../src/protocols/kafka/record-batch.js';
import type { CompressionCodec } from '../../../src/protocols/kafka/record-compression.js';

const RECORDS = [
  { key: 'k1', value: 'v1', headers: [{ key: 'h', value: 'x' }], timestamp: 1_700_000_000_000n },
  { key: null, value: Buffer.alloc(300, 7), timestamp: 1_700_000_000_005n },
  { key: 'k3', value: null, headers: [{ key: 'empty', value: null }], timestamp: 1_699_999_999_990n },
];

describe('Kafka record batches', () => {
  for (const codec of ['none', 'gzip', 'snappy', 'lz4'] as CompressionCodec[]) {
    it(`round-trips records with keys, headers and nulls (${codec})`, () => {
      const batch = encodeBatch(RECORDS, { compression: codec, baseOffset: 40n });
      assert.ok(batchIsValid(batch));
      const header = readBatchHeader(batch);
      assert.equal(header.magic, 2);
      assert.equal(header.compression, codec);
      assert.equal(header.recordsCount, 3);
      assert.equal(header.lastOffsetDelta, 2);
      assert.equal(header.baseTimestamp, 1_700_000_000_000n);
      assert.equal(header.maxTimestamp, 1_700_000_000_005n);
      assert.equal(header.producerId, -1n);
      assert.equal(header.batchLength + 12, batch.length);
      assert.equal(batchLastOffset(batch), 42n);
      const records = decodeRecords(batch);
      assert.deepEqual(
        records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.length ?? null]),
        [
          [40n, 1_700_000_000_000n, 'k1', 2],
          [41n, 1_700_000_000_005n, null, 300],
          [42n, 1_699_999_999_990n, 'k3', null],
        ],
      );
      assert.deepEqual(records[0]?.headers, [{ key: 'h', value: Buffer.from('x') }]);
      assert.deepEqual(records[2]?.headers, [{ key: 'empty', value: null }]);
    });
  }

  it("reads snappy in the Java client's xerial framing", () => {
    const plain = encodeBatch(RECORDS);
    const body = plain.subarray(BATCH_HEADER_BYTES);
    const half = Math.floor(body.length / 2);
    const blocks = [body.subarray(0, half), body.subarray(half)].map((b) => Buffer.from(snappy.compress(b)));
    const xerial = Buffer.concat([
      Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]),
      ...blocks.flatMap((b) => {
        const size = Buffer.alloc(4);
        size.writeInt32BE(b.length);
        return [size, b];
      }),
    ]);
    const batch = Buffer.concat([plain.subarray(0, BATCH_HEADER_BYTES), xerial]);
    batch.writeInt32BE(batch.length - 12, 8);
    batch.writeInt16BE(2, 21);
    writeBatchCrc(batch);
    assert.deepEqual(
      decodeRecords(batch).map((r) => r.value?.length ?? null),
      [2, 300, null],
    );
  });

  it('carries idempotence fields and the transactional bit', () => {
    const batch = encodeBatch([{ value: 'a' }], {
      producerId: 77n,
      producerEpoch: 3,
      baseSequence: 12,
      transactional: true,
    });
    const h = readBatchHeader(batch);
    assert.deepEqual([h.producerId, h.producerEpoch, h.baseSequence, h.isTransactional], [77n, 3, 12, true]);
  });

  it('finds a bad CRC, and a batch shorter than its header', () => {
    const batch = encodeBatch(RECORDS);
    batch[batch.length - 1] ^= 1;
    assert.equal(batchIsValid(batch), false);
    assert.throws(
      () => ensureBatchValid(batch),
      (e: unknown) => e instanceof RecordBatchError && e.error === 'CORRUPT_MESSAGE',
    );
    assert.throws(
      () => ensureBatchValid(batch.subarray(0, 40)),
      /smaller than the minimum allowed overhead 61/,
    );
  });

  it('rewrites a batch to LogAppendTime with a valid CRC', () => {
    const batch = encodeBatch(RECORDS);
    setLogAppendTime(batch, 5_000n);
    assert.ok(batchIsValid(batch));
    const h = readBatchHeader(batch);
    assert.equal(h.timestampType, 'LogAppendTime');
    assert.equal(h.maxTimestamp, 5_000n);
    assert.deepEqual(
      decodeRecords(batch).map((r) => r.timestamp),
      [5_000n, 5_000n, 5_000n],
    );
  });

  it('splits a blob as Kafka walks it: whole batches, a trailing partial one ignored', () => {
    const a = encodeBatch([{ value: 'a' }]);
    const b = encodeBatch([{ value: 'bb' }, { value: 'cc' }]);
    const blob = Buffer.concat([a, b, b.subarray(0, 30)]);
    const batches = splitBatches(blob);
    assert.equal(batches.length, 2);
    assert.ok(batches[0]?.equals(a));
    assert.ok(batches[1]?.equals(b));
    assert.deepEqual(splitBatches(a.subarray(0, a.length - 1)), []);
    assert.deepEqual(splitBatches(Buffer.alloc(0)), []);
  });

  it('refuses a size under the smallest legacy message as corrupt', () => {
    const blob = Buffer.alloc(20);
    blob.writeInt32BE(13, 8);
    assert.throws(() => splitBatches(blob), /Record size 13 is less than the minimum record overhead \(14\)/);
    const future = encodeBatch([{ value: 'a' }]);
    future.writeInt8(3, 16);
    assert.throws(() => splitBatches(future), /Invalid magic found in record: 3/);
  });

  it('answers corrupt records with RecordBatchError, never a crash', () => {
    const batch = encodeBatch(RECORDS);
    // claim more records than the batch holds
    batch.writeInt32BE(9, 57);
    writeBatchCrc(batch);
    assert.throws(
      () => decodeRecords(batch),
      (e: unknown) => e instanceof RecordBatchError,
    );
    const gz = encodeBatch(RECORDS, { compression: 'gzip' });
    gz.fill(0, BATCH_HEADER_BYTES, BATCH_HEADER_BYTES + 4);
    assert.throws(() => decodeRecords(gz), /does not decompress as gzip/);
  });

  // Batches kcat (librdkafka 2.0.2) sent: `-K : -H trace=abc -H empty=` with three lines.
  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as CompressionCodec[]) {
    it(`decodes a batch kcat compressed with ${codec}`, () => {
      const batch = fs.readFileSync(`test/fixtures/kafka/kcat-${codec}.bin`);
      assert.ok(batchIsValid(batch));
      const header = readBatchHeader(batch);
      assert.equal(header.compression, codec);
      assert.equal(header.recordsCount, 3);
      const records = decodeRecords(batch);
      assert.deepEqual(
        records.map((r) => [r.key?.toString() ?? null, r.value?.toString()]),
        [
          ['k0', 'tideway '.repeat(20)],
          ['k1', 'second'],
          ['', 'no key'],
        ],
      );
      for (const r of records) {
        assert.deepEqual(r.headers, [
          { key: 'trace', value: Buffer.from('abc') },
          { key: 'empty', value: Buffer.alloc(0) },
        ]);
        assert.ok(r.timestamp >= header.baseTimestamp);
      }
    });
  }
});

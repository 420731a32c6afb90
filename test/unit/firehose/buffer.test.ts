import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bufferLimits, RecordBuffer } from '../../../src/services/firehose/delivery/buffer.js';

const MIB = 1024 * 1024;

describe('Firehose buffers', () => {
  it("take AWS's defaults: 5 MiB and 300 seconds", () => {
    assert.deepEqual(bufferLimits(undefined), { sizeBytes: 5 * MIB, intervalMs: 300_000 });
    assert.deepEqual(bufferLimits({ SizeInMBs: 64 }), { sizeBytes: 64 * MIB, intervalMs: 300_000 });
    assert.deepEqual(bufferLimits({ IntervalInSeconds: 0 }), { sizeBytes: 5 * MIB, intervalMs: 0 });
  });

  it('fill to the size in MiB and fall due an interval after the first record', () => {
    const buffer = new RecordBuffer('k', null, bufferLimits({ SizeInMBs: 1, IntervalInSeconds: 60 }), '1');
    assert.equal(buffer.wouldOverflow(2 * MIB), false, 'an empty buffer takes any record');
    buffer.add({ data: new Uint8Array(MIB - 10), arrival: 5_000 }, 'row-1');
    buffer.add({ data: new Uint8Array(5), arrival: 9_000 }, 'row-2');
    assert.equal(buffer.full, false);
    assert.equal(buffer.dueAt, 65_000);
    assert.equal(buffer.wouldOverflow(6), true);
    assert.equal(buffer.wouldOverflow(5), false);
    buffer.add({ data: new Uint8Array(5), arrival: 9_500 }, 'row-2');
    assert.equal(buffer.full, true);
    assert.deepEqual([...buffer.rows], ['row-1', 'row-2']);
    assert.equal(buffer.body().length, MIB);
  });
});

// Kafka's producer-state rules for a client batch (ProducerAppendInfo), on headers alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeBatch, readBatchHeader } from '../../../src/protocols/kafka/record-batch.js';
import { checkProducerState } from '../../../src/services/kafka/broker/produce.js';
import type { ProducerEntry } from '../../../src/storage/types.js';

const header = (sequence: number, epoch: number, count = 1) =>
  readBatchHeader(
    encodeBatch(
      Array.from({ length: count }, () => ({ value: 'x' })),
      { producerId: 1n, producerEpoch: epoch, baseSequence: sequence },
    ),
  );

function entry(epoch: number, ...ranges: Array<[number, number, bigint]>): ProducerEntry {
  return {
    producerEpoch: epoch,
    batches: ranges.map(([first, last, base]) => ({
      firstSequence: first,
      lastSequence: last,
      baseOffset: base,
      lastOffset: base + BigInt(last - first),
      timestamp: 7n,
    })),
  };
}

describe('Kafka producer state checks', () => {
  it('finds a retry among the last batches, by epoch and sequence range', () => {
    const e = entry(2, [0, 4, 10n], [5, 5, 15n], [6, 9, 16n]);
    assert.deepEqual(checkProducerState(header(5, 2), e), {
      kind: 'duplicate',
      baseOffset: 15n,
      timestamp: 7n,
    });
    assert.deepEqual(checkProducerState(header(0, 2, 5), e), {
      kind: 'duplicate',
      baseOffset: 10n,
      timestamp: 7n,
    });
    // same first sequence, other length: not a retry, and out of order
    assert.equal(checkProducerState(header(5, 2, 2), e).kind, 'error');
    assert.deepEqual(checkProducerState(header(10, 2), e), { kind: 'append' });
  });

  it('wraps sequences past Integer.MAX_VALUE to 0', () => {
    const max = 2147483647;
    const e = entry(0, [max - 1, max, 3n]);
    assert.deepEqual(checkProducerState(header(0, 0), e), { kind: 'append' });
    const wrapped = entry(0, [max, 1, 5n]);
    assert.deepEqual(checkProducerState(header(max, 0, 3), wrapped), {
      kind: 'duplicate',
      baseOffset: 5n,
      timestamp: 7n,
    });
  });

  it('lets a batch without a producer id and an unseen producer through', () => {
    const plain = readBatchHeader(encodeBatch([{ value: 'x' }]));
    assert.deepEqual(checkProducerState(plain, entry(0, [0, 0, 0n])), { kind: 'append' });
    assert.deepEqual(checkProducerState(header(99, 0), undefined), { kind: 'append' });
  });
});

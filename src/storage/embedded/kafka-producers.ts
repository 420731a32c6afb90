import type { ProducerEntry } from '../types.js';
import {
  BASE_SEQUENCE,
  hasProducer,
  int32At,
  lastOffsetDeltaAt,
  lastSequenceOf,
  MAX_TIMESTAMP,
  PRODUCER_EPOCH,
  PRODUCER_ID,
} from './kafka-batch-header.js';

/** Kafka keeps the metadata of this many batches per producer, the most a producer has in flight. */
export const PRODUCER_BATCHES = 5;

/**
 * Notes a stored batch (at `at` in `b`, numbered from `baseOffset`) in its producer's entry. A new
 * epoch starts the entry afresh, as Kafka's producer state does when a producer is fenced or bumped.
 * Entries outlive retention: Kafka keeps a producer's state after its batches are deleted.
 */
export function recordProducerBatch(
  producers: Map<bigint, ProducerEntry>,
  b: Buffer,
  at: number,
  baseOffset: number,
): void {
  if (!hasProducer(b, at)) return;
  const producerId = b.readBigInt64BE(at + PRODUCER_ID);
  const producerEpoch = b.readInt16BE(at + PRODUCER_EPOCH);
  const delta = lastOffsetDeltaAt(b, at);
  const firstSequence = int32At(b, at + BASE_SEQUENCE);
  let entry = producers.get(producerId);
  if (!entry || entry.producerEpoch !== producerEpoch) {
    entry = { producerEpoch, batches: [] };
    producers.set(producerId, entry);
  }
  entry.batches.push({
    firstSequence,
    lastSequence: lastSequenceOf(firstSequence, delta),
    baseOffset: BigInt(baseOffset),
    lastOffset: BigInt(baseOffset + delta),
    timestamp: b.readBigInt64BE(at + MAX_TIMESTAMP),
  });
  if (entry.batches.length > PRODUCER_BATCHES) entry.batches.shift();
}

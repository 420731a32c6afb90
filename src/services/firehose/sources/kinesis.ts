import type { DeliveryStreamRecord, IngestedRecord } from '../model.js';
import type { PipelineDeps } from '../pipeline.js';

/**
 * KinesisStreamAsSource: reads the source stream as Firehose does (from the tip at creation
 * — AWS starts at LATEST — through every shard, following reshards) and hands records on.
 * Returns the function that stops reading (stream deleted, server closing).
 *
 * SKELETON: the firehose-integrations slice implements it; the API slice starts it at creation
 * and at start-up for stored streams.
 */
export function startKinesisSource(
  _stream: DeliveryStreamRecord,
  _deps: PipelineDeps,
  _ingest: (records: readonly IngestedRecord[]) => Promise<void>,
): () => void {
  throw new Error('SKELETON');
}

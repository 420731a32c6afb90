import { EmbeddedRecords } from '../../../storage/embedded/records.js';
import type { PipelineDeps } from '../pipeline.js';

/**
 * How far a KinesisStreamAsSource delivery stream has read its source, one journal row per
 * delivery stream ('firehoseSources'). A position moves only once the records before it are
 * in the pipeline (whose buffers are journaled), so a restart neither loses nor skips records;
 * it may hand a few on twice, as Firehose's at-least-once reading does.
 */
export interface SourceCheckpoint {
  /** The delivery stream's ARN. */
  deliveryStream: string;
  /** The delivery stream's creation time: one re-created under the same name starts afresh. */
  created: number;
  /** The Kinesis stream and its creation time (a re-created source stream has new shards). */
  source: string;
  sourceCreated: number;
  /** Per shard: the last sequence number handed on, or DRAINED once a closed shard is read to its end. */
  shards: Record<string, string>;
}

export const DRAINED = 'drained';

// One store per journal (or per pipeline in memory): rows load once, at the first source.
const stores = new WeakMap<object, EmbeddedRecords<SourceCheckpoint>>();

export function checkpointStore(deps: PipelineDeps): EmbeddedRecords<SourceCheckpoint> {
  const owner: object = deps.journal ?? deps;
  let store = stores.get(owner);
  if (!store) {
    store = new EmbeddedRecords<SourceCheckpoint>('firehoseSources', deps.journal, (c) => c.deliveryStream);
    stores.set(owner, store);
  }
  return store;
}

/** Forgets a deleted delivery stream's positions (DeleteDeliveryStream). */
export function forgetKinesisSource(deliveryStreamArn: string, deps: PipelineDeps): Promise<void> {
  return checkpointStore(deps).delete(deliveryStreamArn);
}

/** Forgets every position (admin reset). */
export function clearKinesisSources(deps: PipelineDeps): Promise<void> {
  return checkpointStore(deps).clear();
}

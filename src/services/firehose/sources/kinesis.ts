import type { ShardInfo, StreamRecord } from '../../../storage/types.js';
import type { StreamReader } from '../../kinesis/deliveries.js';
import type { DeliveryStreamRecord, IngestedRecord } from '../model.js';
import type { PipelineDeps } from '../pipeline.js';
import { checkpointStore, DRAINED, type SourceCheckpoint } from './checkpoints.js';
import { DrainLoop } from './drain-loop.js';

export { clearKinesisSources, forgetKinesisSource } from './checkpoints.js';

// One read of a shard takes what one GetRecords call may return.
const READ_LIMIT = 10_000;
const READ_BYTES = 10 * 1024 * 1024;
/** A missing source stream is looked for again this often: creating a stream wakes no reader. */
const MISSING_POLL_MS = 10_000;

/**
 * KinesisStreamAsSource: reads the source stream as Firehose does (from the tip at creation
 * — AWS starts at LATEST — through every shard, following reshards) and hands records on.
 * Returns the function that stops reading (stream deleted, server closing).
 *
 * Positions are kept per shard in the journal (checkpoints.ts): after a restart the stream reads
 * on from where it stood. A shard born of a reshard is read from its start once every parent has
 * been read to its end, so records of one partition key reach the pipeline in order.
 */
export function startKinesisSource(
  stream: DeliveryStreamRecord,
  deps: PipelineDeps,
  ingest: (records: readonly IngestedRecord[]) => Promise<void>,
): () => void {
  const source = new KinesisSource(stream, deps, ingest);
  source.start();
  return () => source.stop();
}

class KinesisSource extends DrainLoop {
  private stopWatching?: () => void;
  private readonly sourceArn: string | undefined;

  constructor(
    stream: DeliveryStreamRecord,
    deps: PipelineDeps,
    private readonly ingest: (records: readonly IngestedRecord[]) => Promise<void>,
  ) {
    const sourceArn = stream.source?.KinesisStreamSourceDescription?.KinesisStreamARN;
    super(stream, deps, sourceArn, 'Kinesis');
    this.sourceArn = sourceArn;
  }

  start(): void {
    const reader = this.reader();
    if (!this.sourceArn || !reader) {
      this.warnOnce('no-source', 'the delivery stream has no Kinesis stream to read');
      return;
    }
    this.stopWatching = reader.watch(this.sourceArn, () => this.wake());
    this.wake();
  }

  protected unwatch(): void {
    this.stopWatching?.();
  }

  private reader(): StreamReader | undefined {
    return this.deps.frontDoors.kinesis?.reader;
  }

  /** Hands on every record not yet handed on, shard by shard, until nothing is left. */
  protected async drain(): Promise<void> {
    const reader = this.reader();
    const arn = this.sourceArn;
    if (!reader || !arn) return;
    const source = reader.getStream(arn);
    if (!source) {
      this.warnOnce('missing', `the source stream ${arn} does not exist; nothing is read until it does`);
      this.retryLater(MISSING_POLL_MS);
      return;
    }
    const store = checkpointStore(this.deps);
    const checkpoint = await this.checkpointFor(reader, source);
    let progressed = true;
    while (progressed && !this.stopped) {
      progressed = false;
      const shards = reader.shards(arn);
      for (const shard of shards) {
        if (this.stopped) return;
        const position = checkpoint.shards[shard.id];
        if (position === DRAINED) continue;
        if (position === undefined && !parentsDrained(shard, shards, checkpoint)) continue;
        const after = position === undefined ? 0n : BigInt(position);
        const stored = reader.read(arn, shard.id, after, READ_LIMIT, READ_BYTES);
        if (stored.length > 0) {
          // Copied at once: the engine's records may be views into its memory.
          const records: IngestedRecord[] = stored.map((r) => ({
            data: new Uint8Array(r.data),
            arrival: r.arrivedAt,
            kinesis: { shardId: shard.id, sequenceNumber: r.sequenceNumber, partitionKey: r.partitionKey },
          }));
          await this.ingest(records);
          // Stopped meanwhile (the delivery stream deleted): its positions are gone for good.
          if (this.stopped) return;
          checkpoint.shards[shard.id] = stored[stored.length - 1].sequenceNumber;
        } else if (shard.endingSequenceNumber) {
          checkpoint.shards[shard.id] = DRAINED;
        } else {
          continue;
        }
        progressed = true;
        await store.put(checkpoint.deliveryStream, checkpoint);
      }
    }
  }

  /**
   * The stored positions, or new ones at the tip of every open shard (LATEST) for a delivery
   * stream reading for the first time; written at once, so records put after creation are read
   * even if the server stops before the first of them arrives.
   */
  private async checkpointFor(reader: StreamReader, source: StreamRecord): Promise<SourceCheckpoint> {
    const store = checkpointStore(this.deps);
    const known = store.get(this.stream.arn);
    if (known && known.created === this.stream.created && known.source === source.arn) {
      if (known.sourceCreated === source.createdAt) return known;
      this.warnOnce(
        'recreated',
        `the source stream ${source.arn} was deleted and created again; reading it from its tip`,
      );
    }
    const shards: Record<string, string> = {};
    for (const shard of reader.shards(source.arn)) {
      shards[shard.id] = shard.endingSequenceNumber
        ? DRAINED
        : String(reader.lastSequence(source.arn, shard.id) ?? 0n);
    }
    const checkpoint: SourceCheckpoint = {
      deliveryStream: this.stream.arn,
      created: this.stream.created,
      source: source.arn,
      sourceCreated: source.createdAt,
      shards,
    };
    await store.put(checkpoint.deliveryStream, checkpoint);
    return checkpoint;
  }
}

/** A shard's parents (those still listed) have all been read to their end. */
function parentsDrained(
  shard: ShardInfo,
  shards: readonly ShardInfo[],
  checkpoint: SourceCheckpoint,
): boolean {
  for (const parent of [shard.parentShardId, shard.adjacentParentShardId]) {
    if (parent === undefined || !shards.some((s) => s.id === parent)) continue;
    if (checkpoint.shards[parent] !== DRAINED) return false;
  }
  return true;
}

import type { KafkaTopicReader } from '../../kafka/front-door.js';
import type { DeliveryStreamRecord, IngestedRecord } from '../model.js';
import type { PipelineDeps } from '../pipeline.js';
import { checkpointStore, type SourceCheckpoint } from './checkpoints.js';
import { DrainLoop } from './drain-loop.js';

// One read of a partition takes about what one Fetch of a consumer would.
const READ_BYTES = 4 * 1024 * 1024;
/** A missing cluster or topic is looked for again this often: creating one wakes no reader. */
const MISSING_POLL_MS = 10_000;

/**
 * MSKAsSource: reads one topic of an MSK cluster this process serves, every partition from the
 * offset at ReadFromTimestamp (by default the time the delivery stream was created; the epoch
 * for the earliest records, as AWS documents), and hands each record's value on. Positions are
 * kept per partition in the journal (checkpoints.ts) as the next offset to read, so a restart
 * reads on from where it stood. Returns the function that stops reading.
 */
export function startMskSource(
  stream: DeliveryStreamRecord,
  deps: PipelineDeps,
  ingest: (records: readonly IngestedRecord[]) => Promise<void>,
): () => void {
  const source = new MskSource(stream, deps, ingest);
  source.start();
  return () => source.stop();
}

class MskSource extends DrainLoop {
  private stopWatching?: () => void;
  private readonly clusterArn: string | undefined;
  private readonly topicName: string | undefined;
  private readonly readFrom: number;

  constructor(
    stream: DeliveryStreamRecord,
    deps: PipelineDeps,
    private readonly ingest: (records: readonly IngestedRecord[]) => Promise<void>,
  ) {
    const source = stream.source?.MSKSourceDescription;
    super(stream, deps, source ? `${source.MSKClusterARN} topic ${source.TopicName}` : undefined, 'MSK');
    this.clusterArn = source?.MSKClusterARN;
    this.topicName = source?.TopicName;
    const from = source?.ReadFromTimestamp ?? source?.DeliveryStartTimestamp;
    this.readFrom = from === undefined ? stream.created : new Date(from as unknown as string).getTime();
  }

  start(): void {
    if (!this.clusterArn || !this.topicName) {
      this.warnOnce('no-source', 'the delivery stream has no MSK topic to read');
      return;
    }
    this.wake();
  }

  protected unwatch(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  private topic(): KafkaTopicReader | undefined {
    if (!this.clusterArn || !this.topicName) return undefined;
    return this.deps.frontDoors.kafka?.topic(this.clusterArn, this.topicName);
  }

  protected async drain(): Promise<void> {
    const topic = this.topic();
    if (!topic) {
      // The cluster is not ACTIVE (or gone), or the topic does not exist yet: look again later.
      this.unwatch();
      this.warnOnce(
        'missing',
        `the MSK topic ${this.topicName} of ${this.clusterArn} is not there; nothing is read until it is`,
      );
      this.retryLater(MISSING_POLL_MS);
      return;
    }
    this.stopWatching ??= topic.watch(() => this.wake());
    const store = checkpointStore(this.deps);
    const checkpoint = await this.checkpointFor(topic);
    let progressed = true;
    while (progressed && !this.stopped) {
      progressed = false;
      const partitions = topic.partitions() ?? 0;
      for (let partition = 0; partition < partitions; partition++) {
        if (this.stopped) return;
        const key = String(partition);
        // A partition added after the stream began reading is read from its start.
        const from = BigInt(checkpoint.shards[key] ?? topic.offsets(partition).logStartOffset);
        const records = topic.read(partition, from, READ_BYTES);
        if (records.length === 0) continue;
        const now = this.deps.clock.now();
        // Copied at once: decoded values may be views into the log's memory. A record without
        // a value (a tombstone) carries no data to deliver.
        const ingested: IngestedRecord[] = [];
        for (const r of records) if (r.value) ingested.push({ data: new Uint8Array(r.value), arrival: now });
        if (ingested.length > 0) await this.ingest(ingested);
        if (this.stopped) return;
        checkpoint.shards[key] = String(records[records.length - 1].offset + 1n);
        progressed = true;
        await store.put(checkpoint.deliveryStream, checkpoint);
      }
    }
  }

  /** The stored positions, or new ones at ReadFromTimestamp for a stream reading for the first time. */
  private async checkpointFor(topic: KafkaTopicReader): Promise<SourceCheckpoint> {
    const store = checkpointStore(this.deps);
    // The topic's id is part of it: positions in a topic deleted and created again mean nothing.
    const source = `${this.clusterArn}#${this.topicName}#${topic.topicId}`;
    const known = store.get(this.stream.arn);
    if (known && known.created === this.stream.created && known.source === source) return known;
    const shards: Record<string, string> = {};
    const partitions = topic.partitions() ?? 0;
    for (let partition = 0; partition < partitions; partition++) {
      shards[String(partition)] = String(topic.offsetAtTime(partition, this.readFrom));
    }
    const checkpoint: SourceCheckpoint = {
      deliveryStream: this.stream.arn,
      created: this.stream.created,
      source,
      sourceCreated: 0,
      shards,
    };
    await store.put(checkpoint.deliveryStream, checkpoint);
    return checkpoint;
  }
}

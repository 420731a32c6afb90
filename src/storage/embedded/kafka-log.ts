import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler, Timer } from '../../core/scheduler.js';
import type {
  CommittedOffset,
  KafkaLogStorage,
  KafkaTopicRecord,
  PartitionOffsets,
  ProducerEntry,
} from '../types.js';
import { Watchers } from '../watchers.js';
import type { Journal } from './journal.js';
import {
  batchLengthAt,
  batchProblem,
  HEADER_BYTES,
  lastOffsetDeltaAt,
  readBaseOffset,
} from './kafka-batch-header.js';
import { KafkaOffsets } from './kafka-offsets.js';
import { PartitionLog, releaseSegments, type Segment } from './kafka-partition-log.js';

/** Kafka's own defaults, for a cluster whose defaults were never set: log.retention.hours=168, no size limit. */
const KAFKA_RETENTION_MS = 7 * 24 * 3_600_000;
const KAFKA_RETENTION_BYTES = -1;

interface Retention {
  retentionMs: number;
  retentionBytes: number;
}

interface PartitionState {
  /** The log's number in the journal: a topic deleted and made again under one name gets new ones. */
  id: number;
  log: PartitionLog;
  /**
   * The offset up to which batches are in the journal (the high watermark). Readers see no further:
   * a batch a consumer has seen must not come back with other records after a kill -9.
   */
  durable: number;
  trim?: Timer;
}

interface TopicState {
  record: KafkaTopicRecord;
  /** Worked out once per change of settings, not on every append. */
  retention?: Retention;
  partitions: PartitionState[];
}

/** A topic's journal row: the record and the numbers of its partitions' logs. */
interface SavedTopic {
  topic: KafkaTopicRecord;
  logs: number[];
}

export interface KafkaLogStorageOptions {
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  /** The --data-dir journal; without it everything lives in memory only. */
  journal?: Journal;
}

export function createKafkaLogStorage(options: KafkaLogStorageOptions): KafkaLogStorage {
  return new EmbeddedKafkaLog(options.clock, options.scheduler, options.log, options.journal);
}

/**
 * Kafka topics of every cluster in this process, on the stream engine: partition logs of whole
 * record batches (kafka-partition-log.ts), committed offsets (kafka-offsets.ts) and producer ids.
 * With a journal, every change is written before it is acknowledged and read back at start.
 */
export class EmbeddedKafkaLog implements KafkaLogStorage {
  /** cluster → topic name → topic. */
  private readonly topics = new Map<string, Map<string, TopicState>>();
  /** "cluster\ntopicId" → topic. */
  private readonly byId = new Map<string, TopicState>();
  private readonly defaults = new Map<string, Retention>();
  private readonly watchers = new Watchers();
  private readonly committed: KafkaOffsets;
  private nextLogId = 1;
  private producerId = 0n;

  constructor(
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
    private readonly journal?: Journal,
  ) {
    this.committed = new KafkaOffsets(journal);
    if (journal) this.restore(journal);
  }

  private restore(journal: Journal): void {
    const saved = journal.resources<{ next: string }>('kafkaProducerIds').find((r) => r.next !== undefined);
    if (saved) this.producerId = BigInt(saved.next);
    const logs = new Map<number, PartitionState>();
    let highest = journal.highestKafkaLog();
    for (const row of journal.resources<SavedTopic>('kafkaTopics')) {
      const state: TopicState = { record: row.topic, partitions: [] };
      for (const id of row.logs) {
        const p: PartitionState = { id, log: new PartitionLog(), durable: 0 };
        state.partitions.push(p);
        logs.set(id, p);
        if (id > highest) highest = id;
      }
      this.index(state);
    }
    this.nextLogId = highest + 1;
    for (const [id, start] of journal.savedKafkaLogStarts()) {
      const p = logs.get(id);
      if (p) p.log.start = p.log.next = start;
    }
    for (const row of journal.savedKafkaBatches()) {
      const p = logs.get(row.log);
      if (!p) continue;
      const blob = row.batches;
      for (let at = 0; at < blob.length; ) {
        const length = at + HEADER_BYTES <= blob.length ? batchLengthAt(blob, at) : 0;
        if (length < HEADER_BYTES || at + length > blob.length) {
          // Only a damaged file gets here: keep what came before rather than refuse to start.
          this.log.error({ log: row.log, at }, 'a Kafka batch row in the journal is cut short');
          break;
        }
        const base = readBaseOffset(blob, at);
        // A row that retention cut through keeps the batches before the log's start: skip them.
        if (base + lastOffsetDeltaAt(blob, at) >= p.log.start) {
          p.log.next = base;
          p.log.append([blob.subarray(at, at + length)], row.appendedAt);
        }
        at += length;
      }
    }
    for (const topics of this.topics.values()) {
      for (const t of topics.values()) {
        for (const p of t.partitions) {
          p.durable = p.log.next;
          this.sweep(t, p);
        }
      }
    }
    journal.flush();
  }

  private index(state: TopicState): void {
    const { cluster, name, topicId } = state.record;
    let topics = this.topics.get(cluster);
    if (!topics) {
      topics = new Map();
      this.topics.set(cluster, topics);
    }
    topics.set(name, state);
    this.byId.set(`${cluster}\n${topicId}`, state);
  }

  private unindex(state: TopicState): void {
    const { cluster, name, topicId } = state.record;
    const topics = this.topics.get(cluster);
    topics?.delete(name);
    if (topics?.size === 0) this.topics.delete(cluster);
    this.byId.delete(`${cluster}\n${topicId}`);
  }

  private topic(cluster: string, name: string): TopicState {
    const t = this.topics.get(cluster)?.get(name);
    if (!t) throw new Error(`topic ${name} of cluster ${cluster} is not known to the engine`);
    return t;
  }

  private partition(cluster: string, name: string, partition: number): PartitionState {
    const p = this.topic(cluster, name).partitions[partition];
    if (!p) throw new Error(`topic ${name} of cluster ${cluster} has no partition ${partition}`);
    return p;
  }

  private commit(): Promise<void> {
    return this.journal ? this.journal.commit() : Promise.resolve();
  }

  /** Commits changes nobody waits on (retention, new defaults), logging a failure. */
  private commitLater(what: string): void {
    if (!this.journal) return;
    this.commit().catch((err: unknown) => this.log.error({ err }, `could not write ${what} to the journal`));
  }

  private save(state: TopicState): void {
    const { cluster, name } = state.record;
    this.journal?.putResource('kafkaTopics', `${cluster}\n${name}`, {
      topic: state.record,
      logs: state.partitions.map((p) => p.id),
    } satisfies SavedTopic);
  }

  private newPartition(): PartitionState {
    return { id: this.nextLogId++, log: new PartitionLog(), durable: 0 };
  }

  async createTopic(topic: KafkaTopicRecord): Promise<void> {
    if (this.topics.get(topic.cluster)?.has(topic.name)) {
      throw new Error(`topic ${topic.name} of cluster ${topic.cluster} already exists`);
    }
    const state: TopicState = { record: structuredClone(topic), partitions: [] };
    for (let i = 0; i < topic.partitions; i++) state.partitions.push(this.newPartition());
    this.index(state);
    this.save(state);
    await this.commit();
  }

  getTopic(cluster: string, name: string): KafkaTopicRecord | undefined {
    return this.topics.get(cluster)?.get(name)?.record;
  }

  topicById(cluster: string, topicId: string): KafkaTopicRecord | undefined {
    return this.byId.get(`${cluster}\n${topicId}`)?.record;
  }

  listTopics(cluster: string): KafkaTopicRecord[] {
    return [...(this.topics.get(cluster)?.values() ?? [])].map((t) => t.record);
  }

  async updateTopic(topic: KafkaTopicRecord): Promise<void> {
    const state = this.topic(topic.cluster, topic.name);
    if (topic.partitions < state.partitions.length) {
      throw new Error(
        `topic ${topic.name} has ${state.partitions.length} partitions: they can only be added`,
      );
    }
    state.record = structuredClone(topic);
    state.retention = undefined;
    this.byId.set(`${topic.cluster}\n${topic.topicId}`, state);
    while (state.partitions.length < topic.partitions) state.partitions.push(this.newPartition());
    this.save(state);
    // New retention settings apply at once, as the next retention check would apply them.
    for (const p of state.partitions) this.sweep(state, p, true);
    await this.commit();
  }

  async deleteTopic(cluster: string, name: string): Promise<void> {
    const state = this.topics.get(cluster)?.get(name);
    if (!state) return;
    this.forget(state);
    await this.commit();
    this.watchers.notify(watchKey(cluster, name));
  }

  /** Takes a topic out of memory and the journal (written with the next commit). */
  private forget(state: TopicState): void {
    const { cluster, name } = state.record;
    this.unindex(state);
    const segments: Segment[] = [];
    for (const p of state.partitions) {
      this.scheduler.cancel(p.trim);
      segments.push(...p.log.takeAll());
    }
    this.journal?.kafkaLog({ kind: 'drop', logs: state.partitions.map((p) => p.id) });
    this.journal?.putResource('kafkaTopics', `${cluster}\n${name}`, undefined);
    this.releaseLater(segments);
  }

  setRetentionDefaults(cluster: string, defaults: { retentionMs: number; retentionBytes: number }): void {
    this.defaults.set(cluster, {
      retentionMs: defaults.retentionMs,
      retentionBytes: defaults.retentionBytes,
    });
    for (const t of this.topics.get(cluster)?.values() ?? []) {
      t.retention = undefined;
      for (const p of t.partitions) this.sweep(t, p, true);
    }
    this.commitLater('Kafka retention');
  }

  async append(
    cluster: string,
    topic: string,
    partition: number,
    batches: Buffer[],
  ): Promise<{ baseOffset: bigint; logStartOffset: bigint; appendTime: number }> {
    const t = this.topic(cluster, topic);
    const p = this.partition(cluster, topic, partition);
    for (const b of batches) {
      const problem = batchProblem(b);
      if (problem) throw new Error(`cannot store a batch in ${topic}-${partition}: ${problem}`);
    }
    const now = this.clock.now();
    const baseOffset = p.log.next;
    const stored = p.log.append(batches, now);
    const end = p.log.next;
    this.journal?.kafkaLog({ kind: 'batches', log: p.id, next: end, appendedAt: now, batches: stored });
    this.sweep(t, p);
    if (this.journal) {
      await this.journal.commit();
      // Appends of one turn share a commit and may resume in any order: the furthest one counts.
      if (end > p.durable) p.durable = end;
    } else {
      p.durable = end;
    }
    // Fetches waiting for news hear of batches once they are durable, as the producer does.
    this.watchers.notify(watchKey(cluster, topic));
    return { baseOffset: BigInt(baseOffset), logStartOffset: BigInt(p.log.start), appendTime: now };
  }

  read(cluster: string, topic: string, partition: number, fromOffset: bigint, maxBytes: number): Buffer[] {
    const p = this.partition(cluster, topic, partition);
    return p.log.read(Number(fromOffset), maxBytes, p.durable);
  }

  offsets(cluster: string, topic: string, partition: number): PartitionOffsets {
    const { log, durable } = this.partition(cluster, topic, partition);
    return { logStartOffset: BigInt(log.start), highWatermark: BigInt(Math.max(durable, log.start)) };
  }

  batchAtTime(cluster: string, topic: string, partition: number, timestamp: bigint): Buffer | undefined {
    const p = this.partition(cluster, topic, partition);
    return p.log.batchAtTime(Number(timestamp), p.durable);
  }

  batchWithMaxTimestamp(cluster: string, topic: string, partition: number): Buffer | undefined {
    const p = this.partition(cluster, topic, partition);
    return p.log.batchWithMaxTimestamp(p.durable);
  }

  producers(cluster: string, topic: string, partition: number): ReadonlyMap<bigint, ProducerEntry> {
    return this.partition(cluster, topic, partition).log.producers;
  }

  watch(cluster: string, topic: string, listener: () => void): () => void {
    return this.watchers.watch(watchKey(cluster, topic), listener);
  }

  async commitOffsets(cluster: string, group: string, offsets: CommittedOffset[]): Promise<void> {
    this.committed.commit(cluster, group, offsets);
    await this.commit();
  }

  committedOffsets(cluster: string, group: string): CommittedOffset[] {
    return this.committed.committed(cluster, group);
  }

  async deleteOffsets(cluster: string, group: string, topics?: string[]): Promise<void> {
    this.committed.delete(cluster, group, topics);
    await this.commit();
  }

  groupsWithOffsets(cluster: string): string[] {
    return this.committed.groups(cluster);
  }

  async nextProducerId(): Promise<bigint> {
    const id = this.producerId++;
    this.journal?.putResource('kafkaProducerIds', 'next', { next: this.producerId.toString() });
    await this.commit();
    return id;
  }

  async dropCluster(cluster: string): Promise<void> {
    const topics = [...(this.topics.get(cluster)?.values() ?? [])];
    for (const t of topics) this.forget(t);
    this.committed.dropCluster(cluster);
    this.defaults.delete(cluster);
    await this.commit();
    for (const t of topics) this.watchers.notify(watchKey(cluster, t.record.name));
  }

  /** Drops every topic and offset; producer ids keep counting, so none is ever handed out twice. */
  async reset(): Promise<void> {
    const segments: Segment[] = [];
    for (const topics of this.topics.values()) {
      for (const t of topics.values()) {
        for (const p of t.partitions) {
          this.scheduler.cancel(p.trim);
          segments.push(...p.log.takeAll());
        }
      }
    }
    this.topics.clear();
    this.byId.clear();
    this.committed.clear();
    this.journal?.kafkaLog({ kind: 'clear' });
    this.journal?.clearResources('kafkaTopics');
    this.releaseLater(segments);
    await this.commit();
    this.watchers.notifyAll();
  }

  private retention(t: TopicState): Retention {
    if (t.retention) return t.retention;
    const fallback = this.defaults.get(t.record.cluster);
    t.retention = {
      retentionMs:
        configNumber(t.record.configs['retention.ms']) ?? fallback?.retentionMs ?? KAFKA_RETENTION_MS,
      retentionBytes:
        configNumber(t.record.configs['retention.bytes']) ??
        fallback?.retentionBytes ??
        KAFKA_RETENTION_BYTES,
    };
    return t.retention;
  }

  /**
   * Applies retention to a partition now (the journal hears of a moved start with the next commit),
   * then sets its timer for when the oldest batch left expires (`rearm` after a change of settings).
   */
  private sweep(t: TopicState, p: PartitionState, rearm = false): void {
    const { retentionMs, retentionBytes } = this.retention(t);
    const before = p.log.start;
    const emptied: Segment[] = [];
    if (retentionMs >= 0) emptied.push(...p.log.dropExpired(this.clock.now(), retentionMs));
    if (retentionBytes >= 0) emptied.push(...p.log.dropOverSize(retentionBytes));
    if (p.log.start !== before) this.journal?.kafkaLog({ kind: 'trim', log: p.id, start: p.log.start });
    this.releaseLater(emptied);
    if (rearm || p.log.start !== before || !this.scheduler.isPending(p.trim)) this.armTrim(t, p, retentionMs);
  }

  /** Wakes the partition the moment its oldest batch is past retention.ms. */
  private armTrim(t: TopicState, p: PartitionState, retentionMs: number): void {
    const oldest = p.log.oldestRetentionTime();
    if (retentionMs < 0 || oldest === undefined) {
      this.scheduler.cancel(p.trim);
      return;
    }
    // Kafka deletes once the clock is strictly more than retention.ms past the max timestamp.
    const at = oldest + retentionMs + 1;
    if (p.trim) this.scheduler.reschedule(p.trim, at);
    else p.trim = this.scheduler.at(at, () => this.onTrim(t, p));
  }

  private onTrim(t: TopicState, p: PartitionState): void {
    const { cluster, name } = t.record;
    if (this.topics.get(cluster)?.get(name) !== t) return;
    this.sweep(t, p);
    this.commitLater('Kafka retention');
  }

  /**
   * Gives dropped segments' memory back once nothing can read them: the journal's pending rows
   * hold views of them until the commit, and reads' callers consume views before yielding.
   */
  private releaseLater(segments: Segment[]): void {
    if (segments.length === 0) return;
    this.commit().then(
      () => setImmediate(() => releaseSegments(segments)),
      // A failed commit leaves them to the garbage collector.
      () => undefined,
    );
  }
}

function watchKey(cluster: string, topic: string): string {
  return `${cluster}\n${topic}`;
}

/** A numeric topic config as set (strings, as Kafka's configs are), or undefined when unset or not a number. */
function configNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

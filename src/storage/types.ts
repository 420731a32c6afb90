/**
 * The storage contract: service-level operations, not rows. The embedded
 * engine answers them from memory (journaled to SQLite with --data-dir); a
 * multi-node engine must be able to implement the same calls.
 *
 * Who decides what: the services' pure rule modules (src/services/sqs/rules/,
 * src/services/kinesis/rules/) hold AWS's semantics as parameters and decisions
 * — window lengths, keys, thresholds, what a stale receipt handle means, where a
 * message goes after maxReceiveCount receives, how numbers and ids are written.
 * Engines import them and execute: they keep what must be durable or shared
 * between nodes, and make each operation atomic. An engine never reads queue
 * attributes or writes a formula of its own; one that runs in SQL computes the
 * same parameters with the same functions and puts them in its statements (see
 * each operation below), so SQS and Kinesis are written once.
 */

import type { HashKey } from '../core/hash-keys.js';

export interface QueueRecord {
  /** Unique per creation, so receipt handles never outlive a deleted queue. */
  id: string;
  account: string;
  region: string;
  name: string;
  arn: string;
  fifo: boolean;
  /** Settable attributes with AWS defaults filled in, as strings (as the API carries them). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
}

export interface StoredAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export interface NewMessage {
  body: string;
  md5OfBody: string;
  attributes?: Record<string, StoredAttributeValue>;
  md5OfAttributes?: string;
  /** Only AWSTraceHeader exists today. */
  systemAttributes?: Record<string, StoredAttributeValue>;
  md5OfSystemAttributes?: string;
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
  senderId: string;
  /**
   * The body as a journal must hold it when the queue encrypts at rest (SQS seals it under its
   * KMS data key, encryption.ts): a journal writes this instead of `body`, and a message restored
   * from it comes back with an empty `body` for the service to open.
   */
  sealedBody?: string;
}

export interface SendOutcome {
  messageId: string;
  sequenceNumber?: string;
}

/** A read-only view of a message as a receive hands it out. */
export interface MessageView {
  id: string;
  body: string;
  md5OfBody: string;
  attributes?: Record<string, StoredAttributeValue>;
  md5OfAttributes?: string;
  systemAttributes?: Record<string, StoredAttributeValue>;
  md5OfSystemAttributes?: string;
  sentAt: number;
  senderId: string;
  receiveCount: number;
  firstReceiveAt?: number;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
  /** See NewMessage.sealedBody: with an empty `body`, the message was restored sealed. */
  sealedBody?: string;
}

export interface ReceivedMessage {
  message: MessageView;
  receiptHandle: string;
}

export interface ReceiveRequest {
  max: number;
  visibilityTimeoutSeconds: number;
  /** How long a receive may wait for a message, in seconds (long polling). */
  waitSeconds: number;
  attemptId?: string;
  /** Ends a waiting receive early when its client goes away, so no message goes to a closed connection. */
  signal?: AbortSignal;
}

export type DeleteOutcome = 'deleted' | 'ignored' | 'expired' | 'invalid';

export type VisibilityOutcome = 'ok' | 'invalid' | 'missing' | 'expired' | 'tooLong';

export interface QueueCounts {
  visible: number;
  inflight: number;
  delayed: number;
}

export type MoveTaskStatus = 'RUNNING' | 'FAILED' | 'CANCELLING' | 'CANCELLED' | 'COMPLETED';

export interface MoveTask {
  taskHandle: string;
  status: MoveTaskStatus;
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  moved: number;
  toMove: number;
  failureReason?: string;
  startedAt: number;
}

/**
 * SQS queues and their messages. Each operation is atomic per queue: two nodes receiving from one
 * queue never hand out one message twice, and a send's deduplication check and insert are one step.
 * Engines read a queue's parameters with `queueSettingsOf(record.attributes)`
 * (rules/queue-settings.ts) once per change of the record, never per message.
 */
export interface QueueStorage {
  /**
   * What an engine that holds its queues in this process can also do: answer a lookup, or a send
   * that has nothing to wait for, at once. SendMessage then runs start to end without a promise
   * (each await costs the request allocations and a microtask turn). Optional for other engines.
   */
  getQueueNow?(account: string, region: string, name: string): QueueRecord | undefined;
  /** Present only while a send is done once it returns (no journal commit to wait for). */
  readonly sendNow?: (queue: QueueRecord, messages: NewMessage[]) => SendOutcome[];
  createQueue(record: QueueRecord): Promise<void>;
  getQueue(account: string, region: string, name: string): Promise<QueueRecord | undefined>;
  getQueueByArn(arn: string): Promise<QueueRecord | undefined>;
  listQueues(account: string, region: string): Promise<QueueRecord[]>;
  /** Replaces attributes and tags; a changed queue DelaySeconds reaches queued messages on FIFO only. */
  updateQueue(record: QueueRecord): Promise<void>;
  /** Drops the queue and its messages, and remembers when its name was deleted (see deletedAt). */
  deleteQueue(record: QueueRecord): Promise<void>;
  /**
   * When a queue of this name was last deleted (clock ms), for CreateQueue's 60-second rule
   * (rules/queue-names.ts). Shared by every node: a name deleted through one may not be created
   * again through another. Need not outlive a restart (the embedded engine keeps it in memory).
   */
  deletedAt(account: string, region: string, name: string): Promise<number | undefined>;

  /**
   * Enqueues each message, visible at `visibleAfterSend(...)`. On FIFO queues, first
   * deduplicates: a message whose `deduplicationKey(settings.deduplicationPerGroup, groupId,
   * deduplicationId)` was sent within DEDUPLICATION_WINDOW_MS (rules/deduplication.ts) is not
   * enqueued and gets the first send's outcome (in SQL: a key table with its first-seen time,
   * `INSERT … ON CONFLICT` in the send's transaction); every enqueued message gets the next
   * `nextSequenceNumber` (rules/sequence-numbers.ts). The window outlives the message: a deleted
   * message's id still deduplicates.
   */
  send(queue: QueueRecord, messages: NewMessage[]): Promise<SendOutcome[]>;
  /**
   * Takes up to `max` receivable messages in flight for `visibilityTimeoutSeconds`, atomically.
   * Receivable: not delayed, not in flight, not expired under retention (`expiredUnderRetention`);
   * standard queues hand out oldest first, fair-queue groups noisy by rules/fair-queues.ts after
   * the others; FIFO queues hand out in order per message group, and nothing of a group that has
   * a message in flight. A message for which `goesToDeadLetterQueue(receiveCount, settings.redrive)`
   * holds moves to the dead-letter queue instead, arriving as `arrivalInDeadLetterQueue` says, if
   * that queue exists (rules/redrive.ts). A FIFO receive with an attemptId seen within
   * RECEIVE_ATTEMPT_WINDOW_MS gets the same messages while they are untouched, their timeout
   * reset (`retriedVisibilityMs`). Resolves as soon as messages are available or the wait ends
   * (event-driven long polling: a waiting receive is woken by a send, never by polling).
   */
  receive(queue: QueueRecord, request: ReceiveRequest): Promise<ReceivedMessage[]>;
  /**
   * Deletes by receipt handle; one outcome per handle, all written in one commit. The outcome for
   * a well-formed handle of the queue is `deleteDecision(...)` (rules/visibility.ts) on the state
   * of the message it names; 'invalid' is for a handle the engine cannot read or of another queue.
   */
  deleteMessages(queue: QueueRecord, receiptHandles: string[]): Promise<DeleteOutcome[]>;
  /** The outcome is `visibilityDecision(...)` (rules/visibility.ts); 'invalid' as for deletes. */
  changeVisibility(
    queue: QueueRecord,
    receiptHandle: string,
    timeoutSeconds: number,
  ): Promise<VisibilityOutcome>;
  purge(queue: QueueRecord): Promise<void>;
  /** When the queue was last purged, for PurgeQueue's 60-second rule. */
  lastPurge(queue: QueueRecord): Promise<number | undefined>;
  counts(queue: QueueRecord): Promise<QueueCounts>;
  /** Every queue of every account and region, for `tideway doctor`'s inventory. */
  allQueues?(): QueueRecord[];
  /** When the queue's oldest message was enqueued (clock ms); undefined when it holds none. */
  oldestEnqueuedAt?(queue: QueueRecord): number | undefined;

  /**
   * Starts moving the source's messages at `maxPerSecond` (MAX_MOVE_RATE when absent) on the
   * clock, to `destination` or back to each message's dead-letter source, arriving as
   * `arrivalFromMoveTask` says; credit, budget and completion follow rules/move-tasks.ts.
   */
  startMoveTask(
    source: QueueRecord,
    destination: QueueRecord | undefined,
    maxPerSecond?: number,
  ): Promise<MoveTask>;
  listMoveTasks(source: QueueRecord): Promise<MoveTask[]>;
  cancelMoveTask(taskHandle: string): Promise<MoveTask | undefined>;

  /** Drops all state (admin reset). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** An SNS topic as stored. */
export interface TopicRecord {
  arn: string;
  account: string;
  region: string;
  name: string;
  fifo: boolean;
  /** Settable attributes as the API carries them (strings), AWS defaults included. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** PutDataProtectionPolicy's document, kept as given. */
  dataProtectionPolicy?: string;
  createdAt: number;
}

/** An SNS subscription as stored: confirmed ones have an ARN of their own, pending ones a token. */
export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  /** The subscriber's account (SubscriptionArn owner). */
  owner: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
  confirmed: boolean;
  /** Whether the confirmation came signed (a SubscribeURL followed from an email does not). */
  confirmationAuthenticated?: boolean;
  /** Set by a signed ConfirmSubscription: only the owners may then unsubscribe. */
  authenticateOnUnsubscribe?: boolean;
  /** Confirmation token and when it stops working (two days after it was sent). */
  token?: string;
  tokenExpiresAt?: number;
  createdAt: number;
}

/** Topics and subscriptions: small records, read far more often than written. */
export interface TopicStorage {
  putTopic(topic: TopicRecord): Promise<void>;
  getTopic(arn: string): TopicRecord | undefined;
  listTopics(account: string, region: string): TopicRecord[];
  /** Every topic of every account and region, for `tideway doctor`'s inventory. */
  allTopics?(): TopicRecord[];
  /** Drops the topic and its subscriptions. */
  deleteTopic(arn: string): Promise<void>;
  putSubscription(subscription: SubscriptionRecord): Promise<void>;
  getSubscription(arn: string): SubscriptionRecord | undefined;
  subscriptionsOf(topicArn: string): SubscriptionRecord[];
  listSubscriptions(account: string, region: string): SubscriptionRecord[];
  deleteSubscription(arn: string): Promise<void>;
  /**
   * FIFO topics' deduplication and numbering, as one atomic step shared by every node: within
   * `windowMs` of the first publication under `key` (the deduplication id, scoped as the topic
   * says), answers that publication's message id and sequence with `duplicate: true`; otherwise
   * takes the topic's next sequence (1, 2, …, never reused while the topic lives) and remembers
   * `key` with `messageId`. Deleting the topic forgets both. The counter is durable when this
   * resolves; the id only once `confirmPublication` says the message reached its subscriptions.
   */
  sequencePublication(
    topicArn: string,
    key: string,
    messageId: string,
    now: number,
    windowMs: number,
  ): Promise<SequencedPublication>;
  /**
   * The publication under `key` has been handed to its subscriptions: its id is now durable for the
   * rest of its window. An id a crash caught before this is forgotten at restart (its number is
   * not), so the publisher's retry is delivered, not refused as a repeat of what never went out.
   */
  confirmPublication(topicArn: string, key: string, now: number): Promise<void>;
  reset(): Promise<void>;
}

export interface SequencedPublication {
  duplicate: boolean;
  /** The first publication's, when a duplicate. */
  messageId: string;
  sequence: bigint;
}

/** Small named records of one kind (platform applications, endpoints, SMS settings), written through. */
export interface RecordStore<T> {
  put(key: string, value: T): Promise<void>;
  get(key: string): T | undefined;
  delete(key: string): Promise<void>;
  values(): T[];
  clear(): Promise<void>;
}

/** A Kinesis data stream as stored. */
export interface StreamRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  mode: 'PROVISIONED' | 'ON_DEMAND';
  retentionHours: number;
  createdAt: number;
  tags: Record<string, string>;
  /** Largest record accepted, in KiB (1024 by default). */
  maxRecordSizeKiB: number;
  /** Server-side encryption with a KMS key, when on. */
  encryption?: { keyId: string };
  /** Enhanced (shard-level) monitoring metrics turned on. */
  shardLevelMetrics: string[];
  /** Enhanced fan-out consumers registered on the stream, in registration order. */
  consumers?: StreamConsumer[];
  /** PutResourcePolicy's document for the stream, kept as given. */
  resourcePolicy?: string;
  /** PutResourcePolicy's documents for the stream's consumers, by consumer ARN. */
  consumerPolicies?: Record<string, string>;
  /** UpdateStreamWarmThroughput's target in MiB/s (on-demand streams; absent or 0 when none). */
  warmThroughputMiBps?: number;
  /** How records find their shard; absent means USER_PARTITION_KEY. */
  recordDistribution?: 'AUTO' | 'USER_PARTITION_KEY';
}

/** An enhanced fan-out consumer of a stream. */
export interface StreamConsumer {
  name: string;
  arn: string;
  createdAt: number;
  /** CREATING until then (clock ms), ACTIVE after. */
  activeAt: number;
  /** Set by deregistration: DELETING until then, gone after. */
  goneAt?: number;
  tags: Record<string, string>;
}

/** One shard: its hash-key range (decimal strings of 128-bit integers) and lineage. */
export interface ShardInfo {
  id: string;
  parentShardId?: string;
  adjacentParentShardId?: string;
  startingHashKey: string;
  endingHashKey: string;
  startingSequenceNumber: string;
  /** Set once the shard is closed by a reshard. */
  endingSequenceNumber?: string;
  /** When the shard opened and, once resharded away, closed (clock ms). */
  openedAt: number;
  closedAt?: number;
}

export interface NewStreamRecord {
  data: Uint8Array;
  partitionKey: string;
  /** The 128-bit hash key that picks the shard. */
  hashKey: HashKey;
}

export interface StoredStreamRecord {
  sequenceNumber: string;
  /** May be a view into the engine's memory: use or copy it before yielding to the event loop. */
  data: Uint8Array;
  partitionKey: string;
  arrivedAt: number;
}

/**
 * Kinesis streams: records appended per shard under strictly increasing sequence numbers. Shard
 * ids, sequence numbers and hash ranges are written by rules/shard-ids.ts, rules/sequence-numbers.ts
 * and rules/hash-ranges.ts (src/services/kinesis/); the service computes a reshard's child ranges
 * and the engine applies them, closing the parents and numbering the children atomically. One
 * counter per stream orders every record across its shards: an engine for several nodes takes it
 * from one sequence (or row lock) per stream.
 */
export interface StreamStorage {
  /**
   * The key shard iterators are signed with: kept with the data (--data-dir) so that iterators
   * handed out before a restart still read after it, random per process otherwise.
   */
  readonly iteratorKey: Uint8Array;
  createStream(stream: StreamRecord, shardCount: number): Promise<void>;
  getStream(arn: string): StreamRecord | undefined;
  listStreams(account: string, region: string): StreamRecord[];
  /** Every stream of every account and region, for `tideway doctor`'s inventory. */
  allStreams?(): StreamRecord[];
  updateStream(stream: StreamRecord): Promise<void>;
  deleteStream(arn: string): Promise<void>;
  shards(arn: string): ShardInfo[];
  /** The open shard whose hash-key range holds `hashKey`: the one `append` puts such a record in. */
  openShardFor(arn: string, hashKey: HashKey): string;
  /** The lowest hash key of each open shard, in hash-key order (one per open shard). */
  openShardStarts(arn: string): HashKey[];
  /** Appends each record to the open shard whose range holds its hash key; answers in order. */
  append(
    arn: string,
    records: NewStreamRecord[],
  ): Promise<Array<{ shardId: string; sequenceNumber: string }>>;
  /** Records of a shard after `afterSequence` (exclusive), oldest first, within retention. */
  read(
    arn: string,
    shardId: string,
    afterSequence: bigint,
    limit: number,
    maxBytes: number,
  ): StoredStreamRecord[];
  /** The newest record's sequence number in a shard, or undefined when it holds none. */
  lastSequence(arn: string, shardId: string): bigint | undefined;
  /** Closes `parents` and opens one child per range; each child names its parent and adjacent parent. */
  reshard(
    arn: string,
    parents: string[],
    children: Array<{ start: bigint; end: bigint; parentShardId: string; adjacentParentShardId?: string }>,
  ): Promise<ShardInfo[]>;
  /**
   * Calls `listener` after any change to the stream (records appended, shards resharded, the
   * stream updated or deleted) until the returned function is called.
   */
  watch(arn: string, listener: () => void): () => void;
  /** The last record that arrived before `time`, for AT_TIMESTAMP iterators. */
  sequenceBefore(arn: string, shardId: string, time: number): bigint | undefined;
  /**
   * Streams in a passing status (CREATING, UPDATING, DELETING), shared by every node so that all
   * answer the same status; a stream with none is ACTIVE. Read on every record call, so reads are
   * synchronous (as getStream's are). Need not outlive a restart. What completes a passage stays
   * with the node that began it (src/services/kinesis/status.ts).
   */
  passage(arn: string): StreamPassage | undefined;
  setPassage(arn: string, passage: StreamPassage | undefined): void;
  /** Every stream in passing, with its passage. */
  passages(): Array<[arn: string, passage: StreamPassage]>;
  /** Whether any stream is in passing: false means every stream is ACTIVE, nothing to settle. */
  readonly anyInPassing: boolean;
  /** Drops every stream and every passage (admin reset). */
  reset(): Promise<void>;
}

/** A stream's status in passing, until `due` (clock ms). */
export interface StreamPassage {
  status: 'CREATING' | 'UPDATING' | 'DELETING';
  due: number;
  /** Deleted before it was ever ACTIVE: it never had shards to show. */
  neverActive: boolean;
}

/**
 * Object bodies (S3): written as a stream, read back by range, never held whole by the server.
 * In memory, or with --data-dir files under `<data-dir>/s3/` whose names come from random ids,
 * never from keys. A body is invisible until committed: a crash mid-upload leaves no half object
 * and, after the start-up sweep, no orphan file.
 */
export interface BodyStore {
  /** Starts a body; bytes go in with `write`, and it exists once `commit` resolves. */
  create(): BodyWriter;
  /** Bytes [start, end] (inclusive, end defaults to the last byte) of a committed body. */
  read(ref: BodyRef, start?: number, end?: number): AsyncIterable<Uint8Array>;
  /** Drops a body once nothing names it (an overwritten or deleted object, an aborted upload). */
  release(ref: BodyRef): Promise<void>;
  /** Start-up: removes files no committed body names (`live` holds every ref the journal knows). */
  sweep(live: Iterable<BodyRef>): Promise<void>;
  /** Drops every body (admin reset). */
  clear(): Promise<void>;
}

/** A committed body: an opaque id plus its length. */
export interface BodyRef {
  id: string;
  size: number;
  /**
   * A small body's bytes in base64, kept in the ref itself so that they reach the journal in the
   * same row and transaction as the record naming them (--data-dir only; docs/s3/storage.md).
   */
  inline?: string;
}

export interface BodyWriter {
  /** The chunk is the store's from then on: the caller must not change it, even once resolved. */
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the body durable (file synced with --data-dir) and returns its ref. */
  commit(): Promise<BodyRef>;
  /** Forgets what was written (an upload that failed or was refused). */
  abort(): Promise<void>;
}

/** A Kafka topic as stored (the default cluster's, or an MSK cluster's). */
export interface KafkaTopicRecord {
  /** "default" or the MSK cluster's ARN. */
  cluster: string;
  name: string;
  /** Kafka's topic id: 22 characters of base64url (codec.ts's uuid form). */
  topicId: string;
  partitions: number;
  replicationFactor: number;
  /** Only the configs set on the topic (CreateTopics, AlterConfigs); the rest come from the cluster. */
  configs: Record<string, string>;
  createdAt: number;
}

/** Offsets of one partition: dense, from the first kept to the next to be written (single replica: the high watermark is the log end). */
export interface PartitionOffsets {
  logStartOffset: bigint;
  highWatermark: bigint;
}

/** What the engine knows of one idempotent producer on one partition, from its batches' headers. */
export interface ProducerEntry {
  producerEpoch: number;
  /** The newest batches it appended (at most 5, oldest first), for duplicate detection. */
  batches: Array<{
    firstSequence: number;
    lastSequence: number;
    baseOffset: bigint;
    lastOffset: bigint;
    timestamp: bigint;
  }>;
}

/** A group's committed offset for one partition. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
  commitTimestamp: number;
}

/**
 * Kafka topics on the stream engine: each partition a log of whole v2 record batches kept as the
 * producer sent them (compressed or not), with dense offsets. The engine sets each batch's
 * baseOffset (bytes 0–7, outside the CRC) as it appends; the broker has checked the batch. Retention
 * (the topic's retention.ms and retention.bytes, else the cluster's defaults handed to
 * `setRetentionDefaults`) drops whole batches on the clock: a batch goes once its max timestamp is
 * retention.ms behind the clock, or while the partition holds more than retention.bytes.
 */
export interface KafkaLogStorage {
  createTopic(topic: KafkaTopicRecord): Promise<void>;
  getTopic(cluster: string, name: string): KafkaTopicRecord | undefined;
  topicById(cluster: string, topicId: string): KafkaTopicRecord | undefined;
  listTopics(cluster: string): KafkaTopicRecord[];
  /** Configs changed, or partitions added (never fewer). */
  updateTopic(topic: KafkaTopicRecord): Promise<void>;
  deleteTopic(cluster: string, name: string): Promise<void>;
  /** The cluster-wide retention defaults (log.retention.ms / log.retention.bytes; -1 for none). */
  setRetentionDefaults(cluster: string, defaults: { retentionMs: number; retentionBytes: number }): void;
  /** Appends batches to a partition, numbering them from its next offset; durable when it resolves. */
  append(
    cluster: string,
    topic: string,
    partition: number,
    batches: Buffer[],
  ): Promise<{ baseOffset: bigint; logStartOffset: bigint; appendTime: number }>;
  /**
   * Whole batches holding offsets at or after `fromOffset`, oldest first (the first may start
   * before it, as Kafka's do), up to `maxBytes` except that the first batch is always given. Views
   * into the engine's memory: write or copy them before yielding to the event loop.
   */
  read(cluster: string, topic: string, partition: number, fromOffset: bigint, maxBytes: number): Buffer[];
  offsets(cluster: string, topic: string, partition: number): PartitionOffsets;
  /** The first batch whose max timestamp is at or after `timestamp` (ListOffsets by time), if any. */
  batchAtTime(cluster: string, topic: string, partition: number, timestamp: bigint): Buffer | undefined;
  /** The batch holding the largest timestamp (ListOffsets MAX_TIMESTAMP), if any. */
  batchWithMaxTimestamp(cluster: string, topic: string, partition: number): Buffer | undefined;
  /** Idempotent producers seen on a partition, by producer id; rebuilt from the batches at start. */
  producers(cluster: string, topic: string, partition: number): ReadonlyMap<bigint, ProducerEntry>;
  /** Calls `listener` after records are appended to any partition of the topic, until the returned function is called. */
  watch(cluster: string, topic: string, listener: () => void): () => void;
  /** Consumer groups' committed offsets: durable when it resolves, kept across restarts with --data-dir. */
  commitOffsets(cluster: string, group: string, offsets: CommittedOffset[]): Promise<void>;
  committedOffsets(cluster: string, group: string): CommittedOffset[];
  /** Drops a group's offsets (all, or those of the given topics). */
  deleteOffsets(cluster: string, group: string, topics?: string[]): Promise<void>;
  /** Groups with committed offsets (ListGroups shows them, as Kafka does for empty groups). */
  groupsWithOffsets(cluster: string): string[];
  /** Next producer id (InitProducerId); never repeats, across restarts too. */
  nextProducerId(): Promise<bigint>;
  /** Drops a cluster's topics and offsets (cluster deleted). */
  dropCluster(cluster: string): Promise<void>;
  /** Drops everything (admin reset). */
  reset(): Promise<void>;
}

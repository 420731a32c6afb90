// Produce v3–11: each partition's single v2 batch checked as Kafka's broker checks it (request
// validation, then the log's size, CRC, batch and producer-state checks under the partition's
// lock), then appended as sent. Records are not decompressed: per-record checks Kafka makes
// (record offsets and timestamps inside the batch) are left out, as docs/kafka/produce-fetch.md says.
import {
  BATCH_HEADER_BYTES,
  batchIsValid,
  batchMagic,
  RecordBatchError,
  type RecordBatchHeader,
  readBatchHeader,
  setLogAppendTime,
  splitBatches,
} from '../../../protocols/kafka/record-batch.js';
import type { KafkaTopicRecord, ProducerEntry } from '../../../storage/types.js';
import { DataError, LEADER_EPOCH } from './data-errors.js';
import { withPartitionLock } from './partition-locks.js';
import { type ClusterRuntime, KafkaProtocolError, type KafkaRequestContext } from './types.js';

/** Kafka's default message.max.bytes (1 MiB + the batch overhead). */
const DEFAULT_MAX_MESSAGE_BYTES = 1048588;
const NO_PRODUCER_EPOCH = -1;
const MIN_PRODUCE_VERSION = 3;
const INT32_MAX = 2147483647;
const PARTITION_LEADER_EPOCH_AT = 12;

interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  recordErrors: never[];
  errorMessage: string | null;
}

function failed(index: number, errorCode: number, logStartOffset = -1n): PartitionResult {
  return {
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset,
    recordErrors: [],
    errorMessage: null,
  };
}

/** A topic config, else the cluster's broker-level setting, else Kafka's default. */
export function topicConfig(
  cluster: ClusterRuntime,
  topic: KafkaTopicRecord,
  name: string,
  brokerName: string,
  fallback: string,
): string {
  return topic.configs[name] ?? cluster.config(brokerName) ?? fallback;
}

/** ProduceRequest.validateRecords for v3+: one v2 batch per partition (zstd from v7). */
function validateRequestRecords(version: number, records: Buffer | null): { batch?: Buffer; error?: number } {
  let batches: Buffer[];
  try {
    batches = records ? splitBatches(records) : [];
  } catch (err) {
    if (err instanceof RecordBatchError) return { error: DataError.CORRUPT_MESSAGE };
    throw err;
  }
  const first = batches[0];
  if (!first) return { error: DataError.INVALID_RECORD };
  if (batchMagic(first) !== 2) return { error: DataError.INVALID_RECORD };
  if (first.length >= BATCH_HEADER_BYTES && version < 7 && (first.readInt16BE(21) & 0x07) === 4) {
    return { error: DataError.UNSUPPORTED_COMPRESSION_TYPE };
  }
  if (batches.length > 1) return { error: DataError.INVALID_RECORD };
  return { batch: first };
}

/** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap past Integer.MAX_VALUE to 0. */
function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

function inSequence(lastSequence: number, nextSequence: number): boolean {
  return nextSequence === lastSequence + 1 || (nextSequence === 0 && lastSequence === INT32_MAX);
}

type ProducerCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: bigint; timestamp: bigint }
  | { kind: 'error'; errorCode: number };

/** ProducerAppendInfo's checks for a client batch: a retried batch, a fenced epoch, a sequence gap. */
export function checkProducerState(
  header: RecordBatchHeader,
  entry: ProducerEntry | undefined,
): ProducerCheck {
  if (header.producerId < 0n || !entry) return { kind: 'append' };
  const lastSequence = incrementSequence(header.baseSequence, header.lastOffsetDelta);
  if (header.producerEpoch === entry.producerEpoch) {
    const duplicate = entry.batches.find(
      (b) => b.firstSequence === header.baseSequence && b.lastSequence === lastSequence,
    );
    if (duplicate)
      return { kind: 'duplicate', baseOffset: duplicate.baseOffset, timestamp: duplicate.timestamp };
  }
  if (header.producerEpoch < entry.producerEpoch)
    return { kind: 'error', errorCode: DataError.INVALID_PRODUCER_EPOCH };
  if (header.producerEpoch !== entry.producerEpoch) {
    if (header.baseSequence !== 0 && entry.producerEpoch !== NO_PRODUCER_EPOCH) {
      return { kind: 'error', errorCode: DataError.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    return { kind: 'append' };
  }
  const currentLast = entry.batches.at(-1)?.lastSequence ?? -1;
  if (entry.producerEpoch !== NO_PRODUCER_EPOCH && !inSequence(currentLast, header.baseSequence)) {
    return { kind: 'error', errorCode: DataError.OUT_OF_ORDER_SEQUENCE_NUMBER };
  }
  return { kind: 'append' };
}

/** LogValidator.validateBatch's header checks for a client's v2 batch. */
function batchHeaderError(header: RecordBatchHeader): number {
  if (header.lastOffsetDelta < 0) return DataError.INVALID_RECORD;
  if (header.recordsCount <= 0 || header.recordsCount !== header.lastOffsetDelta + 1)
    return DataError.INVALID_RECORD;
  if (header.isControl) return DataError.INVALID_RECORD;
  if (header.producerId >= 0n && header.baseSequence < 0) return DataError.INVALID_RECORD;
  return DataError.NONE;
}

async function appendPartition(
  cluster: ClusterRuntime,
  topic: KafkaTopicRecord,
  index: number,
  batch: Buffer,
): Promise<PartitionResult> {
  const storage = cluster.topics;
  return withPartitionLock(storage, cluster.id, topic.name, index, async () => {
    const maxMessageBytes = Number(
      topicConfig(
        cluster,
        topic,
        'max.message.bytes',
        'message.max.bytes',
        String(DEFAULT_MAX_MESSAGE_BYTES),
      ),
    );
    if (batch.readBigInt64BE(0) !== 0n) return failed(index, DataError.INVALID_RECORD, logStart());
    if (batch.length > maxMessageBytes) return failed(index, DataError.MESSAGE_TOO_LARGE);
    if (!batchIsValid(batch)) return failed(index, DataError.CORRUPT_MESSAGE);
    const header = readBatchHeader(batch);
    if (header.compression === undefined) return failed(index, DataError.CORRUPT_MESSAGE);
    const headerError = batchHeaderError(header);
    if (headerError !== DataError.NONE) return failed(index, headerError, logStart());

    const logAppendTime =
      topicConfig(cluster, topic, 'message.timestamp.type', 'log.message.timestamp.type', 'CreateTime') ===
      'LogAppendTime';
    const check = checkProducerState(
      header,
      header.producerId >= 0n
        ? storage.producers(cluster.id, topic.name, index).get(header.producerId)
        : undefined,
    );
    if (check.kind === 'error') return failed(index, check.errorCode, logStart());
    if (check.kind === 'duplicate') {
      // Kafka answers a retried batch with the offsets it got the first time, and its timestamp.
      return {
        index,
        errorCode: DataError.NONE,
        baseOffset: check.baseOffset,
        logAppendTimeMs: check.timestamp,
        logStartOffset: logStart(),
        recordErrors: [],
        errorMessage: null,
      };
    }
    const now = BigInt(cluster.clock.now());
    // As Kafka's leader does, stamp its epoch (outside the CRC) on what it appends.
    batch.writeInt32BE(LEADER_EPOCH, PARTITION_LEADER_EPOCH_AT);
    if (logAppendTime) setLogAppendTime(batch, now);
    const appended = await storage.append(cluster.id, topic.name, index, [batch]);
    return {
      index,
      errorCode: DataError.NONE,
      baseOffset: appended.baseOffset,
      logAppendTimeMs: logAppendTime ? now : -1n,
      logStartOffset: appended.logStartOffset,
      recordErrors: [],
      errorMessage: null,
    };
  });

  function logStart(): bigint {
    return storage.offsets(cluster.id, topic.name, index).logStartOffset;
  }
}

function hasTransactionalRecords(request: Record<string, any>): boolean {
  for (const topic of request.topicData ?? []) {
    for (const partition of topic.partitionData ?? []) {
      const records: Buffer | null = partition.records;
      if (records && records.length >= BATCH_HEADER_BYTES && batchMagic(records) === 2) {
        if (records.readInt16BE(21) & 0x10) return true;
      }
    }
  }
  return false;
}

export async function handleProduce(
  ctx: KafkaRequestContext,
  request: Record<string, any>,
): Promise<Record<string, unknown> | null> {
  const { cluster } = ctx;
  if (ctx.apiVersion < MIN_PRODUCE_VERSION) {
    // Advertised only for librdkafka's feature checks: Kafka 4.0 closes the connection on them.
    throw new KafkaProtocolError(
      `Produce v${ctx.apiVersion} is not enabled (message format v0 and v1 are gone)`,
    );
  }
  const acks: number = request.acks;
  const topics: Array<{ name: string; partitionData: Array<{ index: number; records: Buffer | null }> }> =
    request.topicData ?? [];

  // Tideway keeps no transactions: it answers as a broker whose ACLs grant no transactional id.
  if (hasTransactionalRecords(request)) {
    if (acks === 0) return null;
    return {
      responses: topics.map((t) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p) =>
          failed(p.index, DataError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED),
        ),
      })),
    };
  }

  const validAcks = acks === 0 || acks === 1 || acks === -1;
  const responses = await Promise.all(
    topics.map(async (t) => {
      const topic = cluster.topics.getTopic(cluster.id, t.name);
      const partitionResponses = await Promise.all(
        t.partitionData.map(async (p): Promise<PartitionResult> => {
          if (!topic || p.index < 0 || p.index >= topic.partitions) {
            return failed(p.index, DataError.UNKNOWN_TOPIC_OR_PARTITION);
          }
          const { batch, error } = validateRequestRecords(ctx.apiVersion, p.records);
          if (!batch) return failed(p.index, error ?? DataError.INVALID_RECORD);
          if (!validAcks) return failed(p.index, DataError.INVALID_REQUIRED_ACKS);
          return appendPartition(cluster, topic, p.index, batch);
        }),
      );
      return { name: t.name, partitionResponses };
    }),
  );

  if (acks === 0) {
    // No answer is expected; on an error Kafka closes the connection so the producer notices.
    if (responses.some((t) => t.partitionResponses.some((p) => p.errorCode !== DataError.NONE))) {
      ctx.connection.close();
    }
    return null;
  }
  return { responses, throttleTimeMs: 0 };
}

// ListOffsets v1–7: the earliest (-2) and latest (-1) offsets, the record with the largest
// timestamp (-3, v7+), and the first record at or after a time, found by decoding the one batch
// the engine points to.
import { decodeRecords, readBatchHeader } from '../../../protocols/kafka/record-batch.js';
import { DataError, LEADER_EPOCH, leaderEpochError } from './data-errors.js';
import type { ClusterRuntime, KafkaRequestContext } from './types.js';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;

/** The lowest ListOffsets version each special timestamp needs (ReplicaManager). */
const SPECIAL_TIMESTAMP_MIN_VERSION = new Map<bigint, number>([
  [EARLIEST, 1],
  [LATEST, 1],
  [MAX_TIMESTAMP, 7],
  [-4n, 8],
  [-5n, 9],
]);

interface Found {
  timestamp: bigint;
  offset: bigint;
  leaderEpoch: number;
}

const NOT_FOUND: Found = { timestamp: -1n, offset: -1n, leaderEpoch: -1 };

function firstAtOrAfter(batch: Buffer, target: bigint, from: bigint): Found {
  const epoch = readBatchHeader(batch).partitionLeaderEpoch;
  for (const record of decodeRecords(batch)) {
    if (record.offset >= from && record.timestamp >= target) {
      return { timestamp: record.timestamp, offset: record.offset, leaderEpoch: epoch };
    }
  }
  return NOT_FOUND;
}

function withMaxTimestamp(batch: Buffer): Found {
  const header = readBatchHeader(batch);
  for (const record of decodeRecords(batch)) {
    if (record.timestamp === header.maxTimestamp) {
      return { timestamp: record.timestamp, offset: record.offset, leaderEpoch: header.partitionLeaderEpoch };
    }
  }
  return NOT_FOUND;
}

function lookUp(cluster: ClusterRuntime, topic: string, partition: number, timestamp: bigint): Found {
  const storage = cluster.topics;
  const offsets = storage.offsets(cluster.id, topic, partition);
  if (timestamp === EARLIEST)
    return { timestamp: -1n, offset: offsets.logStartOffset, leaderEpoch: LEADER_EPOCH };
  if (timestamp === LATEST)
    return { timestamp: -1n, offset: offsets.highWatermark, leaderEpoch: LEADER_EPOCH };
  const batch =
    timestamp === MAX_TIMESTAMP
      ? storage.batchWithMaxTimestamp(cluster.id, topic, partition)
      : storage.batchAtTime(cluster.id, topic, partition, timestamp);
  if (!batch) return NOT_FOUND;
  const found =
    timestamp === MAX_TIMESTAMP
      ? withMaxTimestamp(batch)
      : firstAtOrAfter(batch, timestamp, offsets.logStartOffset);
  // Kafka answers nothing for an offset not yet below the high watermark.
  return found.offset >= offsets.highWatermark ? NOT_FOUND : found;
}

export function handleListOffsets(
  ctx: KafkaRequestContext,
  request: Record<string, any>,
): Record<string, unknown> {
  const { cluster } = ctx;
  const seen = new Map<string, number>();
  for (const t of request.topics ?? []) {
    for (const p of t.partitions ?? []) {
      const key = `${t.name}\u0000${p.partitionIndex}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  const topics = (request.topics ?? []).map((t: { name: string; partitions: any[] }) => {
    const topic = cluster.topics.getTopic(cluster.id, t.name);
    const partitions = t.partitions.map((p) => {
      const answer = (errorCode: number, found: Found = NOT_FOUND) => ({
        partitionIndex: p.partitionIndex,
        errorCode,
        timestamp: found.timestamp,
        offset: found.offset,
        leaderEpoch: found.leaderEpoch,
      });
      const timestamp = BigInt(p.timestamp);
      if ((seen.get(`${t.name}\u0000${p.partitionIndex}`) ?? 0) > 1) return answer(DataError.INVALID_REQUEST);
      if (timestamp < 0n) {
        const minVersion = SPECIAL_TIMESTAMP_MIN_VERSION.get(timestamp);
        if (minVersion === undefined || ctx.apiVersion < minVersion)
          return answer(DataError.UNSUPPORTED_VERSION);
      }
      if (!topic || p.partitionIndex < 0 || p.partitionIndex >= topic.partitions) {
        return answer(DataError.UNKNOWN_TOPIC_OR_PARTITION);
      }
      const epochError = leaderEpochError(p.currentLeaderEpoch);
      if (epochError !== DataError.NONE) return answer(epochError);
      try {
        return answer(DataError.NONE, lookUp(cluster, topic.name, p.partitionIndex, timestamp));
      } catch (err) {
        cluster.log.warn(`ListOffsets could not read ${t.name}-${p.partitionIndex}: ${err}`);
        return answer(DataError.CORRUPT_MESSAGE);
      }
    });
    return { name: t.name, partitions };
  });
  return { throttleTimeMs: 0, topics };
}

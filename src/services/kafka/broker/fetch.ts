// Fetch v4–12: stored batches handed out as they are, with Kafka's size rules (the request's
// maxBytes over all partitions, each partition's partitionMaxBytes, and the first batch of the
// first partition with data given whatever its size), and long polling on the clock until
// minBytes are there or maxWaitMs passes. Fetch sessions (KIP-227) are declined: the answer's
// sessionId is 0, so clients keep sending full fetches.
import type { Timer } from '../../../core/scheduler.js';
import { DataError, leaderEpochError } from './data-errors.js';
import type { ClusterRuntime, KafkaRequestContext } from './types.js';

const READ_COMMITTED = 1;
const INITIAL_EPOCH = 0;
const FINAL_EPOCH = -1;

interface FetchPartitionRequest {
  partition: number;
  currentLeaderEpoch?: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
}

interface FetchTopicRequest {
  topic: string;
  partitions: FetchPartitionRequest[];
}

interface Assembled {
  body: Record<string, unknown>;
  bytes: number;
  hasError: boolean;
}

function errorPartition(partitionIndex: number, errorCode: number) {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: [],
  };
}

/** Reads every partition once, as ReplicaManager.readFromLog does. */
function assemble(cluster: ClusterRuntime, request: Record<string, any>): Assembled {
  const storage = cluster.topics;
  const readCommitted = request.isolationLevel === READ_COMMITTED;
  let limitBytes: number = request.maxBytes ?? 0x7fffffff;
  let minOneMessage = true;
  let bytes = 0;
  let hasError = false;
  const responses = (request.topics as FetchTopicRequest[]).map((t) => {
    const topic = storage.getTopic(cluster.id, t.topic);
    const partitions = t.partitions.map((p) => {
      if (!topic || p.partition < 0 || p.partition >= topic.partitions) {
        hasError = true;
        return errorPartition(p.partition, DataError.UNKNOWN_TOPIC_OR_PARTITION);
      }
      const epochError = leaderEpochError(p.currentLeaderEpoch);
      if (epochError !== DataError.NONE) {
        hasError = true;
        return errorPartition(p.partition, epochError);
      }
      const offsets = storage.offsets(cluster.id, topic.name, p.partition);
      if (p.fetchOffset < offsets.logStartOffset || p.fetchOffset > offsets.highWatermark) {
        hasError = true;
        return errorPartition(p.partition, DataError.OFFSET_OUT_OF_RANGE);
      }
      const limit = Math.max(0, Math.min(p.partitionMaxBytes, limitBytes));
      let records: Buffer[] = [];
      if (p.fetchOffset < offsets.highWatermark && (limit > 0 || minOneMessage)) {
        records = storage.read(cluster.id, topic.name, p.partition, p.fetchOffset, limit);
        // The engine always gives the first batch; past the first partition with data Kafka does not.
        const first = records[0];
        if (!minOneMessage && first && first.length > limit) records = [];
      }
      let size = 0;
      for (const batch of records) size += batch.length;
      if (size > 0) minOneMessage = false;
      limitBytes = Math.max(0, limitBytes - size);
      bytes += size;
      return {
        partitionIndex: p.partition,
        errorCode: DataError.NONE,
        highWatermark: offsets.highWatermark,
        // No transactions: everything below the high watermark is stable.
        lastStableOffset: offsets.highWatermark,
        logStartOffset: offsets.logStartOffset,
        abortedTransactions: readCommitted ? [] : null,
        preferredReadReplica: -1,
        records,
      };
    });
    return { topic: t.topic, partitions };
  });
  return { body: { throttleTimeMs: 0, errorCode: DataError.NONE, sessionId: 0, responses }, bytes, hasError };
}

/** Kafka's FetchManager for a broker that keeps no sessions: only an incremental fetch is refused. */
function sessionError(request: Record<string, any>): number {
  const epoch: number = request.sessionEpoch ?? FINAL_EPOCH;
  if (epoch === INITIAL_EPOCH || epoch === FINAL_EPOCH) return DataError.NONE;
  return request.sessionId === 0
    ? DataError.INVALID_FETCH_SESSION_EPOCH
    : DataError.FETCH_SESSION_ID_NOT_FOUND;
}

export async function handleFetch(
  ctx: KafkaRequestContext,
  request: Record<string, any>,
): Promise<Record<string, unknown> | null> {
  const { cluster } = ctx;
  const session = sessionError(request);
  if (session !== DataError.NONE) {
    return { throttleTimeMs: 0, errorCode: session, sessionId: 0, responses: [] };
  }
  const topics = request.topics as FetchTopicRequest[];
  const first = assemble(cluster, request);
  const maxWaitMs: number = request.maxWaitMs ?? 0;
  const minBytes: number = request.minBytes ?? 0;
  if (maxWaitMs <= 0 || topics.length === 0 || first.hasError || first.bytes >= minBytes) return first.body;

  const signal = ctx.connection.signal;
  if (signal.aborted) return null;
  return new Promise((resolve) => {
    const unwatch: Array<() => void> = [];
    let timer: Timer | undefined;
    let done = false;
    const finish = (body: Record<string, unknown> | null) => {
      if (done) return;
      done = true;
      for (const stop of unwatch) stop();
      cluster.scheduler.cancel(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(body);
    };
    const onAbort = () => finish(null);
    const onAppend = () => {
      if (done) return;
      const next = assemble(cluster, request);
      if (next.hasError || next.bytes >= minBytes) finish(next.body);
    };
    for (const name of new Set(topics.map((t) => t.topic))) {
      unwatch.push(cluster.topics.watch(cluster.id, name, onAppend));
    }
    signal.addEventListener('abort', onAbort);
    timer = cluster.scheduler.at(cluster.clock.now() + maxWaitMs, () =>
      finish(assemble(cluster, request).body),
    );
  });
}

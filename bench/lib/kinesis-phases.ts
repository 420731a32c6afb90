import {
  BATCH_SIZE,
  type KinesisTarget,
  putRecordBodies,
  putRecordsBodies,
  RECORD_DATA_BASE64,
} from './kinesis-setup.js';
import { drive, forCount, forDuration, Recorder } from './load.js';
import { cpuMicros } from './proc.js';

export interface KinesisPhaseResult {
  /** Requests: PutRecords, PutRecord or GetRecords calls. */
  ops: number;
  /** Records written (those the server accepted) or read. */
  records: number;
  /** Records a PutRecords answer listed as failed (ErrorCode set). */
  failedRecords: number;
  elapsedMs: number;
  serverCpuMicros: number;
  clientCpuMicros: number;
  /** Per request, in ms. */
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  /** False when the phase stopped on errors or, for a drain, before reading every record. */
  complete: boolean;
  /** GetRecords answers with no records before the shard was read to its end. */
  emptyReads?: number;
}

/** Reads the server's and our own CPU around `run`, so each phase is charged only its own work. */
async function measure(
  target: KinesisTarget,
  recorder: Recorder,
  run: () => Promise<number>,
): Promise<Omit<KinesisPhaseResult, 'ops' | 'records' | 'failedRecords' | 'complete'>> {
  const server = cpuMicros(target.pid);
  const client = process.cpuUsage();
  const elapsedMs = await run();
  const clientUsed = process.cpuUsage(client);
  return {
    elapsedMs,
    serverCpuMicros: cpuMicros(target.pid) - server,
    clientCpuMicros: clientUsed.user + clientUsed.system,
    p50: recorder.ms(50),
    p99: recorder.ms(99),
    errors: recorder.errors,
    firstError: recorder.firstError,
  };
}

interface PutRecordsOutput {
  FailedRecordCount?: number;
  Records?: { ShardId?: string; SequenceNumber?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

/**
 * PutRecords of 500 records in a closed loop. With `perShard`, each accepted record's ShardId is
 * counted there, which the drain needs to know when a shard is read to its end; the measured
 * phase skips that walk over the answer so the client's CPU stays out of the server's way.
 */
export async function putRecordsPhase(
  target: KinesisTarget,
  stream: string,
  more: () => boolean,
  perShard?: Map<string, number>,
): Promise<KinesisPhaseResult> {
  const bodies = putRecordsBodies(stream);
  const recorder = new Recorder();
  let ops = 0;
  let records = 0;
  let failedRecords = 0;
  const step = async () => {
    const body = bodies[ops % bodies.length];
    const out = await recorder.time(() => target.wire.call<PutRecordsOutput>('PutRecords', body));
    ops++;
    const answered = out.Records ?? [];
    if (answered.length !== BATCH_SIZE) {
      throw new Error(`PutRecords: ${answered.length} records in the answer, not ${BATCH_SIZE}`);
    }
    const failed = out.FailedRecordCount ?? 0;
    records += BATCH_SIZE - failed;
    failedRecords += failed;
    if (perShard || failed > 0) {
      for (const r of answered) {
        if (r.ErrorCode) {
          recorder.firstError ??= `PutRecords record failed: ${r.ErrorCode} ${r.ErrorMessage ?? ''}`;
        } else if (perShard && r.ShardId) {
          perShard.set(r.ShardId, (perShard.get(r.ShardId) ?? 0) + 1);
        }
      }
    }
  };
  const result = await measure(target, recorder, () => drive(target.concurrency, more, step, recorder));
  return { ...result, ops, records, failedRecords, complete: !recorder.aborted };
}

export async function putRecordPhase(
  target: KinesisTarget,
  stream: string,
  more: () => boolean,
): Promise<KinesisPhaseResult> {
  const bodies = putRecordBodies(stream);
  const recorder = new Recorder();
  let ops = 0;
  const step = async () => {
    const body = bodies[ops % bodies.length];
    const out = await recorder.time(() => target.wire.call('PutRecord', body));
    if (typeof out.SequenceNumber !== 'string') {
      throw new Error(`PutRecord: no SequenceNumber in ${JSON.stringify(out).slice(0, 300)}`);
    }
    ops++;
  };
  const result = await measure(target, recorder, () => drive(target.concurrency, more, step, recorder));
  return { ...result, ops, records: ops, failedRecords: 0, complete: !recorder.aborted };
}

/**
 * Loads `count` records (in batches of 500) for the drain, not measured, within `timeoutMs`;
 * returns how many went to each shard.
 */
export async function prefill(
  target: KinesisTarget,
  stream: string,
  count: number,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const perShard = new Map<string, number>();
  const batches = forCount(Math.ceil(count / BATCH_SIZE));
  const inTime = forDuration(timeoutMs);
  const result = await putRecordsPhase(target, stream, () => inTime() && batches(), perShard);
  if (result.errors > 0 || result.failedRecords > 0) {
    throw new Error(
      `loading the drain's records failed (${result.failedRecords} records failed): ${result.firstError}`,
    );
  }
  if (result.records < count) {
    throw new Error(`loaded only ${result.records} of ${count} records in ${timeoutMs / 1000} s`);
  }
  return perShard;
}

interface GetRecordsOutput {
  Records?: { Data?: string }[];
  NextShardIterator?: string;
}

/**
 * Reads every shard from TRIM_HORIZON to its last record, one reader per shard (a shard's
 * iterator chain is sequential, and the Kinesis API Reference, GetRecords, has a consumer read
 * each shard on a thread of its own), each calling GetRecords with `limit`
 * until it has the records `perShard` says were written there. Every record's data is checked.
 */
export async function drainPhase(
  target: KinesisTarget,
  stream: string,
  perShard: Map<string, number>,
  limit: number,
  timeoutMs: number,
): Promise<KinesisPhaseResult> {
  const recorder = new Recorder();
  const deadline = performance.now() + timeoutMs;
  let ops = 0;
  let records = 0;
  let emptyReads = 0;
  let complete = true;

  const readShard = async (shardId: string, expected: number) => {
    let iterator: string | undefined;
    try {
      const start = await target.wire.call<{ ShardIterator?: string }>('GetShardIterator', {
        StreamName: stream,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      });
      iterator = start.ShardIterator;
    } catch (err) {
      recorder.fail(err);
    }
    let read = 0;
    while (iterator && read < expected && !recorder.aborted && performance.now() < deadline) {
      const body = JSON.stringify({ ShardIterator: iterator, Limit: limit });
      try {
        const out = await recorder.time(() => target.wire.call<GetRecordsOutput>('GetRecords', body));
        ops++;
        const got = out.Records ?? [];
        if (got.length === 0) emptyReads++;
        for (const r of got) {
          if (r.Data !== RECORD_DATA_BASE64)
            throw new Error(`GetRecords: unexpected Data ${r.Data?.slice(0, 60)}`);
        }
        read += got.length;
        records += got.length;
        iterator = out.NextShardIterator;
      } catch (err) {
        // The same iterator again: it stays valid, so one bad answer costs a retry, not the shard.
        recorder.fail(err);
      }
    }
    if (read < expected) complete = false;
  };

  const result = await measure(target, recorder, async () => {
    const began = performance.now();
    await Promise.all([...perShard].map(([shardId, expected]) => readShard(shardId, expected)));
    return performance.now() - began;
  });
  return { ...result, ops, records, failedRecords: 0, complete: complete && !recorder.aborted, emptyReads };
}

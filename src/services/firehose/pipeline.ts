import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler } from '../../core/scheduler.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import type { Journal } from '../../storage/embedded/journal.js';
import type { FrontDoors } from '../registry.js';
import { type BufferedItem, bufferLimits, RecordBuffer } from './delivery/buffer.js';
import { BufferJournal } from './delivery/buffer-journal.js';
import { compressBody } from './delivery/compression.js';
import { errorRecordLine } from './delivery/error-records.js';
import { deliverToHttpEndpoint, stopHttpEndpointDeliveries } from './delivery/http-endpoint.js';
import { objectSuffix } from './delivery/object-names.js';
import { evaluatePrefix, PrefixEvaluationError, partitionKeysOf } from './delivery/prefixes.js';
import { ObjectWriter } from './delivery/s3-delivery.js';
import {
  backupTarget,
  dataTarget,
  dynamicPartitioning,
  errorTarget,
  type ObjectTarget,
  sourceBackup,
} from './delivery/targets.js';
import type { DeliveryStreamRecord, IngestedRecord } from './model.js';
import { type FailedRecord, processRecords } from './processors/index.js';

export interface PipelineDeps {
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  journal?: Journal;
  /** S3 (and Kinesis for a source) through their front doors, read at delivery time. */
  frontDoors: FrontDoors;
  hints?: HintRecorder;
}

/** What a buffer fills: an S3 object of one kind (and partition), or a batch for the HTTP endpoint. */
type Lane =
  | { kind: 'object'; target: ObjectTarget; partitionKeys?: Record<string, string> }
  | { kind: 'http' };

interface Pending {
  stream: DeliveryStreamRecord;
  lane: Lane;
}

interface StreamState {
  stream: DeliveryStreamRecord;
  /** Batches are processed one after another, so objects keep the order records came in. */
  chain: Promise<void>;
  buffers: Map<string, RecordBuffer<Pending>>;
  /** Deleted (or reset): nothing more of it is buffered or delivered. */
  gone: boolean;
}

/**
 * From records in to objects out: per stream a buffer that flushes by size or interval on the
 * clock, the processors, compression, prefixes and object names, the S3 (or HTTP endpoint)
 * delivery with its retries, error output and backup. Buffered records are journaled so an
 * acknowledged put survives a crash.
 */
export class DeliveryPipeline {
  private readonly streams = new Map<string, StreamState>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly rows: BufferJournal;
  private readonly writer: ObjectWriter;
  private closed = false;

  constructor(readonly deps: PipelineDeps) {
    this.rows = new BufferJournal(deps.journal);
    this.writer = new ObjectWriter(deps, (work) => this.track(work));
  }

  /**
   * Records accepted by PutRecord(Batch) or a source. Resolves once they are journaled (at once
   * without a journal); processing and delivery go on behind.
   */
  ingest(stream: DeliveryStreamRecord, records: readonly IngestedRecord[]): Promise<void> {
    if (records.length === 0 || this.closed) return Promise.resolve();
    const { row, written } = this.rows.write(stream.arn, records);
    this.enqueue(stream, records, row);
    return written;
  }

  /** The destination changed (UpdateDestination): the buffer flushes under its old settings first. */
  async updated(before: DeliveryStreamRecord, after: DeliveryStreamRecord): Promise<void> {
    const state = this.streams.get(before.arn);
    if (!state) return;
    state.stream = after;
    await state.chain;
    for (const buffer of [...state.buffers.values()]) this.flush(state, buffer);
  }

  /** The stream is gone: what is buffered is dropped, as AWS does on deletion. */
  async deleted(stream: DeliveryStreamRecord): Promise<void> {
    const state = this.streams.get(stream.arn);
    if (state) {
      this.abandon(state);
      this.streams.delete(stream.arn);
    }
    this.rows.dropStream(stream.arn);
    await this.deps.journal?.commit();
  }

  /** Restores journaled buffers at start and restarts their timers. */
  async open(streams: readonly DeliveryStreamRecord[]): Promise<void> {
    const byArn = new Map(streams.map((s) => [s.arn, s]));
    for (const batch of this.rows.restore()) {
      const stream = byArn.get(batch.stream);
      if (stream) this.enqueue(stream, batch.records, batch.row);
      else this.rows.release(batch.row);
    }
    await this.deps.journal?.commit();
  }

  async clear(): Promise<void> {
    for (const state of this.streams.values()) this.abandon(state);
    this.streams.clear();
    this.writer.cancelRetries();
    this.rows.clear();
    await this.deps.journal?.commit();
  }

  close(): void {
    this.closed = true;
    stopHttpEndpointDeliveries(this.deps);
    this.rows.freeze();
    for (const state of this.streams.values()) {
      for (const buffer of state.buffers.values()) this.deps.scheduler.cancel(buffer.timer);
    }
    this.writer.cancelRetries();
  }

  /**
   * Resolves when no processing, compression or write attempt is under way: retries waiting on
   * the clock (S3's, the HTTP endpoint's) do not count, so a test moves the clock to see them.
   */
  async idle(): Promise<void> {
    for (;;) {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      // What settled work sets off next (the write after compression) starts in later ticks.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.inFlight.size === 0) return;
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  private stateOf(stream: DeliveryStreamRecord): StreamState {
    let state = this.streams.get(stream.arn);
    if (!state) {
      state = { stream, chain: Promise.resolve(), buffers: new Map(), gone: false };
      this.streams.set(stream.arn, state);
    }
    return state;
  }

  private abandon(state: StreamState): void {
    state.gone = true;
    for (const buffer of state.buffers.values()) this.deps.scheduler.cancel(buffer.timer);
    state.buffers.clear();
  }

  private enqueue(
    stream: DeliveryStreamRecord,
    records: readonly IngestedRecord[],
    row: string | undefined,
  ): void {
    const state = this.stateOf(stream);
    const run = state.chain
      .then(() => this.process(state, stream, records, row))
      .catch((err: unknown) => {
        this.deps.log.error({ err, deliveryStream: stream.arn }, 'Firehose could not process records');
      })
      .finally(() => this.rows.release(row));
    state.chain = run;
    this.track(run);
  }

  private async process(
    state: StreamState,
    stream: DeliveryStreamRecord,
    records: readonly IngestedRecord[],
    row: string | undefined,
  ): Promise<void> {
    if (state.gone || this.closed) return;
    const { extendedS3, httpEndpoint } = stream.destination;
    const backup = sourceBackup(stream);
    if (backup) {
      const lane: Lane = { kind: 'object', target: backupTarget(backup) };
      for (const r of records)
        this.add(state, stream, lane, 'backup', { data: r.data, arrival: r.arrival }, [row]);
    }
    if (extendedS3) {
      const result = await processRecords(extendedS3.ProcessingConfiguration, records);
      if (state.gone || this.closed) return;
      const target = dataTarget(extendedS3);
      const failed = [...result.failed];
      const partitioned = dynamicPartitioning(extendedS3);
      const keyNames = partitioned ? partitionKeysOf(target.prefix) : [];
      for (const record of result.records) {
        const item = { data: record.data, arrival: record.source.arrival };
        if (!partitioned) {
          this.add(state, stream, { kind: 'object', target }, 'data', item, [row]);
          continue;
        }
        try {
          // Evaluated now so a record whose keys cannot build the prefix fails on its own.
          evaluatePrefix(target.prefix, {
            time: record.source.arrival,
            timeZone: target.timeZone,
            partitionKeysFromQuery: record.partitionKeys,
          });
        } catch (err) {
          if (!(err instanceof PrefixEvaluationError)) throw err;
          failed.push({ source: record.source, errorCode: err.errorCode, errorMessage: err.message });
          continue;
        }
        const keys = Object.fromEntries(keyNames.map((name) => [name, record.partitionKeys?.[name] ?? '']));
        const lane: Lane = { kind: 'object', target, partitionKeys: keys };
        this.add(state, stream, lane, `data\n${JSON.stringify(keyNames.map((n) => keys[n]))}`, item, [row]);
      }
      this.addFailures(state, stream, errorTarget(extendedS3, 'processing-failed'), failed, row);
    } else if (httpEndpoint) {
      const result = await processRecords(httpEndpoint.ProcessingConfiguration, records);
      if (state.gone || this.closed) return;
      for (const record of result.records) {
        this.add(
          state,
          stream,
          { kind: 'http' },
          'http',
          { data: record.data, arrival: record.source.arrival },
          [row],
        );
      }
      const s3 = httpEndpoint.S3DestinationDescription;
      if (s3) this.addFailures(state, stream, errorTarget(s3, 'processing-failed'), result.failed, row);
    }
    // IntervalInSeconds 0 (or records restored past their interval): delivered at once.
    const now = this.deps.clock.now();
    for (const buffer of [...state.buffers.values()]) if (buffer.dueAt <= now) this.flush(state, buffer);
  }

  private addFailures(
    state: StreamState,
    stream: DeliveryStreamRecord,
    target: ObjectTarget,
    failed: readonly FailedRecord[],
    row: string | undefined,
  ): void {
    const now = this.deps.clock.now();
    const lane: Lane = { kind: 'object', target };
    for (const f of failed) {
      const data = errorRecordLine({
        data: f.source.data,
        arrival: f.source.arrival,
        errorCode: f.errorCode,
        errorMessage: f.errorMessage,
        endedAt: now,
        lambdaArn: f.lambdaArn,
      });
      this.add(state, stream, lane, `error\n${target.errorOutputType}`, { data, arrival: f.source.arrival }, [
        row,
      ]);
    }
  }

  private add(
    state: StreamState,
    stream: DeliveryStreamRecord,
    lane: Lane,
    key: string,
    item: BufferedItem,
    rows: Iterable<string | undefined>,
  ): void {
    let buffer = state.buffers.get(key);
    if (buffer && buffer.version !== stream.versionId) {
      this.flush(state, buffer);
      buffer = undefined;
    }
    if (buffer?.wouldOverflow(item.data.length)) {
      this.flush(state, buffer);
      buffer = undefined;
    }
    if (!buffer) {
      const limits =
        lane.kind === 'http'
          ? bufferLimits(stream.destination.httpEndpoint?.BufferingHints)
          : lane.target.limits;
      buffer = new RecordBuffer<Pending>(key, { stream, lane }, limits, stream.versionId);
      state.buffers.set(key, buffer);
    }
    buffer.add(item, undefined);
    for (const row of rows) {
      if (row === undefined || buffer.rows.has(row)) continue;
      buffer.rows.add(row);
      this.rows.hold(row);
    }
    if (buffer.full) {
      this.flush(state, buffer);
      return;
    }
    if (!buffer.timer) {
      const due = buffer;
      due.timer = this.deps.scheduler.at(due.dueAt, () => {
        due.timer = undefined;
        this.flush(state, due);
      });
    }
  }

  private flush(state: StreamState, buffer: RecordBuffer<Pending>): void {
    if (state.buffers.get(buffer.key) === buffer) state.buffers.delete(buffer.key);
    this.deps.scheduler.cancel(buffer.timer);
    buffer.timer = undefined;
    if (buffer.items.length === 0 || state.gone) return;
    // Not tracked as a whole: a delivery may wait on the clock for its retries.
    void this.deliver(state, buffer);
  }

  private async deliver(state: StreamState, buffer: RecordBuffer<Pending>): Promise<void> {
    const { stream, lane } = buffer.target;
    try {
      if (lane.kind === 'http') await this.deliverHttp(state, buffer);
      else await this.deliverObject(state, buffer, lane.target, lane.partitionKeys);
    } catch (err) {
      this.deps.log.error({ err, deliveryStream: stream.arn }, 'Firehose could not deliver a buffer');
    } finally {
      for (const row of buffer.rows) this.rows.release(row);
    }
  }

  private async deliverObject(
    state: StreamState,
    buffer: RecordBuffer<Pending>,
    target: ObjectTarget,
    partitionKeys: Record<string, string> | undefined,
  ): Promise<void> {
    const { stream } = buffer.target;
    let prefix: string;
    try {
      prefix = evaluatePrefix(target.prefix, {
        time: buffer.firstArrival,
        timeZone: target.timeZone,
        errorOutputType: target.errorOutputType,
        partitionKeysFromQuery: partitionKeys,
      });
    } catch (err) {
      if (!(err instanceof PrefixEvaluationError)) throw err;
      this.prefixFailed(state, buffer, target, err);
      return;
    }
    const name = objectSuffix(stream.name, stream.versionId, buffer.firstArrival, '', target.timeZone);
    const body = await this.track(
      compressBody(target.compression, buffer.body(), { name, mtime: new Date(buffer.firstArrival) }),
    );
    const outcome = await this.writer.write(
      stream,
      {
        bucketArn: target.bucketArn,
        key: `${prefix}${name}${target.extension}`,
        body,
        roleArn: target.roleArn,
      },
      () => state.gone || this.closed,
    );
    if (outcome === 'delivered') {
      this.deps.log.debug(
        {
          deliveryStream: stream.arn,
          key: `${prefix}${name}${target.extension}`,
          records: buffer.items.length,
        },
        'Firehose delivered an object',
      );
    }
  }

  /** A data prefix that cannot be evaluated sends its records to the error output instead. */
  private prefixFailed(
    state: StreamState,
    buffer: RecordBuffer<Pending>,
    target: ObjectTarget,
    err: PrefixEvaluationError,
  ): void {
    const { stream } = buffer.target;
    const s3 = stream.destination.extendedS3;
    if (target.kind !== 'data' || !s3) {
      this.deps.log.error(
        { deliveryStream: stream.arn, prefix: target.prefix, reason: err.message },
        'Firehose could not evaluate an S3 prefix; the records are dropped',
      );
      return;
    }
    const errors = errorTarget(s3, 'processing-failed');
    const lane: Lane = { kind: 'object', target: errors };
    const now = this.deps.clock.now();
    for (const item of buffer.items) {
      const data = errorRecordLine({
        ...item,
        errorCode: err.errorCode,
        errorMessage: err.message,
        endedAt: now,
      });
      this.add(state, stream, lane, 'error\nprocessing-failed', { data, arrival: item.arrival }, buffer.rows);
    }
  }

  private async deliverHttp(state: StreamState, buffer: RecordBuffer<Pending>): Promise<void> {
    const { stream } = buffer.target;
    const outcome = await deliverToHttpEndpoint(
      stream,
      buffer.items.map((i) => i.data),
      this.deps,
    );
    if (outcome.kind === 'delivered' || state.gone) return;
    const s3 = stream.destination.httpEndpoint?.S3DestinationDescription;
    if (!s3) {
      this.deps.log.error(
        { deliveryStream: stream.arn, errorCode: outcome.errorCode, reason: outcome.errorMessage },
        'Firehose gave up on the HTTP endpoint and has no S3 configuration for the failed records',
      );
      return;
    }
    const lane: Lane = { kind: 'object', target: errorTarget(s3, 'http-endpoint-failed') };
    const now = this.deps.clock.now();
    for (const item of buffer.items) {
      const data = errorRecordLine({
        ...item,
        errorCode: outcome.errorCode,
        errorMessage: outcome.errorMessage,
        // The HTTP endpoint slice reports how many requests it made, where it counts them.
        attemptsMade: (outcome as { attempts?: number }).attempts,
        endedAt: now,
      });
      this.add(
        state,
        stream,
        lane,
        'error\nhttp-endpoint-failed',
        { data, arrival: item.arrival },
        buffer.rows,
      );
    }
    // These records were buffered once and retried for RetryDuration already: they go to S3 now,
    // one object per failed batch, not after another round of buffering.
    const failed = state.buffers.get('error\nhttp-endpoint-failed');
    if (failed) this.flush(state, failed);
  }
}

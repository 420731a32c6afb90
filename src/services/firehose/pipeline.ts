import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler } from '../../core/scheduler.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import type { Journal } from '../../storage/embedded/journal.js';
import type { FrontDoors } from '../registry.js';
import type { DeliveryStreamRecord, IngestedRecord } from './model.js';

export interface PipelineDeps {
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  journal?: Journal;
  /** S3 (and Kinesis for a source) through their front doors, read at delivery time. */
  frontDoors: FrontDoors;
  hints?: HintRecorder;
}

/**
 * From records in to objects out: per stream a buffer that flushes by size or interval on the
 * clock, the processors, compression, prefixes and object names, the S3 (or HTTP endpoint)
 * delivery with its retries, error output and backup. Buffered records are journaled so an
 * acknowledged put survives a crash.
 *
 * SKELETON: the firehose-delivery slice implements it; the API slice calls these.
 */
export class DeliveryPipeline {
  constructor(readonly deps: PipelineDeps) {}

  /** Records accepted by PutRecord(Batch) or a source; synchronous so the caller answers at once. */
  ingest(_stream: DeliveryStreamRecord, _records: readonly IngestedRecord[]): Promise<void> {
    throw new Error('SKELETON');
  }

  /** The destination changed (UpdateDestination): the buffer flushes under its old settings first. */
  updated(_before: DeliveryStreamRecord, _after: DeliveryStreamRecord): Promise<void> {
    throw new Error('SKELETON');
  }

  /** The stream is gone: what is buffered is dropped, as AWS does on deletion. */
  deleted(_stream: DeliveryStreamRecord): Promise<void> {
    throw new Error('SKELETON');
  }

  /** Restores journaled buffers at start and restarts their timers. */
  open(_streams: readonly DeliveryStreamRecord[]): Promise<void> {
    throw new Error('SKELETON');
  }

  clear(): Promise<void> {
    throw new Error('SKELETON');
  }

  close(): void {}
}

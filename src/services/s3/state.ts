import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Journal } from '../../storage/embedded/journal.js';
import type { BodyStore } from '../../storage/types.js';
import type { BucketRecord, ObjectEvent, ObjectRecord } from './model.js';

/** Conditions of a write or delete (If-Match / If-None-Match: * on the request). */
export interface WriteConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

/** Who asked, for events and errors. */
export interface Requester {
  account: string;
  requestId: string;
  sourceIp: string;
}

/**
 * S3's buckets and objects: a sorted key index per bucket for listings, bodies in the BodyStore,
 * records in the journal. Every part of S3 changes objects through here, so conditions, body
 * release and object events happen in one place.
 *
 * SKELETON: the s3-objects slice implements it; the signatures are the contract the other slices
 * (multipart, access, notifications, Firehose's front door) code against.
 */
export class S3State {
  constructor(
    readonly clock: Clock,
    readonly log: Logger,
    readonly bodies: BodyStore,
    readonly journal?: Journal,
  ) {}

  /** Loads records and sweeps orphan bodies; resolves before the first request is served. */
  async open(): Promise<void> {}

  bucket(_name: string): BucketRecord | undefined {
    throw new Error('SKELETON');
  }

  /** The bucket or S3's NoSuchBucket. */
  requireBucket(_name: string): BucketRecord {
    throw new Error('SKELETON');
  }

  /** Stores a changed bucket record (tags, CORS, policy, notification configuration…). */
  async saveBucket(_bucket: BucketRecord): Promise<void> {
    throw new Error('SKELETON');
  }

  object(_bucket: string, _key: string): ObjectRecord | undefined {
    throw new Error('SKELETON');
  }

  /**
   * Makes `record` the object at its key once `conditions` hold against the current one
   * (PreconditionFailed 412; a concurrent write that wins first: 409 ConditionalRequestConflict),
   * releases the bodies it replaces, journals it and emits `event`.
   */
  async commitObject(
    _record: ObjectRecord,
    _conditions: WriteConditions,
    _event: ObjectEvent['name'],
    _requester: Requester,
  ): Promise<void> {
    throw new Error('SKELETON');
  }

  /** The object's bytes [start, end] (inclusive), across its segments, streamed. */
  readObject(_record: ObjectRecord, _start?: number, _end?: number): AsyncIterable<Uint8Array> {
    throw new Error('SKELETON');
  }

  /** Listeners for object events (notifications); called after the change is durable. */
  onObjectEvent(_listener: (event: ObjectEvent) => void): () => void {
    throw new Error('SKELETON');
  }

  /** Drops every bucket, object and body (admin reset). */
  async clear(): Promise<void> {}
}

import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Journal } from '../../storage/embedded/journal.js';
import type { BodyRef, BodyStore } from '../../storage/types.js';
import { checkWriteConditions } from './conditions.js';
import { s3Error } from './errors.js';
import { KeyIndex } from './keys-index.js';
import type { BucketRecord, ObjectEvent, ObjectRecord } from './model.js';

/** Conditions of a write or delete (If-Match / If-None-Match: * on the request). */
export interface WriteConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  /**
   * When the write began (a `state.mark()` taken before its body streamed in, or at
   * CreateMultipartUpload): conditions that still hold at commit while the key changed after it
   * answer 409 ConditionalRequestConflict, as S3 does. Without it, only 412/404 apply.
   */
  since?: number;
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
 * Checks and changes happen in one synchronous step, so two writes to a key never both see the
 * old object; the journal commit and the events follow.
 */
export class S3State {
  private readonly buckets = new Map<string, BucketRecord>();
  private readonly objects = new Map<string, KeyIndex>();
  private readonly listeners = new Set<(event: ObjectEvent) => void>();
  private readonly bucketListeners = new Set<(bucket: BucketRecord) => void>();
  /** When each key last changed (`mark()` values), for ConditionalRequestConflict. */
  private readonly changed = new Map<string, number>();
  private lastMark = 0;
  /** Bodies being read, and those released while read: dropped once the last read ends. */
  private readonly reading = new Map<string, number>();
  private readonly doomed = new Map<string, BodyRef>();

  constructor(
    readonly clock: Clock,
    readonly log: Logger,
    readonly bodies: BodyStore,
    readonly journal?: Journal,
  ) {}

  /** Loads records and sweeps orphan bodies; resolves before the first request is served. */
  async open(): Promise<void> {
    const live: BodyRef[] = [];
    if (this.journal) {
      for (const bucket of this.journal.resources<BucketRecord>('s3Buckets')) {
        this.buckets.set(bucket.name, bucket);
        this.objects.set(bucket.name, new KeyIndex());
      }
      const byBucket = new Map<string, ObjectRecord[]>();
      for (const record of this.journal.resources<ObjectRecord>('s3Objects')) {
        if (!this.buckets.has(record.bucket)) continue;
        let list = byBucket.get(record.bucket);
        if (!list) {
          list = [];
          byBucket.set(record.bucket, list);
        }
        list.push(record);
        live.push(...record.body);
      }
      for (const [bucket, records] of byBucket) this.objects.get(bucket)?.load(records);
      // Multipart uploads keep their parts' refs in their own records: every ref there is live.
      for (const upload of this.journal.resources<unknown>('s3Uploads')) collectRefs(upload, live);
    }
    await this.bodies.sweep(live);
  }

  /**
   * A point in the state's history: strictly increasing, and from the clock, so marks taken before
   * a restart stay before those taken after it.
   */
  mark(): number {
    this.lastMark = Math.max(this.lastMark + 1, this.clock.now() * 1000);
    return this.lastMark;
  }

  bucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name);
  }

  /** The bucket or S3's NoSuchBucket. */
  requireBucket(name: string): BucketRecord {
    const bucket = this.buckets.get(name);
    if (!bucket) throw s3Error.noSuchBucket(name);
    return bucket;
  }

  /** Every bucket of every account, in name order. */
  allBuckets(): BucketRecord[] {
    return [...this.buckets.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Adds a bucket; the caller has checked that the name is free. */
  async createBucket(bucket: BucketRecord): Promise<void> {
    this.buckets.set(bucket.name, bucket);
    this.objects.set(bucket.name, new KeyIndex());
    await this.persistBucket(bucket);
  }

  /** Stores a changed bucket record (tags, CORS, policy, notification configuration…). */
  async saveBucket(bucket: BucketRecord): Promise<void> {
    if (this.buckets.get(bucket.name) === undefined) throw s3Error.noSuchBucket(bucket.name);
    this.buckets.set(bucket.name, bucket);
    await this.persistBucket(bucket);
  }

  /** Removes an empty bucket (BucketNotEmpty otherwise); the parts forget what they kept for it. */
  async deleteBucket(name: string): Promise<void> {
    const bucket = this.requireBucket(name);
    if ((this.objects.get(name)?.size ?? 0) > 0) throw s3Error.bucketNotEmpty(name);
    this.buckets.delete(name);
    this.objects.delete(name);
    this.journal?.putResource('s3Buckets', name, undefined);
    await this.journal?.commit();
    for (const listener of this.bucketListeners) this.safely(() => listener(bucket));
  }

  /** Called when a bucket goes (DeleteBucket, reset), for parts that keep things per bucket. */
  onBucketDeleted(listener: (bucket: BucketRecord) => void): () => void {
    this.bucketListeners.add(listener);
    return () => this.bucketListeners.delete(listener);
  }

  /** The bucket's keys in S3's order, for listings (NoSuchBucket when it is gone). */
  keys(bucket: string): KeyIndex {
    const index = this.objects.get(bucket);
    if (!index) throw s3Error.noSuchBucket(bucket);
    return index;
  }

  object(bucket: string, key: string): ObjectRecord | undefined {
    return this.objects.get(bucket)?.get(key);
  }

  /**
   * Makes `record` the object at its key once `conditions` hold against the current one
   * (PreconditionFailed 412; a concurrent write that wins first: 409 ConditionalRequestConflict),
   * releases the bodies it replaces, journals it and emits `event`.
   */
  async commitObject(
    record: ObjectRecord,
    conditions: WriteConditions,
    event: ObjectEvent['name'],
    requester: Requester,
  ): Promise<void> {
    const bucket = this.requireBucket(record.bucket);
    const index = this.keys(record.bucket);
    const current = index.get(record.key);
    checkWriteConditions(current, conditions, record.key, this.changedSince(record, conditions.since));
    index.set(record);
    const mark = this.mark();
    this.changed.set(changeKey(record.bucket, record.key), mark);
    this.journal?.putResource('s3Objects', objectKey(record.bucket, record.key), record);
    if (current) this.release(current.body);
    await this.journal?.commit();
    this.emit({
      name: event,
      bucket,
      key: record.key,
      size: record.size,
      etag: record.etag.replaceAll('"', ''),
      sequencer: sequencer(mark),
      time: this.clock.now(),
      requester: requester.account,
      sourceIp: requester.sourceIp,
      requestId: requester.requestId,
      hostId: hostId(),
    });
  }

  /**
   * Removes the object at `key` once `conditions` hold (If-Match: 412 on another ETag; a missing
   * key with If-Match: NoSuchKey as S3 answers), releases its bodies and emits ObjectRemoved:Delete.
   * Resolves with the removed record, or undefined when there was none.
   */
  async deleteObject(
    bucketName: string,
    key: string,
    conditions: WriteConditions,
    requester: Requester,
  ): Promise<ObjectRecord | undefined> {
    const bucket = this.requireBucket(bucketName);
    const index = this.keys(bucketName);
    const current = index.get(key);
    if (conditions.ifMatch !== undefined || conditions.ifNoneMatch !== undefined)
      checkWriteConditions(current, conditions, key, false);
    if (!current) return undefined;
    index.delete(key);
    const mark = this.mark();
    this.changed.set(changeKey(bucketName, key), mark);
    this.journal?.putResource('s3Objects', objectKey(bucketName, key), undefined);
    this.release(current.body);
    await this.journal?.commit();
    this.emit({
      name: 'ObjectRemoved:Delete',
      bucket,
      key,
      sequencer: sequencer(mark),
      time: this.clock.now(),
      requester: requester.account,
      sourceIp: requester.sourceIp,
      requestId: requester.requestId,
      hostId: hostId(),
    });
    return current;
  }

  /**
   * Replaces an object's record without touching its bytes (tags put or deleted): no condition,
   * the same bodies; emits `event` when given.
   */
  async updateObject(
    record: ObjectRecord,
    event: ObjectEvent['name'] | undefined,
    requester: Requester,
  ): Promise<void> {
    const bucket = this.requireBucket(record.bucket);
    const index = this.keys(record.bucket);
    if (!index.get(record.key)) throw s3Error.noSuchKey(record.key);
    index.set(record);
    this.journal?.putResource('s3Objects', objectKey(record.bucket, record.key), record);
    await this.journal?.commit();
    if (!event) return;
    this.emit({
      name: event,
      bucket,
      key: record.key,
      size: record.size,
      etag: record.etag.replaceAll('"', ''),
      sequencer: sequencer(this.mark()),
      time: this.clock.now(),
      requester: requester.account,
      sourceIp: requester.sourceIp,
      requestId: requester.requestId,
      hostId: hostId(),
    });
  }

  /** The object's bytes [start, end] (inclusive), across its segments, streamed. */
  readObject(record: ObjectRecord, start = 0, end = record.size - 1): AsyncIterable<Uint8Array> {
    // The bodies stay until this read ends, even if the object is replaced meanwhile.
    const refs = record.body;
    for (const ref of refs) this.reading.set(ref.id, (this.reading.get(ref.id) ?? 0) + 1);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const ref of refs) this.unpin(ref);
    };
    const pieces = this.segments(refs, start, end);
    return {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          try {
            const step = await pieces.next();
            if (step.done) finish();
            return step;
          } catch (err) {
            finish();
            throw err;
          }
        },
        return: async (value?: unknown) => {
          finish();
          return pieces.return(value as undefined);
        },
      }),
    };
  }

  private async *segments(refs: BodyRef[], start: number, end: number): AsyncGenerator<Uint8Array> {
    let offset = 0;
    for (const ref of refs) {
      const from = Math.max(start - offset, 0);
      const to = Math.min(end - offset, ref.size - 1);
      if (from <= to) {
        let read = 0;
        for await (const piece of this.bodies.read(ref, from, to)) {
          read += piece.length;
          yield piece;
        }
        // A body shorter than its record (lost from the store) must end the answer, not stall it.
        if (read !== to - from + 1) throw new Error(`s3 body ${ref.id} is shorter than its record`);
      }
      offset += ref.size;
      if (offset > end) return;
    }
  }

  /** Drops bodies nothing names any more; one being read goes when its read ends. */
  release(refs: BodyRef[]): void {
    for (const ref of refs) {
      if (this.reading.has(ref.id)) this.doomed.set(ref.id, ref);
      else this.drop(ref);
    }
  }

  private unpin(ref: BodyRef): void {
    const count = (this.reading.get(ref.id) ?? 1) - 1;
    if (count > 0) {
      this.reading.set(ref.id, count);
      return;
    }
    this.reading.delete(ref.id);
    const doomed = this.doomed.get(ref.id);
    if (doomed) {
      this.doomed.delete(ref.id);
      this.drop(doomed);
    }
  }

  private drop(ref: BodyRef): void {
    this.bodies.release(ref).catch((err) => this.log.warn({ err, body: ref.id }, 's3 body release failed'));
  }

  /** Listeners for object events (notifications); called after the change is durable. */
  onObjectEvent(listener: (event: ObjectEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops every bucket, object and body (admin reset). */
  async clear(): Promise<void> {
    const buckets = [...this.buckets.values()];
    this.buckets.clear();
    this.objects.clear();
    this.changed.clear();
    this.doomed.clear();
    if (this.journal) {
      this.journal.clearResources('s3Buckets');
      this.journal.clearResources('s3Objects');
      await this.journal.commit();
    }
    await this.bodies.clear();
    for (const bucket of buckets)
      for (const listener of this.bucketListeners) this.safely(() => listener(bucket));
  }

  private changedSince(record: ObjectRecord, since: number | undefined): boolean {
    if (since === undefined) return false;
    return (this.changed.get(changeKey(record.bucket, record.key)) ?? 0) > since;
  }

  private async persistBucket(bucket: BucketRecord): Promise<void> {
    this.journal?.putResource('s3Buckets', bucket.name, bucket);
    await this.journal?.commit();
  }

  private emit(event: ObjectEvent): void {
    for (const listener of this.listeners) this.safely(() => listener(event));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, 's3 listener failed');
    }
  }
}

function objectKey(bucket: string, key: string): string {
  // Bucket names hold no '/', so the first one ends the bucket.
  return `${bucket}/${key}`;
}

function changeKey(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}

/** S3's sequencer: hex that grows with each change, compared as strings of one length. */
function sequencer(mark: number): string {
  return mark.toString(16).toUpperCase().padStart(18, '0');
}

function hostId(): string {
  return randomBytes(48).toString('base64');
}

/** Every BodyRef-shaped value inside a record whose shape this part does not know. */
function collectRefs(value: unknown, into: BodyRef[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const v = value as Record<string, unknown>;
  if (typeof v.id === 'string' && typeof v.size === 'number' && isRefShaped(v)) {
    into.push(
      typeof v.inline === 'string'
        ? { id: v.id, size: v.size, inline: v.inline }
        : { id: v.id, size: v.size },
    );
    return;
  }
  for (const child of Object.values(v)) collectRefs(child, into);
}

function isRefShaped(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value).length;
  return keys === 2 || (keys === 3 && typeof value.inline === 'string');
}

import { randomBytes } from 'node:crypto';
import { EmbeddedRecords } from '../../storage/embedded/records.js';
import type { BodyRef } from '../../storage/types.js';
import type { ChecksumAlgorithm, Tag } from './model.js';
import type { S3State } from './state.js';

/** One uploaded part, its body kept until the upload completes (then the object's) or is aborted. */
export interface UploadedPart {
  partNumber: number;
  body: BodyRef;
  /** Quoted md5 of the part. */
  etag: string;
  /** Epoch milliseconds. */
  lastModified: number;
  /**
   * Base64, in the upload's algorithm; CRC64NVME for an upload without one, so that the object
   * still gets its full-object CRC64NVME at completion as on S3 (not listed then).
   */
  checksum: string;
}

/** A multipart upload in progress, one journal row ('s3Uploads') with --data-dir. */
export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  /** Epoch milliseconds. */
  initiated: number;
  /**
   * `state.mark()` at creation: a key that changed after it makes a conditional completion a
   * lost race (409 ConditionalRequestConflict), as on S3.
   */
  since: number;
  /** The account that started it. */
  owner: string;
  algorithm?: ChecksumAlgorithm;
  checksumType?: 'COMPOSITE' | 'FULL_OBJECT';
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  metadata: Record<string, string>;
  tags?: Tag[];
  storageClass?: string;
  /** By part number, ascending. */
  parts: UploadedPart[];
}

/**
 * Multipart uploads in progress, written through to the journal so an upload outlives a restart
 * with its parts. The parts' bodies are live for the start-up body sweep (`liveBodies`).
 */
export class UploadStore {
  private readonly records: EmbeddedRecords<UploadRecord>;

  constructor(private readonly state: S3State) {
    this.records = new EmbeddedRecords<UploadRecord>('s3Uploads', state.journal, (u) => u.uploadId);
  }

  /** Upload ids as S3 makes them: long, opaque, URL-safe. */
  static newId(): string {
    return randomBytes(48).toString('base64url');
  }

  get(uploadId: string): UploadRecord | undefined {
    return this.records.get(uploadId);
  }

  /** Uploads of a bucket by key, then by start (the order ListMultipartUploads answers in). */
  ofBucket(bucket: string): UploadRecord[] {
    return this.records
      .values()
      .filter((u) => u.bucket === bucket)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.since - b.since));
  }

  async save(upload: UploadRecord): Promise<void> {
    await this.records.put(upload.uploadId, upload);
  }

  /**
   * Attaches a part whose body is committed, replacing (and releasing) an earlier one of the same
   * number. Answers false, releasing nothing, when the upload ended meanwhile: the caller owns the
   * body then.
   */
  async attachPart(uploadId: string, part: UploadedPart): Promise<boolean> {
    const upload = this.records.get(uploadId);
    if (!upload) return false;
    const at = upload.parts.findIndex((p) => p.partNumber >= part.partNumber);
    let replaced: UploadedPart | undefined;
    if (at < 0) upload.parts.push(part);
    else if (upload.parts[at].partNumber === part.partNumber) replaced = upload.parts.splice(at, 1, part)[0];
    else upload.parts.splice(at, 0, part);
    await this.records.put(uploadId, upload);
    if (replaced) this.state.release([replaced.body]);
    return true;
  }

  /**
   * Takes the upload out before its object is committed, so that a crash in between leaves at
   * worst orphan bodies for the sweep, never an upload naming an object's bodies. `restore` puts it
   * back when the commit is refused.
   */
  async take(upload: UploadRecord): Promise<void> {
    await this.records.delete(upload.uploadId);
  }

  async restore(upload: UploadRecord): Promise<void> {
    await this.records.put(upload.uploadId, upload);
  }

  /** Ends an upload and releases every part's body (AbortMultipartUpload, bucket deleted). */
  async abort(upload: UploadRecord): Promise<void> {
    await this.take(upload);
    this.state.release(upload.parts.map((p) => p.body));
  }

  /** Aborts every upload of a bucket: S3 deletes a bucket whose only content is uploads in progress. */
  async abortBucket(bucket: string): Promise<void> {
    for (const upload of this.ofBucket(bucket)) await this.abort(upload);
  }

  /** Every part body an upload names, for the start-up sweep. */
  liveBodies(): BodyRef[] {
    return this.records.values().flatMap((u) => u.parts.map((p) => p.body));
  }

  /** Forgets every upload (admin reset; the body store is cleared with the objects). */
  async clear(): Promise<void> {
    await this.records.clear();
  }
}

const stores = new WeakMap<S3State, UploadStore>();

/** The upload store of an S3 state (one per server), made on first use. */
export function uploadsOf(state: S3State): UploadStore {
  let store = stores.get(state);
  if (!store) {
    store = new UploadStore(state);
    stores.set(state, store);
  }
  return store;
}

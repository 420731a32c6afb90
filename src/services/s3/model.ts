import type { BodyRef } from '../../storage/types.js';

// The records S3 keeps, shared by its parts (buckets and objects, multipart, access, notifications)
// and stored one row each in the journal ('s3Buckets', 's3Objects', 's3Uploads') with --data-dir.

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

/** An object's checksum as S3 reports it: base64, `-N` appended for a composite one. */
export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface BucketRecord {
  name: string;
  /** The owner; bucket names are global across accounts, as on AWS. */
  account: string;
  /** The location constraint's region ('us-east-1' when none was given). */
  region: string;
  /** Epoch milliseconds. */
  created: number;
  tags?: Tag[];
  /** Versioning is never enabled in Tideway: only 'Suspended' after a request asked for it. */
  versioning?: 'Suspended';
  /** PutBucketCors's rules, as the SDK's CORSRule (access.ts). */
  cors?: unknown[];
  /** PutBucketPolicy's document, as given. */
  policy?: string;
  /** PutBucketNotificationConfiguration's configuration, as the SDK's NotificationConfiguration. */
  notification?: unknown;
  /** Other per-bucket settings a part stores (ownership controls, public access block…). */
  settings?: Record<string, unknown>;
}

/** One part of a multipart object, kept for `partNumber` reads and GetObjectAttributes. */
export interface ObjectPart {
  size: number;
  etag: string;
  checksum?: string;
}

export interface ObjectRecord {
  bucket: string;
  key: string;
  size: number;
  /** Quoted, as S3 sends it: `"<md5 hex>"`, or `"<md5 of part md5s>-N"` for multipart. */
  etag: string;
  /** Epoch milliseconds, whole seconds as S3 keeps them. */
  lastModified: number;
  /** The body, in order: one segment, or one per part of a multipart upload (no copy at completion). */
  body: BodyRef[];
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** The Expires header as given (an http-date). */
  expires?: string;
  /** `x-amz-meta-*` without the prefix, names lower-cased. */
  metadata: Record<string, string>;
  checksum?: StoredChecksum;
  parts?: ObjectPart[];
  tags?: Tag[];
  storageClass?: string;
  /** Who wrote it (account id), for FetchOwner and the events' principalId. */
  owner: string;
}

/** The event names S3 notifications use, without the `s3:` prefix. */
export type ObjectEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated'
  | 'ObjectTagging:Put'
  | 'ObjectTagging:Delete';

/** What happened to an object, as the notification part turns it into events. */
export interface ObjectEvent {
  name: ObjectEventName;
  bucket: BucketRecord;
  key: string;
  size?: number;
  /** Unquoted. */
  etag?: string;
  versionId?: string;
  /** Hex, growing per key as S3's sequencer does. */
  sequencer: string;
  /** Epoch milliseconds on the server clock. */
  time: number;
  /** The account (or service principal) that made the request. */
  requester: string;
  sourceIp: string;
  requestId: string;
  hostId: string;
}

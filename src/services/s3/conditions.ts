import { s3Error } from './errors.js';
import type { ObjectRecord } from './model.js';
import type { S3State } from './state.js';

/**
 * S3's conditional requests: the read conditions of GetObject/HeadObject and of a copy source
 * (RFC 7232's precedence: If-Match over If-Unmodified-Since, If-None-Match over
 * If-Modified-Since), and the write conditions of PutObject, CopyObject,
 * CompleteMultipartUpload and DeleteObject (If-Match, If-None-Match: *).
 */

/** An entity tag as given in a condition, compared without quotes or a weak prefix. */
function bareTag(tag: string): string {
  let t = tag.trim();
  if (t.startsWith('W/')) t = t.slice(2);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
  return t;
}

/** Whether a condition's list of tags (`"a", "b"`, or `*`) names this ETag. */
export function etagMatches(condition: string, etag: string): boolean {
  const own = bareTag(etag);
  return condition.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || bareTag(tag) === own;
  });
}

export interface ReadConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date;
  ifUnmodifiedSince?: Date;
}

/**
 * Throws 412 (or, for a plain read, 304 for the "none match / modified since" pair) when the
 * conditions do not hold for `record`. `prefix` names the headers in the error
 * (`x-amz-copy-source-` for a copy source, whose failures are all 412).
 */
export function checkReadConditions(
  record: ObjectRecord,
  conditions: ReadConditions,
  now: number,
  copySource = false,
): void {
  const name = (header: string) => (copySource ? `x-amz-copy-source-${header}` : header);
  const seconds = Math.floor(record.lastModified / 1000);
  const at = (date: Date) => Math.floor(date.getTime() / 1000);
  if (conditions.ifMatch !== undefined) {
    if (!etagMatches(conditions.ifMatch, record.etag)) throw s3Error.preconditionFailed(name('If-Match'));
  } else if (conditions.ifUnmodifiedSince !== undefined && validDate(conditions.ifUnmodifiedSince)) {
    if (seconds > at(conditions.ifUnmodifiedSince))
      throw s3Error.preconditionFailed(name('If-Unmodified-Since'));
  }
  const notModified = (header: string) =>
    copySource ? s3Error.preconditionFailed(name(header)) : s3Error.notModified();
  if (conditions.ifNoneMatch !== undefined) {
    if (etagMatches(conditions.ifNoneMatch, record.etag)) throw notModified('If-None-Match');
  } else if (conditions.ifModifiedSince !== undefined && validDate(conditions.ifModifiedSince)) {
    // A date in the future is ignored, as HTTP says and S3 does.
    const since = at(conditions.ifModifiedSince);
    if (since <= Math.floor(now / 1000) && seconds <= since) throw notModified('If-Modified-Since');
  }
}

function validDate(date: Date): boolean {
  return !Number.isNaN(date.getTime());
}

export interface WriteConditionHeaders {
  ifMatch?: string;
  ifNoneMatch?: string;
}

/**
 * The forms S3 accepts before it reads a body: `If-None-Match` only as `*`, `If-Match` never as
 * `*`, and not both at once (501 NotImplemented naming the header).
 */
export function validateWriteConditions(conditions: WriteConditionHeaders): void {
  const { ifMatch, ifNoneMatch } = conditions;
  if (ifMatch !== undefined && ifNoneMatch !== undefined)
    throw s3Error.headerNotImplemented(
      'If-Match,If-None-Match',
      'Multiple conditional request headers present in the request',
    );
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*')
    throw s3Error.headerNotImplemented(
      'If-None-Match',
      "We don't accept the provided value of If-None-Match header for this API",
    );
  if (ifMatch !== undefined && ifMatch.trim() === '*')
    throw s3Error.headerNotImplemented(
      'If-Match',
      "We don't accept the provided value of If-Match header for this API",
    );
}

/**
 * Checks write conditions against the object now at the key: If-Match on a missing key is
 * NoSuchKey, a different ETag 412, If-None-Match: * on an existing key 412. When they hold but
 * the key changed after the write began (`changedSince`), another request won the race: 409.
 */
export function checkWriteConditions(
  current: ObjectRecord | undefined,
  conditions: WriteConditionHeaders,
  key: string,
  changedSince: boolean,
): void {
  if (conditions.ifMatch !== undefined) {
    if (!current) throw s3Error.noSuchKey(key);
    if (!etagMatches(conditions.ifMatch, current.etag)) throw s3Error.preconditionFailed('If-Match');
    if (changedSince) throw s3Error.conditionalRequestConflict('If-Match', key);
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (current) throw s3Error.preconditionFailed('If-None-Match');
    if (changedSince) throw s3Error.conditionalRequestConflict('If-None-Match', key);
  }
}

/** The `x-amz-copy-source-if-*` members of CopyObject and UploadPartCopy. */
export interface CopySourceConditions {
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date;
}

/** The object a copy reads (NoSuchKey without one), once its copy-source conditions hold (412). */
export function copySourceObject(
  state: S3State,
  bucket: string,
  key: string,
  input: CopySourceConditions,
  now: number,
): ObjectRecord {
  const source = state.object(bucket, key);
  if (!source) throw s3Error.noSuchKey(key);
  checkReadConditions(
    source,
    {
      ifMatch: input.CopySourceIfMatch,
      ifNoneMatch: input.CopySourceIfNoneMatch,
      ifModifiedSince: input.CopySourceIfModifiedSince,
      ifUnmodifiedSince: input.CopySourceIfUnmodifiedSince,
    },
    now,
    true,
  );
  return source;
}

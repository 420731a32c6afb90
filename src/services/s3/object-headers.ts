import type { RequestContext } from '../../protocols/service.js';
import { checksumMember } from './digests.js';
import { s3Error } from './errors.js';
import type { ObjectRecord, StoredChecksum } from './model.js';
import type { Requester } from './state.js';

/** The headers GetObject and HeadObject answer for a stored object (before overrides). */
export function objectHeaders(record: ObjectRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    AcceptRanges: 'bytes',
    LastModified: new Date(record.lastModified),
    ContentLength: record.size,
    ETag: record.etag,
    ContentType: record.contentType ?? 'binary/octet-stream',
    Metadata: { ...record.metadata },
    ServerSideEncryption: 'AES256',
  };
  if (record.cacheControl !== undefined) out.CacheControl = record.cacheControl;
  if (record.contentDisposition !== undefined) out.ContentDisposition = record.contentDisposition;
  if (record.contentEncoding !== undefined) out.ContentEncoding = record.contentEncoding;
  if (record.contentLanguage !== undefined) out.ContentLanguage = record.contentLanguage;
  if (record.expires !== undefined) {
    const expires = new Date(record.expires);
    // The model types Expires as a string: it goes out as the HTTP date AWS sends, not Date#toString.
    if (!Number.isNaN(expires.getTime())) out.Expires = expires.toUTCString();
  }
  if (record.storageClass !== undefined && record.storageClass !== 'STANDARD')
    out.StorageClass = record.storageClass;
  return out;
}

/** `ChecksumCRC32: …` and `ChecksumType` as S3 answers a stored checksum. */
export function checksumFields(checksum: StoredChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [checksumMember(checksum.algorithm)]: checksum.value, ChecksumType: checksum.type };
}

/** The Requester of a request, for object events. */
export function requesterOf(ctx: RequestContext): Requester {
  return { account: ctx.caller.account, requestId: ctx.requestId, sourceIp: '127.0.0.1' };
}

/** S3 keys are at most 1,024 bytes of UTF-8. */
export function checkKey(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > 1024) throw s3Error.keyTooLong(size);
}

/** S3 keeps object times to the second. */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

const METADATA_LIMIT = 2048;

/** User metadata is at most 2 KB, names and values counted in UTF-8 (MetadataTooLarge). */
export function checkMetadata(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  let size = 0;
  for (const [name, value] of Object.entries(metadata ?? {})) {
    const lower = name.toLowerCase();
    out[lower] = value;
    size += Buffer.byteLength(lower) + Buffer.byteLength(value);
  }
  if (size > METADATA_LIMIT) throw s3Error.metadataTooLarge(size, METADATA_LIMIT);
  return out;
}

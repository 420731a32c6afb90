import type * as S from '@aws-sdk/client-s3';
import { isServiceError } from '../../protocols/errors.js';
import { HTTP_STATUS, RestServiceError } from '../../protocols/rest-dispatch.js';
import type { RequestContext } from '../../protocols/service.js';
import type { BodyRef } from '../../storage/types.js';
import { withOwnerChecks } from './bucket-owner.js';
import {
  checkReadConditions,
  checkWriteConditions,
  copySourceObject,
  validateWriteConditions,
} from './conditions.js';
import { bodyDigests } from './digest-offload.js';
import { CHECKSUM_ALGORITHMS } from './digests.js';
import { s3Error } from './errors.js';
import type { ChecksumAlgorithm, ObjectRecord, StoredChecksum, Tag } from './model.js';
import {
  checkKey,
  checkMetadata,
  checksumFields,
  objectHeaders,
  requesterOf,
  wholeSeconds,
} from './object-headers.js';
import type { S3Deps, S3Handlers } from './operations.js';
import { type ByteRange, parseRange } from './ranges.js';
import type { S3State } from './state.js';
import { parseTaggingHeader, validateTags } from './tags.js';

/** The largest object a single PutObject may write (5 GiB). */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

const STORAGE_CLASSES = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
]);

/** Storage classes whose objects must be restored before they can be read. */
const ARCHIVED = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** The bytes of a body as stored: its ref, MD5 (the ETag) and the checksum S3 keeps. */
export interface StoredBody {
  ref: BodyRef;
  md5: string;
  checksum: StoredChecksum;
}

/**
 * Streams `body` into the BodyStore while computing its MD5 and `algorithm`'s checksum; nothing
 * remains of it if the stream fails (a checksum that does not match, a client gone).
 */
export async function storeBody(
  state: S3State,
  body: AsyncIterable<Uint8Array> | undefined,
  algorithm: ChecksumAlgorithm,
): Promise<StoredBody> {
  const writer = state.bodies.create();
  const digests = bodyDigests(algorithm);
  let digested: { md5: Buffer; checksum: Buffer };
  try {
    for await (const piece of body ?? []) {
      const behind = digests.update(piece);
      await writer.write(piece);
      if (behind) await behind;
    }
    digested = await digests.finish();
  } catch (err) {
    digests.drop();
    await writer.abort();
    throw err;
  }
  const ref = await writer.commit();
  return {
    ref,
    md5: digested.md5.toString('hex'),
    checksum: { algorithm, value: digested.checksum.toString('base64'), type: 'FULL_OBJECT' },
  };
}

/**
 * The checksum a write keeps: the one the client declared (a header value, or the algorithm whose
 * trailer the codec verifies), CRC64NVME when none, as S3 does since 2025.
 */
export function chosenAlgorithm(input: Record<string, unknown>): ChecksumAlgorithm {
  const given = CHECKSUM_ALGORITHMS.filter((a) => input[`Checksum${a}`] !== undefined);
  const newer = ['SHA512', 'MD5', 'XXHASH64', 'XXHASH3', 'XXHASH128'].filter(
    (a) => input[`Checksum${a}`] !== undefined,
  );
  if (given.length + newer.length > 1)
    throw s3Error.invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  if (newer.length > 0) throw unsupportedAlgorithm();
  if (given.length === 1) return given[0];
  const declared = input.ChecksumAlgorithm;
  if (declared === undefined) return 'CRC64NVME';
  const upper = String(declared).toUpperCase() as ChecksumAlgorithm;
  if (!CHECKSUM_ALGORITHMS.includes(upper)) throw unsupportedAlgorithm();
  return upper;
}

function unsupportedAlgorithm() {
  return s3Error.invalidRequest(
    'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
  );
}

/** What S3 refuses on any write of an object before reading its body. */
export function checkWriteOptions(input: {
  StorageClass?: string;
  ACL?: string;
  SSECustomerAlgorithm?: string;
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWriteACP?: string;
}): void {
  if (input.StorageClass !== undefined && !STORAGE_CLASSES.has(input.StorageClass))
    throw s3Error.invalidStorageClass(input.StorageClass);
  // New buckets have ObjectOwnership BucketOwnerEnforced: only the owner-only canned ACLs pass.
  if (
    (input.ACL !== undefined && input.ACL !== 'private' && input.ACL !== 'bucket-owner-full-control') ||
    input.GrantFullControl !== undefined ||
    input.GrantRead !== undefined ||
    input.GrantReadACP !== undefined ||
    input.GrantWriteACP !== undefined
  )
    throw s3Error.aclNotSupported();
  if (input.SSECustomerAlgorithm !== undefined)
    throw s3Error.notImplemented(
      'Server-side encryption with customer-provided keys (SSE-C) is not supported by Tideway.',
    );
  if (
    input.ObjectLockMode !== undefined ||
    input.ObjectLockRetainUntilDate !== undefined ||
    input.ObjectLockLegalHoldStatus !== undefined
  )
    throw s3Error.invalidRequest('Bucket is missing Object Lock Configuration');
}

export function objectOperations({ state, clock }: S3Deps): S3Handlers {
  async function putObject(
    input: S.PutObjectRequest & { Body?: AsyncIterable<Uint8Array> },
    ctx: RequestContext,
  ) {
    state.requireBucket(input.Bucket!);
    const key = input.Key!;
    checkKey(key);
    const conditions = { ifMatch: input.IfMatch, ifNoneMatch: input.IfNoneMatch };
    validateWriteConditions(conditions);
    checkWriteOptions(input);
    if (input.ContentLength !== undefined && input.ContentLength > MAX_PUT_SIZE)
      throw s3Error.entityTooLarge(input.ContentLength, MAX_PUT_SIZE);
    const metadata = checkMetadata(input.Metadata);
    const tags = parseTaggingHeader(input.Tagging);
    const algorithm = chosenAlgorithm(input as unknown as Record<string, unknown>);
    const since = state.mark();
    // Fails early, before the upload, when the conditions already do not hold.
    checkWriteConditions(state.object(input.Bucket!, key), conditions, key, false);
    const stored = await storeBody(state, input.Body, algorithm);
    const record: ObjectRecord = {
      bucket: input.Bucket!,
      key,
      size: stored.ref.size,
      etag: `"${stored.md5}"`,
      lastModified: wholeSeconds(clock.now()),
      body: [stored.ref],
      metadata,
      checksum: stored.checksum,
      owner: ctx.caller.account,
    };
    if (input.ContentType !== undefined) record.contentType = input.ContentType;
    if (input.ContentEncoding !== undefined && input.ContentEncoding !== '')
      record.contentEncoding = input.ContentEncoding;
    if (input.ContentDisposition !== undefined) record.contentDisposition = input.ContentDisposition;
    if (input.ContentLanguage !== undefined) record.contentLanguage = input.ContentLanguage;
    if (input.CacheControl !== undefined) record.cacheControl = input.CacheControl;
    if (input.Expires !== undefined) record.expires = new Date(input.Expires).toUTCString();
    if (input.StorageClass !== undefined && input.StorageClass !== 'STANDARD')
      record.storageClass = input.StorageClass;
    if (tags && tags.length > 0) record.tags = tags;
    try {
      await state.commitObject(record, { ...conditions, since }, 'ObjectCreated:Put', requesterOf(ctx));
    } catch (err) {
      state.release([stored.ref]);
      throw err;
    }
    return {
      ETag: record.etag,
      ...checksumFields(record.checksum),
      ServerSideEncryption: 'AES256',
    };
  }

  /** The object, its byte range and the answer's headers, shared by GetObject and HeadObject. */
  function read(input: S.GetObjectRequest | S.HeadObjectRequest) {
    state.requireBucket(input.Bucket!);
    const key = input.Key!;
    if (input.VersionId !== undefined && input.VersionId !== 'null')
      throw s3Error.invalidArgument('Invalid version id specified', 'versionId', input.VersionId);
    if (input.PartNumber !== undefined && (input.PartNumber < 1 || input.PartNumber > 10000))
      throw s3Error.invalidArgument(
        'Part number must be an integer between 1 and 10000, inclusive',
        'partNumber',
        String(input.PartNumber),
      );
    if (input.PartNumber !== undefined && input.Range !== undefined)
      throw s3Error.invalidRequest('Cannot specify both Range header and partNumber query parameter');
    if (input.SSECustomerAlgorithm !== undefined)
      throw s3Error.notImplemented(
        'Server-side encryption with customer-provided keys (SSE-C) is not supported by Tideway.',
      );
    const record = state.object(input.Bucket!, key);
    if (!record) throw s3Error.noSuchKey(key);
    try {
      checkReadConditions(
        record,
        {
          ifMatch: input.IfMatch,
          ifNoneMatch: input.IfNoneMatch,
          ifModifiedSince: input.IfModifiedSince,
          ifUnmodifiedSince: input.IfUnmodifiedSince,
        },
        clock.now(),
      );
    } catch (err) {
      throw isServiceError(err) && err.status === 304 ? notModifiedFor(record) : err;
    }
    const out: Record<string | symbol, unknown> = objectHeaders(record);
    let range: ByteRange | undefined;
    if (input.PartNumber !== undefined) {
      const parts = record.parts ?? [{ size: record.size, etag: record.etag }];
      if (input.PartNumber > parts.length) throw s3Error.invalidPartNumber(input.PartNumber, parts.length);
      let start = 0;
      for (let i = 0; i < input.PartNumber - 1; i++) start += parts[i].size;
      range = { start, end: start + parts[input.PartNumber - 1].size - 1 };
      if (record.parts) out.PartsCount = record.parts.length;
    } else if (input.Range !== undefined) {
      range = parseRange(input.Range, record.size);
    }
    const whole = !range || (range.start === 0 && range.end === record.size - 1);
    if (range) {
      out.ContentLength = range.end - range.start + 1;
      out.ContentRange = `bytes ${range.start}-${range.end}/${record.size}`;
      out[HTTP_STATUS] = 206;
      // An empty part of an empty object has no bytes to name.
      if (out.ContentLength === 0) out.ContentRange = undefined;
    }
    if (input.ChecksumMode === 'ENABLED') Object.assign(out, readChecksum(record, whole, input.PartNumber));
    if (input.VersionId === 'null') out.VersionId = 'null';
    if (record.tags && record.tags.length > 0) out.TagCount = record.tags.length;
    applyOverrides(out, input as S.GetObjectRequest);
    return { record, range, out };
  }

  return withOwnerChecks(state, {
    PutObject: putObject,

    GetObject(input: S.GetObjectRequest) {
      const { record, range, out } = read(input);
      if (record.storageClass && ARCHIVED.has(record.storageClass))
        throw s3Error.invalidObjectState(record.storageClass);
      out.Body = state.readObject(record, range?.start ?? 0, range?.end ?? record.size - 1);
      return out;
    },

    HeadObject(input: S.HeadObjectRequest) {
      const { out } = read(input);
      return out;
    },

    async CopyObject(input: S.CopyObjectRequest, ctx: RequestContext) {
      const source = parseCopySource(input.CopySource!);
      const bucket = input.Bucket!;
      const key = input.Key!;
      state.requireBucket(bucket);
      checkKey(key);
      const conditions = { ifMatch: input.IfMatch, ifNoneMatch: input.IfNoneMatch };
      validateWriteConditions(conditions);
      checkWriteOptions(input);
      state.requireBucket(source.bucket);
      const from = copySourceObject(state, source.bucket, source.key, input, clock.now());
      if (from.storageClass && ARCHIVED.has(from.storageClass))
        throw s3Error.invalidObjectState(from.storageClass);
      const replaceMetadata = input.MetadataDirective === 'REPLACE';
      const algorithm = input.ChecksumAlgorithm
        ? chosenAlgorithm(input as unknown as Record<string, unknown>)
        : (from.checksum?.algorithm ?? 'CRC64NVME');
      if (
        source.bucket === bucket &&
        source.key === key &&
        !replaceMetadata &&
        // Naming a storage class, even the object's own, makes it a change (as AWS records it).
        input.StorageClass === undefined &&
        input.WebsiteRedirectLocation === undefined &&
        input.ServerSideEncryption === undefined &&
        (input.ChecksumAlgorithm === undefined || algorithm === from.checksum?.algorithm)
      )
        throw s3Error.invalidRequest(
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        );
      const tags =
        input.TaggingDirective === 'REPLACE' ? (parseTaggingHeader(input.Tagging) ?? []) : (from.tags ?? []);
      const metadata = replaceMetadata ? checkMetadata(input.Metadata) : { ...from.metadata };
      const since = state.mark();
      checkWriteConditions(state.object(bucket, key), conditions, key, false);
      const stored = await storeBody(state, state.readObject(from), algorithm);
      const record: ObjectRecord = {
        bucket,
        key,
        size: stored.ref.size,
        etag: `"${stored.md5}"`,
        lastModified: wholeSeconds(clock.now()),
        body: [stored.ref],
        metadata,
        checksum: stored.checksum,
        owner: ctx.caller.account,
      };
      const headers = replaceMetadata
        ? {
            contentType: input.ContentType,
            contentEncoding: input.ContentEncoding,
            contentDisposition: input.ContentDisposition,
            contentLanguage: input.ContentLanguage,
            cacheControl: input.CacheControl,
            expires: input.Expires === undefined ? undefined : new Date(input.Expires).toUTCString(),
          }
        : {
            contentType: from.contentType,
            contentEncoding: from.contentEncoding,
            contentDisposition: from.contentDisposition,
            contentLanguage: from.contentLanguage,
            cacheControl: from.cacheControl,
            expires: from.expires,
          };
      for (const [name, value] of Object.entries(headers))
        if (value !== undefined && value !== '') (record as unknown as Record<string, unknown>)[name] = value;
      const storageClass = input.StorageClass ?? 'STANDARD';
      if (storageClass !== 'STANDARD') record.storageClass = storageClass;
      if (tags.length > 0) record.tags = tags;
      try {
        await state.commitObject(record, { ...conditions, since }, 'ObjectCreated:Copy', requesterOf(ctx));
      } catch (err) {
        state.release([stored.ref]);
        throw err;
      }
      return {
        CopyObjectResult: {
          ETag: record.etag,
          LastModified: new Date(record.lastModified),
          ...checksumFields(record.checksum),
        },
        ServerSideEncryption: 'AES256',
      };
    },

    async DeleteObject(input: S.DeleteObjectRequest, ctx: RequestContext) {
      state.requireBucket(input.Bucket!);
      if (input.BypassGovernanceRetention !== undefined) throw s3Error.bypassWithoutObjectLock();
      if (input.IfMatchLastModifiedTime !== undefined)
        throw s3Error.headerNotImplemented('x-amz-if-match-last-modified-time');
      if (input.IfMatchSize !== undefined) throw s3Error.headerNotImplemented('x-amz-if-match-size');
      if (input.VersionId !== undefined && input.VersionId !== 'null')
        throw s3Error.invalidArgument('Invalid version id specified', 'versionId', input.VersionId);
      await state.deleteObject(input.Bucket!, input.Key!, { ifMatch: input.IfMatch }, requesterOf(ctx));
      return input.VersionId === 'null' ? { VersionId: 'null' } : {};
    },

    async DeleteObjects(input: S.DeleteObjectsRequest, ctx: RequestContext) {
      state.requireBucket(input.Bucket!);
      if (input.BypassGovernanceRetention !== undefined) throw s3Error.bypassWithoutObjectLock();
      const objects = input.Delete?.Objects ?? [];
      if (objects.length === 0 || objects.length > 1000) throw s3Error.malformedXml();
      const deleted: Array<Record<string, string>> = [];
      const errors: Array<Record<string, string>> = [];
      for (const entry of objects) {
        const key = entry.Key!;
        if (entry.VersionId !== undefined && entry.VersionId !== 'null') {
          errors.push({
            Key: key,
            VersionId: entry.VersionId,
            Code: 'NoSuchVersion',
            Message: 'The specified version does not exist.',
          });
          continue;
        }
        try {
          await state.deleteObject(input.Bucket!, key, { ifMatch: entry.ETag }, requesterOf(ctx));
          deleted.push(
            entry.VersionId === undefined ? { Key: key } : { Key: key, VersionId: entry.VersionId },
          );
        } catch (err) {
          const e = err as { code?: string; message: string };
          errors.push({ Key: key, Code: e.code ?? 'InternalError', Message: e.message });
        }
      }
      const out: Record<string, unknown> = {};
      if (!input.Delete?.Quiet && deleted.length > 0) out.Deleted = deleted;
      if (errors.length > 0) out.Errors = errors;
      return out;
    },

    async PutObjectTagging(input: S.PutObjectTaggingRequest, ctx: RequestContext) {
      const record = existing(input);
      const tags = validateTags((input.Tagging?.TagSet ?? []) as Tag[], false);
      const next: ObjectRecord = { ...record, tags };
      if (tags.length === 0) next.tags = undefined;
      await state.updateObject(next, 'ObjectTagging:Put', requesterOf(ctx));
      return input.VersionId === 'null' ? { VersionId: 'null' } : {};
    },

    GetObjectTagging(input: S.GetObjectTaggingRequest) {
      // Here alone AWS's NoSuchKey names the key with its bucket (test_object_tagging_exc).
      const record = existing(input, `${input.Bucket}/${input.Key}`);
      const out: Record<string, unknown> = { TagSet: record.tags ?? [] };
      if (input.VersionId === 'null') out.VersionId = 'null';
      return out;
    },

    async DeleteObjectTagging(input: S.DeleteObjectTaggingRequest, ctx: RequestContext) {
      const record = existing(input);
      const { tags: _gone, ...rest } = record;
      await state.updateObject(rest, 'ObjectTagging:Delete', requesterOf(ctx));
      return input.VersionId === 'null' ? { VersionId: 'null' } : {};
    },

    GetObjectAttributes(input: S.GetObjectAttributesRequest) {
      const record = existing(input);
      const wanted = new Set<string>();
      for (const raw of input.ObjectAttributes ?? []) {
        const name = String(raw).trim();
        if (!OBJECT_ATTRIBUTES.has(name))
          throw s3Error.invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', name);
        wanted.add(name);
      }
      if (wanted.size === 0)
        throw s3Error.invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', '');
      const out: Record<string, unknown> = { LastModified: new Date(record.lastModified) };
      if (input.VersionId === 'null') out.VersionId = 'null';
      if (wanted.has('ETag')) out.ETag = record.etag.replaceAll('"', '');
      if (wanted.has('Checksum') && record.checksum) out.Checksum = attributeChecksum(record.checksum);
      if (wanted.has('ObjectParts') && record.parts) out.ObjectParts = objectParts(record, input);
      if (wanted.has('StorageClass')) out.StorageClass = record.storageClass ?? 'STANDARD';
      if (wanted.has('ObjectSize')) out.ObjectSize = record.size;
      return out;
    },
  });

  /** The object a request names (NoSuchBucket, NoSuchKey, or a version other than "null"). */
  function existing(
    input: { Bucket?: string; Key?: string; VersionId?: string },
    missingKeyText = input.Key!,
  ): ObjectRecord {
    state.requireBucket(input.Bucket!);
    if (input.VersionId !== undefined && input.VersionId !== 'null')
      throw s3Error.invalidArgument('Invalid version id specified', 'versionId', input.VersionId);
    const record = state.object(input.Bucket!, input.Key!);
    if (!record) throw s3Error.noSuchKey(missingKeyText);
    return record;
  }
}

const OBJECT_ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

/**
 * S3's 304 names the object it did not send: its ETag and Last-Modified, as a 200 would, so a
 * cache can refresh what it holds.
 */
function notModifiedFor(record: ObjectRecord): RestServiceError {
  return new RestServiceError(
    'NotModified',
    'Not Modified',
    {},
    {
      status: 304,
      headers: { etag: record.etag, 'last-modified': new Date(record.lastModified).toUTCString() },
    },
  );
}

/**
 * The checksum a read with ChecksumMode ENABLED answers: the object's when the whole object is
 * read; for one part of a composite object, that part's own (a full-object checksum has no
 * per-part form, so a part of it is answered without one, as a range is).
 */
function readChecksum(record: ObjectRecord, whole: boolean, partNumber: number | undefined) {
  const checksum = record.checksum;
  if (partNumber !== undefined && record.parts && checksum?.type === 'COMPOSITE') {
    const value = record.parts[partNumber - 1]?.checksum;
    return value === undefined ? {} : checksumFields({ ...checksum, value });
  }
  return whole ? checksumFields(checksum) : {};
}

/** GetObjectAttributes names a composite checksum without the `-<parts>` the headers append. */
function attributeChecksum(checksum: StoredChecksum): Record<string, string> {
  if (checksum.type !== 'COMPOSITE') return checksumFields(checksum);
  return checksumFields({ ...checksum, value: checksum.value.replace(/-\d+$/, '') });
}

/** GetObjectAttributes' ObjectParts: the count, and the parts with their checksums, paged. */
function objectParts(record: ObjectRecord, input: S.GetObjectAttributesRequest): Record<string, unknown> {
  const parts = record.parts ?? [];
  const out: Record<string, unknown> = { TotalPartsCount: parts.length };
  // S3 lists the parts only for a composite checksum, the one made of the parts' own.
  if (record.checksum?.type !== 'COMPOSITE' || !parts.some((p) => p.checksum !== undefined)) return out;
  const max = input.MaxParts ?? 1000;
  const marker = input.PartNumberMarker === undefined ? 0 : Number(input.PartNumberMarker);
  const page = parts
    .map((part, i) => ({ part, number: i + 1 }))
    .filter(({ number }) => number > marker)
    .slice(0, max);
  const member = `Checksum${record.checksum.algorithm}`;
  out.PartNumberMarker = marker;
  out.MaxParts = max;
  out.IsTruncated = page.length > 0 && page[page.length - 1].number < parts.length;
  // A marker past the last part still gets a next marker, 0, as in ListParts.
  out.NextPartNumberMarker = page.length > 0 ? page[page.length - 1].number : 0;
  out.Parts = page.map(({ part, number }) => {
    const entry: Record<string, unknown> = { PartNumber: number, Size: part.size };
    if (part.checksum !== undefined) entry[member] = part.checksum;
    return entry;
  });
  return out;
}

/** `x-amz-copy-source`: `bucket/key` (URL-encoded, a leading slash allowed, `?versionId=` after). */
export function parseCopySource(header: string): { bucket: string; key: string } {
  let text = header;
  let versionId: string | undefined;
  const q = text.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(text.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
    text = text.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw s3Error.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', 'x-amz-copy-source');
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1)
    throw s3Error.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', 'x-amz-copy-source');
  if (versionId !== undefined && versionId !== 'null')
    throw s3Error.invalidArgument('Invalid version id specified', 'versionId', versionId);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

/** GetObject's response-* query parameters replace the stored headers in the answer. */
function applyOverrides(out: Record<string | symbol, unknown>, input: S.GetObjectRequest): void {
  const texts: Array<[string, string | undefined]> = [
    ['response-content-type', input.ResponseContentType],
    ['response-content-language', input.ResponseContentLanguage],
    ['response-content-disposition', input.ResponseContentDisposition],
    ['response-content-encoding', input.ResponseContentEncoding],
    ['response-cache-control', input.ResponseCacheControl],
  ];
  for (const [name, value] of texts) {
    // A header carries Latin-1 only; AWS refuses the override rather than mangle it.
    if (value !== undefined && /[\u0100-\uffff]/.test(value))
      throw s3Error.invalidArgument('Header value cannot be represented using ISO-8859-1.', name, value);
  }
  if (input.ResponseContentType !== undefined) out.ContentType = input.ResponseContentType;
  if (input.ResponseContentLanguage !== undefined) out.ContentLanguage = input.ResponseContentLanguage;
  if (input.ResponseContentDisposition !== undefined)
    out.ContentDisposition = input.ResponseContentDisposition;
  if (input.ResponseContentEncoding !== undefined) out.ContentEncoding = input.ResponseContentEncoding;
  if (input.ResponseCacheControl !== undefined) out.CacheControl = input.ResponseCacheControl;
  if (input.ResponseExpires !== undefined) {
    out.Expires = new Date(input.ResponseExpires as Date | string).toUTCString();
  }
}

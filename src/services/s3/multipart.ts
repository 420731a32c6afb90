import type { RequestContext } from '../../protocols/service.js';
import type { BodyRef } from '../../storage/types.js';
import {
  compositeChecksum,
  fullObjectCrc,
  isCombinable,
  type PartDigest,
  startDigest,
} from './checksum-combine.js';
import { copySourceObject, validateWriteConditions } from './conditions.js';
import { bareEtag, multipartEtag, quoteEtag } from './etags.js';
import type { ChecksumAlgorithm, ObjectRecord, StoredChecksum } from './model.js';
import { MAX_PART_SIZE, MIN_PART_SIZE, multipartError } from './multipart-errors.js';
import { multipartListingOperations, requireUpload } from './multipart-listing.js';
import { checkKey, requesterOf } from './object-headers.js';
import { checkWriteOptions } from './objects.js';
import type { S3Deps, S3Handlers } from './operations.js';
import { parseTaggingHeader } from './tags.js';
import { type UploadedPart, type UploadRecord, UploadStore, uploadsOf } from './uploads.js';

const ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

type ChecksumMembers = Partial<Record<`Checksum${ChecksumAlgorithm}`, string>>;

/** The checksums a request or a completed part names, by algorithm. */
function namedChecksums(members: ChecksumMembers): Array<[ChecksumAlgorithm, string]> {
  const named: Array<[ChecksumAlgorithm, string]> = [];
  for (const algorithm of ALGORITHMS) {
    const value = members[`Checksum${algorithm}`];
    if (value !== undefined && value !== '') named.push([algorithm, value]);
  }
  return named;
}

function checkPartNumber(value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 10000) throw multipartError.invalidPartNumber(value);
}

function rejectSseC(input: { SSECustomerAlgorithm?: string; CopySourceSSECustomerAlgorithm?: string }): void {
  if (input.SSECustomerAlgorithm !== undefined || input.CopySourceSSECustomerAlgorithm !== undefined)
    throw multipartError.sseC();
}

/**
 * Streams a part into a new body, digesting it as it goes: md5 for the ETag, the upload's
 * checksum algorithm (CRC64NVME for an upload without one), and the algorithm the client declared
 * when the upload has none, to answer it back.
 */
async function storePart(
  deps: S3Deps,
  source: AsyncIterable<Uint8Array>,
  algorithms: ChecksumAlgorithm[],
): Promise<{ body: BodyRef; md5: string; checksums: Map<ChecksumAlgorithm, string> }> {
  const writer = deps.state.bodies.create();
  const md5 = startDigest('MD5');
  const digests = new Map<ChecksumAlgorithm, PartDigest>(algorithms.map((a) => [a, startDigest(a)]));
  let size = 0;
  try {
    for await (const piece of source) {
      size += piece.length;
      if (size > MAX_PART_SIZE) throw multipartError.entityTooLarge(size);
      md5.update(piece);
      for (const digest of digests.values()) digest.update(piece);
      await writer.write(piece);
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const body = await writer.commit();
  const checksums = new Map<ChecksumAlgorithm, string>();
  for (const [algorithm, digest] of digests) checksums.set(algorithm, digest.digest().toString('base64'));
  return { body, md5: md5.digest().toString('hex'), checksums };
}

/** Attaches a stored part to its upload; the body is released when the upload ended meanwhile. */
async function attach(deps: S3Deps, upload: UploadRecord, part: UploadedPart): Promise<void> {
  if (await uploadsOf(deps.state).attachPart(upload.uploadId, part)) return;
  deps.state.release([part.body]);
  throw multipartError.noSuchUpload(upload.uploadId);
}

/** `bucket/key` or `/bucket/key`, percent-encoded, with an optional `?versionId=`. */
function parseCopySource(source: string): { bucket: string; key: string; versionId?: string } {
  const q = source.indexOf('?');
  const path = q < 0 ? source : source.slice(0, q);
  const versionId =
    q < 0 ? undefined : (new URLSearchParams(source.slice(q + 1)).get('versionId') ?? undefined);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path);
  } catch {
    throw multipartError.invalidCopySource();
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw multipartError.invalidCopySource();
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}

function parseCopyRange(value: string, size: number): { start: number; end: number } {
  const match = /^bytes=(\d+)-(\d+)$/.exec(value);
  if (!match) throw multipartError.copyRangeForm(value);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (start > end) throw multipartError.copyRangeForm(value);
  if (start >= size) throw multipartError.copyRangeStart();
  if (end >= size) throw multipartError.copyRangeEnd(value, size);
  return { start, end };
}

interface CopyConditions {
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date;
}

interface CompletedPartInput extends ChecksumMembers {
  PartNumber?: number;
  ETag?: string;
}

/** The part each completed entry names, checked as S3 checks them, in the request's order. */
function resolveParts(upload: UploadRecord, entries: CompletedPartInput[]): UploadedPart[] {
  let previous = 0;
  for (const entry of entries) {
    const number = entry.PartNumber ?? 0;
    checkPartNumber(number);
    if (number <= previous) throw multipartError.invalidPartOrder(upload.uploadId);
    previous = number;
  }
  const algorithm = upload.algorithm;
  return entries.map((entry) => {
    const number = entry.PartNumber as number;
    const etag = bareEtag(entry.ETag ?? '');
    const part = upload.parts.find((p) => p.partNumber === number);
    if (!part || bareEtag(part.etag).toLowerCase() !== etag.toLowerCase())
      throw multipartError.invalidPart(upload.uploadId, number, etag);
    const named = namedChecksums(entry);
    if (!algorithm) {
      // An upload without a checksum algorithm keeps no part checksums to compare with.
      if (named.length > 0) throw multipartError.invalidPart(upload.uploadId, number, etag);
      return part;
    }
    const other = named.find(([a]) => a !== algorithm);
    if (other && upload.checksumType === 'COMPOSITE')
      throw multipartError.partChecksumMismatch(other[0], number);
    if (other) throw multipartError.invalidPart(upload.uploadId, number, etag);
    const own = named.find(([a]) => a === algorithm);
    if (own && own[1] !== part.checksum) throw multipartError.invalidPart(upload.uploadId, number, etag);
    if (!own && upload.checksumType === 'COMPOSITE')
      throw multipartError.missingPartChecksum(algorithm, number);
    return part;
  });
}

/** The object's checksum from its parts', as S3 reports it once the upload completes. */
function objectChecksum(upload: UploadRecord, parts: UploadedPart[]): StoredChecksum {
  const algorithm = upload.algorithm ?? 'CRC64NVME';
  if (upload.checksumType === 'COMPOSITE')
    return {
      algorithm,
      type: 'COMPOSITE',
      value: compositeChecksum(
        algorithm,
        parts.map((p) => p.checksum),
      ),
    };
  if (!isCombinable(algorithm)) throw new Error(`${algorithm} has no full-object form`);
  return {
    algorithm,
    type: 'FULL_OBJECT',
    value: fullObjectCrc(
      algorithm,
      parts.map((p) => ({ checksum: p.checksum, size: p.body.size })),
    ),
  };
}

/** The whole-object checksum a CompleteMultipartUpload request names, checked against ours. */
function checkClaimedChecksum(
  upload: UploadRecord,
  input: ChecksumMembers & { ChecksumType?: string },
  computed: StoredChecksum,
): void {
  const algorithm = upload.algorithm;
  if (!algorithm) return; // S3 ignores it: the object gets its own CRC64NVME.
  const named = namedChecksums(input);
  if (named.length === 0) return;
  if (upload.checksumType === 'FULL_OBJECT') {
    const ok =
      input.ChecksumType === 'FULL_OBJECT' &&
      named.every(([a, v]) => a === algorithm && v === computed.value);
    if (!ok) throw multipartError.objectChecksumMismatch(algorithm);
    return;
  }
  // A composite value may come with its `-N` or without it.
  const bare = computed.value.replace(/-\d+$/, '');
  if (!named.every(([a, v]) => a === algorithm && (v === computed.value || v === bare)))
    throw multipartError.objectChecksumMismatch(algorithm);
}

export function multipartOperations(deps: S3Deps): S3Handlers {
  const { state, clock } = deps;
  const uploads = () => uploadsOf(state);
  // S3 deletes a bucket whose only content is uploads in progress; they go with it.
  state.onBucketDeleted((bucket) => {
    uploads()
      .abortBucket(bucket.name)
      .catch((err) =>
        deps.log.warn({ err, bucket: bucket.name }, 's3 uploads of a deleted bucket not dropped'),
      );
  });

  return {
    ...multipartListingOperations(deps),

    CreateMultipartUpload: async (
      input: {
        Bucket: string;
        Key: string;
        CacheControl?: string;
        ContentDisposition?: string;
        ContentEncoding?: string;
        ContentLanguage?: string;
        ContentType?: string;
        Expires?: Date;
        Metadata?: Record<string, string>;
        StorageClass?: string;
        Tagging?: string;
        ChecksumAlgorithm?: string;
        ChecksumType?: string;
        SSECustomerAlgorithm?: string;
        ACL?: string;
        GrantFullControl?: string;
        GrantRead?: string;
        GrantReadACP?: string;
        GrantWriteACP?: string;
        ObjectLockMode?: string;
        ObjectLockRetainUntilDate?: Date;
        ObjectLockLegalHoldStatus?: string;
      },
      ctx: RequestContext,
    ) => {
      state.requireBucket(input.Bucket);
      checkKey(input.Key);
      checkWriteOptions(input);
      let algorithm: ChecksumAlgorithm | undefined;
      if (input.ChecksumAlgorithm !== undefined) {
        const named = input.ChecksumAlgorithm.toUpperCase() as ChecksumAlgorithm;
        if (!ALGORITHMS.includes(named)) throw multipartError.unsupportedAlgorithm();
        algorithm = named;
      }
      let checksumType: UploadRecord['checksumType'];
      if (input.ChecksumType !== undefined) {
        if (!algorithm) throw multipartError.typeWithoutAlgorithm();
        if (input.ChecksumType !== 'COMPOSITE' && input.ChecksumType !== 'FULL_OBJECT')
          throw multipartError.invalidChecksumType();
        checksumType = input.ChecksumType;
        if (checksumType === 'COMPOSITE' && algorithm === 'CRC64NVME')
          throw multipartError.incompatibleType(checksumType, algorithm);
        if (checksumType === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256'))
          throw multipartError.incompatibleType(checksumType, algorithm);
      } else if (algorithm) {
        checksumType = algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
      }
      const upload: UploadRecord = {
        uploadId: UploadStore.newId(),
        bucket: input.Bucket,
        key: input.Key,
        initiated: clock.now(),
        since: state.mark(),
        owner: ctx.caller.account,
        algorithm,
        checksumType,
        contentType: input.ContentType,
        contentEncoding: input.ContentEncoding,
        contentDisposition: input.ContentDisposition,
        contentLanguage: input.ContentLanguage,
        cacheControl: input.CacheControl,
        expires: input.Expires === undefined ? undefined : input.Expires.toUTCString(),
        metadata: lowerCaseKeys(input.Metadata ?? {}),
        tags: parseTaggingHeader(input.Tagging),
        storageClass: input.StorageClass === 'STANDARD' ? undefined : input.StorageClass,
        parts: [],
      };
      await uploads().save(upload);
      return {
        Bucket: upload.bucket,
        Key: upload.key,
        UploadId: upload.uploadId,
        ServerSideEncryption: 'AES256',
        ChecksumAlgorithm: algorithm,
        ChecksumType: checksumType,
      };
    },

    UploadPart: async (
      input: ChecksumMembers & {
        Bucket: string;
        Key: string;
        UploadId: string;
        PartNumber: number;
        Body?: AsyncIterable<Uint8Array>;
        ContentLength?: number;
        ChecksumAlgorithm?: string;
        SSECustomerAlgorithm?: string;
      },
    ) => {
      state.requireBucket(input.Bucket);
      checkPartNumber(input.PartNumber);
      const upload = requireUpload(deps, input.Bucket, input.Key, input.UploadId);
      rejectSseC(input);
      if (input.ContentLength !== undefined && input.ContentLength > MAX_PART_SIZE)
        throw multipartError.entityTooLarge(input.ContentLength);
      const named = namedChecksums(input);
      if (named.length > 1) throw multipartError.severalChecksums();
      const sdkAlgorithm = input.ChecksumAlgorithm?.toUpperCase() as ChecksumAlgorithm | undefined;
      const declared =
        named[0]?.[0] ?? (sdkAlgorithm && ALGORITHMS.includes(sdkAlgorithm) ? sdkAlgorithm : undefined);
      if (upload.algorithm && declared && declared !== upload.algorithm)
        throw multipartError.checksumTypeMismatch(upload.algorithm, declared);
      const own = upload.algorithm ?? 'CRC64NVME';
      const algorithms = declared && declared !== own ? [own, declared] : [own];
      const stored = await storePart(deps, input.Body ?? emptyBody(), algorithms);
      const part: UploadedPart = {
        partNumber: input.PartNumber,
        body: stored.body,
        etag: quoteEtag(stored.md5),
        lastModified: clock.now(),
        checksum: stored.checksums.get(own) as string,
      };
      await attach(deps, upload, part);
      const answered = upload.algorithm ?? declared;
      return {
        ETag: part.etag,
        ServerSideEncryption: 'AES256',
        ...(answered ? { [`Checksum${answered}`]: stored.checksums.get(answered) } : {}),
      };
    },

    UploadPartCopy: async (
      input: CopyConditions & {
        Bucket: string;
        Key: string;
        UploadId: string;
        PartNumber: number;
        CopySource: string;
        CopySourceRange?: string;
        SSECustomerAlgorithm?: string;
        CopySourceSSECustomerAlgorithm?: string;
      },
    ) => {
      state.requireBucket(input.Bucket);
      checkPartNumber(input.PartNumber);
      const upload = requireUpload(deps, input.Bucket, input.Key, input.UploadId);
      rejectSseC(input);
      const from = parseCopySource(input.CopySource);
      state.requireBucket(from.bucket);
      if (from.versionId !== undefined && from.versionId !== 'null')
        throw multipartError.invalidVersionId(from.versionId);
      const source = copySourceObject(state, from.bucket, from.key, input, clock.now());
      const range =
        input.CopySourceRange === undefined
          ? { start: 0, end: source.size - 1 }
          : parseCopyRange(input.CopySourceRange, source.size);
      if (range.end - range.start + 1 > MAX_PART_SIZE)
        throw multipartError.entityTooLarge(range.end - range.start + 1);
      const own = upload.algorithm ?? 'CRC64NVME';
      const bytes = source.size === 0 ? emptyBody() : state.readObject(source, range.start, range.end);
      const stored = await storePart(deps, bytes, [own]);
      const lastModified = clock.now();
      const part: UploadedPart = {
        partNumber: input.PartNumber,
        body: stored.body,
        etag: quoteEtag(stored.md5),
        lastModified,
        checksum: stored.checksums.get(own) as string,
      };
      await attach(deps, upload, part);
      return {
        ServerSideEncryption: 'AES256',
        CopyPartResult: {
          ETag: part.etag,
          LastModified: Math.floor(lastModified / 1000) * 1000,
          ...(upload.algorithm ? { [`Checksum${upload.algorithm}`]: part.checksum } : {}),
        },
      };
    },

    CompleteMultipartUpload: async (
      input: ChecksumMembers & {
        Bucket: string;
        Key: string;
        UploadId: string;
        MultipartUpload?: { Parts?: CompletedPartInput[] };
        ChecksumType?: string;
        MpuObjectSize?: string | number;
        IfMatch?: string;
        IfNoneMatch?: string;
        SSECustomerAlgorithm?: string;
      },
      ctx: RequestContext,
    ) => {
      state.requireBucket(input.Bucket);
      const upload = requireUpload(deps, input.Bucket, input.Key, input.UploadId);
      const conditions = { ifMatch: input.IfMatch, ifNoneMatch: input.IfNoneMatch };
      validateWriteConditions(conditions);
      const entries = input.MultipartUpload?.Parts ?? [];
      if (entries.length === 0) throw multipartError.noParts();
      if (input.ChecksumType !== undefined && input.ChecksumType !== upload.checksumType)
        throw multipartError.checksumModeMismatch(upload.checksumType);
      const parts = resolveParts(upload, entries);
      parts.forEach((part, i) => {
        if (i < parts.length - 1 && part.body.size < MIN_PART_SIZE)
          throw multipartError.entityTooSmall(part.partNumber, part.body.size, bareEtag(part.etag));
      });
      const size = parts.reduce((sum, p) => sum + p.body.size, 0);
      if (input.MpuObjectSize !== undefined && String(input.MpuObjectSize) !== String(size))
        throw multipartError.objectSizeMismatch(String(input.MpuObjectSize), size);
      const checksum = objectChecksum(upload, parts);
      checkClaimedChecksum(upload, input, checksum);
      const composite = checksum.type === 'COMPOSITE';
      const record: ObjectRecord = {
        bucket: upload.bucket,
        key: upload.key,
        size,
        etag: multipartEtag(parts.map((p) => p.etag)),
        lastModified: Math.floor(clock.now() / 1000) * 1000,
        body: parts.map((p) => p.body),
        contentType: upload.contentType,
        contentEncoding: upload.contentEncoding,
        contentDisposition: upload.contentDisposition,
        contentLanguage: upload.contentLanguage,
        cacheControl: upload.cacheControl,
        expires: upload.expires,
        metadata: upload.metadata,
        checksum,
        parts: parts.map((p) => ({
          size: p.body.size,
          etag: p.etag,
          ...(composite ? { checksum: p.checksum } : {}),
        })),
        tags: upload.tags,
        storageClass: upload.storageClass,
        owner: upload.owner,
      };
      const store = uploads();
      await store.take(upload);
      try {
        await state.commitObject(
          record,
          { ...conditions, since: upload.since },
          'ObjectCreated:CompleteMultipartUpload',
          requesterOf(ctx),
        );
      } catch (err) {
        await store.restore(upload);
        throw err;
      }
      // Parts uploaded but left out of the object are discarded with the upload, as on S3.
      const kept = new Set(parts);
      state.release(upload.parts.filter((p) => !kept.has(p)).map((p) => p.body));
      return {
        Location: `${ctx.baseUrl}/${encodeURIComponent(upload.bucket)}/${upload.key
          .split('/')
          .map(encodeURIComponent)
          .join('/')}`,
        Bucket: upload.bucket,
        Key: upload.key,
        ETag: record.etag,
        [`Checksum${checksum.algorithm}`]: checksum.value,
        ChecksumType: checksum.type,
        ServerSideEncryption: 'AES256',
      };
    },

    AbortMultipartUpload: async (input: {
      Bucket: string;
      Key: string;
      UploadId: string;
      IfMatchInitiatedTime?: Date;
    }) => {
      state.requireBucket(input.Bucket);
      const upload = requireUpload(deps, input.Bucket, input.Key, input.UploadId);
      const when = input.IfMatchInitiatedTime;
      if (when !== undefined && Math.floor(when.getTime() / 1000) !== Math.floor(upload.initiated / 1000))
        throw multipartError.preconditionFailed('x-amz-if-match-initiated-time');
      await uploads().abort(upload);
      return {};
    },
  };
}

function lowerCaseKeys(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v]));
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}

import type * as S from '@aws-sdk/client-s3';
import { withOwnerChecks } from './bucket-owner.js';
import { canonicalUserId } from './buckets.js';
import { s3Error } from './errors.js';
import { type ListingPage, listPage } from './keys-index.js';
import type { ObjectRecord } from './model.js';
import type { S3Deps, S3Handlers } from './operations.js';

/** S3 answers at most 1,000 keys a page, whatever MaxKeys asks. */
const PAGE_LIMIT = 1000;

/** `encoding-type=url`: S3's form of a key in a listing (spaces as `+`, slashes kept). */
export function urlEncodeKey(value: string): string {
  return encodeURIComponent(value).replaceAll('%2F', '/').replaceAll('%20', '+');
}

function checkEncoding(encoding: string | undefined): boolean {
  if (encoding === undefined) return false;
  if (encoding !== 'url')
    throw s3Error.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encoding);
  return true;
}

function maxKeys(value: number | undefined): number {
  if (value === undefined) return PAGE_LIMIT;
  if (value < 0 || !Number.isInteger(value))
    throw s3Error.invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      String(value),
    );
  return Math.min(value, PAGE_LIMIT);
}

function contentOf(
  record: ObjectRecord,
  encode: (s: string) => string,
  owner: boolean,
): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    Key: encode(record.key),
    LastModified: new Date(record.lastModified),
    ETag: record.etag,
    Size: record.size,
    StorageClass: record.storageClass ?? 'STANDARD',
  };
  if (record.checksum) {
    entry.ChecksumAlgorithm = [record.checksum.algorithm];
    entry.ChecksumType = record.checksum.type;
  }
  if (owner) entry.Owner = { ID: canonicalUserId(record.owner) };
  return entry;
}

function split(page: ListingPage) {
  return {
    records: page.entries.flatMap((e) => (e.record ? [e.record] : [])),
    prefixes: page.entries.flatMap((e) => (e.prefix !== undefined ? [e.prefix] : [])),
  };
}

/** v2's continuation token: opaque to clients, the last key or prefix of the page inside. */
function encodeToken(last: string): string {
  return Buffer.from(`t1:${last}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  if (!text.startsWith('t1:'))
    throw s3Error.invalidArgument('The continuation token provided is incorrect', 'continuation-token');
  return text.slice(3);
}

export function listingOperations({ state }: S3Deps): S3Handlers {
  return withOwnerChecks(state, {
    ListObjects(input: S.ListObjectsRequest) {
      state.requireBucket(input.Bucket!);
      const url = checkEncoding(input.EncodingType);
      const encode = url ? urlEncodeKey : (s: string) => s;
      const max = maxKeys(input.MaxKeys);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const page = listPage(state.keys(input.Bucket!), {
        prefix,
        delimiter,
        after: input.Marker || undefined,
        max,
      });
      const { records, prefixes } = split(page);
      const out: Record<string, unknown> = {
        IsTruncated: page.truncated,
        Marker: encode(input.Marker ?? ''),
        Name: input.Bucket,
        Prefix: encode(prefix),
        MaxKeys: input.MaxKeys ?? PAGE_LIMIT,
      };
      if (records.length > 0) out.Contents = records.map((r) => contentOf(r, encode, true));
      if (prefixes.length > 0) out.CommonPrefixes = prefixes.map((p) => ({ Prefix: encode(p) }));
      if (input.Delimiter !== undefined) out.Delimiter = encode(input.Delimiter);
      if (url) out.EncodingType = 'url';
      // S3 names the next marker only with a delimiter; without one the last key serves.
      if (page.truncated && delimiter && page.last !== undefined) out.NextMarker = encode(page.last);
      return out;
    },

    ListObjectsV2(input: S.ListObjectsV2Request) {
      state.requireBucket(input.Bucket!);
      const url = checkEncoding(input.EncodingType);
      const encode = url ? urlEncodeKey : (s: string) => s;
      const max = maxKeys(input.MaxKeys);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      let after = input.StartAfter || undefined;
      if (input.ContinuationToken !== undefined) {
        if (input.ContinuationToken === '')
          throw s3Error.invalidArgument('The continuation token provided is incorrect', 'continuation-token');
        // The token alone says where the page resumes: AWS ignores StartAfter beside it, and does
        // not echo it (test_list_objects_v2_continuation_start_after).
        after = decodeToken(input.ContinuationToken);
      }
      const page = listPage(state.keys(input.Bucket!), { prefix, delimiter, after, max });
      const { records, prefixes } = split(page);
      const out: Record<string, unknown> = {
        IsTruncated: page.truncated,
        Name: input.Bucket,
        Prefix: encode(prefix),
        MaxKeys: input.MaxKeys ?? PAGE_LIMIT,
        KeyCount: records.length + prefixes.length,
      };
      if (records.length > 0)
        out.Contents = records.map((r) => contentOf(r, encode, input.FetchOwner === true));
      if (prefixes.length > 0) out.CommonPrefixes = prefixes.map((p) => ({ Prefix: encode(p) }));
      if (input.Delimiter !== undefined) out.Delimiter = encode(input.Delimiter);
      if (url) out.EncodingType = 'url';
      if (input.ContinuationToken !== undefined) out.ContinuationToken = input.ContinuationToken;
      if (input.StartAfter !== undefined && input.ContinuationToken === undefined)
        out.StartAfter = encode(input.StartAfter);
      if (page.truncated && page.last !== undefined) out.NextContinuationToken = encodeToken(page.last);
      return out;
    },

    ListObjectVersions(input: S.ListObjectVersionsRequest) {
      state.requireBucket(input.Bucket!);
      const url = checkEncoding(input.EncodingType);
      const encode = url ? urlEncodeKey : (s: string) => s;
      if (input.VersionIdMarker && !input.KeyMarker)
        throw s3Error.invalidArgument(
          'A version-id marker cannot be specified without a key marker.',
          'version-id-marker',
          input.VersionIdMarker,
        );
      const max = maxKeys(input.MaxKeys);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      // Unversioned: each key has one version, "null"; a key marker with version "null" (or
      // none) resumes after that key.
      const page = listPage(state.keys(input.Bucket!), {
        prefix,
        delimiter,
        after: input.KeyMarker || undefined,
        max,
      });
      const { records, prefixes } = split(page);
      const out: Record<string, unknown> = {
        IsTruncated: page.truncated,
        KeyMarker: encode(input.KeyMarker ?? ''),
        VersionIdMarker: input.VersionIdMarker ?? '',
        Name: input.Bucket,
        Prefix: encode(prefix),
        MaxKeys: input.MaxKeys ?? PAGE_LIMIT,
      };
      if (records.length > 0)
        out.Versions = records.map((r) => ({
          ...contentOf(r, encode, true),
          VersionId: 'null',
          IsLatest: true,
        }));
      if (prefixes.length > 0) out.CommonPrefixes = prefixes.map((p) => ({ Prefix: encode(p) }));
      if (input.Delimiter !== undefined) out.Delimiter = encode(input.Delimiter);
      if (url) out.EncodingType = 'url';
      if (page.truncated && page.last !== undefined) {
        out.NextKeyMarker = encode(page.last);
        if (page.entries[page.entries.length - 1]?.record) out.NextVersionIdMarker = 'null';
      }
      return out;
    },
  });
}

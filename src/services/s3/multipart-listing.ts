import type { RequestContext } from '../../protocols/service.js';
import { canonicalUserId } from './buckets.js';
import { urlEncodeKey } from './listing.js';
import { multipartError } from './multipart-errors.js';
import type { S3Deps, S3Handlers } from './operations.js';
import { type UploadRecord, uploadsOf } from './uploads.js';

const MAX_LISTED = 1000;

function initiatorOf(upload: UploadRecord) {
  return { ID: canonicalUserId(upload.owner), DisplayName: 'webfile' };
}

function limit(name: string, value: number | undefined): number {
  if (value === undefined) return MAX_LISTED;
  if (value < 0) throw multipartError.invalidListArgument(name, value);
  return Math.min(value, MAX_LISTED);
}

/** The upload of `UploadId` at this bucket and key, or S3's NoSuchUpload. */
export function requireUpload(deps: S3Deps, bucket: string, key: string, uploadId: string): UploadRecord {
  const upload = uploadsOf(deps.state).get(uploadId);
  if (!upload || upload.bucket !== bucket || upload.key !== key) throw multipartError.noSuchUpload(uploadId);
  return upload;
}

export function multipartListingOperations(deps: S3Deps): S3Handlers {
  const { state } = deps;
  return {
    ListParts: (input: {
      Bucket: string;
      Key: string;
      UploadId: string;
      MaxParts?: number;
      PartNumberMarker?: string | number;
    }) => {
      state.requireBucket(input.Bucket);
      const upload = requireUpload(deps, input.Bucket, input.Key, input.UploadId);
      const max = limit('max-parts', input.MaxParts);
      const marker = Number(input.PartNumberMarker ?? 0);
      if (!Number.isInteger(marker) || marker < 0)
        throw multipartError.invalidListArgument('part-number-marker', Number.isNaN(marker) ? -1 : marker);
      const after = upload.parts.filter((p) => p.partNumber > marker);
      const listed = after.slice(0, max);
      const algorithm = upload.algorithm;
      return {
        Bucket: upload.bucket,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumberMarker: marker,
        NextPartNumberMarker: listed.length > 0 ? listed[listed.length - 1].partNumber : 0,
        MaxParts: max,
        IsTruncated: after.length > listed.length,
        Parts: listed.map((p) => ({
          PartNumber: p.partNumber,
          LastModified: p.lastModified,
          ETag: p.etag,
          Size: p.body.size,
          ...(algorithm ? { [`Checksum${algorithm}`]: p.checksum } : {}),
        })),
        Initiator: initiatorOf(upload),
        Owner: { ID: canonicalUserId(upload.owner) },
        StorageClass: upload.storageClass ?? 'STANDARD',
        ChecksumAlgorithm: algorithm,
        ChecksumType: upload.checksumType,
      };
    },

    ListMultipartUploads: (
      input: {
        Bucket: string;
        Delimiter?: string;
        EncodingType?: string;
        KeyMarker?: string;
        MaxUploads?: number;
        Prefix?: string;
        UploadIdMarker?: string;
      },
      _ctx: RequestContext,
    ) => {
      state.requireBucket(input.Bucket);
      if (input.EncodingType !== undefined && input.EncodingType !== 'url')
        throw multipartError.invalidEncoding(input.EncodingType);
      const max = limit('max-uploads', input.MaxUploads);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const keyMarker = input.KeyMarker ?? '';
      const all = uploadsOf(state)
        .ofBucket(input.Bucket)
        .filter((u) => u.key.startsWith(prefix));
      let start = 0;
      if (keyMarker !== '') {
        const idMarker = input.UploadIdMarker;
        if (idMarker) {
          // The uploads of the marker's key started after the marker's upload, then later keys.
          const at = all.findIndex((u) => u.key === keyMarker && u.uploadId === idMarker);
          if (at < 0) throw multipartError.invalidUploadIdMarker(idMarker);
          start = at + 1;
        } else {
          start = all.findIndex((u) => u.key > keyMarker);
          if (start < 0) start = all.length;
        }
      }
      const uploads: UploadRecord[] = [];
      const prefixes: string[] = [];
      let truncated = false;
      for (let i = start; i < all.length; i++) {
        const upload = all[i];
        let common: string | undefined;
        if (delimiter) {
          const at = upload.key.indexOf(delimiter, prefix.length);
          if (at >= 0) common = upload.key.slice(0, at + delimiter.length);
        }
        if (common !== undefined) {
          // A folder the marker already reached is behind the page, like its keys.
          if (common <= keyMarker || keyMarker.startsWith(common) || prefixes.includes(common)) continue;
        }
        if (uploads.length + prefixes.length >= max) {
          truncated = true;
          break;
        }
        if (common !== undefined) prefixes.push(common);
        else uploads.push(upload);
      }
      const encode = input.EncodingType === 'url' ? urlEncodeKey : (v: string) => v;
      const last = uploads[uploads.length - 1];
      return {
        Bucket: input.Bucket,
        KeyMarker: encode(keyMarker),
        // Without a key marker S3 ignores the upload-id marker, and its answer says so.
        UploadIdMarker: keyMarker === '' ? '' : (input.UploadIdMarker ?? ''),
        NextKeyMarker: last ? encode(last.key) : '',
        NextUploadIdMarker: last ? last.uploadId : '',
        Prefix: input.Prefix === undefined ? undefined : encode(input.Prefix),
        Delimiter: input.Delimiter === undefined ? undefined : encode(input.Delimiter),
        MaxUploads: max,
        IsTruncated: truncated,
        Uploads: uploads.map((u) => ({
          UploadId: u.uploadId,
          Key: encode(u.key),
          Initiated: u.initiated,
          StorageClass: u.storageClass ?? 'STANDARD',
          Owner: { ID: canonicalUserId(u.owner) },
          Initiator: initiatorOf(u),
          ChecksumAlgorithm: u.algorithm,
          ChecksumType: u.checksumType,
        })),
        CommonPrefixes: prefixes.map((p) => ({ Prefix: encode(p) })),
        EncodingType: input.EncodingType,
      };
    },
  };
}

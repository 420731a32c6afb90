import { s3Failure } from './errors.js';
import type { ChecksumAlgorithm } from './model.js';

/** The errors of multipart uploads and their checksums, with AWS's codes, statuses and texts. */
export const multipartError = {
  noSuchUpload: (uploadId: string) =>
    s3Failure(
      'NoSuchUpload',
      404,
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    ),
  invalidPartNumber: (value: unknown) =>
    s3Failure('InvalidArgument', 400, 'Part number must be an integer between 1 and 10000, inclusive', {
      ArgumentName: 'partNumber',
      ArgumentValue: String(value),
    }),
  invalidPart: (uploadId: string, partNumber: number, etag: string) =>
    s3Failure(
      'InvalidPart',
      400,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      { UploadId: uploadId, PartNumber: String(partNumber), ETag: etag },
    ),
  invalidPartOrder: (uploadId: string) =>
    s3Failure(
      'InvalidPartOrder',
      400,
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
      { UploadId: uploadId },
    ),
  noParts: () => s3Failure('InvalidRequest', 400, 'You must specify at least one part'),
  entityTooSmall: (partNumber: number, size: number, etag: string) =>
    s3Failure('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', {
      ProposedSize: String(size),
      MinSizeAllowed: String(MIN_PART_SIZE),
      PartNumber: String(partNumber),
      ETag: etag,
    }),
  entityTooLarge: (size: number) =>
    s3Failure('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(size),
      MaxSizeAllowed: String(MAX_PART_SIZE),
    }),
  unsupportedAlgorithm: () =>
    s3Failure(
      'InvalidRequest',
      400,
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    ),
  typeWithoutAlgorithm: () =>
    s3Failure(
      'InvalidRequest',
      400,
      'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
    ),
  invalidChecksumType: () =>
    s3Failure('InvalidRequest', 400, 'Value for x-amz-checksum-type header is invalid.'),
  incompatibleType: (type: string, algorithm: ChecksumAlgorithm) =>
    s3Failure(
      'InvalidRequest',
      400,
      `The ${type} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`,
    ),
  severalChecksums: () =>
    s3Failure(
      'InvalidRequest',
      400,
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    ),
  checksumTypeMismatch: (expected: ChecksumAlgorithm, actual: ChecksumAlgorithm) =>
    s3Failure(
      'InvalidRequest',
      400,
      `Checksum Type mismatch occurred, expected checksum Type: ${expected.toLowerCase()}, actual checksum Type: ${actual.toLowerCase()}`,
    ),
  checksumModeMismatch: (mode: string | undefined) =>
    s3Failure(
      'InvalidRequest',
      400,
      `The upload was created using the ${mode ?? 'null'} checksum mode. The complete request must use the same checksum mode.`,
    ),
  missingPartChecksum: (algorithm: ChecksumAlgorithm, partNumber: number) =>
    s3Failure(
      'InvalidRequest',
      400,
      `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${partNumber} in the request.`,
    ),
  partChecksumMismatch: (algorithm: ChecksumAlgorithm, partNumber: number) =>
    s3Failure(
      'BadDigest',
      400,
      `The ${algorithm.toLowerCase()} you specified for part ${partNumber} did not match what we received.`,
    ),
  objectChecksumMismatch: (algorithm: ChecksumAlgorithm) =>
    s3Failure(
      'BadDigest',
      400,
      `The ${algorithm.toLowerCase()} you specified did not match the calculated checksum.`,
    ),
  objectSizeMismatch: (given: string, computed: number) =>
    s3Failure(
      'InvalidRequest',
      400,
      `The provided 'x-amz-mp-object-size' header value ${given} does not match what was computed: ${computed}`,
    ),
  copyRangeForm: (value: string) =>
    s3Failure(
      'InvalidArgument',
      400,
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: value },
    ),
  copyRangeEnd: (value: string, size: number) =>
    s3Failure('InvalidArgument', 400, `Range specified is not valid for source object of size: ${size}`, {
      ArgumentName: 'x-amz-copy-source-range',
      ArgumentValue: value,
    }),
  copyRangeStart: () =>
    s3Failure('InvalidRequest', 400, 'The specified copy range is invalid for the source object size'),
  invalidCopySource: () => s3Failure('InvalidArgument', 400, 'Invalid copy source object key'),
  invalidVersionId: (value: string) =>
    s3Failure('InvalidArgument', 400, 'Invalid version id specified', {
      ArgumentName: 'versionId',
      ArgumentValue: value,
    }),
  preconditionFailed: (condition: string) =>
    s3Failure('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      Condition: condition,
    }),
  invalidEncoding: (value: string) =>
    s3Failure('InvalidArgument', 400, 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
      ArgumentValue: value,
    }),
  invalidUploadIdMarker: (value: string) =>
    s3Failure('InvalidArgument', 400, 'Invalid uploadId marker', {
      ArgumentName: 'upload-id-marker',
      ArgumentValue: value,
    }),
  invalidListArgument: (name: string, value: number) =>
    s3Failure('InvalidArgument', 400, `Argument ${name} must be an integer between 0 and 2147483647`, {
      ArgumentName: name,
      ArgumentValue: String(value),
    }),
  sseC: () =>
    s3Failure(
      'NotImplemented',
      501,
      'Server-side encryption with customer-provided keys (SSE-C) is not supported by Tideway.',
    ),
};

/** Every part but the last must hold at least 5 MiB. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** A part holds at most 5 GiB. */
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;

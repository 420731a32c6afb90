import type * as F from '@aws-sdk/client-firehose';
import type { DeliveryStreamRecord } from '../model.js';
import { type BufferLimits, bufferLimits } from './buffer.js';
import { compressionExtension } from './compression.js';
import { objectExtension } from './object-names.js';
import { type ErrorOutputType, effectiveErrorPrefix, effectivePrefix } from './prefixes.js';

/** Where one kind of object of a stream goes, and how it is written. */
export interface ObjectTarget {
  kind: 'data' | 'error' | 'backup';
  bucketArn: string;
  roleArn?: string;
  /** The prefix template, default time layout included. */
  prefix: string;
  compression?: F.CompressionFormat;
  extension: string;
  timeZone?: string;
  limits: BufferLimits;
  errorOutputType?: ErrorOutputType;
}

/** The Extended S3 destination's processed records. */
export function dataTarget(s3: F.ExtendedS3DestinationDescription): ObjectTarget {
  return {
    kind: 'data',
    bucketArn: s3.BucketARN ?? '',
    roleArn: s3.RoleARN,
    prefix: effectivePrefix(s3.Prefix, dynamicPartitioning(s3)),
    compression: s3.CompressionFormat,
    extension: objectExtension(s3.CompressionFormat, s3.FileExtension),
    timeZone: s3.CustomTimeZone || undefined,
    limits: bufferLimits(s3.BufferingHints),
  };
}

export function dynamicPartitioning(s3: F.ExtendedS3DestinationDescription): boolean {
  return s3.DynamicPartitioningConfiguration?.Enabled === true;
}

/**
 * Records that failed, under the ErrorOutputPrefix of the destination's bucket (an Extended S3
 * destination, or an HTTP endpoint's S3 configuration).
 */
export function errorTarget(
  s3: F.ExtendedS3DestinationDescription | F.S3DestinationDescription,
  errorOutputType: ErrorOutputType,
): ObjectTarget {
  return {
    kind: 'error',
    bucketArn: s3.BucketARN ?? '',
    roleArn: s3.RoleARN,
    prefix: effectiveErrorPrefix(s3.Prefix, s3.ErrorOutputPrefix),
    compression: s3.CompressionFormat,
    extension: compressionExtension(s3.CompressionFormat),
    timeZone: ('CustomTimeZone' in s3 && s3.CustomTimeZone) || undefined,
    limits: bufferLimits(s3.BufferingHints),
    errorOutputType,
  };
}

/**
 * Source records as they entered the stream, to the backup bucket under its own Prefix,
 * compression and buffering (its ErrorOutputPrefix is ignored, as AWS documents).
 */
export function backupTarget(s3: F.S3DestinationDescription): ObjectTarget {
  return {
    kind: 'backup',
    bucketArn: s3.BucketARN ?? '',
    roleArn: s3.RoleARN,
    prefix: effectivePrefix(s3.Prefix, false),
    compression: s3.CompressionFormat,
    extension: compressionExtension(s3.CompressionFormat),
    limits: bufferLimits(s3.BufferingHints),
  };
}

/** The backup configuration a stream writes its source records to, if any. */
export function sourceBackup(stream: DeliveryStreamRecord): F.S3DestinationDescription | undefined {
  const { extendedS3, httpEndpoint } = stream.destination;
  if (extendedS3?.S3BackupMode === 'Enabled') return extendedS3.S3BackupDescription;
  if (httpEndpoint?.S3BackupMode === 'AllData') return httpEndpoint.S3DestinationDescription;
  return undefined;
}

/** The bucket name in a BucketARN (`arn:aws:s3:::name`). */
export function bucketName(bucketArn: string): string {
  return bucketArn.startsWith('arn:') ? bucketArn.slice(bucketArn.lastIndexOf(':') + 1) : bucketArn;
}

import { randomUUID } from 'node:crypto';
import type * as F from '@aws-sdk/client-firehose';
import { compressionExtension } from './compression.js';
import { formatDate } from './date-pattern.js';

/** The extension of the objects a destination writes: FileExtension when set, else the compression's. */
export function objectExtension(format: F.CompressionFormat | undefined, fileExtension?: string): string {
  return fileExtension ? fileExtension : compressionExtension(format);
}

/**
 * The part of the key after the evaluated prefix:
 * `<stream name>-<stream version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>`, the time being the
 * oldest record's arrival, in the destination's time zone.
 */
export function objectSuffix(
  streamName: string,
  version: string,
  time: number,
  extension: string,
  timeZone?: string,
  uuid: string = randomUUID(),
): string {
  return `${streamName}-${version}-${formatDate(time, 'yyyy-MM-dd-HH-mm-ss', timeZone)}-${uuid}${extension}`;
}

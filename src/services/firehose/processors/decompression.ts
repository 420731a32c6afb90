import zlib from 'node:zlib';
import type * as F from '@aws-sdk/client-firehose';
import { type FailedRecord, parameter, type StepResult, type WorkRecord } from './types.js';

/** Decompression: GZIP, the one CompressionFormat the processor takes (CloudWatch Logs' payloads). */
export function decompress(records: WorkRecord[], processor: F.Processor): StepResult {
  const format = parameter(processor, 'CompressionFormat') ?? 'GZIP';
  const out: WorkRecord[] = [];
  const failed: FailedRecord[] = [];
  for (const record of records) {
    if (format.toUpperCase() !== 'GZIP') {
      failed.push({
        source: record.source,
        errorCode: 'Decompression.UnsupportedFormat',
        errorMessage: `Unsupported compression format: ${format}`,
      });
      continue;
    }
    try {
      out.push({ ...record, data: zlib.gunzipSync(record.data) });
    } catch (err) {
      failed.push({
        source: record.source,
        errorCode: 'Decompression.Failed',
        errorMessage: `The record could not be decompressed as GZIP: ${(err as Error).message}`,
      });
    }
  }
  return { records: out, failed };
}

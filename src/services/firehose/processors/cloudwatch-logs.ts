import zlib from 'node:zlib';
import type * as F from '@aws-sdk/client-firehose';
import { type FailedRecord, parameter, type StepResult, type WorkRecord } from './types.js';

interface SubscriptionPayload {
  messageType?: string;
  logEvents?: { id?: string; timestamp?: number; message?: string }[];
}

/**
 * CloudWatchLogProcessing: a subscription filter's payload (gzip-compressed JSON unless the
 * Decompression processor opened it already). CONTROL_MESSAGE records (CloudWatch Logs checking
 * the destination) are dropped; with DataMessageExtraction each log event's message becomes a
 * record of its own.
 */
export function processCloudWatchLogs(records: WorkRecord[], processor: F.Processor): StepResult {
  const extract = (parameter(processor, 'DataMessageExtraction') ?? 'false').toLowerCase() === 'true';
  const out: WorkRecord[] = [];
  const failed: FailedRecord[] = [];
  for (const record of records) {
    let payload: SubscriptionPayload;
    let json: Uint8Array;
    try {
      json = record.data[0] === 0x1f && record.data[1] === 0x8b ? zlib.gunzipSync(record.data) : record.data;
      payload = JSON.parse(Buffer.from(json).toString('utf8')) as SubscriptionPayload;
      if (payload === null || typeof payload !== 'object') throw new Error('not an object');
    } catch {
      failed.push({
        source: record.source,
        errorCode: 'CloudWatchLogProcessing.InvalidRecord',
        errorMessage: 'The record is not a CloudWatch Logs subscription payload.',
      });
      continue;
    }
    if (payload.messageType === 'CONTROL_MESSAGE') continue;
    if (!extract) {
      out.push({ ...record, data: json });
      continue;
    }
    if (payload.messageType !== 'DATA_MESSAGE' || !Array.isArray(payload.logEvents)) {
      failed.push({
        source: record.source,
        errorCode: 'CloudWatchLogProcessing.InvalidRecord',
        errorMessage: 'The record is not a CloudWatch Logs DATA_MESSAGE.',
      });
      continue;
    }
    for (const event of payload.logEvents) {
      out.push({ ...record, data: Buffer.from(String(event.message ?? ''), 'utf8') });
    }
  }
  return { records: out, failed };
}

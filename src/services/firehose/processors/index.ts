import type * as F from '@aws-sdk/client-firehose';
import type { IngestedRecord } from '../model.js';
import { appendDelimiter } from './append-delimiter.js';
import { processCloudWatchLogs } from './cloudwatch-logs.js';
import { deaggregate, deaggregateKpl } from './deaggregation.js';
import { decompress } from './decompression.js';
import { extractMetadata } from './metadata-extraction.js';
import { type FailedRecord, parameter, type StepResult, type WorkRecord } from './types.js';

export type { FailedRecord, WorkRecord } from './types.js';

/**
 * The order Firehose applies its processors in, whatever order the configuration lists them:
 * records are opened (gunzip, CloudWatch Logs, de-aggregation) before a Lambda sees them,
 * keys are extracted from what comes out, and the delimiter goes on last.
 */
const ORDER: F.ProcessorType[] = [
  'Decompression',
  'CloudWatchLogProcessing',
  'RecordDeAggregation',
  'Lambda',
  'MetadataExtraction',
  'AppendDelimiterToRecord',
];

/** Lambda transformation needs a function runtime Tideway does not have: its records fail. */
export const LAMBDA_NOT_SUPPORTED = 'Lambda.NotSupported';

/**
 * Runs a stream's processors over records as they entered it. Records from a Kinesis source that
 * the KPL aggregated are opened first in any case, as Firehose does for KinesisStreamAsSource.
 */
export async function processRecords(
  config: F.ProcessingConfiguration | undefined,
  records: readonly IngestedRecord[],
): Promise<StepResult> {
  let work: WorkRecord[] = [];
  for (const source of records) {
    const parts = source.kinesis ? deaggregateKpl(source.data) : undefined;
    if (parts) for (const data of parts) work.push({ data, source });
    else work.push({ data: source.data, source });
  }
  const failed: FailedRecord[] = [];
  if (!config?.Enabled) return { records: work, failed };
  const processors = config.Processors ?? [];
  for (const type of ORDER) {
    const processor = processors.find((p) => p.Type === type);
    if (!processor || work.length === 0) continue;
    const step = await runOne(type, work, processor);
    work = step.records;
    failed.push(...step.failed);
  }
  return { records: work, failed: dedupe(failed) };
}

async function runOne(
  type: F.ProcessorType,
  records: WorkRecord[],
  processor: F.Processor,
): Promise<StepResult> {
  switch (type) {
    case 'Decompression':
      return decompress(records, processor);
    case 'CloudWatchLogProcessing':
      return processCloudWatchLogs(records, processor);
    case 'RecordDeAggregation':
      return deaggregate(records, processor);
    case 'MetadataExtraction':
      return extractMetadata(records, processor);
    case 'AppendDelimiterToRecord':
      return { records: appendDelimiter(records, processor), failed: [] };
    case 'Lambda': {
      const lambdaArn = parameter(processor, 'LambdaArn');
      return {
        records: [],
        failed: dedupe(
          records.map((r) => ({
            source: r.source,
            errorCode: LAMBDA_NOT_SUPPORTED,
            errorMessage:
              'Tideway runs no Lambda functions: records of a stream with a Lambda processor fail processing.',
            lambdaArn,
          })),
        ),
      };
    }
    default:
      return { records, failed: [] };
  }
}

/** One error record per source record, however many pieces of it failed. */
function dedupe(failed: FailedRecord[]): FailedRecord[] {
  const seen = new Set<IngestedRecord>();
  return failed.filter((f) => {
    if (seen.has(f.source)) return false;
    seen.add(f.source);
    return true;
  });
}

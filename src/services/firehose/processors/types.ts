import type * as F from '@aws-sdk/client-firehose';
import type { IngestedRecord } from '../model.js';

/** A record on its way through the processors, with the source record it came from. */
export interface WorkRecord {
  data: Uint8Array;
  source: IngestedRecord;
  /** From MetadataExtraction, for `!{partitionKeyFromQuery:…}`. */
  partitionKeys?: Record<string, string>;
}

/** A source record that failed processing: it goes to the error output as AWS writes it. */
export interface FailedRecord {
  source: IngestedRecord;
  errorCode: string;
  errorMessage: string;
  lambdaArn?: string;
}

export interface StepResult {
  records: WorkRecord[];
  failed: FailedRecord[];
}

/** A processor's parameter by name (the API's ProcessorParameterName). */
export function parameter(processor: F.Processor, name: F.ProcessorParameterName): string | undefined {
  return processor.Parameters?.find((p) => p.ParameterName === name)?.ParameterValue;
}

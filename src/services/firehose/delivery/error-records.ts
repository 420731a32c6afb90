/** What Firehose writes under the error prefix for one record it could not process or deliver. */
export interface ErrorRecord {
  attemptsMade: number;
  arrivalTimestamp: number;
  errorCode: string;
  errorMessage: string;
  attemptEndingTimestamp: number;
  rawData: string;
  lambdaArn?: string;
}

/** One error record as a JSON line, in AWS's field order. */
export function errorRecordLine(input: {
  data: Uint8Array;
  arrival: number;
  errorCode: string;
  errorMessage: string;
  attemptsMade?: number;
  endedAt: number;
  lambdaArn?: string;
}): Uint8Array {
  const record: ErrorRecord = {
    attemptsMade: input.attemptsMade ?? 1,
    arrivalTimestamp: input.arrival,
    errorCode: input.errorCode,
    errorMessage: input.errorMessage,
    attemptEndingTimestamp: input.endedAt,
    rawData: Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength).toString('base64'),
  };
  if (input.lambdaArn) record.lambdaArn = input.lambdaArn;
  return Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
}

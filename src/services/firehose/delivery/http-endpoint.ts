import type { DeliveryStreamRecord } from '../model.js';
import type { PipelineDeps } from '../pipeline.js';

/** What became of one buffered batch sent to an HTTP endpoint, after the retries. */
export type HttpDeliveryOutcome =
  | { kind: 'delivered' }
  /** Gave up after RetryDuration: the pipeline writes the records to the S3 backup's error prefix. */
  | { kind: 'failed'; errorCode: string; errorMessage: string };

/**
 * Sends one batch (already processed) to the stream's HTTP endpoint under Firehose's documented
 * request/response contract, retrying on the clock for RetryDuration.
 *
 * SKELETON: the firehose-integrations slice implements it; the delivery pipeline calls it.
 */
export async function deliverToHttpEndpoint(
  _stream: DeliveryStreamRecord,
  _records: readonly Uint8Array[],
  _deps: PipelineDeps,
): Promise<HttpDeliveryOutcome> {
  throw new Error('SKELETON');
}

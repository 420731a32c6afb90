import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import { S3_OPERATIONS, type S3OperationName } from '../../protocols/models/s3.js';
import type { RestOperation } from '../../protocols/rest-dispatch.js';
import { operationTable } from '../../protocols/service.js';
import type { FrontDoors } from '../registry.js';
import { accessOperations } from './access.js';
import { bucketOperations } from './buckets.js';
import { listingOperations } from './listing.js';
import { multipartOperations } from './multipart.js';
import { notificationOperations } from './notifications.js';
import { objectOperations } from './objects.js';
import type { S3State } from './state.js';
import { unsupportedOperation } from './unsupported.js';

export interface S3Deps {
  state: S3State;
  clock: Clock;
  log: Logger;
  /** The other services' front doors, read at delivery time (SQS, SNS, EventBridge for events). */
  frontDoors: FrontDoors;
  hints?: HintRecorder;
}

/** Handlers of one part of S3, keyed by the model's operation names. */
export type S3Handlers = Partial<Record<S3OperationName, (input: any, ctx: any) => unknown>>;

/**
 * The legacy notification operations have the request line of the current ones (`GET|PUT
 * /{Bucket}?notification`), and the router would pick them first: the current operations serve
 * that line, and read a legacy document the same.
 */
const SHADOWED: ReadonlySet<string> = new Set(['GetBucketNotification', 'PutBucketNotification']);

/** Every S3 operation: those Tideway serves, and the rest answering a clear not-supported error. */
export function s3Operations(deps: S3Deps): Record<string, RestOperation> {
  const handlers: S3Handlers = {
    ...bucketOperations(deps),
    ...objectOperations(deps),
    ...listingOperations(deps),
    ...multipartOperations(deps),
    ...accessOperations(deps),
    ...notificationOperations(deps),
  };
  const operations = operationTable(S3_OPERATIONS, handlers, unsupportedOperation);
  return Object.fromEntries(
    Object.entries(operations)
      .filter(([name]) => !SHADOWED.has(name))
      .map(([name, op]) => [name, { ...op, http: S3_OPERATIONS[name as S3OperationName].http! }]),
  ) as Record<string, RestOperation>;
}

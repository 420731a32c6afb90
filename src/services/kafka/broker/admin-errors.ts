// The Kafka errors the metadata and admin APIs answer, as Kafka's ApiError: a code and a message
// (Kafka's default text unless the controller says more).
import { errorCode, errorMessage, errorName } from '../../../protocols/kafka/error-codes.js';

export const ErrorCode = {
  NONE: errorCode('NONE'),
  UNKNOWN_TOPIC_OR_PARTITION: errorCode('UNKNOWN_TOPIC_OR_PARTITION'),
  LEADER_NOT_AVAILABLE: errorCode('LEADER_NOT_AVAILABLE'),
  INVALID_TOPIC_EXCEPTION: errorCode('INVALID_TOPIC_EXCEPTION'),
  UNSUPPORTED_VERSION: errorCode('UNSUPPORTED_VERSION'),
  TOPIC_ALREADY_EXISTS: errorCode('TOPIC_ALREADY_EXISTS'),
  INVALID_PARTITIONS: errorCode('INVALID_PARTITIONS'),
  INVALID_REPLICATION_FACTOR: errorCode('INVALID_REPLICATION_FACTOR'),
  INVALID_REPLICA_ASSIGNMENT: errorCode('INVALID_REPLICA_ASSIGNMENT'),
  INVALID_CONFIG: errorCode('INVALID_CONFIG'),
  INVALID_REQUEST: errorCode('INVALID_REQUEST'),
  TOPIC_DELETION_DISABLED: errorCode('TOPIC_DELETION_DISABLED'),
  UNKNOWN_TOPIC_ID: errorCode('UNKNOWN_TOPIC_ID'),
  MISMATCHED_ENDPOINT_TYPE: errorCode('MISMATCHED_ENDPOINT_TYPE'),
  UNSUPPORTED_ENDPOINT_TYPE: errorCode('UNSUPPORTED_ENDPOINT_TYPE'),
} as const;

/** An error for one topic or resource: Kafka's ApiError. */
export interface ApiError {
  code: number;
  message: string | null;
}

/** Without a message, Kafka's ApiError answers the error's default text. */
export function apiError(code: number, message?: string | null): ApiError {
  if (message !== undefined) return { code, message };
  const name = errorName(code);
  return { code, message: name ? errorMessage(name) : null };
}

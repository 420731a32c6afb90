// The Kafka error codes the metadata and admin APIs answer, with Kafka's default texts (Errors.java)
// where a response carries a message.

export const ErrorCode = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  INVALID_TOPIC_EXCEPTION: 17,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  TOPIC_DELETION_DISABLED: 73,
  UNKNOWN_TOPIC_ID: 100,
  MISMATCHED_ENDPOINT_TYPE: 114,
  UNSUPPORTED_ENDPOINT_TYPE: 115,
} as const;

export const DEFAULT_MESSAGE: Readonly<Record<number, string>> = {
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]: 'This server does not host this topic-partition.',
  [ErrorCode.TOPIC_DELETION_DISABLED]: 'Topic deletion is disabled.',
  [ErrorCode.UNKNOWN_TOPIC_ID]: 'This server does not host this topic ID.',
};

/** An error for one topic or resource: Kafka's ApiError. */
export interface ApiError {
  code: number;
  message: string | null;
}

export function apiError(code: number, message?: string | null): ApiError {
  return { code, message: message === undefined ? (DEFAULT_MESSAGE[code] ?? null) : message };
}

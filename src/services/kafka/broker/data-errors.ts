// The Kafka error codes the data path answers (Errors.java).
export const DataError = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  MESSAGE_TOO_LARGE: 10,
  INVALID_REQUIRED_ACKS: 21,
  UNSUPPORTED_VERSION: 35,
  INVALID_REQUEST: 42,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  INVALID_PRODUCER_EPOCH: 47,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  FETCH_SESSION_ID_NOT_FOUND: 70,
  INVALID_FETCH_SESSION_EPOCH: 71,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
  UNKNOWN_TOPIC_ID: 100,
} as const;

/**
 * The leader epoch of every partition: one broker leads each partition for its whole life, so the
 * epoch never moves (Metadata answers the same).
 */
export const LEADER_EPOCH = 0;

/** Kafka's answer to a request's currentLeaderEpoch (-1: the client does not know it). */
export function leaderEpochError(currentLeaderEpoch: number | undefined): number {
  if (currentLeaderEpoch === undefined || currentLeaderEpoch === -1) return DataError.NONE;
  if (currentLeaderEpoch < LEADER_EPOCH) return DataError.FENCED_LEADER_EPOCH;
  if (currentLeaderEpoch > LEADER_EPOCH) return DataError.UNKNOWN_LEADER_EPOCH;
  return DataError.NONE;
}

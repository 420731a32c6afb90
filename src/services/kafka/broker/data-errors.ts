// The Kafka error codes the data path answers, by their names in Errors.java.
import { errorCode } from '../../../protocols/kafka/error-codes.js';

export const DataError = {
  NONE: errorCode('NONE'),
  OFFSET_OUT_OF_RANGE: errorCode('OFFSET_OUT_OF_RANGE'),
  CORRUPT_MESSAGE: errorCode('CORRUPT_MESSAGE'),
  UNKNOWN_TOPIC_OR_PARTITION: errorCode('UNKNOWN_TOPIC_OR_PARTITION'),
  MESSAGE_TOO_LARGE: errorCode('MESSAGE_TOO_LARGE'),
  INVALID_REQUIRED_ACKS: errorCode('INVALID_REQUIRED_ACKS'),
  UNSUPPORTED_VERSION: errorCode('UNSUPPORTED_VERSION'),
  INVALID_REQUEST: errorCode('INVALID_REQUEST'),
  OUT_OF_ORDER_SEQUENCE_NUMBER: errorCode('OUT_OF_ORDER_SEQUENCE_NUMBER'),
  INVALID_PRODUCER_EPOCH: errorCode('INVALID_PRODUCER_EPOCH'),
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: errorCode('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'),
  FETCH_SESSION_ID_NOT_FOUND: errorCode('FETCH_SESSION_ID_NOT_FOUND'),
  INVALID_FETCH_SESSION_EPOCH: errorCode('INVALID_FETCH_SESSION_EPOCH'),
  FENCED_LEADER_EPOCH: errorCode('FENCED_LEADER_EPOCH'),
  UNKNOWN_LEADER_EPOCH: errorCode('UNKNOWN_LEADER_EPOCH'),
  UNSUPPORTED_COMPRESSION_TYPE: errorCode('UNSUPPORTED_COMPRESSION_TYPE'),
  INVALID_RECORD: errorCode('INVALID_RECORD'),
  UNKNOWN_TOPIC_ID: errorCode('UNKNOWN_TOPIC_ID'),
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

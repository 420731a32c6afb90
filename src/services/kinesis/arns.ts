import { formatArn } from '../../core/arn.js';

// Kinesis ARNs: built here, and read back with the patterns here. Two readings of a stream ARN
// coexist on purpose. Operations that take a StreamARN accept any region text and a name of any
// length (one beyond 128 characters is simply not found); resource policies and consumer ARNs hold
// to the shape Tideway hands out (lower-case region, a name CreateStream allows), and answer
// InvalidArgumentException for anything else. Unifying them would turn some of one error into
// the other.

/** The ARN of a stream: every stream's ARN is built here. */
export function streamArn(region: string, account: string, name: string): string {
  return formatArn('kinesis', region, account, `stream/${name}`);
}

/** A consumer's ARN: its creation time in seconds tells apart consumers registered under one name. */
export function consumerArn(stream: string, name: string, createdAt: number): string {
  return `${stream}/consumer/${name}:${Math.floor(createdAt / 1000)}`;
}

/** A StreamARN as stream operations read it. Groups: region, account, stream name. */
export const STREAM_ARN = /^arn:aws:kinesis:([^:]+):(\d{12}):stream\/([a-zA-Z0-9_.-]+)$/;

/**
 * A stream ARN of the shape Tideway hands out (resource policies). Groups: region, account,
 * stream name.
 */
export const ISSUED_STREAM_ARN = /^arn:aws:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;

/**
 * A consumer ARN: an issued stream ARN, `/consumer/`, the consumer name and its creation time.
 * Groups: stream ARN, region, account, stream name, consumer name, creation seconds.
 */
export const CONSUMER_ARN =
  /^(arn:aws:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128}))\/consumer\/([a-zA-Z0-9_.-]{1,128}):(\d+)$/;

/** Whether a ResourceARN (TagResource and friends) names a consumer rather than a stream. */
export function isConsumerArn(arn: string | undefined): arn is string {
  return arn?.includes('/consumer/') === true;
}

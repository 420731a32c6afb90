import type * as K from '@aws-sdk/client-kinesis';
import type { ShardInfo, StoredStreamRecord, StreamRecord, StreamStorage } from '../../storage/types.js';
import { kinesisError } from './errors.js';

// What GetShardIterator/GetRecords and SubscribeToShard share: where a reader starts in a
// shard, and what one read hands back.

export const STARTING_POSITIONS = [
  'AT_SEQUENCE_NUMBER',
  'AFTER_SEQUENCE_NUMBER',
  'TRIM_HORIZON',
  'LATEST',
  'AT_TIMESTAMP',
] as const;

export interface StartingPosition {
  type: string | undefined;
  sequenceNumber?: string;
  timestamp?: Date;
}

export function shardOf(
  streams: StreamStorage,
  stream: StreamRecord,
  shardId: string | undefined,
): ShardInfo {
  const shard = streams.shards(stream.arn).find((s) => s.id === shardId);
  if (!shard) {
    throw kinesisError.notFoundText(
      `Shard ${shardId} in stream ${stream.name} under account ${stream.account} does not exist`,
    );
  }
  return shard;
}

/**
 * The sequence number a reader starts after. `field` names the member in AWS's validation text
 * (shardIteratorType for GetShardIterator, startingPosition.type for SubscribeToShard).
 */
export function startAfter(
  streams: StreamStorage,
  stream: StreamRecord,
  shardId: string,
  position: StartingPosition,
  field: string,
): bigint {
  const sequence = () => {
    const seq = position.sequenceNumber;
    if (seq === undefined || !/^\d{1,128}$/.test(seq)) {
      throw kinesisError.invalidArgument(
        `StartingSequenceNumber is required and must be a number for ${position.type}.`,
      );
    }
    return BigInt(seq);
  };
  switch (position.type) {
    case 'TRIM_HORIZON':
      return 0n;
    case 'LATEST':
      return streams.lastSequence(stream.arn, shardId) ?? 0n;
    case 'AT_SEQUENCE_NUMBER':
      return sequence() - 1n;
    case 'AFTER_SEQUENCE_NUMBER':
      return sequence();
    case 'AT_TIMESTAMP':
      if (!position.timestamp) throw kinesisError.invalidArgument('Timestamp is required for AT_TIMESTAMP.');
      return streams.sequenceBefore(stream.arn, shardId, position.timestamp.getTime()) ?? 0n;
    default:
      throw kinesisError.validation(
        `1 validation error detected: Value '${position.type}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${STARTING_POSITIONS.join(', ')}]`,
      );
  }
}

/** One read of a shard, as GetRecords and a SubscribeToShard event report it. */
export interface ShardBatch {
  records: K._Record[];
  /** The last sequence number read (the starting point when nothing was). */
  last: bigint;
  millisBehindLatest: number;
  /** Set once a closed shard has been read to its end: the shards that took over its range. */
  childShards?: K.ChildShard[];
}

export function readBatch(
  streams: StreamStorage,
  stream: StreamRecord,
  shardId: string,
  after: bigint,
  limit: number,
  maxBytes: number,
  now: number,
): ShardBatch {
  const stored = streams.read(stream.arn, shardId, after, limit, maxBytes);
  const last = stored.length > 0 ? BigInt(stored[stored.length - 1].sequenceNumber) : after;
  const next = streams.read(stream.arn, shardId, last, 1, maxBytes)[0];
  const records = stored.map((r) => recordView(stream, r));
  const shards = streams.shards(stream.arn);
  const shard = shards.find((s) => s.id === shardId);
  if (shard?.endingSequenceNumber && !next) {
    return { records, last, millisBehindLatest: 0, childShards: childShards(shards, shardId) };
  }
  // How far this answer is from the tip: nothing left to read is 0.
  return { records, last, millisBehindLatest: next ? now - next.arrivedAt : 0 };
}

function childShards(shards: ShardInfo[], parent: string): K.ChildShard[] {
  return shards
    .filter((s) => s.parentShardId === parent || s.adjacentParentShardId === parent)
    .map((c) => ({
      ShardId: c.id,
      ParentShards: [c.parentShardId, c.adjacentParentShardId].filter((p): p is string => p !== undefined),
      HashKeyRange: { StartingHashKey: c.startingHashKey, EndingHashKey: c.endingHashKey },
    }));
}

export function recordView(stream: StreamRecord, r: StoredStreamRecord): K._Record {
  return {
    SequenceNumber: r.sequenceNumber,
    ApproximateArrivalTimestamp: new Date(r.arrivedAt),
    Data: r.data,
    PartitionKey: r.partitionKey,
    EncryptionType: stream.encryption ? 'KMS' : undefined,
  };
}

import { crc32c } from '@node-rs/crc32';
import type { KafkaTopicRecord } from '../../src/storage/types.js';

/** A topic of the default cluster as the storage's tests create it: its id is made from its name. */
export function topicRecord(
  name: string,
  createdAt: number,
  partitions = 1,
  configs: Record<string, string> = {},
): KafkaTopicRecord {
  return {
    cluster: 'default',
    name,
    topicId: `id-${name}`.padEnd(22, 'A'),
    partitions,
    replicationFactor: 1,
    configs,
    createdAt,
  };
}

/**
 * A valid, uncompressed v2 record batch built by hand for the storage's tests (the broker's own
 * record-batch module is not the storage's to lean on): `records` records of `valueBytes` bytes,
 * every record stamped `timestamp`, base offset 0 (the storage numbers it).
 */
export interface BatchSpec {
  records?: number;
  valueBytes?: number;
  /** Fills the values, so tests can tell batches apart. */
  fill?: number;
  timestamp?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
}

export function makeBatch(spec: BatchSpec = {}): Buffer {
  const count = spec.records ?? 1;
  const timestamp = spec.timestamp ?? 0;
  const value = Buffer.alloc(spec.valueBytes ?? 10, spec.fill ?? 0);
  const records: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const body = Buffer.concat([
      Buffer.from([0]), // attributes
      varint(0), // timestamp delta
      varint(i), // offset delta
      varint(-1), // no key
      varint(value.length),
      value,
      varint(0), // no headers
    ]);
    records.push(varint(body.length), body);
  }
  const header = Buffer.alloc(61);
  header.writeInt32BE(-1, 12); // partitionLeaderEpoch
  header[16] = 2; // magic
  header.writeInt16BE(0, 21); // attributes: no compression, create time
  header.writeInt32BE(count - 1, 23);
  header.writeBigInt64BE(BigInt(timestamp), 27);
  header.writeBigInt64BE(BigInt(timestamp), 35);
  header.writeBigInt64BE(spec.producerId ?? -1n, 43);
  header.writeInt16BE(spec.producerEpoch ?? -1, 51);
  header.writeInt32BE(spec.baseSequence ?? -1, 53);
  header.writeInt32BE(count, 57);
  const batch = Buffer.concat([header, ...records]);
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

/** Bytes 0–7 of a stored batch. */
export function baseOffsetOf(batch: Buffer): bigint {
  return batch.readBigInt64BE(0);
}

function varint(n: number): Buffer {
  let z = (n << 1) ^ (n >> 31);
  const out: number[] = [];
  while ((z & ~0x7f) !== 0) {
    out.push((z & 0x7f) | 0x80);
    z >>>= 7;
  }
  out.push(z);
  return Buffer.from(out);
}

import { Decoder, Encoder } from 'cbor-x';
import type { StoredStreamRecord } from '../types.js';

/** Records one stream took in one commit, numbered from `first` by the stream's counter. */
export interface ChunkRecords {
  first: number;
  /** Index of the shard each record went to. */
  shards: number[];
  /** When they arrived: one append takes its records at one moment. */
  arrivedAt: number;
  records: Array<Pick<StoredStreamRecord, 'data' | 'partitionKey'>>;
}

/** One record as read back: the sequence number is rebuilt from shard index and counter. */
export interface ChunkEntry {
  shard: number;
  counter: number;
  arrivedAt: number;
  partitionKey: string;
  data: Uint8Array;
}

// Plain CBOR arrays: byte strings hold the data as is (no base64), and the sequence number is not
// written (56 digits a record) since the counter and the shard index give it back. cbor-x writes
// integers past 32 bits (counters, clock ms) as float64, exact up to 2^53, and reads them as numbers.
const encoder = new Encoder({ useRecords: false, tagUint8Array: false });
const decoder = new Decoder({ useRecords: false });

/**
 * A chunk as one CBOR array: the first record's counter, then shard, arrival, partition key and
 * data of each record, whose counters follow one another. The bytes are a view of cbor-x's shared
 * buffer, good until the next encode: they are bound to the insert at once.
 */
export function encodeChunk(first: number, parts: ChunkRecords[]): Uint8Array {
  const flat: unknown[] = [first];
  for (const part of parts) {
    for (let i = 0; i < part.records.length; i++) {
      const r = part.records[i];
      flat.push(part.shards[i], part.arrivedAt, r.partitionKey, r.data);
    }
  }
  return encoder.encode(flat);
}

/** The records of a chunk, oldest first; their data are views of `blob`. */
export function decodeChunk(blob: Uint8Array): ChunkEntry[] {
  const flat = decoder.decode(blob) as unknown[];
  const first = flat[0] as number;
  const out: ChunkEntry[] = [];
  for (let i = 1, n = 0; i + 3 < flat.length; i += 4, n++) {
    out.push({
      shard: flat[i] as number,
      counter: first + n,
      arrivedAt: flat[i + 1] as number,
      partitionKey: flat[i + 2] as string,
      data: flat[i + 3] as Uint8Array,
    });
  }
  return out;
}

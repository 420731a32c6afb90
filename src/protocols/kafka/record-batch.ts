// Kafka's v2 record batch (DefaultRecordBatch): the header read in place, the CRC32C over
// attributes..end, a Produce `records` blob split into batches, the records of a batch decoded,
// and batches encoded for Tideway's own clients. The broker reads headers only: records stay
// compressed as sent.
import { crc32c } from '@node-rs/crc32';
import {
  COMPRESSION_CODECS,
  type CompressionCodec,
  codecId,
  compress,
  decompress,
} from './record-compression.js';

export type { CompressionCodec } from './record-compression.js';

/** baseOffset(8) + batchLength(4): the part of a batch not counted in its length (LOG_OVERHEAD). */
export const LOG_OVERHEAD = 12;
/** The v2 header through recordsCount (RECORD_BATCH_OVERHEAD). */
export const BATCH_HEADER_BYTES = 61;
/** Bytes up to and including magic: what is read to tell formats apart. */
const HEADER_UP_TO_MAGIC = 17;
/** The smallest legacy message (v0): Kafka's MIN_RECORD_OVERHEAD. */
const MIN_RECORD_OVERHEAD = 14;

const PARTITION_LEADER_EPOCH_AT = 12;
const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
const LAST_OFFSET_DELTA_AT = 23;
const BASE_TIMESTAMP_AT = 27;
const MAX_TIMESTAMP_AT = 35;
const PRODUCER_ID_AT = 43;
const PRODUCER_EPOCH_AT = 51;
const BASE_SEQUENCE_AT = 53;
const RECORDS_COUNT_AT = 57;

const TIMESTAMP_TYPE_BIT = 0x08;
const TRANSACTIONAL_BIT = 0x10;
const CONTROL_BIT = 0x20;

export interface RecordBatchHeader {
  baseOffset: bigint;
  /** Bytes after the length field; the batch is LOG_OVERHEAD + batchLength bytes. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: CompressionCodec | undefined;
  timestampType: 'CreateTime' | 'LogAppendTime';
  isTransactional: boolean;
  isControl: boolean;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  /** -1 when the producer is not idempotent. */
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/** A batch Kafka refuses: the error it answers and its message. */
export class RecordBatchError extends Error {
  constructor(
    readonly error: 'CORRUPT_MESSAGE' | 'INVALID_RECORD',
    message: string,
  ) {
    super(message);
  }
}

/** Reads the v2 header of the batch at `offset` (the caller has checked 61 bytes are there). */
export function readBatchHeader(buf: Buffer, offset = 0): RecordBatchHeader {
  const attributes = buf.readInt16BE(offset + ATTRIBUTES_AT);
  return {
    baseOffset: buf.readBigInt64BE(offset),
    batchLength: buf.readInt32BE(offset + 8),
    partitionLeaderEpoch: buf.readInt32BE(offset + PARTITION_LEADER_EPOCH_AT),
    magic: buf.readInt8(offset + MAGIC_AT),
    crc: buf.readUInt32BE(offset + CRC_AT),
    attributes,
    compression: COMPRESSION_CODECS[attributes & 0x07],
    timestampType: attributes & TIMESTAMP_TYPE_BIT ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & TRANSACTIONAL_BIT) !== 0,
    isControl: (attributes & CONTROL_BIT) !== 0,
    lastOffsetDelta: buf.readInt32BE(offset + LAST_OFFSET_DELTA_AT),
    baseTimestamp: buf.readBigInt64BE(offset + BASE_TIMESTAMP_AT),
    maxTimestamp: buf.readBigInt64BE(offset + MAX_TIMESTAMP_AT),
    producerId: buf.readBigInt64BE(offset + PRODUCER_ID_AT),
    producerEpoch: buf.readInt16BE(offset + PRODUCER_EPOCH_AT),
    baseSequence: buf.readInt32BE(offset + BASE_SEQUENCE_AT),
    recordsCount: buf.readInt32BE(offset + RECORDS_COUNT_AT),
  };
}

/** The magic byte of a batch (any format: it sits at the same place in v0, v1 and v2). */
export function batchMagic(batch: Buffer): number {
  return batch.readInt8(MAGIC_AT);
}

/** Whether a v2 batch is long enough and its stored CRC32C matches (DefaultRecordBatch.isValid). */
export function batchIsValid(batch: Buffer): boolean {
  if (batch.length < BATCH_HEADER_BYTES) return false;
  return crc32c(batch.subarray(ATTRIBUTES_AT)) === batch.readUInt32BE(CRC_AT);
}

/** Throws what DefaultRecordBatch.ensureValid throws. */
export function ensureBatchValid(batch: Buffer): void {
  if (batch.length < BATCH_HEADER_BYTES) {
    throw new RecordBatchError(
      'CORRUPT_MESSAGE',
      `Record batch is corrupt (the size ${batch.length} is smaller than the minimum allowed overhead ${BATCH_HEADER_BYTES})`,
    );
  }
  if (!batchIsValid(batch)) {
    throw new RecordBatchError(
      'CORRUPT_MESSAGE',
      `Record is corrupt (stored crc = ${batch.readUInt32BE(CRC_AT)}, computed crc = ${crc32c(batch.subarray(ATTRIBUTES_AT))})`,
    );
  }
}

/** Rewrites a batch's CRC32C after a header change (attributes onwards are covered). */
export function writeBatchCrc(batch: Buffer): void {
  batch.writeUInt32BE(crc32c(batch.subarray(ATTRIBUTES_AT)), CRC_AT);
}

/**
 * Marks a batch LogAppendTime with the broker's time as its max timestamp, as Kafka's LogValidator
 * does for topics with message.timestamp.type=LogAppendTime (records keep their deltas).
 */
export function setLogAppendTime(batch: Buffer, nowMs: bigint): void {
  batch.writeInt16BE(batch.readInt16BE(ATTRIBUTES_AT) | TIMESTAMP_TYPE_BIT, ATTRIBUTES_AT);
  batch.writeBigInt64BE(nowMs, MAX_TIMESTAMP_AT);
  writeBatchCrc(batch);
}

/**
 * Splits a records blob into whole batches (views into it), as Kafka's ByteBufferLogInputStream
 * walks it: a size under the legacy minimum is corrupt, and a trailing partial batch is not a
 * batch (Kafka ignores it; a blob holding nothing else has no batch at all).
 */
export function splitBatches(records: Buffer): Buffer[] {
  const batches: Buffer[] = [];
  let at = 0;
  while (records.length - at >= LOG_OVERHEAD) {
    const size = records.readInt32BE(at + 8);
    if (size < MIN_RECORD_OVERHEAD) {
      throw new RecordBatchError(
        'CORRUPT_MESSAGE',
        `Record size ${size} is less than the minimum record overhead (${MIN_RECORD_OVERHEAD})`,
      );
    }
    if (records.length - at < HEADER_UP_TO_MAGIC) break;
    const magic = records.readInt8(at + MAGIC_AT);
    if (magic < 0 || magic > 2)
      throw new RecordBatchError('CORRUPT_MESSAGE', `Invalid magic found in record: ${magic}`);
    const end = at + LOG_OVERHEAD + size;
    if (end > records.length) break;
    batches.push(records.subarray(at, end));
    at = end;
  }
  return batches;
}

/** The offset of the last record of a batch stored at its offset. */
export function batchLastOffset(batch: Buffer): bigint {
  return batch.readBigInt64BE(0) + BigInt(batch.readInt32BE(LAST_OFFSET_DELTA_AT));
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface KafkaRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

class Reader {
  at = 0;
  constructor(readonly buf: Buffer) {}

  varint(): number {
    let raw = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.buf.length) throw new RecordBatchError('CORRUPT_MESSAGE', 'Record is truncated');
      const byte = this.buf[this.at++] as number;
      raw |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new RecordBatchError('CORRUPT_MESSAGE', 'Varint is too long');
    }
    return (raw >>> 1) ^ -(raw & 1);
  }

  varlong(): bigint {
    let raw = 0n;
    let shift = 0n;
    for (;;) {
      if (this.at >= this.buf.length) throw new RecordBatchError('CORRUPT_MESSAGE', 'Record is truncated');
      const byte = this.buf[this.at++] as number;
      raw |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new RecordBatchError('CORRUPT_MESSAGE', 'Varlong is too long');
    }
    return (raw >> 1n) ^ -(raw & 1n);
  }

  bytes(length: number): Buffer | null {
    if (length < 0) return null;
    if (this.at + length > this.buf.length)
      throw new RecordBatchError('CORRUPT_MESSAGE', 'Record is truncated');
    const out = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
}

/** Decodes the records of a v2 batch (decompressing them first). Throws RecordBatchError on bad data. */
export function decodeRecords(batch: Buffer): KafkaRecord[] {
  if (batch.length < BATCH_HEADER_BYTES) {
    throw new RecordBatchError('CORRUPT_MESSAGE', 'Record batch is shorter than its header');
  }
  const header = readBatchHeader(batch);
  if (header.magic !== 2) {
    throw new RecordBatchError('INVALID_RECORD', `Record batch magic ${header.magic} is not 2`);
  }
  if (header.compression === undefined) {
    throw new RecordBatchError('CORRUPT_MESSAGE', `Unknown compression type id ${header.attributes & 0x07}`);
  }
  const body = batch.subarray(BATCH_HEADER_BYTES, LOG_OVERHEAD + header.batchLength);
  let data: Buffer;
  try {
    data = decompress(header.compression, body);
  } catch (err) {
    throw new RecordBatchError(
      'CORRUPT_MESSAGE',
      `Record batch does not decompress as ${header.compression}: ${err}`,
    );
  }
  const reader = new Reader(data);
  const records: KafkaRecord[] = [];
  for (let i = 0; i < header.recordsCount; i++) {
    const length = reader.varint();
    const end = reader.at + length;
    if (length < 0 || end > data.length) throw new RecordBatchError('CORRUPT_MESSAGE', 'Record is truncated');
    reader.at += 1; // record attributes: unused since v2
    const timestampDelta = reader.varlong();
    const offsetDelta = reader.varint();
    const key = reader.bytes(reader.varint());
    const value = reader.bytes(reader.varint());
    const headerCount = reader.varint();
    if (headerCount < 0)
      throw new RecordBatchError('CORRUPT_MESSAGE', `Invalid negative header count: ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const headerKey = reader.bytes(reader.varint());
      if (headerKey === null)
        throw new RecordBatchError('CORRUPT_MESSAGE', 'Invalid negative header key size');
      headers.push({ key: headerKey.toString('utf8'), value: reader.bytes(reader.varint()) });
    }
    if (reader.at !== end) {
      throw new RecordBatchError('CORRUPT_MESSAGE', `Invalid record size: expected ${length} bytes`);
    }
    records.push({
      offset: header.baseOffset + BigInt(offsetDelta),
      timestamp:
        header.timestampType === 'LogAppendTime'
          ? header.maxTimestamp
          : header.baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
  return records;
}

// --- Encoding (Tideway's own producers: tests, the benchmark, Firehose's MSK source) ---

function varintSize(value: number): number {
  let raw = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (raw >= 0x80) {
    raw >>>= 7;
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, at: number, value: number): number {
  let raw = ((value << 1) ^ (value >> 31)) >>> 0;
  while (raw >= 0x80) {
    buf[at++] = (raw & 0x7f) | 0x80;
    raw >>>= 7;
  }
  buf[at++] = raw;
  return at;
}

function varlongBytes(value: bigint): Buffer {
  let raw = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  const bytes: number[] = [];
  while (raw >= 0x80n) {
    bytes.push(Number(raw & 0x7fn) | 0x80);
    raw >>= 7n;
  }
  bytes.push(Number(raw));
  return Buffer.from(bytes);
}

export interface RecordInput {
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: Array<{ key: string; value: Buffer | string | null }>;
  /** Milliseconds; the batch's base timestamp when absent. */
  timestamp?: bigint | number;
}

export interface BatchOptions {
  compression?: CompressionCodec;
  baseOffset?: bigint;
  /** Defaults to the first record's timestamp, else now. */
  baseTimestamp?: bigint;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  partitionLeaderEpoch?: number;
}

function asBytes(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function encodeRecord(record: RecordInput, offsetDelta: number, baseTimestamp: bigint): Buffer {
  const key = asBytes(record.key);
  const value = asBytes(record.value);
  const headers = (record.headers ?? []).map((h) => ({
    key: Buffer.from(h.key, 'utf8'),
    value: asBytes(h.value),
  }));
  const timestampDelta = varlongBytes(
    record.timestamp === undefined ? 0n : BigInt(record.timestamp) - baseTimestamp,
  );
  let bodySize = 1 + timestampDelta.length + varintSize(offsetDelta);
  bodySize += varintSize(key ? key.length : -1) + (key?.length ?? 0);
  bodySize += varintSize(value ? value.length : -1) + (value?.length ?? 0);
  bodySize += varintSize(headers.length);
  for (const h of headers) {
    bodySize += varintSize(h.key.length) + h.key.length + varintSize(h.value ? h.value.length : -1);
    bodySize += h.value?.length ?? 0;
  }
  const out = Buffer.alloc(varintSize(bodySize) + bodySize);
  let at = writeVarint(out, 0, bodySize);
  out[at++] = 0;
  at += timestampDelta.copy(out, at);
  at = writeVarint(out, at, offsetDelta);
  at = writeVarint(out, at, key ? key.length : -1);
  if (key) at += key.copy(out, at);
  at = writeVarint(out, at, value ? value.length : -1);
  if (value) at += value.copy(out, at);
  at = writeVarint(out, at, headers.length);
  for (const h of headers) {
    at = writeVarint(out, at, h.key.length);
    at += h.key.copy(out, at);
    at = writeVarint(out, at, h.value ? h.value.length : -1);
    if (h.value) at += h.value.copy(out, at);
  }
  return out;
}

/** Encodes one v2 batch of `records` (at least one), with its CRC. */
export function encodeBatch(records: RecordInput[], options: BatchOptions = {}): Buffer {
  if (records.length === 0) throw new Error('a record batch holds at least one record');
  const first = records[0]?.timestamp;
  const baseTimestamp = options.baseTimestamp ?? (first === undefined ? BigInt(Date.now()) : BigInt(first));
  let maxTimestamp = baseTimestamp;
  for (const r of records) {
    if (r.timestamp !== undefined && BigInt(r.timestamp) > maxTimestamp) maxTimestamp = BigInt(r.timestamp);
  }
  const compression = options.compression ?? 'none';
  const body = compress(compression, Buffer.concat(records.map((r, i) => encodeRecord(r, i, baseTimestamp))));
  const batch = Buffer.alloc(BATCH_HEADER_BYTES + body.length);
  batch.writeBigInt64BE(options.baseOffset ?? 0n, 0);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, 8);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? -1, PARTITION_LEADER_EPOCH_AT);
  batch.writeInt8(2, MAGIC_AT);
  batch.writeInt16BE(codecId(compression) | (options.transactional ? TRANSACTIONAL_BIT : 0), ATTRIBUTES_AT);
  batch.writeInt32BE(records.length - 1, LAST_OFFSET_DELTA_AT);
  batch.writeBigInt64BE(baseTimestamp, BASE_TIMESTAMP_AT);
  batch.writeBigInt64BE(maxTimestamp, MAX_TIMESTAMP_AT);
  batch.writeBigInt64BE(options.producerId ?? -1n, PRODUCER_ID_AT);
  batch.writeInt16BE(options.producerEpoch ?? -1, PRODUCER_EPOCH_AT);
  batch.writeInt32BE(options.baseSequence ?? -1, BASE_SEQUENCE_AT);
  batch.writeInt32BE(records.length, RECORDS_COUNT_AT);
  body.copy(batch, BATCH_HEADER_BYTES);
  writeBatchCrc(batch);
  return batch;
}

// Field positions of a v2 record batch header (Kafka's DefaultRecordBatch). The storage reads only
// these fields and writes only the base offset, which lies outside the CRC.
export const BASE_OFFSET = 0;
export const BATCH_LENGTH = 8;
export const MAGIC = 16;
export const LAST_OFFSET_DELTA = 23;
export const MAX_TIMESTAMP = 35;
export const PRODUCER_ID = 43;
export const PRODUCER_EPOCH = 51;
export const BASE_SEQUENCE = 53;
/** The header's size: a batch is at least this long. */
export const HEADER_BYTES = 61;
/** batchLength counts the bytes after itself. */
export const LOG_OVERHEAD = 12;

const INT32_MAX = 0x7fff_ffff;

/** Why a buffer cannot be stored as one whole v2 batch, or undefined when it can. */
export function batchProblem(batch: Uint8Array): string | undefined {
  if (batch.length < HEADER_BYTES)
    return `a record batch is at least ${HEADER_BYTES} bytes, not ${batch.length}`;
  const b = asBuffer(batch);
  const length = b.readInt32BE(BATCH_LENGTH) + LOG_OVERHEAD;
  if (length !== b.length) return `the batch says it is ${length} bytes, but ${b.length} were given`;
  if (b[MAGIC] !== 2) return `only v2 record batches are stored, not magic ${b[MAGIC]}`;
  if (b.readInt32BE(LAST_OFFSET_DELTA) < 0) return 'the batch has a negative lastOffsetDelta';
  return undefined;
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Bytes 0–7 as a number: offsets stay far below 2^53. */
export function readBaseOffset(b: Buffer, at = 0): number {
  return b.readInt32BE(at + BASE_OFFSET) * 2 ** 32 + b.readUInt32BE(at + BASE_OFFSET + 4);
}

export function writeBaseOffset(b: Buffer, at: number, offset: number): void {
  b.writeInt32BE(Math.floor(offset / 2 ** 32), at + BASE_OFFSET);
  b.writeUInt32BE(offset % 2 ** 32, at + BASE_OFFSET + 4);
}

export function batchLengthAt(b: Buffer, at: number): number {
  return b.readInt32BE(at + BATCH_LENGTH) + LOG_OVERHEAD;
}

/** The max timestamp as a number of milliseconds (-1 when the batch has none). */
export function readMaxTimestamp(b: Buffer, at = 0): number {
  return b.readInt32BE(at + MAX_TIMESTAMP) * 2 ** 32 + b.readUInt32BE(at + MAX_TIMESTAMP + 4);
}

/** Whether the batch comes from an idempotent producer (producerId not -1). */
export function hasProducer(b: Buffer, at = 0): boolean {
  return b.readInt32BE(at + PRODUCER_ID) !== -1 || b.readInt32BE(at + PRODUCER_ID + 4) !== -1;
}

/** The sequence of the batch's last record: sequences wrap from Int32.MAX_VALUE to 0, as Kafka's do. */
export function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  if (baseSequence > INT32_MAX - lastOffsetDelta) return lastOffsetDelta - (INT32_MAX - baseSequence) - 1;
  return baseSequence + lastOffsetDelta;
}

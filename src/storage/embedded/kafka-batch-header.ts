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
  const length = batchLengthAt(batch, 0);
  if (length !== batch.length) return `the batch says it is ${length} bytes, but ${batch.length} were given`;
  if (batch[MAGIC] !== 2) return `only v2 record batches are stored, not magic ${batch[MAGIC]}`;
  if (lastOffsetDeltaAt(batch, 0) < 0) return 'the batch has a negative lastOffsetDelta';
  return undefined;
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// The fields are read and written byte by byte: Buffer's checked readers and writers cost far
// times more per call on the engine's resizable buffers, and they run for every batch appended.

export function int32At(b: Uint8Array, at: number): number {
  return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

function uint32At(b: Uint8Array, at: number): number {
  return int32At(b, at) >>> 0;
}

/** An int64 field as a number: offsets and timestamps stay far below 2^53. */
function int64At(b: Uint8Array, at: number): number {
  return int32At(b, at) * 2 ** 32 + uint32At(b, at + 4);
}

/** Bytes 0–7 as a number. */
export function readBaseOffset(b: Uint8Array, at = 0): number {
  return int64At(b, at + BASE_OFFSET);
}

export function writeBaseOffset(b: Uint8Array, at: number, offset: number): void {
  const high = Math.floor(offset / 2 ** 32);
  const low = offset - high * 2 ** 32;
  b[at] = high >>> 24;
  b[at + 1] = high >>> 16;
  b[at + 2] = high >>> 8;
  b[at + 3] = high;
  b[at + 4] = low >>> 24;
  b[at + 5] = low >>> 16;
  b[at + 6] = low >>> 8;
  b[at + 7] = low;
}

export function batchLengthAt(b: Uint8Array, at: number): number {
  return int32At(b, at + BATCH_LENGTH) + LOG_OVERHEAD;
}

export function lastOffsetDeltaAt(b: Uint8Array, at: number): number {
  return int32At(b, at + LAST_OFFSET_DELTA);
}

/** The max timestamp as a number of milliseconds (-1 when the batch has none). */
export function readMaxTimestamp(b: Uint8Array, at = 0): number {
  return int64At(b, at + MAX_TIMESTAMP);
}

/** Whether the batch comes from an idempotent producer (producerId not -1). */
export function hasProducer(b: Uint8Array, at = 0): boolean {
  return int32At(b, at + PRODUCER_ID) !== -1 || int32At(b, at + PRODUCER_ID + 4) !== -1;
}

/** The sequence of the batch's last record: sequences wrap from Int32.MAX_VALUE to 0, as Kafka's do. */
export function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  if (baseSequence > INT32_MAX - lastOffsetDelta) return lastOffsetDelta - (INT32_MAX - baseSequence) - 1;
  return baseSequence + lastOffsetDelta;
}

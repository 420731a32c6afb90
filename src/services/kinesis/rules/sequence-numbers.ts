/**
 * Sequence numbers are 56 digits, as AWS's are (clients parse them as big integers): a fixed
 * leading 49, the shard's index in 14 digits, then the stream's counter in 40.
 */
export function sequenceNumber(shardIndex: number, counter: number): string {
  // Every record put or read gets one, so it is built from cached pieces: the shard's number up to
  // the last four digits, and those four from a table. String(counter) for each would put every
  // result in V8's number-to-string cache, which keeps each one alive through the next young
  // collection: that alone was most of what PutRecords left surviving, and what grows the young
  // generation under load.
  const high = Math.floor(counter / LOW_RANGE);
  const slot = (shardIndex * 7919 + high) % HEAD_SLOTS;
  let head = HEADS[slot];
  if (head?.shardIndex !== shardIndex || head.high !== high) {
    const digits = String(high);
    const zero = `49${String(shardIndex).padStart(14, '0')}${'0'.repeat(COUNTER_DIGITS)}`;
    head = {
      shardIndex,
      high,
      text: `${zero.slice(0, SEQUENCE_DIGITS - LOW_DIGITS - digits.length)}${digits}`,
    };
    HEADS[slot] = head;
  }
  return head.text + LOW_PARTS[counter - high * LOW_RANGE];
}

const SEQUENCE_DIGITS = 56;
const COUNTER_DIGITS = 40;
const LOW_DIGITS = 4;
const LOW_RANGE = 10 ** LOW_DIGITS;
const LOW_PARTS = Array.from({ length: LOW_RANGE }, (_, i) => String(i).padStart(LOW_DIGITS, '0'));
/**
 * Sequence numbers' leading 52 digits by shard index and counter / 10,000: a small cache, so that
 * streams written side by side (their shards share indexes) do not take each other's places.
 */
const HEAD_SLOTS = 1024;
const HEADS: Array<{ shardIndex: number; high: number; text: string } | undefined> = new Array(HEAD_SLOTS);

const SEQUENCE_BASE = 49n * 10n ** 54n;
const SHARD_FACTOR = 10n ** 40n;
/** The counter's share of a sequence number: a shard holds at most this many. */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

/**
 * The stream counter a sequence number stands for in shard `shardIndex`: -1 for a number below
 * the shard's range (reads from its start), MAX_COUNTER for one above it (past its end).
 */
export function counterOf(sequence: bigint, shardIndex: number): number {
  const offset = sequence - SEQUENCE_BASE - BigInt(shardIndex) * SHARD_FACTOR;
  if (offset < 0n) return -1;
  if (offset >= SHARD_FACTOR || offset > BigInt(MAX_COUNTER)) return MAX_COUNTER;
  return Number(offset);
}

/**
 * The sequence numbers a shard's range starts and ends at: a shard opens at the next counter
 * the stream will hand out, and a reshard closes its parents at the counter where it stands
 * (nothing more can arrive in them).
 */
export function startingSequenceNumber(shardIndex: number, streamCounter: number): string {
  return sequenceNumber(shardIndex, streamCounter + 1);
}

export function endingSequenceNumber(shardIndex: number, streamCounter: number): string {
  return sequenceNumber(shardIndex, streamCounter);
}

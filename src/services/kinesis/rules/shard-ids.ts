/**
 * Shard ids as AWS writes them: `shardId-` and the shard's index in the stream, in 12 digits.
 * Indexes are never reused: a reshard's children take the next ones.
 */

const PREFIX = 'shardId-';
const DIGITS = 12;

export function shardId(index: number): string {
  return `${PREFIX}${String(index).padStart(DIGITS, '0')}`;
}

/** The index a shard id names, or undefined when it is not one Kinesis would hand out. */
export function shardIndexOf(id: string): number | undefined {
  if (id.length !== PREFIX.length + DIGITS || !id.startsWith(PREFIX)) return undefined;
  const digits = id.slice(PREFIX.length);
  if (!/^\d+$/.test(digits)) return undefined;
  return Number(digits);
}

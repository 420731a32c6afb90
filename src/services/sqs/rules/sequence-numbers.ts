/**
 * FIFO sequence numbers: 20 digits, strictly increasing per queue. They follow the clock (a
 * million numbers per millisecond), so they keep rising across a restart as well as within one.
 */

export function nextSequenceNumber(last: bigint, now: number): bigint {
  const floor = BigInt(now) * 1_000_000n;
  return last >= floor ? last + 1n : floor;
}

export function formatSequenceNumber(sequence: bigint): string {
  return sequence.toString().padStart(20, '0');
}

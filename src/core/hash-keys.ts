/**
 * Kinesis hash keys (128-bit) as 32 lowercase hex digits. Fixed width makes string order numeric
 * order, so a record finds its shard by comparing strings: an MD5 digest in hex is already one,
 * and no BigInt (nor the strings parsing one takes) is made per record.
 */
export type HashKey = string;

const HEX_DIGITS = 32;

export function hashKeyOf(value: bigint): HashKey {
  return value.toString(16).padStart(HEX_DIGITS, '0');
}

import { startDigest } from './checksum-combine.js';
import type { ChecksumAlgorithm } from './model.js';

/** A running checksum over an object's bytes, giving S3's base64 form. */
export interface RunningDigest {
  update(data: Uint8Array): void;
  /** Base64, as S3 sends it. */
  digest(): string;
}

/** The same running digests multipart keeps per part, answering in S3's base64. */
export function runningDigest(algorithm: ChecksumAlgorithm | 'MD5'): RunningDigest {
  const running = startDigest(algorithm);
  return { update: (d) => running.update(d), digest: () => running.digest().toString('base64') };
}

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
];

/** The output/input member holding an algorithm's value (`ChecksumCRC32`…). */
export function checksumMember(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm}`;
}

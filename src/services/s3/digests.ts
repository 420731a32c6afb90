import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc64nvmeStep } from '../../protocols/crc64nvme.js';
import { crc32c } from '../../protocols/rest-checksums.js';
import type { ChecksumAlgorithm } from './model.js';

/** A running checksum over an object's bytes, giving S3's base64 form. */
export interface RunningDigest {
  update(data: Uint8Array): void;
  /** Base64, as S3 sends it. */
  digest(): string;
}

function crc32Digest(step: (data: Buffer, value: number) => number): RunningDigest {
  let value = 0;
  return {
    update: (d) => {
      value = step(asBuffer(d), value);
    },
    digest: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out.toString('base64');
    },
  };
}

export function runningDigest(algorithm: ChecksumAlgorithm | 'MD5'): RunningDigest {
  switch (algorithm) {
    case 'CRC32':
      return crc32Digest((d, v) => crc32(d, v));
    case 'CRC32C':
      return crc32Digest(crc32c);
    case 'CRC64NVME': {
      // The two halves stay numbers between pieces: no 8-byte buffer made and read back per piece.
      let hi = 0;
      let lo = 0;
      return {
        update: (d) => {
          [hi, lo] = crc64nvmeStep(d, hi, lo);
        },
        digest: () => {
          const out = Buffer.alloc(8);
          out.writeInt32BE(hi, 0);
          out.writeInt32BE(lo, 4);
          return out.toString('base64');
        },
      };
    }
    default: {
      const hash = createHash(algorithm === 'MD5' ? 'md5' : algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (d) => hash.update(d), digest: () => hash.digest('base64') };
    }
  }
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
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

import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc64nvmeStep } from '../../protocols/crc64nvme.js';
import { crc32c } from '../../protocols/rest-checksums.js';
import type { ChecksumAlgorithm } from './model.js';

/**
 * The checksums of a multipart object, from its parts' checksums alone (the bytes are not read
 * again at completion): S3's composite form, a hash of the parts' binary digests with `-N`
 * appended, and its full-object form for the CRCs, the parts' CRCs combined into the CRC of the
 * whole object.
 */

/** A running digest of one algorithm over a body as it streams in. */
export interface PartDigest {
  update(data: Uint8Array): void;
  /** The raw digest, big-endian for the CRCs as S3 encodes them. */
  digest(): Buffer;
}

function crc32Digest(step: (data: Buffer, value: number) => number): PartDigest {
  let value = 0;
  return {
    update: (d) => {
      value = step(asBuffer(d), value);
    },
    digest: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out;
    },
  };
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export function startDigest(algorithm: ChecksumAlgorithm | 'MD5'): PartDigest {
  switch (algorithm) {
    case 'CRC32':
      return crc32Digest((d, v) => crc32(d, v));
    case 'CRC32C':
      return crc32Digest(crc32c);
    case 'CRC64NVME': {
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
          return out;
        },
      };
    }
    default: {
      const hash = createHash(algorithm === 'MD5' ? 'md5' : algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (d) => hash.update(d), digest: () => hash.digest() };
    }
  }
}

/** The algorithm's checksum of `data` in base64, as S3 reports one. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  const digest = startDigest(algorithm);
  digest.update(data);
  return digest.digest().toString('base64');
}

/** `<base64 of the hash of the parts' binary digests>-N`: S3's composite checksum. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): string {
  const digest = startDigest(algorithm);
  for (const part of partChecksums) digest.update(Buffer.from(part, 'base64'));
  return `${digest.digest().toString('base64')}-${partChecksums.length}`;
}

/** The CRCs S3 can combine: reflected polynomials, all-ones initial value and final xor. */
const CRC_POLYNOMIALS = {
  CRC32: { poly: 0xedb88320n, width: 32 },
  CRC32C: { poly: 0x82f63b78n, width: 32 },
  CRC64NVME: { poly: 0x9a6c9329ac4bc9b5n, width: 64 },
} as const;

export type CombinableAlgorithm = keyof typeof CRC_POLYNOMIALS;

export function isCombinable(algorithm: ChecksumAlgorithm): algorithm is CombinableAlgorithm {
  return algorithm in CRC_POLYNOMIALS;
}

type Matrix = bigint[];

function times(matrix: Matrix, vector: bigint): bigint {
  let sum = 0n;
  for (let i = 0; vector !== 0n; i++, vector >>= 1n) if (vector & 1n) sum ^= matrix[i];
  return sum;
}

function square(matrix: Matrix): Matrix {
  return matrix.map((row) => times(matrix, row));
}

/**
 * For each k, the linear operator that feeds 2^k zero bytes through the CRC register. A CRC over
 * A‖B is the CRC of A advanced by |B| zero bytes, xor the CRC of B (init and final xor cancel);
 * keeping the powers of two makes each combination a few dozen matrix-vector products however
 * large the part, which 10,000 parts need.
 */
const zeroOperators = new Map<CombinableAlgorithm, Matrix[]>();

function operatorsOf(algorithm: CombinableAlgorithm): Matrix[] {
  let operators = zeroOperators.get(algorithm);
  if (operators) return operators;
  const { poly, width } = CRC_POLYNOMIALS[algorithm];
  // One zero bit: shift right, folding the polynomial in when the low bit falls out.
  let op: Matrix = [poly];
  for (let n = 1; n < width; n++) op.push(1n << BigInt(n - 1));
  for (let bit = 0; bit < 3; bit++) op = square(op);
  operators = [op];
  // 2^43 bytes covers S3's largest object (5 TiB) with room to spare.
  for (let k = 1; k < 44; k++) operators.push(square(operators[k - 1]));
  zeroOperators.set(algorithm, operators);
  return operators;
}

/** The CRC of A‖B from the CRC of A, the CRC of B and B's length. */
export function combineCrc(
  algorithm: CombinableAlgorithm,
  first: bigint,
  second: bigint,
  secondLength: number,
): bigint {
  const operators = operatorsOf(algorithm);
  let value = first;
  let length = secondLength;
  for (let k = 0; length > 0; k++, length = Math.floor(length / 2)) {
    if (length % 2 === 1) value = times(operators[k], value);
  }
  return value ^ second;
}

function fromBase64(value: string): bigint {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

function toBase64(value: bigint, width: number): string {
  return Buffer.from(value.toString(16).padStart(width / 4, '0'), 'hex').toString('base64');
}

/** The whole object's CRC (base64) from each part's CRC (base64) and size, in order. */
export function fullObjectCrc(
  algorithm: CombinableAlgorithm,
  parts: ReadonlyArray<{ checksum: string; size: number }>,
): string {
  const { width } = CRC_POLYNOMIALS[algorithm];
  if (parts.length === 0) return checksumOf(algorithm, new Uint8Array(0));
  let value = fromBase64(parts[0].checksum);
  for (let i = 1; i < parts.length; i++) {
    value = combineCrc(algorithm, value, fromBase64(parts[i].checksum), parts[i].size);
  }
  return toBase64(value, width);
}

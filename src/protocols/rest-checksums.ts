import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { type ChunkedTrailer, decodeAwsChunked, incompleteBody, isAwsChunked } from './aws-chunked.js';
import { crc64nvme } from './crc64nvme.js';
import { ServiceError } from './errors.js';
import { RestServiceError } from './rest-dispatch.js';

/**
 * A REST request body as the handler reads it: aws-chunked framing removed, and the checksum the
 * client declared (an `x-amz-checksum-*` header, a trailer named in `x-amz-trailer`, or
 * Content-MD5) verified as the last byte goes by, so a mismatch fails the read that would have
 * completed the upload. Nothing is held beyond the piece in flight.
 *
 * Errors are S3's (codes and texts from AWS's recorded answers): the only REST service whose
 * clients send these headers.
 */

type Headers = Record<string, string | string[] | undefined>;

interface Algorithm {
  /** The name in S3's texts. */
  label: string;
  /** Decoded length of a well-formed value. */
  bytes: number;
  start(): Digest;
}

interface Digest {
  update(data: Buffer): void;
  digest(): Buffer;
}

function fromHash(hash: Hash): Digest {
  return { update: (d) => hash.update(d), digest: () => hash.digest() };
}

function crcDigest(step: (data: Buffer, value: number) => number): Digest {
  let value = 0;
  return {
    update: (d) => {
      value = step(d, value);
    },
    digest: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out;
    },
  };
}

// Node has CRC32 (zlib.crc32) but not the Castagnoli CRC32C, which S3 clients may choose; the
// table form is short enough not to warrant a dependency.
const CRC32C_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export function crc32c(data: Buffer, value = 0): number {
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = CRC32C_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function crc64Digest(): Digest {
  let value: Buffer | undefined;
  return {
    update: (d) => {
      value = crc64nvme(d, value);
    },
    digest: () => value ?? crc64nvme(Buffer.alloc(0)),
  };
}

const ALGORITHMS: Record<string, Algorithm> = {
  'x-amz-checksum-crc64nvme': { label: 'CRC64NVME', bytes: 8, start: crc64Digest },
  'x-amz-checksum-crc32': { label: 'CRC32', bytes: 4, start: () => crcDigest((d, v) => crc32(d, v)) },
  'x-amz-checksum-crc32c': { label: 'CRC32C', bytes: 4, start: () => crcDigest(crc32c) },
  'x-amz-checksum-sha1': { label: 'SHA1', bytes: 20, start: () => fromHash(createHash('sha1')) },
  'x-amz-checksum-sha256': { label: 'SHA256', bytes: 32, start: () => fromHash(createHash('sha256')) },
};

function single(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function decodesTo(value: string, bytes: number): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && Buffer.from(value, 'base64').length === bytes;
}

function invalidValue(name: string): ServiceError {
  return new ServiceError('InvalidRequest', `Value for ${name} header is invalid.`);
}

function mismatch(algorithm: Algorithm): ServiceError {
  return new ServiceError(
    'BadDigest',
    `The ${algorithm.label} you specified did not match the calculated checksum.`,
  );
}

interface Check {
  name: string;
  algorithm: Algorithm;
  /** From the header; undefined when it comes in the trailer. */
  expected?: string;
}

/** The checksums a request declares, validated in form before any byte of the body is read. */
function declaredChecks(headers: Headers): Check[] {
  const checks: Check[] = [];
  for (const [name, algorithm] of Object.entries(ALGORITHMS)) {
    const value = single(headers, name);
    if (value === undefined) continue;
    if (!decodesTo(value, algorithm.bytes)) throw invalidValue(name);
    checks.push({ name, algorithm, expected: value });
  }
  const trailer = single(headers, 'x-amz-trailer');
  for (const raw of trailer ? trailer.split(',') : []) {
    const name = raw.trim().toLowerCase();
    const algorithm = ALGORITHMS[name];
    if (algorithm && !checks.some((c) => c.name === name)) checks.push({ name, algorithm });
  }
  const md5 = single(headers, 'content-md5');
  if (md5 !== undefined) {
    if (!decodesTo(md5, 16))
      throw new RestServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.', {
        'Content-MD5': md5,
      });
    checks.push({
      name: 'content-md5',
      algorithm: { label: 'Content-MD5', bytes: 16, start: () => fromHash(createHash('md5')) },
      expected: md5,
    });
  }
  return checks;
}

/**
 * The body a handler reads. Throws at once (synchronously) for a malformed checksum header; the
 * returned iterable fails at its end for a checksum or length that does not match.
 */
export function requestBody(
  headers: Headers,
  source: AsyncIterable<Uint8Array>,
  options: BodyOptions = {},
): AsyncIterable<Buffer> {
  const checks = declaredChecks(headers);
  const chunked = isAwsChunked(headers);
  const decodedLength = single(headers, 'x-amz-decoded-content-length');
  if (!chunked && checks.length === 0) return source as AsyncIterable<Buffer>;
  return verified(
    source,
    chunked,
    checks,
    decodedLength === undefined ? undefined : Number(decodedLength),
    options,
  );
}

export interface BodyOptions {
  /**
   * AWS's BadDigest for Content-MD5 echoes the expected digest in hex on PutObject but as sent
   * (base64) on UploadPart, as recorded against the real service.
   */
  md5ExpectedAsHex?: boolean;
}

function md5Mismatch(expected: string, actual: string, options: BodyOptions): RestServiceError {
  return new RestServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
    ExpectedDigest: options.md5ExpectedAsHex ? Buffer.from(expected, 'base64').toString('hex') : expected,
    CalculatedDigest: actual,
  });
}

async function* verified(
  source: AsyncIterable<Uint8Array>,
  chunked: boolean,
  checks: Check[],
  decodedLength: number | undefined,
  options: BodyOptions,
): AsyncGenerator<Buffer> {
  const trailer: ChunkedTrailer = { headers: {}, length: 0 };
  const digests = checks.map((c) => c.algorithm.start());
  const body = chunked ? decodeAwsChunked(source, trailer) : source;
  for await (const piece of body) {
    const data = Buffer.isBuffer(piece)
      ? piece
      : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    for (const digest of digests) digest.update(data);
    yield data;
  }
  if (chunked && decodedLength !== undefined && decodedLength !== trailer.length) throw incompleteBody();
  checks.forEach((check, i) => {
    const expected = check.expected ?? trailer.headers[check.name];
    if (expected === undefined) throw incompleteBody();
    if (check.expected === undefined && !decodesTo(expected, check.algorithm.bytes))
      throw invalidValue(check.name);
    const actual = digests[i].digest().toString('base64');
    if (actual === expected) return;
    if (check.name !== 'content-md5') throw mismatch(check.algorithm);
    throw md5Mismatch(expected, actual, options);
  });
}

/** Reads a whole body into memory, failing past `limit` bytes (for payloads that are documents). */
export async function readAll(
  body: AsyncIterable<Uint8Array>,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let length = 0;
  for await (const piece of body) {
    length += piece.length;
    if (length > limit) throw tooLarge();
    pieces.push(
      Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength),
    );
  }
  return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, length);
}

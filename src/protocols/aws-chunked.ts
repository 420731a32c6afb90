import { ServiceError } from './errors.js';

/**
 * Decodes an `aws-chunked` body as it streams in: `<hex size>[;chunk-signature=…]\r\n<data>\r\n`
 * repeated, a zero-size chunk, then trailer lines (`x-amz-checksum-crc32:<base64>`) and an empty
 * line. Chunk signatures are read past, not verified (Tideway checks no signature). Data is
 * passed on as it arrives, so a chunk of any size is never held whole.
 *
 * Hand-written: the SDK's own code (@smithy/util-stream) only encodes, and no maintained library
 * decodes this framing on a server.
 */

/** What the body ends with, for the caller to check once the stream is drained. */
export interface ChunkedTrailer {
  /** Trailer headers by lower-case name (`x-amz-checksum-crc32`). */
  headers: Record<string, string>;
  /** Decoded bytes seen. */
  length: number;
}

// S3's answer when the framing or the length is wrong (AWS's S3 error list, IncompleteBody).
export function incompleteBody(): ServiceError {
  return new ServiceError(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  );
}

/** Longest size or trailer line accepted: a size with a 64-hex-digit signature fits many times over. */
const MAX_LINE = 4096;

const CRLF = Buffer.from('\r\n');

export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  trailer: ChunkedTrailer,
): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  // Bytes of the current chunk's data still to come; -1 while a size line is awaited.
  let remaining = -1;
  let expectCrlf = false;
  let inTrailer = false;
  for await (const piece of source) {
    // A view, not a copy: the socket hands each piece over for good. Only a size line or CRLF
    // cut between two pieces makes the two be joined.
    pending = pending.length === 0 ? asBuffer(piece) : Buffer.concat([pending, piece]);
    for (;;) {
      if (remaining > 0) {
        if (pending.length === 0) break;
        const take = Math.min(remaining, pending.length);
        const data = pending.subarray(0, take);
        pending = pending.subarray(take);
        remaining -= take;
        trailer.length += take;
        if (remaining === 0) {
          remaining = -1;
          expectCrlf = true;
        }
        yield data;
        continue;
      }
      if (expectCrlf) {
        if (pending.length < 2) break;
        if (pending[0] !== 0x0d || pending[1] !== 0x0a) throw incompleteBody();
        pending = pending.subarray(2);
        expectCrlf = false;
        continue;
      }
      const end = pending.indexOf(CRLF);
      if (end < 0) {
        if (pending.length > MAX_LINE) throw incompleteBody();
        break;
      }
      const line = pending.subarray(0, end).toString('latin1');
      pending = pending.subarray(end + 2);
      if (inTrailer) {
        if (line === '') {
          if (pending.length > 0) throw incompleteBody();
          return;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) throw incompleteBody();
        trailer.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        continue;
      }
      const size = /^([0-9a-fA-F]{1,8})(;.*)?$/.exec(line);
      if (!size) throw incompleteBody();
      remaining = Number.parseInt(size[1], 16);
      if (remaining === 0) {
        remaining = -1;
        inTrailer = true;
      }
    }
  }
  // The body ended early: in a chunk, or before the trailer's closing empty line. A body cut
  // right after the final chunk's line (no trailer, no empty line) is accepted, as clients that
  // send no trailer may stop there.
  if (!inTrailer || pending.length > 0) throw incompleteBody();
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** True when the request's body is aws-chunked framed (the SDK says so in either header). */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = headers['content-encoding'];
  const sha = headers['x-amz-content-sha256'];
  return (
    (typeof encoding === 'string' && encoding.split(',').some((e) => e.trim() === 'aws-chunked')) ||
    (typeof sha === 'string' && sha.startsWith('STREAMING-'))
  );
}

import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type * as F from '@aws-sdk/client-firehose';
import snappy from 'snappyjs';
import yazl from 'yazl';
import { crc32c } from '../../../protocols/rest-checksums.js';

const gzip = promisify(zlib.gzip);

/** The extension Firehose gives an object of each CompressionFormat (before FileExtension overrides it). */
export function compressionExtension(format: F.CompressionFormat | undefined): string {
  switch (format) {
    case 'GZIP':
      return '.gz';
    case 'ZIP':
      return '.zip';
    case 'Snappy':
      return '.snappy';
    case 'HADOOP_SNAPPY':
      return '.hsnappy';
    default:
      return '';
  }
}

/** ZIP's single entry: named like the object without `.zip`, dated when the buffer started. */
export interface ZipEntry {
  name: string;
  mtime: Date;
}

/** The object body as Firehose writes it for the format. */
export async function compressBody(
  format: F.CompressionFormat | undefined,
  body: Uint8Array,
  entry: ZipEntry = { name: 'data', mtime: new Date(0) },
): Promise<Uint8Array> {
  switch (format) {
    case 'GZIP':
      return gzip(body);
    case 'ZIP':
      return zipOne(body, entry);
    case 'Snappy':
      return snappyFramed(body);
    case 'HADOOP_SNAPPY':
      return hadoopSnappy(body);
    default:
      return body;
  }
}

function zipOne(body: Uint8Array, entry: ZipEntry): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(body.buffer, body.byteOffset, body.byteLength), entry.name, {
      compress: true,
      mtime: entry.mtime,
    });
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => parts.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    zip.end();
  });
}

// The snappy framing format (framing_format.txt): a stream identifier, then chunks of at most
// 64 KiB of input, each with the masked CRC-32C of its uncompressed bytes.
const SNAPPY_STREAM_ID = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]);
const SNAPPY_FRAME_INPUT = 65_536;

export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

export function snappyFramed(body: Uint8Array): Uint8Array {
  const parts: Buffer[] = [SNAPPY_STREAM_ID];
  for (let at = 0; at < body.length; at += SNAPPY_FRAME_INPUT) {
    const input = body.subarray(at, at + SNAPPY_FRAME_INPUT);
    const compressed = snappy.compress(input);
    // Incompressible input goes in an uncompressed chunk, as the reference encoder does.
    const useRaw = compressed.length >= input.length;
    const payload = useRaw ? input : compressed;
    const header = Buffer.alloc(8);
    header[0] = useRaw ? 0x01 : 0x00;
    header.writeUIntLE(payload.length + 4, 1, 3);
    header.writeUInt32LE(maskedCrc32c(input), 4);
    parts.push(header, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
  }
  return Buffer.concat(parts);
}

// Hadoop's BlockCompressorStream with SnappyCodec: per block of input, its length (big-endian
// u32), then each compressed chunk with its length. One chunk per block, blocks of 256 KiB
// (Hadoop's default io.compression.codec.snappy.buffersize).
const HADOOP_BLOCK = 256 * 1024;

export function hadoopSnappy(body: Uint8Array): Uint8Array {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += HADOOP_BLOCK) {
    const input = body.subarray(at, at + HADOOP_BLOCK);
    const compressed = snappy.compress(input);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(input.length, 0);
    header.writeUInt32BE(compressed.length, 4);
    parts.push(header, Buffer.from(compressed.buffer, compressed.byteOffset, compressed.byteLength));
  }
  return Buffer.concat(parts);
}

// The codecs of a v2 record batch (attributes bits 0–2). Batches are kept compressed as the
// producer sent them; these run only where records are read (ListOffsets by time, tests, the
// benchmark's checks, Firehose's MSK source).
import { gunzipSync, gzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import snappy from 'snappyjs';

export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** By attribute value: Kafka's CompressionType ids. */
export const COMPRESSION_CODECS: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function codecId(codec: CompressionCodec): number {
  return COMPRESSION_CODECS.indexOf(codec);
}

// The Java client frames snappy as xerial's SnappyOutputStream does; librdkafka sends raw blocks.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

function snappyDecompress(data: Buffer): Buffer {
  if (data.length >= XERIAL_HEADER_BYTES && data.subarray(0, 8).equals(XERIAL_MAGIC)) {
    const blocks: Buffer[] = [];
    let at = XERIAL_HEADER_BYTES;
    while (at < data.length) {
      if (at + 4 > data.length) throw new Error('truncated xerial snappy block');
      const size = data.readInt32BE(at);
      at += 4;
      if (size < 0 || at + size > data.length) throw new Error('truncated xerial snappy block');
      blocks.push(Buffer.from(snappy.uncompress(data.subarray(at, at + size))));
      at += size;
    }
    return Buffer.concat(blocks);
  }
  return Buffer.from(snappy.uncompress(data));
}

/** Throws on data the codec cannot read (callers turn that into Kafka's CORRUPT_MESSAGE). */
export function decompress(codec: CompressionCodec, data: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gunzipSync(data);
    case 'snappy':
      return snappyDecompress(data);
    case 'lz4':
      return decompressFrameSync(data);
    case 'zstd': {
      const out = zstdDecompress(data);
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    }
  }
}

/** Compression for batches Tideway writes itself (tests, benchmark clients); zstd is read-only here. */
export function compress(codec: CompressionCodec, data: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gzipSync(data);
    case 'snappy':
      return Buffer.from(snappy.compress(data));
    case 'lz4':
      return compressFrameSync(data);
    case 'zstd':
      throw new Error('zstd compression is not available to Tideway (it reads zstd batches only)');
  }
}

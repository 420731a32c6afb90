import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { type ChunkedTrailer, decodeAwsChunked } from '../../src/protocols/aws-chunked.js';
import { crc64nvme } from '../../src/protocols/crc64nvme.js';
import { crc32c, requestBody } from '../../src/protocols/rest-checksums.js';

async function* pieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of source) out.push(Buffer.from(piece));
  return Buffer.concat(out);
}

function b64crc(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
}

const payload = Buffer.from('The quick brown fox jumps over the lazy dog, twice: the quick brown fox.');
const framed = Buffer.from(
  `10;chunk-signature=abc\r\n${payload.subarray(0, 16).toString()}\r\n` +
    `${(payload.length - 16).toString(16)}\r\n${payload.subarray(16).toString()}\r\n` +
    `0\r\nx-amz-checksum-crc32:${b64crc(payload)}\r\nx-amz-trailer-signature:def\r\n\r\n`,
);

describe('aws-chunked decoding', () => {
  it('decodes the same whatever the pieces the body arrives in', async () => {
    for (const size of [1, 2, 3, 7, 16, 17, 64, framed.length]) {
      const trailer: ChunkedTrailer = { headers: {}, length: 0 };
      const data = await collect(decodeAwsChunked(pieces(framed, size), trailer));
      assert.ok(data.equals(payload), `pieces of ${size}`);
      assert.equal(trailer.length, payload.length);
      assert.deepEqual(trailer.headers, {
        'x-amz-checksum-crc32': b64crc(payload),
        'x-amz-trailer-signature': 'def',
      });
    }
  });

  it('passes a large chunk on as it arrives, not once it is whole', async () => {
    const big = Buffer.alloc(1 << 20, 7);
    const body = Buffer.concat([
      Buffer.from(`${big.length.toString(16)}\r\n`),
      big,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    let count = 0;
    let largest = 0;
    for await (const piece of decodeAwsChunked(pieces(body, 65536), { headers: {}, length: 0 })) {
      count++;
      largest = Math.max(largest, piece.length);
    }
    assert.ok(count > 10);
    assert.ok(largest <= 65536);
  });

  it('a size line that never ends is refused without buffering the body', async () => {
    const endless = Buffer.alloc(10000, 0x31);
    await assert.rejects(collect(decodeAwsChunked(pieces(endless, 100), { headers: {}, length: 0 })), {
      name: 'IncompleteBody',
    });
  });
});

describe('request body checksums', () => {
  it('CRC32C matches the published check value', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.from('6789'), crc32c(Buffer.from('12345'))), 0xe3069283);
  });

  it('CRC64NVME matches the published check value, also when computed piece by piece', () => {
    assert.equal(crc64nvme(Buffer.from('123456789')).toString('hex'), 'ae8b14860a799888');
    assert.equal(
      crc64nvme(Buffer.from('6789'), crc64nvme(Buffer.from('12345'))).toString('hex'),
      'ae8b14860a799888',
    );
  });

  it('verifies CRC32C, CRC64NVME, SHA1 and SHA256 headers on plain bodies', async () => {
    const data = Buffer.from('checksummed');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32c(data));
    const { createHash } = await import('node:crypto');
    for (const [name, value] of [
      ['x-amz-checksum-crc32c', crc.toString('base64')],
      ['x-amz-checksum-crc64nvme', crc64nvme(data).toString('base64')],
      ['x-amz-checksum-sha1', createHash('sha1').update(data).digest('base64')],
      ['x-amz-checksum-sha256', createHash('sha256').update(data).digest('base64')],
    ]) {
      assert.ok((await collect(requestBody({ [name]: value }, pieces(data, 4)))).equals(data), name);
      const wrong = Buffer.from(value, 'base64');
      wrong[0] ^= 1;
      await assert.rejects(collect(requestBody({ [name]: wrong.toString('base64') }, pieces(data, 4))), {
        name: 'BadDigest',
      });
    }
  });

  it('a body with no framing and no checksum is handed over as it is', async () => {
    const source = pieces(Buffer.from('x'), 1);
    assert.equal(requestBody({}, source), source);
  });
});

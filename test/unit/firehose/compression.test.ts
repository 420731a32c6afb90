import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import snappy from 'snappyjs';
import { crc32c } from '../../../src/protocols/rest-checksums.js';
import { compressBody, compressionExtension } from '../../../src/services/firehose/delivery/compression.js';

// Readers written from the format specs, independent of the writers under test.
function readSnappyFraming(data: Buffer): Buffer {
  assert.deepEqual([...data.subarray(0, 10)], [0xff, 6, 0, 0, ...Buffer.from('sNaPpY')]);
  const out: Buffer[] = [];
  let at = 10;
  while (at < data.length) {
    const type = data[at];
    const length = data.readUIntLE(at + 1, 3);
    const masked = data.readUInt32LE(at + 4);
    const payload = data.subarray(at + 8, at + 4 + length);
    const chunk = type === 0 ? Buffer.from(snappy.uncompress(payload)) : Buffer.from(payload);
    assert.ok(type === 0 || type === 1, `chunk type ${type}`);
    assert.ok(chunk.length <= 65_536);
    const crc = crc32c(chunk);
    assert.equal(masked, (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0, 'masked CRC-32C');
    out.push(chunk);
    at += 4 + length;
  }
  return Buffer.concat(out);
}

function readHadoopSnappy(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const raw = data.readUInt32BE(at);
    at += 4;
    let got = 0;
    while (got < raw) {
      const length = data.readUInt32BE(at);
      const block = Buffer.from(snappy.uncompress(data.subarray(at + 4, at + 4 + length)));
      out.push(block);
      got += block.length;
      at += 4 + length;
    }
    assert.equal(got, raw);
  }
  return Buffer.concat(out);
}

const text = Buffer.from(
  Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"msg":"record ${i % 97}"}\n`).join(''),
  'utf8',
);
const noise = randomBytes(150_000);

describe('Firehose compression', () => {
  it('names the extension of each CompressionFormat', () => {
    assert.equal(compressionExtension('UNCOMPRESSED'), '');
    assert.equal(compressionExtension(undefined), '');
    assert.equal(compressionExtension('GZIP'), '.gz');
    assert.equal(compressionExtension('ZIP'), '.zip');
    assert.equal(compressionExtension('Snappy'), '.snappy');
    assert.equal(compressionExtension('HADOOP_SNAPPY'), '.hsnappy');
  });

  it('leaves UNCOMPRESSED bodies as they are', async () => {
    assert.deepEqual(Buffer.from(await compressBody('UNCOMPRESSED', text)), text);
  });

  it('writes GZIP that gunzip reads back byte for byte', async () => {
    const out = Buffer.from(await compressBody('GZIP', text));
    assert.equal(out[0], 0x1f);
    assert.equal(out[1], 0x8b);
    assert.ok(out.length < text.length / 3);
    assert.deepEqual(zlib.gunzipSync(out), text);
  });

  it('writes a ZIP of one entry that unzip extracts', async () => {
    const out = Buffer.from(await compressBody('ZIP', text, { name: 'stream-1-2024', mtime: new Date() }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firehose-zip-'));
    try {
      fs.writeFileSync(path.join(dir, 'o.zip'), out);
      const listing = execFileSync('unzip', ['-Z1', path.join(dir, 'o.zip')], { encoding: 'utf8' });
      assert.deepEqual(listing.trim().split('\n'), ['stream-1-2024']);
      const extracted = execFileSync('unzip', ['-p', path.join(dir, 'o.zip'), 'stream-1-2024']);
      assert.deepEqual(extracted, text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the snappy framing format: stream identifier, 64 KiB chunks, masked CRC-32C', async () => {
    for (const input of [text, noise, Buffer.alloc(0)]) {
      const out = Buffer.from(await compressBody('Snappy', input));
      assert.deepEqual(readSnappyFraming(out), input);
    }
    const framed = Buffer.from(await compressBody('Snappy', noise));
    // Incompressible input is stored in uncompressed chunks.
    assert.equal(framed[10], 0x01);
  });

  it('writes Hadoop snappy blocks: raw length, then length-prefixed snappy chunks', async () => {
    const big = Buffer.concat([text, text, text]);
    for (const input of [text, big, noise]) {
      const out = Buffer.from(await compressBody('HADOOP_SNAPPY', input));
      assert.deepEqual(readHadoopSnappy(out), input);
    }
    const out = Buffer.from(await compressBody('HADOOP_SNAPPY', big));
    assert.equal(out.readUInt32BE(0), 256 * 1024, 'blocks of 256 KiB');
  });
});

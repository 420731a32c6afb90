import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc64nvme } from '../../../src/protocols/crc64nvme.js';
import {
  checksumOf,
  combineCrc,
  compositeChecksum,
  fullObjectCrc,
  startDigest,
} from '../../../src/services/s3/checksum-combine.js';
import { bareEtag, multipartEtag } from '../../../src/services/s3/etags.js';

/** The object of AWS's recorded multipart tests: two parts of 5 MiB + 1 of `a`, then 10 `a`s. */
const big = Buffer.alloc(5_242_881, 'a');
const small = Buffer.alloc(10, 'a');
const recordedParts = [big, big, small];
const whole = Buffer.concat(recordedParts);

function partsOf(algorithm: 'CRC32' | 'CRC32C' | 'CRC64NVME', buffers: Buffer[]) {
  return buffers.map((b) => ({ checksum: checksumOf(algorithm, b), size: b.length }));
}

describe('full-object CRCs combined from parts', () => {
  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
    it(`${algorithm}: equals the CRC of the concatenated bytes, for random splits`, () => {
      for (let round = 0; round < 20; round++) {
        const count = 1 + (round % 6);
        const buffers = Array.from({ length: count }, (_, i) => randomBytes((round * 37 + i * 101) % 3000));
        assert.equal(
          fullObjectCrc(algorithm, partsOf(algorithm, buffers)),
          checksumOf(algorithm, Buffer.concat(buffers)),
          `round ${round}`,
        );
      }
    });

    it(`${algorithm}: an empty part leaves the CRC unchanged`, () => {
      const a = randomBytes(100);
      const parts = partsOf(algorithm, [a, Buffer.alloc(0)]);
      assert.equal(fullObjectCrc(algorithm, parts), checksumOf(algorithm, a));
    });

    it(`${algorithm}: parts of megabytes combine to the direct computation`, () => {
      assert.equal(fullObjectCrc(algorithm, partsOf(algorithm, recordedParts)), checksumOf(algorithm, whole));
    });
  }

  it('matches the values AWS answered for the recorded object (CRC32, CRC32C, CRC64NVME)', () => {
    assert.equal(fullObjectCrc('CRC32', partsOf('CRC32', recordedParts)), 'qSEQSA==');
    assert.equal(fullObjectCrc('CRC32C', partsOf('CRC32C', recordedParts)), 'eTdAQA==');
    assert.equal(fullObjectCrc('CRC64NVME', partsOf('CRC64NVME', recordedParts)), 'ZMNX55lZurA=');
    assert.equal(checksumOf('CRC64NVME', small), 'DBqAA21lxVU=');
    assert.equal(checksumOf('CRC32C', small), '5yZkMA==');
  });

  it('combineCrc takes lengths beyond 32 bits (S3 objects reach 5 TiB)', () => {
    // Shifting by 2^32 bytes then by 2^32 more equals shifting by 2^33 in one go.
    const start = 0x1234_5678n;
    const twice = combineCrc('CRC32', combineCrc('CRC32', start, 0n, 2 ** 32), 0n, 2 ** 32);
    assert.equal(combineCrc('CRC32', start, 0n, 2 ** 33), twice);
    assert.notEqual(combineCrc('CRC32', start, 0n, 2 ** 33), start);
  });
});

describe('CRC-64/NVME sliced by eight', () => {
  it('equals the byte-at-a-time form the codec verifies with, for any length and split', () => {
    for (const length of [0, 1, 7, 8, 9, 15, 16, 17, 1000, 65_537]) {
      const data = randomBytes(length);
      assert.equal(checksumOf('CRC64NVME', data), crc64nvme(data).toString('base64'), `length ${length}`);
      const digest = startDigest('CRC64NVME');
      for (let i = 0; i < length; i += 13) digest.update(data.subarray(i, i + 13));
      assert.equal(digest.digest().toString('base64'), crc64nvme(data).toString('base64'), `split ${length}`);
    }
  });
});

describe('composite checksums', () => {
  it('hash the binary part digests and append -N, as AWS answered', () => {
    const expected = {
      CRC32: '5FRUiw==-3',
      CRC32C: 'XF5+4A==-3',
      SHA1: 'AyE60nyQoBgJcwsyPHWu7aJuxBs=-3',
      SHA256: '9o++y6AejqboiJ7MZCx0fahK2Vu5YC/qnNhhYsCLciI=-3',
    } as const;
    for (const [algorithm, value] of Object.entries(expected) as Array<[keyof typeof expected, string]>) {
      const parts = recordedParts.map((b) => checksumOf(algorithm, b));
      assert.equal(compositeChecksum(algorithm, parts), value, algorithm);
    }
    assert.equal(checksumOf('SHA256', small), 'vyy1imj2hNlaO3jvj2Ycmk5bCegsyPnMiMzpBSjK6yc=');
  });
});

describe('multipart ETags', () => {
  it('are the md5 of the binary part md5s with -N, as AWS answered', () => {
    const md5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
    assert.equal(multipartEtag(recordedParts.map(md5)), '"4d45984fc3feb2ac9b22683c49674b56-3"');
  });

  it('accept part ETags quoted or bare', () => {
    assert.equal(
      multipartEtag(['"8d777f385d3dfec8815d20f7496026dc"']),
      multipartEtag(['8d777f385d3dfec8815d20f7496026dc']),
    );
    assert.equal(bareEtag('"abc"'), 'abc');
    assert.equal(bareEtag('abc'), 'abc');
  });
});

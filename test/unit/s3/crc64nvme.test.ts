import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc64nvme, crc64nvmeStep } from '../../../src/protocols/crc64nvme.js';

/** The definition, one bit at a time, in BigInt: slow and obviously right. */
function reference(data: Uint8Array): string {
  const poly = 0x9a6c9329ac4bc9b5n;
  let crc = 0xffffffffffffffffn;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return (crc ^ 0xffffffffffffffffn).toString(16).padStart(16, '0');
}

describe('CRC-64/NVME (WebAssembly kernel)', () => {
  it('gives the catalogue check value and the CRC of nothing', () => {
    assert.equal(crc64nvme(Buffer.from('123456789')).toString('hex'), 'ae8b14860a799888');
    assert.equal(crc64nvme(Buffer.alloc(0)).toString('hex'), '0000000000000000');
  });

  it('agrees with the bitwise definition for every length around the sixteen-byte turn', () => {
    const data = randomBytes(70);
    for (let length = 0; length <= data.length; length++) {
      const part = data.subarray(0, length);
      assert.equal(crc64nvme(part).toString('hex'), reference(part), `length ${length}`);
    }
  });

  it('continues across calls and across the kernel window (256 KiB)', () => {
    const data = randomBytes(600_001);
    const whole = crc64nvme(data);
    assert.equal(whole.toString('hex'), reference(data.subarray(0, 600_001)));
    for (const step of [1, 15, 4099, 262_144, 262_145]) {
      let hi = 0;
      let lo = 0;
      for (let offset = 0; offset < data.length; offset += step) {
        [hi, lo] = crc64nvmeStep(data.subarray(offset, offset + step), hi, lo);
      }
      const out = Buffer.alloc(8);
      out.writeInt32BE(hi, 0);
      out.writeInt32BE(lo, 4);
      assert.deepEqual(out, whole, `pieces of ${step}`);
    }
  });

  it('reads an unaligned view of a larger buffer without touching its neighbours', () => {
    const backing = randomBytes(1024);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 3, 1000);
    assert.equal(crc64nvme(view).toString('hex'), reference(view));
  });
});

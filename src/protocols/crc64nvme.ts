// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), S3's default full-object checksum,
// verified on uploads (rest-checksums.ts) and computed for every object without a declared one.
// The table walk itself runs in WebAssembly (crc64nvme-kernel.ts); this module keeps the
// byte-at-a-time table, in signed 32-bit halves, from which the kernel's tables are derived.
import { crc64Kernel, KERNEL_WINDOW } from './crc64nvme-kernel.js';

const TABLE_HI = new Int32Array(256);
const TABLE_LO = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = (lo >>> 1) | (hi << 31);
    hi >>>= 1;
    if (carry) {
      hi ^= 0x9a6c9329 | 0;
      lo ^= 0xac4bc9b5 | 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

const kernel = crc64Kernel(TABLE_HI, TABLE_LO);

/** Continues a CRC-64/NVME (its two big-endian halves, 0 and 0 to start) over `data`. */
export function crc64nvmeStep(data: Uint8Array, previousHi: number, previousLo: number): [number, number] {
  let hi = previousHi;
  let lo = previousLo;
  // The kernel reads a window of its own memory: data is copied in, at most a window a call.
  for (let offset = 0; offset < data.length; offset += KERNEL_WINDOW) {
    const length = Math.min(KERNEL_WINDOW, data.length - offset);
    kernel.input.set(length === data.length ? data : data.subarray(offset, offset + length));
    kernel.run(length, hi, lo);
    lo = kernel.result[0];
    hi = kernel.result[1];
  }
  return [hi, lo];
}

/** CRC-64/NVME of `data`, continuing from `previous` (8 bytes, big-endian) when given. */
export function crc64nvme(data: Uint8Array, previous?: Buffer): Buffer {
  const [hi, lo] = crc64nvmeStep(
    data,
    previous ? previous.readInt32BE(0) : 0,
    previous ? previous.readInt32BE(4) : 0,
  );
  const out = Buffer.alloc(8);
  out.writeInt32BE(hi, 0);
  out.writeInt32BE(lo, 4);
  return out;
}

// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), S3's default full-object checksum,
// verified on uploads (rest-checksums.ts) and computed for every object without a declared one.
// CRC-64/NVME sliced by eight, in signed 32-bit halves so the engine keeps every step in
// integer registers: a part of a default upload is digested with it as it streams in, and the
// byte-at-a-time form runs at a fraction of the network's speed.
const CRC64_HI = Array.from({ length: 8 }, () => new Int32Array(256));
const CRC64_LO = Array.from({ length: 8 }, () => new Int32Array(256));
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
  CRC64_HI[0][n] = hi;
  CRC64_LO[0][n] = lo;
}
for (let n = 0; n < 256; n++) {
  let hi = CRC64_HI[0][n];
  let lo = CRC64_LO[0][n];
  for (let t = 1; t < 8; t++) {
    const index = lo & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[0][index];
    hi = (hi >>> 8) ^ CRC64_HI[0][index];
    CRC64_HI[t][n] = hi;
    CRC64_LO[t][n] = lo;
  }
}

/** Continues a CRC-64/NVME (its two big-endian halves, 0 and 0 to start) over `data`. */
export function crc64nvmeStep(data: Uint8Array, previousHi: number, previousLo: number): [number, number] {
  let hi = ~previousHi;
  let lo = ~previousLo;
  const [h0, h1, h2, h3, h4, h5, h6, h7] = CRC64_HI;
  const [l0, l1, l2, l3, l4, l5, l6, l7] = CRC64_LO;
  const length = data.length;
  const whole = length - (length % 8);
  let i = 0;
  for (; i < whole; i += 8) {
    const a = lo ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    const b = hi ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24));
    lo =
      l7[a & 0xff] ^
      l6[(a >>> 8) & 0xff] ^
      l5[(a >>> 16) & 0xff] ^
      l4[a >>> 24] ^
      l3[b & 0xff] ^
      l2[(b >>> 8) & 0xff] ^
      l1[(b >>> 16) & 0xff] ^
      l0[b >>> 24];
    hi =
      h7[a & 0xff] ^
      h6[(a >>> 8) & 0xff] ^
      h5[(a >>> 16) & 0xff] ^
      h4[a >>> 24] ^
      h3[b & 0xff] ^
      h2[(b >>> 8) & 0xff] ^
      h1[(b >>> 16) & 0xff] ^
      h0[b >>> 24];
  }
  for (; i < length; i++) {
    const index = (lo ^ data[i]) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ l0[index];
    hi = (hi >>> 8) ^ h0[index];
  }
  return [~hi, ~lo];
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

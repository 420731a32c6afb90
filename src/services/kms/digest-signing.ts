import {
  constants,
  createECDH,
  createHash,
  type KeyObject,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
} from 'node:crypto';

// KMS signs a precomputed digest (MessageType DIGEST) with every algorithm. node:crypto always
// hashes the message it signs for PSS and ECDSA, so those two are built here from the raw
// operations: RSASSA-PSS's encoding (RFC 8017 §9.1) over the raw RSA private-key operation, and
// ECDSA (SEC 1 §4.1) in BigInt arithmetic on the key's curve.

// ---- RSASSA-PSS ----

function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * seed.length < length + seed.length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function modulusBits(key: KeyObject): number {
  return key.asymmetricKeyDetails!.modulusLength!;
}

/** A PSS signature over `digest`, with a salt as long as the digest (as KMS signs). */
export function pssSignDigest(key: KeyObject, hash: string, digest: Buffer): Buffer {
  const bits = modulusBits(key);
  const emBits = bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digest.length;
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const k = Math.ceil(bits / 8);
  const block = Buffer.concat([Buffer.alloc(k - emLen), em]);
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, block);
}

export function pssVerifyDigest(
  publicKey: KeyObject,
  hash: string,
  digest: Buffer,
  signature: Buffer,
): boolean {
  const bits = modulusBits(publicKey);
  const k = Math.ceil(bits / 8);
  if (signature.length !== k) return false;
  let block: Buffer;
  try {
    block = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const emBits = bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const em = block.subarray(block.length - emLen);
  const hLen = digest.length;
  if (em[em.length - 1] !== 0xbc || (block.length > emLen && block[0] !== 0)) return false;
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if ((db[0]! & ~(0xff >> (8 * emLen - emBits)) & 0xff) !== 0) return false;
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const separator = emLen - 2 * hLen - 2;
  for (let i = 0; i < separator; i++) if (db[i] !== 0) return false;
  if (db[separator] !== 1) return false;
  const salt = db.subarray(separator + 1);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return expected.equals(h);
}

// ---- ECDSA ----

interface Curve {
  p: bigint;
  a: bigint;
  n: bigint;
  bytes: number;
  g: Point;
}
type Point = { x: bigint; y: bigint } | null;

function big(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

function fromBytes(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`);
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function add(c: Curve, P: Point, Q: Point): Point {
  if (!P) return Q;
  if (!Q) return P;
  let slope: bigint;
  if (P.x === Q.x) {
    if (mod(P.y + Q.y, c.p) === 0n) return null;
    slope = mod((3n * P.x * P.x + c.a) * inverse(2n * P.y, c.p), c.p);
  } else {
    slope = mod((Q.y - P.y) * inverse(Q.x - P.x, c.p), c.p);
  }
  const x = mod(slope * slope - P.x - Q.x, c.p);
  return { x, y: mod(slope * (P.x - x) - P.y, c.p) };
}

function multiply(c: Curve, k: bigint, P: Point): Point {
  let result: Point = null;
  let addend = P;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = add(c, result, addend);
    addend = add(c, addend, addend);
  }
  return result;
}

const CURVES: Record<string, { p: bigint; a: bigint; n: bigint; bytes: number }> = {
  prime256v1: {
    p: big('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    a: big('ffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
    n: big('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    bytes: 32,
  },
  secp384r1: {
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    a: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 4n,
    n: big(
      'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
    ),
    bytes: 48,
  },
  secp521r1: {
    p: 2n ** 521n - 1n,
    a: 2n ** 521n - 4n,
    n: big(
      '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    ),
    bytes: 66,
  },
  secp256k1: {
    p: 2n ** 256n - 2n ** 32n - 977n,
    a: 0n,
    n: big('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
    bytes: 32,
  },
};

const built = new Map<string, Curve>();

/** The curve's parameters; its generator is the public key of the private scalar 1. */
function curveOf(name: string): Curve {
  let c = built.get(name);
  if (!c) {
    const params = CURVES[name]!;
    const ecdh = createECDH(name);
    const one = Buffer.alloc(params.bytes);
    one[one.length - 1] = 1;
    ecdh.setPrivateKey(one);
    const g = ecdh.getPublicKey();
    c = {
      ...params,
      g: { x: fromBytes(g.subarray(1, 1 + params.bytes)), y: fromBytes(g.subarray(1 + params.bytes)) },
    };
    built.set(name, c);
  }
  return c;
}

/** The digest as an integer: its leftmost bits, as many as the order has. */
function digestInteger(c: Curve, digest: Buffer): bigint {
  const orderBits = c.n.toString(2).length;
  const z = fromBytes(digest);
  const extra = digest.length * 8 - orderBits;
  return extra > 0 ? z >> BigInt(extra) : z;
}

function derInteger(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02]), derLength(bytes.length), bytes]);
}

function derLength(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : Buffer.from([0x81, n]);
}

function readDer(sig: Buffer): { r: bigint; s: bigint } | undefined {
  let at = 0;
  const length = (): number | undefined => {
    const first = sig[at++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    if (first !== 0x81) return undefined;
    return sig[at++];
  };
  if (sig[at++] !== 0x30) return undefined;
  const total = length();
  if (total === undefined || at + total !== sig.length) return undefined;
  const ints: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    if (sig[at++] !== 0x02) return undefined;
    const n = length();
    if (n === undefined || n === 0 || at + n > sig.length) return undefined;
    ints.push(fromBytes(sig.subarray(at, at + n)));
    at += n;
  }
  return at === sig.length ? { r: ints[0]!, s: ints[1]! } : undefined;
}

function scalarOf(key: KeyObject): bigint {
  return fromBytes(Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url'));
}

function pointOf(key: KeyObject): Point {
  const jwk = key.export({ format: 'jwk' });
  return { x: fromBytes(Buffer.from(jwk.x!, 'base64url')), y: fromBytes(Buffer.from(jwk.y!, 'base64url')) };
}

/** A DER ECDSA signature over `digest` with the private key. */
export function ecdsaSignDigest(key: KeyObject, digest: Buffer): Buffer {
  const c = curveOf(key.asymmetricKeyDetails!.namedCurve!);
  const d = scalarOf(key);
  const z = digestInteger(c, digest);
  for (;;) {
    const k = mod(fromBytes(randomBytes(c.bytes + 8)), c.n - 1n) + 1n;
    const R = multiply(c, k, c.g);
    if (!R) continue;
    const r = mod(R.x, c.n);
    if (r === 0n) continue;
    const s = mod(inverse(k, c.n) * (z + r * d), c.n);
    if (s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  }
}

export function ecdsaVerifyDigest(publicKey: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const c = curveOf(publicKey.asymmetricKeyDetails!.namedCurve!);
  const parsed = readDer(signature);
  if (!parsed) return false;
  const { r, s } = parsed;
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const w = inverse(s, c.n);
  const z = digestInteger(c, digest);
  const X = add(c, multiply(c, mod(z * w, c.n), c.g), multiply(c, mod(r * w, c.n), pointOf(publicKey)));
  return X !== null && mod(X.x, c.n) === r;
}

import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  sign,
  verify,
} from 'node:crypto';
import { promisify } from 'node:util';
import { ecdsaSignDigest, ecdsaVerifyDigest, pssSignDigest, pssVerifyDigest } from './digest-signing.js';

const generate = promisify(generateKeyPair);

/** The asymmetric key specs Tideway serves, with the algorithms KMS lists for each. */
export const ASYMMETRIC_SPECS: Record<
  string,
  { type: 'rsa' | 'ec'; bits?: number; curve?: string; signing: string[]; encryption?: string[] }
> = {
  RSA_2048: {
    type: 'rsa',
    bits: 2048,
    signing: rsaSigning(),
    encryption: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
  },
  RSA_3072: {
    type: 'rsa',
    bits: 3072,
    signing: rsaSigning(),
    encryption: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
  },
  RSA_4096: {
    type: 'rsa',
    bits: 4096,
    signing: rsaSigning(),
    encryption: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
  },
  ECC_NIST_P256: { type: 'ec', curve: 'prime256v1', signing: ['ECDSA_SHA_256'] },
  ECC_NIST_P384: { type: 'ec', curve: 'secp384r1', signing: ['ECDSA_SHA_384'] },
  ECC_NIST_P521: { type: 'ec', curve: 'secp521r1', signing: ['ECDSA_SHA_512'] },
  ECC_SECG_P256K1: { type: 'ec', curve: 'secp256k1', signing: ['ECDSA_SHA_256'] },
};

function rsaSigning(): string[] {
  return [
    'RSASSA_PSS_SHA_256',
    'RSASSA_PSS_SHA_384',
    'RSASSA_PSS_SHA_512',
    'RSASSA_PKCS1_V1_5_SHA_256',
    'RSASSA_PKCS1_V1_5_SHA_384',
    'RSASSA_PKCS1_V1_5_SHA_512',
  ];
}

/** A new private key for the spec, as PKCS#8 DER (what is wrapped and stored). */
export async function generatePrivateKey(spec: string): Promise<Buffer> {
  const kind = ASYMMETRIC_SPECS[spec]!;
  const { privateKey } =
    kind.type === 'rsa'
      ? await generate('rsa', { modulusLength: kind.bits! })
      : await generate('ec', { namedCurve: kind.curve! });
  return privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer;
}

export function privateKeyOf(material: Buffer): KeyObject {
  return createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
}

/** The public key as GetPublicKey answers it: DER-encoded SubjectPublicKeyInfo. */
export function publicKeyOf(material: Buffer): Buffer {
  return createPublicKey(privateKeyOf(material)).export({ format: 'der', type: 'spki' }) as Buffer;
}

const HASHES: Record<string, { name: string; bytes: number; digestInfo: string }> = {
  SHA_256: { name: 'sha256', bytes: 32, digestInfo: '3031300d060960864801650304020105000420' },
  SHA_384: { name: 'sha384', bytes: 48, digestInfo: '3041300d060960864801650304020205000430' },
  SHA_512: { name: 'sha512', bytes: 64, digestInfo: '3051300d060960864801650304020305000440' },
};

/** The hash a signing algorithm uses (`RSASSA_PSS_SHA_384` → SHA-384). */
export function hashOf(algorithm: string): { name: string; bytes: number; digestInfo: string } {
  return HASHES[algorithm.slice(algorithm.indexOf('SHA_'))]!;
}

/**
 * A signature of the message, or of the digest given (MessageType DIGEST): PKCS #1 v1.5 pads its
 * DigestInfo for a raw private-key operation; PSS and ECDSA are built in digest-signing.ts.
 */
export function signMessage(material: Buffer, algorithm: string, message: Buffer, digest: boolean): Buffer {
  const key = privateKeyOf(material);
  const hash = hashOf(algorithm);
  if (digest) {
    if (algorithm.startsWith('RSASSA_PSS')) return pssSignDigest(key, hash.name, message);
    if (algorithm.startsWith('ECDSA')) return ecdsaSignDigest(key, message);
    return privateEncrypt(
      { key, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([Buffer.from(hash.digestInfo, 'hex'), message]),
    );
  }
  return sign(hash.name, message, signingKey(key, algorithm));
}

export function verifyMessage(
  material: Buffer,
  algorithm: string,
  message: Buffer,
  digest: boolean,
  signature: Buffer,
): boolean {
  const key = createPublicKey(privateKeyOf(material));
  const hash = hashOf(algorithm);
  if (digest) {
    if (algorithm.startsWith('RSASSA_PSS')) return pssVerifyDigest(key, hash.name, message, signature);
    if (algorithm.startsWith('ECDSA')) return ecdsaVerifyDigest(key, message, signature);
    try {
      const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      return recovered.equals(Buffer.concat([Buffer.from(hash.digestInfo, 'hex'), message]));
    } catch {
      return false;
    }
  }
  try {
    return verify(hash.name, message, signingKey(key, algorithm), signature);
  } catch {
    return false;
  }
}

function signingKey(key: KeyObject, algorithm: string) {
  // PSS with a salt as long as the digest, as KMS signs.
  return algorithm.startsWith('RSASSA_PSS')
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { key, dsaEncoding: 'der' as const };
}

/** The largest plaintext RSAES-OAEP takes: the modulus bytes less twice the hash and 2. */
export function oaepLimit(spec: string, algorithm: string): number {
  const hashBytes = algorithm === 'RSAES_OAEP_SHA_1' ? 20 : 32;
  return ASYMMETRIC_SPECS[spec]!.bits! / 8 - 2 * hashBytes - 2;
}

export function oaepEncrypt(material: Buffer, algorithm: string, plaintext: Uint8Array): Buffer {
  return publicEncrypt(
    {
      key: createPublicKey(privateKeyOf(material)),
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: oaepHash(algorithm),
    },
    plaintext,
  );
}

export function oaepDecrypt(material: Buffer, algorithm: string, ciphertext: Uint8Array): Buffer | undefined {
  try {
    return privateDecrypt(
      {
        key: privateKeyOf(material),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: oaepHash(algorithm),
      },
      ciphertext,
    );
  } catch {
    return undefined;
  }
}

function oaepHash(algorithm: string): string {
  return algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256';
}

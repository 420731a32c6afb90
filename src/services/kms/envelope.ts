import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionContext } from './front-door.js';

/**
 * The ciphertext blob: Tideway's own opaque format, openable only with this server's key material.
 *
 *   version (1 byte, 1) | key ARN length (1 byte) | key ARN | IV (12) | GCM tag (16) | ciphertext
 *
 * AES-256-GCM under the key's material; the header (version and key ARN) and the encryption
 * context, canonicalised, are the additional authenticated data, so a changed byte, another key's
 * name or another context all fail authentication.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface OpenedBlob {
  keyArn: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  header: Buffer;
}

/** The encryption context as bytes that do not depend on the order the caller wrote its pairs in. */
export function canonicalContext(context: EncryptionContext | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

function header(keyArn: string): Buffer {
  const arn = Buffer.from(keyArn, 'utf8');
  return Buffer.concat([Buffer.from([VERSION, arn.length]), arn]);
}

export function seal(
  material: Buffer,
  keyArn: string,
  plaintext: Uint8Array,
  context: EncryptionContext | undefined,
): Buffer {
  const head = header(keyArn);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, cipher.getAuthTag(), ciphertext]);
}

/** The blob's parts, or undefined when it is not one of ours (InvalidCiphertextException). */
export function parseBlob(blob: Uint8Array): OpenedBlob | undefined {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < 2 || bytes[0] !== VERSION) return undefined;
  const arnEnd = 2 + bytes[1]!;
  if (bytes.length < arnEnd + IV_BYTES + TAG_BYTES) return undefined;
  const keyArn = bytes.subarray(2, arnEnd).toString('utf8');
  if (!keyArn.startsWith('arn:')) return undefined;
  return {
    keyArn,
    header: bytes.subarray(0, arnEnd),
    iv: bytes.subarray(arnEnd, arnEnd + IV_BYTES),
    tag: bytes.subarray(arnEnd + IV_BYTES, arnEnd + IV_BYTES + TAG_BYTES),
    ciphertext: bytes.subarray(arnEnd + IV_BYTES + TAG_BYTES),
  };
}

/** The plaintext, or undefined when authentication fails (tampered blob, wrong context). */
export function open(
  material: Buffer,
  blob: OpenedBlob,
  context: EncryptionContext | undefined,
): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, blob.iv);
    decipher.setAAD(Buffer.concat([blob.header, canonicalContext(context)]));
    decipher.setAuthTag(blob.tag);
    return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

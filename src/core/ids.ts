import { randomBytes, randomFillSync } from 'node:crypto';

/** A random (version 4) UUID, as AWS gives request and message ids. */
export function newRequestId(): string {
  return randomUuid();
}

export function newMessageId(): string {
  return randomUuid();
}

// Written out here rather than crypto.randomUUID(): Node joins that one from some twenty string
// concatenations, a rope of cons cells (~600 bytes) that a stored message id keeps until something
// flattens it. Two ids a SendMessage made that its largest allocation. This one fills a byte buffer
// and reads it as one flat string. The random bytes come from the CSPRNG in batches, as Node's do,
// but larger ones: each fill costs microseconds whatever its size.
const UUIDS_PER_BATCH = 1024;
const entropy = Buffer.alloc(16 * UUIDS_PER_BATCH);
let nextEntropy = entropy.length;
const text = Buffer.alloc(36);
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

function randomUuid(): string {
  if (nextEntropy === entropy.length) {
    randomFillSync(entropy);
    nextEntropy = 0;
  }
  const at = nextEntropy;
  nextEntropy += 16;
  // RFC 9562: version 4 in the high nibble of byte 6, variant 10xx in the top bits of byte 8.
  entropy[at + 6] = (entropy[at + 6] & 0x0f) | 0x40;
  entropy[at + 8] = (entropy[at + 8] & 0x3f) | 0x80;
  let out = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[out++] = 0x2d; // '-'
    const byte = entropy[at + i];
    text[out++] = HEX_DIGITS[byte >> 4];
    text[out++] = HEX_DIGITS[byte & 0x0f];
  }
  return text.toString('latin1', 0, 36);
}

/** Opaque random token, base64url, for receipt-handle nonces and task handles. */
export function randomToken(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Unique within this process and unpredictable across runs: a random prefix and
 * a counter, cheaper than fresh random bytes on every receive.
 */
export function uniqueToken(): string {
  return `${TOKEN_PREFIX}${(++tokenCounter).toString(36)}`;
}

const TOKEN_PREFIX = randomBytes(6).toString('base64url');
let tokenCounter = 0;

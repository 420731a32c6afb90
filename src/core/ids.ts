import { randomBytes, randomUUID } from 'node:crypto';

export function newRequestId(): string {
  return randomUUID();
}

export function newMessageId(): string {
  return randomUUID();
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

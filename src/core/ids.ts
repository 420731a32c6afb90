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

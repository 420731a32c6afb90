import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SaslExchange } from './types.js';

/**
 * The server side of SCRAM (RFC 5802) with SHA-512 (RFC 7677 defines -256 the same way), as a
 * Kafka broker runs it: two client messages, two server messages, then the client checks the
 * server's signature. MSK offers SCRAM-SHA-512 only; -256 is here because it costs nothing and
 * RFC 7677's test vector proves the primitives with it.
 */

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

const HASH: Record<ScramMechanism, 'sha256' | 'sha512'> = {
  'SCRAM-SHA-256': 'sha256',
  'SCRAM-SHA-512': 'sha512',
};

/** Kafka's minimum, and what its own credentials use by default. */
export const SCRAM_ITERATIONS = 4096;

/** What the server keeps of a password (RFC 5802 §3): never the password itself. */
export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export function scramCredential(
  mechanism: ScramMechanism,
  password: string,
  salt: Buffer,
  iterations: number,
): ScramCredential {
  const hash = HASH[mechanism];
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, hashLength(hash), hash);
  const clientKey = hmac(hash, salted, 'Client Key');
  return {
    salt,
    iterations,
    storedKey: createHash(hash).update(clientKey).digest(),
    serverKey: hmac(hash, salted, 'Server Key'),
  };
}

// PBKDF2 with 4096 rounds costs milliseconds of the event loop: derive once per user and
// password, not per connection. Keyed by a digest so the map holds no password in clear; a new
// password is a new key, so a changed secret never reuses the old derivation.
const derived = new Map<string, ScramCredential>();
const DERIVED_LIMIT = 10_000;

/** The credential of a user's current password, derived once per password. */
export function derivedCredential(
  mechanism: ScramMechanism,
  username: string,
  password: string,
): ScramCredential {
  const key = createHash('sha256').update(`${mechanism}\0${username}\0${password}`).digest('base64');
  let credential = derived.get(key);
  if (!credential) {
    credential = scramCredential(mechanism, password, randomBytes(32), SCRAM_ITERATIONS);
    if (derived.size >= DERIVED_LIMIT) derived.delete(derived.keys().next().value as string);
    derived.set(key, credential);
  }
  return credential;
}

/** Kafka's text for every failure it does not want to explain to an unauthenticated client. */
export function invalidCredentialsMessage(mechanism: string): string {
  return `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`;
}

const AUTHZID_MISMATCH =
  'Authentication failed: Client requested an authorization id that is different from username';

/** A parse or check failure that Kafka reports with its generic text. */
class ScramFailure extends Error {}

/** saslname of RFC 5802: `,` and `=` travel as `=2C` and `=3D`; any other `=` is malformed. */
export function decodeSaslName(value: string): string {
  if (!/^(?:[^=,]|=2C|=3D)+$/.test(value)) throw new ScramFailure(`Invalid SCRAM name ${value}`);
  return value.replace(/=2C|=3D/g, (escaped) => (escaped === '=2C' ? ',' : '='));
}

// printable of RFC 5802: %x21-2B / %x2D-7E (no comma).
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface ClientFirst {
  gs2Header: string;
  authzid: string;
  username: string;
  nonce: string;
  bare: string;
}

function parseClientFirst(text: string): ClientFirst {
  // gs2-header: a channel binding flag ("n": no binding; "y": the client could bind but thinks
  // the server cannot, which holds since no -PLUS mechanism is offered), then the authzid.
  const match = /^([ny]),(?:a=([^,]*))?,(.*)$/s.exec(text);
  if (!match) throw new ScramFailure('Invalid SCRAM client first message');
  const [, flag, authzid, bare] = match as unknown as [string, string, string | undefined, string];
  const attributes = bare.split(',');
  // A leading m= (a mandatory extension) fails here, as RFC 5802 wants; optional extensions
  // (Kafka's tokenauth=) follow r= and are ignored, as Kafka ignores those it does not know.
  const [name, nonce] = attributes;
  if (!name?.startsWith('n=') || !nonce?.startsWith('r=')) {
    throw new ScramFailure('Invalid SCRAM client first message');
  }
  const nonceValue = nonce.slice(2);
  if (!PRINTABLE.test(nonceValue)) throw new ScramFailure('Invalid SCRAM client nonce');
  for (const extension of attributes.slice(2)) {
    if (!/^[A-Za-z]+=/.test(extension)) throw new ScramFailure('Invalid SCRAM extension');
  }
  return {
    gs2Header: `${flag},${authzid === undefined ? '' : `a=${authzid}`},`,
    authzid: authzid === undefined ? '' : decodeSaslName(authzid),
    username: decodeSaslName(name.slice(2)),
    nonce: nonceValue,
    bare,
  };
}

interface ClientFinal {
  channelBinding: string;
  nonce: string;
  proof: Buffer;
  withoutProof: string;
}

function parseClientFinal(text: string): ClientFinal {
  const match = /^c=([^,]*),r=([^,]*)((?:,[A-Za-z]+=[^,]*)*),p=([^,]*)$/s.exec(text);
  if (!match) throw new ScramFailure('Invalid SCRAM client final message');
  const [, channelBinding, nonce, , proof] = match as unknown as [string, string, string, string, string];
  if (!BASE64.test(channelBinding) || !BASE64.test(proof)) {
    throw new ScramFailure('Invalid SCRAM client final message');
  }
  return {
    channelBinding,
    nonce,
    proof: Buffer.from(proof, 'base64'),
    withoutProof: text.slice(0, text.lastIndexOf(',p=')),
  };
}

export interface ScramServerOptions {
  mechanism: ScramMechanism;
  /** The user's current credential, read when the client names the user (derivedCredential). */
  credential(username: string): ScramCredential | undefined;
  /** For tests: the server's part of the nonce. */
  serverNonce?: string;
}

/** One SCRAM exchange on one connection. */
export function scramServer(options: ScramServerOptions): SaslExchange {
  const { mechanism } = options;
  const hash = HASH[mechanism];
  let state: 'first' | 'final' | 'over' = 'first';
  let first: ClientFirst | undefined;
  let serverFirst = '';
  let credential: ScramCredential | undefined;

  const fail = (message = invalidCredentialsMessage(mechanism)) => {
    state = 'over';
    credential = undefined;
    return { reply: Buffer.alloc(0), done: true, failure: message };
  };

  return {
    step(message) {
      try {
        if (state === 'first') {
          first = parseClientFirst(message.toString('utf8'));
          credential = options.credential(first.username);
          if (credential === undefined) return fail();
          if (first.authzid !== '' && first.authzid !== first.username) return fail(AUTHZID_MISMATCH);
          const nonce = first.nonce + (options.serverNonce ?? randomBytes(24).toString('base64'));
          serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
          state = 'final';
          return { reply: Buffer.from(serverFirst, 'utf8'), done: false };
        }
        if (state === 'final' && first && credential) {
          const final = parseClientFinal(message.toString('utf8'));
          const serverNonce = serverFirst.slice(2, serverFirst.indexOf(','));
          // Kafka only checks that the nonce ends with the server's: librdkafka (2.0 at least)
          // sends its own nonce again in front of it, and the proof covers what it sent.
          if (!final.nonce.endsWith(serverNonce)) return fail();
          // The client echoes its gs2 header (RFC 5802 §7: "biws" for "n,,"): no binding to check.
          if (Buffer.from(final.channelBinding, 'base64').toString('utf8') !== first.gs2Header) return fail();
          const authMessage = `${first.bare},${serverFirst},${final.withoutProof}`;
          const signature = hmac(hash, credential.storedKey, authMessage);
          if (final.proof.length !== signature.length) return fail();
          const clientKey = xor(final.proof, signature);
          const computedStoredKey = createHash(hash).update(clientKey).digest();
          if (!timingSafeEqual(computedStoredKey, credential.storedKey)) return fail();
          const serverSignature = hmac(hash, credential.serverKey, authMessage);
          state = 'over';
          credential = undefined;
          return {
            reply: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8'),
            done: true,
            principal: first.username,
          };
        }
        return fail();
      } catch (err) {
        if (err instanceof ScramFailure) return fail();
        throw err;
      }
    },
  };
}

function hmac(hash: string, key: Buffer, data: string): Buffer {
  return createHmac(hash, key).update(data, 'utf8').digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

function hashLength(hash: 'sha256' | 'sha512'): number {
  return hash === 'sha256' ? 32 : 64;
}

import { randomUUID } from 'node:crypto';
import { checkIamToken, checkPresignedConnect, type IamCheck, type IamExpectation } from './iam-token.js';
import { invalidCredentialsMessage } from './scram.js';
import type { SaslExchange } from './types.js';

/** Tells the listener's log why a token was refused: the client only sees Kafka's terse answer. */
export type RefusalLog = (mechanism: string, reason: string) => void;

const SEPARATOR = '\u0001';
const AUTH = /^(\w+) +([-_~+/.a-zA-Z0-9]+=*)$/;
const KEY_VALUE = /^([A-Za-z]+)=([!-~ \t\r\n]+)$/;

/**
 * RFC 7628's client initial response as Kafka reads it: `n,[a=authzid],` then key=value pairs,
 * each ended by ^A, and a closing ^A. Undefined when malformed.
 */
function parseInitialResponse(text: string): { authzid: string; pairs: Map<string, string> } | undefined {
  if (!text.startsWith('n,')) return undefined;
  const comma = text.indexOf(',', 2);
  if (comma < 0) return undefined;
  const gs2 = text.slice(2, comma);
  if (gs2 !== '' && !(gs2.startsWith('a=') && isSaslName(gs2.slice(2)))) return undefined;
  const rest = text.slice(comma + 1);
  if (rest.length < 2 || !rest.startsWith(SEPARATOR) || !rest.endsWith(SEPARATOR)) return undefined;
  const items = rest.slice(1, -1).split(SEPARATOR);
  // Every pair ends with ^A, so the last item of the split is the empty rest after it.
  if (items.pop() !== '') return undefined;
  const pairs = new Map<string, string>();
  for (const item of items) {
    const pair = KEY_VALUE.exec(item);
    if (!pair) return undefined;
    pairs.set(pair[1] as string, pair[2] as string);
  }
  return { authzid: gs2.slice(2), pairs };
}

/** Kafka's saslname: ASCII without NUL, `,` or `=`, those two escaped as =2C and =3D. */
function isSaslName(value: string): boolean {
  const plain = value.replace(/=2C|=3D/g, 'x');
  if (plain === '') return false;
  for (let i = 0; i < plain.length; i++) {
    const code = plain.charCodeAt(i);
    if (code === 0 || code > 0x7f || code === 0x2c || code === 0x3d) return false;
  }
  return true;
}

/**
 * MSK's answer to refused IAM credentials: SASL_AUTHENTICATION_FAILED with a request id and
 * "Invalid authentication payload" (malformed, expired, wrong region) or "Access denied" (a
 * principal that may not connect). MSK answers so on OAUTHBEARER too, where Kafka's own server
 * would send an RFC 7628 error challenge first, which KafkaJS cannot read.
 */
function refusal(check: IamCheck & { ok: false }): string {
  return `[${randomUUID()}]: ${check.denied ? 'Access denied' : 'Invalid authentication payload'}`;
}

/** SASL OAUTHBEARER with aws-msk-iam-sasl-signer tokens. */
export function oauthBearerServer(expect: () => IamExpectation, log: RefusalLog): SaslExchange {
  const mechanism = 'OAUTHBEARER';
  let over = false;
  let expiresAt: number | undefined;
  const fail = (failure: string) => ({ reply: Buffer.alloc(0), done: true, failure });
  return {
    get expiresAt() {
      return expiresAt;
    },
    step(message) {
      if (over) return fail(invalidCredentialsMessage(mechanism));
      over = true;
      const initial = parseInitialResponse(message.toString('utf8'));
      const auth = AUTH.exec(initial?.pairs.get('auth') ?? '');
      if (!initial || auth?.[1]?.toLowerCase() !== 'bearer') {
        const check = {
          ok: false as const,
          reason: 'the message is not an OAUTHBEARER client initial response',
        };
        log(mechanism, check.reason);
        return fail(refusal(check));
      }
      const check = checkIamToken(auth[2] ?? '', expect());
      if (!check.ok) {
        log(mechanism, check.reason);
        return fail(refusal(check));
      }
      const principal = check.identity.accessKeyId;
      if (initial.authzid !== '' && initial.authzid !== principal) {
        return fail(
          `Authentication failed: Client requested an authorization id (${initial.authzid}) that is different from the token's principal name (${principal})`,
        );
      }
      expiresAt = check.identity.expiresAt;
      return { reply: Buffer.alloc(0), done: true, principal };
    },
  };
}

const MSK_IAM_VERSION = '2020_10_22';

/**
 * The AWS_MSK_IAM mechanism of aws-msk-iam-auth (the Java library) and its ports: one JSON
 * message of the presigned request's parameters, answered with the version and a request id.
 */
export function awsMskIamServer(expect: () => IamExpectation, log: RefusalLog): SaslExchange {
  const mechanism = 'AWS_MSK_IAM';
  let over = false;
  let expiresAt: number | undefined;
  const fail = (failure = invalidCredentialsMessage(mechanism)) => ({
    reply: Buffer.alloc(0),
    done: true,
    failure,
  });
  return {
    get expiresAt() {
      return expiresAt;
    },
    step(message) {
      if (over) return fail();
      over = true;
      let payload: unknown;
      try {
        payload = JSON.parse(message.toString('utf8'));
      } catch {
        payload = undefined;
      }
      let check: IamCheck;
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        check = { ok: false, reason: 'the payload is not a JSON object' };
      } else {
        const fields = payload as Record<string, unknown>;
        const param = (name: string) => {
          const value = fields[name.toLowerCase()];
          return typeof value === 'string' ? value : undefined;
        };
        check =
          fields.version === MSK_IAM_VERSION
            ? checkPresignedConnect(param, expect())
            : {
                ok: false,
                reason: `version ${JSON.stringify(fields.version ?? null)} is not ${MSK_IAM_VERSION}`,
              };
      }
      if (!check.ok) {
        log(mechanism, check.reason);
        return fail(refusal(check));
      }
      expiresAt = check.identity.expiresAt;
      const reply = JSON.stringify({ version: MSK_IAM_VERSION, 'request-id': randomUUID() });
      return { reply: Buffer.from(reply, 'utf8'), done: true, principal: check.identity.accessKeyId };
    },
  };
}

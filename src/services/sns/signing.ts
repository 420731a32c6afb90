import {
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign as rsaSign,
} from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * Signatures of the JSON documents SNS POSTs to HTTP/S endpoints, per "Verifying the
 * signatures of Amazon SNS messages" and the HTTP/HTTPS notification, subscription
 * confirmation and unsubscribe confirmation JSON formats.
 */

export type SignableType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

export interface SignableMessage {
  Type: SignableType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string;
  Token?: string;
  SubscribeURL?: string;
}

// The order is fixed by AWS (byte order of the names), not by the JSON document.
const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_KEYS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
] as const;

/** "Name\nValue\n" for each signed name; a notification's Subject only when it has one. */
export function stringToSign(message: SignableMessage): string {
  const keys = signedKeys(message.Type);
  let out = '';
  for (const key of keys) {
    const value = message[key];
    if (value === undefined) {
      if (key === 'Subject') continue;
      // A confirmation without its Token or SubscribeURL is a bug of the caller: AWS never
      // sends one, and a signature over fewer names would not verify anywhere.
      throw new TypeError(`An SNS ${message.Type} must carry ${key} to be signed`);
    }
    out += `${key}\n${value}\n`;
  }
  return out;
}

function signedKeys(type: SignableType): readonly (keyof SignableMessage)[] {
  switch (type) {
    case 'Notification':
      return NOTIFICATION_KEYS;
    case 'SubscriptionConfirmation':
    case 'UnsubscribeConfirmation':
      return CONFIRMATION_KEYS;
    default:
      throw new TypeError(`SNS does not sign messages of type ${String(type)}`);
  }
}

// SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, both PKCS#1 v1.5.
function digestOf(version: string): 'sha1' | 'sha256' {
  if (version === '1') return 'sha1';
  if (version === '2') return 'sha256';
  throw new TypeError(`Unknown SNS SignatureVersion ${version}`);
}

const COMMON_NAME = 'sns.tideway.local';
const OID_COMMON_NAME = '2.5.4.3';
const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const DAY_MS = 86_400_000;

/**
 * One RSA key and its self-signed certificate, standing in for the certificate AWS serves
 * at SigningCertURL. Consumers that verify signatures fetch that PEM and check the
 * signature with its public key; only the trust in the host differs from AWS.
 */
export class SnsSigner {
  readonly certificatePem: string;
  readonly #privateKey: KeyObject;

  private constructor(certificatePem: string, privateKey: KeyObject) {
    this.certificatePem = certificatePem;
    this.#privateKey = privateKey;
  }

  /**
   * Synchronous so a caller can create it on the first signature it needs; the RSA key
   * generation dominates (tens to a few hundred milliseconds), once per process.
   */
  static create(): SnsSigner {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return new SnsSigner(selfSignedCertificate(privateKey, publicKey), privateKey);
  }

  /** The same, with the key generated off the event loop: started early, it is ready by the first signature. */
  static createAsync(): Promise<SnsSigner> {
    return new Promise((resolve, reject) => {
      generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) => {
        if (err) reject(err);
        else resolve(new SnsSigner(selfSignedCertificate(privateKey, publicKey), privateKey));
      });
    });
  }

  /** The base64 Signature of the message for SignatureVersion `version`. */
  sign(message: SignableMessage, version: '1' | '2'): string {
    return rsaSign(digestOf(version), Buffer.from(stringToSign(message), 'utf8'), this.#privateKey).toString(
      'base64',
    );
  }
}

/**
 * PKI.js models the certificate; node:crypto signs it, synchronously, where PKI.js would
 * go through WebCrypto's promises. Both libraries are loaded on first use: importing them
 * costs about 50 ms, which every start would pay even with no HTTP/S subscription.
 */
function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject): string {
  const { pkijs, asn1js } = pki();
  const cert = new pkijs.Certificate();
  cert.version = 2; // v3, the only version current verifiers expect
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40; // positive and without a leading zero byte in DER
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  for (const name of [cert.subject, cert.issuer]) {
    name.typesAndValues.push(
      new pkijs.AttributeTypeAndValue({
        type: OID_COMMON_NAME,
        value: new asn1js.Utf8String({ value: COMMON_NAME }),
      }),
    );
  }
  // Wall-clock time, not Tideway's injectable clock: the certificate is judged by real
  // clients. A day of slack before covers clocks that lag; ten years after, long runs.
  const now = Date.now();
  cert.notBefore.value = new Date(now - DAY_MS);
  cert.notAfter.value = new Date(now + 3650 * DAY_MS);
  const spki = asn1js.fromBER(publicKey.export({ type: 'spki', format: 'der' }));
  cert.subjectPublicKeyInfo.fromSchema(spki.result);
  const algorithm = new pkijs.AlgorithmIdentifier({
    algorithmId: OID_SHA256_WITH_RSA,
    algorithmParams: new asn1js.Null(),
  });
  cert.signature = algorithm;
  cert.signatureAlgorithm = algorithm;
  const tbs = new Uint8Array(cert.encodeTBS().toBER());
  cert.tbsView = tbs;
  cert.signatureValue = new asn1js.BitString({ valueHex: rsaSign('sha256', tbs, privateKey) });
  const der = Buffer.from(cert.toSchema().toBER());
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

type Pki = { pkijs: typeof import('pkijs'); asn1js: typeof import('asn1js') };
let loaded: Pki | undefined;

// require() of these ES modules is synchronous on Node >= 20.19, which they need anyway.
function pki(): Pki {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = { pkijs: require('pkijs'), asn1js: require('asn1js') };
  }
  return loaded;
}

import { generateKeyPair, generateKeyPairSync, type KeyObject, sign as rsaSign } from 'node:crypto';
import { pki, SIGNATURE_ALGORITHMS, signCertificate } from '../../core/x509.js';

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

/** A self-signed certificate for the key, valid for ten years (long runs). */
function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject): string {
  const { pkijs, asn1js } = pki();
  const cert = new pkijs.Certificate();
  for (const name of [cert.subject, cert.issuer]) {
    name.typesAndValues.push(
      new pkijs.AttributeTypeAndValue({
        type: OID_COMMON_NAME,
        value: new asn1js.Utf8String({ value: COMMON_NAME }),
      }),
    );
  }
  return signCertificate(cert, publicKey, privateKey, 3650, SIGNATURE_ALGORITHMS.sha256WithRsa);
}

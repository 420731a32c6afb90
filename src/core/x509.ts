import { type KeyObject, randomBytes, sign } from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * X.509 certificates Tideway makes for itself (SNS's signing certificate, the Kafka listeners'
 * CA and server certificates): PKI.js models the certificate, node:crypto signs it synchronously
 * where PKI.js would go through WebCrypto's promises.
 */

const DAY_MS = 86_400_000;

export const SIGNATURE_ALGORITHMS = {
  sha256WithRsa: { oid: '1.2.840.113549.1.1.11', nullParameters: true },
  // ECDSA's AlgorithmIdentifier carries no parameters (RFC 5758).
  ecdsaWithSha256: { oid: '1.2.840.10045.4.3.2', nullParameters: false },
} as const;

export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[keyof typeof SIGNATURE_ALGORITHMS];

/**
 * Fills in what every certificate shares (v3, a random serial, validity from a day ago for
 * `days`, the subject's key) and signs it with `issuerKey`; answers it in PEM.
 */
export function signCertificate(
  cert: import('pkijs').Certificate,
  subjectKey: KeyObject,
  issuerKey: KeyObject,
  days: number,
  algorithm: SignatureAlgorithm,
): string {
  const { pkijs, asn1js } = pki();
  cert.version = 2; // v3, the only version current verifiers expect
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40; // positive, and no leading zero byte in DER
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  // Wall-clock time, not the injectable clock: real clients judge the dates. A day of slack
  // before covers machines whose clocks lag.
  const now = Date.now();
  cert.notBefore.value = new Date(now - DAY_MS);
  cert.notAfter.value = new Date(now + days * DAY_MS);
  cert.subjectPublicKeyInfo.fromSchema(
    asn1js.fromBER(subjectKey.export({ type: 'spki', format: 'der' })).result,
  );
  const identifier = new pkijs.AlgorithmIdentifier({
    algorithmId: algorithm.oid,
    ...(algorithm.nullParameters ? { algorithmParams: new asn1js.Null() } : {}),
  });
  cert.signature = identifier;
  cert.signatureAlgorithm = identifier;
  const tbs = new Uint8Array(cert.encodeTBS().toBER());
  cert.tbsView = tbs;
  // node:crypto answers ECDSA signatures in DER (Ecdsa-Sig-Value), the form X.509 carries.
  cert.signatureValue = new asn1js.BitString({ valueHex: sign('sha256', tbs, issuerKey) });
  return toPem(Buffer.from(cert.toSchema().toBER()));
}

export function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

type Pki = { pkijs: typeof import('pkijs'); asn1js: typeof import('asn1js') };
let loaded: Pki | undefined;

/**
 * The libraries, loaded on first use: importing them costs about 50 ms, which every start would
 * pay even with no HTTP/S subscription or TLS listener. require() of these ES modules is
 * synchronous on Node >= 20.19, which they need anyway.
 */
export function pki(): Pki {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = { pkijs: require('pkijs'), asn1js: require('asn1js') };
  }
  return loaded;
}

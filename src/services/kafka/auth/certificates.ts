import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../../core/logger.js';
import { pki, SIGNATURE_ALGORITHMS, signCertificate } from '../../../core/x509.js';

/**
 * The TLS material of the Kafka listeners: a local certificate authority, made once (kept in
 * the data dir, so clients that trust it keep trusting it across restarts), and a server
 * certificate for localhost, 127.0.0.1 and ::1 that it signs at each start.
 */
export interface KafkaCertificates {
  caPem: string;
  /** The CA's file, for clients (`ssl.ca.location`, `ssl: { ca }`). */
  caPath: string;
  /** The server certificate's private key (PKCS#8 PEM). */
  keyPem: string;
  /** The server certificate, then the CA: the chain a TLS server sends. */
  certPem: string;
  /** Releases this holder's use: the last one out removes a temporary folder. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
// Server certificates are remade at each start; two years is well under every client's limit.
const SERVER_DAYS = 730;

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecPublicKey: '1.2.840.10045.2.1',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
};

// keyUsage bits, in the BIT STRING's first byte (bit 0 is 0x80).
const DIGITAL_SIGNATURE = 0x80;
const KEY_CERT_SIGN = 0x04;
const CRL_SIGN = 0x02;

interface Held {
  certificates: Promise<Omit<KafkaCertificates, 'close'>>;
  holders: number;
  temporary?: string;
}

// One CA per data dir (and one for all servers of a process without one): tests start many
// servers in one process, and each certificate costs a key generation.
const held = new Map<string, Held>();
const NO_DATA_DIR = '';

export async function kafkaCertificates(options: {
  dataDir?: string;
  log: Logger;
}): Promise<KafkaCertificates> {
  const key = options.dataDir ?? NO_DATA_DIR;
  let entry = held.get(key);
  if (!entry) {
    const folder = options.dataDir
      ? path.join(options.dataDir, 'kafka')
      : fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-kafka-ca-'));
    const made: Held = { certificates: Promise.resolve().then(() => make(folder, options.log)), holders: 0 };
    if (!options.dataDir) {
      made.temporary = folder;
      removeAtExit(folder);
    }
    entry = made;
    held.set(key, entry);
  }
  entry.holders += 1;
  const mine = entry;
  let released = false;
  try {
    const certificates = await mine.certificates;
    return {
      ...certificates,
      close: async () => {
        if (released) return;
        released = true;
        mine.holders -= 1;
        if (mine.holders > 0 || held.get(key) !== mine) return;
        held.delete(key);
        if (mine.temporary) {
          temporaries.delete(mine.temporary);
          await fs.promises.rm(mine.temporary, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    mine.holders -= 1;
    if (held.get(key) === mine) held.delete(key);
    throw err;
  }
}

// A holder that never closes (a server not stopped before the process ends) must not leave the
// temporary CA behind.
const temporaries = new Set<string>();
let exitHook = false;

function removeAtExit(folder: string): void {
  temporaries.add(folder);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const dir of temporaries) fs.rmSync(dir, { recursive: true, force: true });
  });
}

interface Authority {
  key: KeyObject;
  pem: string;
  /** The CA's subject, DER: issuers of the certificates it signs must equal it byte for byte. */
  subject: ArrayBuffer;
  keyIdentifier: Buffer;
}

function make(folder: string, log: Logger): Omit<KafkaCertificates, 'close'> {
  fs.mkdirSync(folder, { recursive: true });
  const authority = loadAuthority(folder, log) ?? createAuthority(folder, log);
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certPem = serverCertificate(authority, server.publicKey);
  return {
    caPem: authority.pem,
    caPath: path.join(folder, 'ca.pem'),
    keyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: certPem + authority.pem,
  };
}

function loadAuthority(folder: string, log: Logger): Authority | undefined {
  const certFile = path.join(folder, 'ca.pem');
  const keyFile = path.join(folder, 'ca-key.pem');
  let pem: string;
  let keyPem: string;
  try {
    pem = fs.readFileSync(certFile, 'utf8');
    keyPem = fs.readFileSync(keyFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const x509 = new X509Certificate(pem);
    if (new Date(x509.validTo).getTime() < Date.now() + 30 * DAY_MS) {
      log.warn({ path: certFile }, 'The Kafka CA expires within 30 days: making a new one');
      return undefined;
    }
    const key = createPrivateKey(keyPem);
    if (!x509.ca || !x509.checkPrivateKey(key))
      throw new Error('ca-key.pem is not the key of a CA in ca.pem');
    const cert = pki().pkijs.Certificate.fromBER(new Uint8Array(x509.raw));
    return { key, pem, subject: cert.subject.toSchema().toBER(), keyIdentifier: keyIdentifier(key) };
  } catch (err) {
    log.warn({ path: certFile, err: String(err) }, 'The Kafka CA cannot be read: making a new one');
    return undefined;
  }
}

function createAuthority(folder: string, log: Logger): Authority {
  const { pkijs, asn1js } = pki();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cert = new pkijs.Certificate();
  const name = `Tideway local Kafka CA ${randomBytes(4).toString('hex')}`;
  addName(cert.subject, name);
  addName(cert.issuer, name);
  const ski = keyIdentifier(privateKey);
  cert.extensions = [
    basicConstraints(true),
    keyUsage(KEY_CERT_SIGN | CRL_SIGN | DIGITAL_SIGNATURE),
    new pkijs.Extension({
      extnID: OID.subjectKeyIdentifier,
      extnValue: new asn1js.OctetString({ valueHex: ski }).toBER(),
    }),
  ];
  const pem = signCertificate(cert, publicKey, privateKey, CA_DAYS, SIGNATURE_ALGORITHMS.ecdsaWithSha256);
  // Overwriting: this runs when there is no CA, or one that cannot be used any more.
  const keyFile = path.join(folder, 'ca-key.pem');
  const certFile = path.join(folder, 'ca.pem');
  fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.chmodSync(keyFile, 0o600);
  fs.writeFileSync(certFile, pem);
  log.info({ path: certFile }, 'Kafka TLS: made a local certificate authority');
  return { key: privateKey, pem, subject: cert.subject.toSchema().toBER(), keyIdentifier: ski };
}

function serverCertificate(authority: Authority, publicKey: KeyObject): string {
  const { pkijs, asn1js } = pki();
  const cert = new pkijs.Certificate();
  addName(cert.subject, 'localhost');
  cert.issuer.fromSchema(asn1js.fromBER(authority.subject).result);
  cert.extensions = [
    basicConstraints(false),
    keyUsage(DIGITAL_SIGNATURE),
    new pkijs.Extension({
      extnID: OID.extKeyUsage,
      extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [OID.serverAuth] }).toSchema().toBER(),
    }),
    new pkijs.Extension({
      extnID: OID.subjectAltName,
      extnValue: new pkijs.GeneralNames({
        names: [
          new pkijs.GeneralName({ type: 2, value: 'localhost' }),
          new pkijs.GeneralName({
            type: 7,
            value: new asn1js.OctetString({ valueHex: Buffer.from([127, 0, 0, 1]) }),
          }),
          new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: ipv6Loopback() }) }),
        ],
      })
        .toSchema()
        .toBER(),
    }),
    new pkijs.Extension({
      extnID: OID.subjectKeyIdentifier,
      extnValue: new asn1js.OctetString({ valueHex: keyIdentifier(publicKey) }).toBER(),
    }),
    new pkijs.Extension({
      extnID: OID.authorityKeyIdentifier,
      extnValue: new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: authority.keyIdentifier }),
      })
        .toSchema()
        .toBER(),
    }),
  ];
  return signCertificate(cert, publicKey, authority.key, SERVER_DAYS, SIGNATURE_ALGORITHMS.ecdsaWithSha256);
}

function basicConstraints(ca: boolean) {
  const { pkijs } = pki();
  return new pkijs.Extension({
    extnID: OID.basicConstraints,
    critical: true,
    extnValue: new pkijs.BasicConstraints({ cA: ca }).toSchema().toBER(),
  });
}

function keyUsage(bits: number) {
  const { pkijs, asn1js } = pki();
  // DER wants the unused trailing bits counted: the lowest set bit ends the string.
  let unused = 0;
  while (unused < 7 && (bits & (1 << unused)) === 0) unused += 1;
  return new pkijs.Extension({
    extnID: OID.keyUsage,
    critical: true,
    extnValue: new asn1js.BitString({ valueHex: new Uint8Array([bits]), unusedBits: unused }).toBER(),
  });
}

function addName(name: import('pkijs').RelativeDistinguishedNames, commonName: string): void {
  const { pkijs, asn1js } = pki();
  name.typesAndValues.push(
    new pkijs.AttributeTypeAndValue({
      type: OID.organization,
      value: new asn1js.Utf8String({ value: 'Tideway' }),
    }),
    new pkijs.AttributeTypeAndValue({
      type: OID.commonName,
      value: new asn1js.Utf8String({ value: commonName }),
    }),
  );
}

/** RFC 5280's method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const { pkijs, asn1js } = pki();
  const spki = new pkijs.PublicKeyInfo({
    schema: asn1js.fromBER(publicKey.export({ type: 'spki', format: 'der' })).result,
  });
  return createHash('sha1').update(new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView)).digest();
}

function ipv6Loopback(): Buffer {
  const bytes = Buffer.alloc(16);
  bytes[15] = 1;
  return bytes;
}

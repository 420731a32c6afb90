// The Kafka listeners' TLS material: a CA made once (kept with --data-dir) and a localhost server
// certificate it signs. Proven by Node's own TLS client verifying a server that serves it, by
// name and by both loopback addresses, and by OpenSSL (librdkafka's TLS) verifying the chain.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import tls from 'node:tls';
import { createLogger } from '../../../src/core/logger.js';
import { kafkaCertificates } from '../../../src/services/kafka/auth/certificates.js';

const log = createLogger('silent');

function handshake(
  certs: { keyPem: string; certPem: string; caPem: string },
  host: string,
  servername?: string,
) {
  return new Promise<string>((resolve, reject) => {
    const server = tls.createServer({ key: certs.keyPem, cert: certs.certPem }, (socket) =>
      socket.end('hello'),
    );
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      const socket = tls.connect({ host, port, ca: certs.caPem, servername }, () => {
        socket.once('data', (data) => {
          socket.end();
          server.close();
          resolve(data.toString());
        });
      });
      socket.once('error', (err) => {
        server.close();
        reject(err);
      });
    });
  });
}

describe('Kafka TLS certificates', () => {
  it('serves a chain that Node verifies for localhost, 127.0.0.1 and ::1', async () => {
    const certs = await kafkaCertificates({ log });
    try {
      assert.equal(fs.readFileSync(certs.caPath, 'utf8'), certs.caPem);
      assert.equal(await handshake(certs, '127.0.0.1', 'localhost'), 'hello');
      assert.equal(await handshake(certs, '127.0.0.1'), 'hello');
      assert.equal(await handshake(certs, '::1'), 'hello');
      const ca = new X509Certificate(certs.caPem);
      assert.equal(ca.ca, true);
      const leaf = new X509Certificate(certs.certPem);
      assert.equal(leaf.ca, false);
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
      assert.match(
        leaf.subjectAltName ?? '',
        /DNS:localhost.*IP Address:127\.0\.0\.1.*IP Address:0:0:0:0:0:0:0:1/,
      );
      assert.ok(leaf.checkHost('localhost') && leaf.checkIP('127.0.0.1') && leaf.checkIP('::1'));
    } finally {
      await certs.close();
    }
  });

  it('refuses a host name the certificate does not carry', async () => {
    const certs = await kafkaCertificates({ log });
    try {
      await assert.rejects(handshake(certs, '127.0.0.1', 'example.com'), /altnames|Hostname/);
    } finally {
      await certs.close();
    }
  });

  it('verifies with OpenSSL as librdkafka does (purpose sslserver)', async (t) => {
    const certs = await kafkaCertificates({ log });
    try {
      const leaf = path.join(path.dirname(certs.caPath), 'leaf.pem');
      fs.writeFileSync(leaf, certs.certPem);
      let out: string;
      try {
        out = execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', certs.caPath, leaf], {
          encoding: 'utf8',
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return t.skip('no openssl command');
        throw err;
      }
      assert.match(out, /OK/);
    } finally {
      await certs.close();
    }
  });

  it('keeps the CA in <data-dir>/kafka with a private key only the owner reads, and reuses it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-certs-'));
    try {
      const first = await kafkaCertificates({ dataDir, log });
      await first.close();
      assert.equal(first.caPath, path.join(dataDir, 'kafka', 'ca.pem'));
      const keyMode = fs.statSync(path.join(dataDir, 'kafka', 'ca-key.pem')).mode & 0o777;
      assert.equal(keyMode, 0o600);
      const second = await kafkaCertificates({ dataDir, log });
      await second.close();
      assert.equal(second.caPem, first.caPem);
      assert.notEqual(second.certPem, first.certPem);
      assert.equal(await handshake({ ...second, caPem: first.caPem }, '127.0.0.1', 'localhost'), 'hello');
      // A broken CA is replaced, not fatal.
      fs.writeFileSync(path.join(dataDir, 'kafka', 'ca.pem'), 'garbage');
      const third = await kafkaCertificates({ dataDir, log });
      await third.close();
      assert.notEqual(third.caPem, first.caPem);
      assert.equal(await handshake(third, '127.0.0.1', 'localhost'), 'hello');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shares one temporary CA in a process and removes its folder when the last holder closes', async () => {
    const a = await kafkaCertificates({ log });
    const b = await kafkaCertificates({ log });
    assert.equal(a.caPath, b.caPath);
    await a.close();
    await a.close();
    assert.ok(fs.existsSync(b.caPath));
    await b.close();
    assert.equal(fs.existsSync(path.dirname(b.caPath)), false);
  });
});

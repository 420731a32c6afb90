// A SCRAM client for tests, written from RFC 5802 §3 independently of the server's code.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { ScramMechanism } from '../../../src/services/kafka/auth/scram.js';

export function scramClient(
  mechanism: ScramMechanism,
  username: string,
  password: string,
  nonce = randomBytes(18).toString('base64'),
) {
  const hash = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
  const size = hash === 'sha256' ? 32 : 64;
  const escaped = username.replace(/=/g, '=3D').replace(/,/g, '=2C');
  const bare = `n=${escaped},r=${nonce}`;
  let serverSignature = '';
  return {
    first: Buffer.from(`n,,${bare}`),
    /** `finalNonce` stands in for r= in the final message only, as librdkafka 2.0 sends it. */
    final(serverFirst: Buffer, finalNonce?: string): Buffer {
      const text = serverFirst.toString();
      const fields = new Map(text.split(',').map((kv) => [kv[0], kv.slice(2)] as [string, string]));
      const salted = pbkdf2Sync(
        password,
        Buffer.from(fields.get('s') ?? '', 'base64'),
        Number(fields.get('i')),
        size,
        hash,
      );
      const clientKey = createHmac(hash, salted).update('Client Key').digest();
      const storedKey = createHash(hash).update(clientKey).digest();
      const withoutProof = `c=biws,r=${finalNonce ?? fields.get('r')}`;
      const authMessage = `${bare},${text},${withoutProof}`;
      const signature = createHmac(hash, storedKey).update(authMessage).digest();
      const proof = Buffer.from(clientKey.map((b, i) => b ^ (signature[i] ?? 0)));
      const serverKey = createHmac(hash, salted).update('Server Key').digest();
      serverSignature = `v=${createHmac(hash, serverKey).update(authMessage).digest('base64')}`;
      return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`);
    },
    expectedServerFinal: () => serverSignature,
  };
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The key that wraps every KMS key's material before it reaches the journal, so the journal alone
 * never holds key material in clear. It comes from TIDEWAY_KMS_MASTER_KEY (base64 of 32 bytes),
 * else from `<dataDir>/kms-master.key` (created on first start, mode 0600); without a data dir
 * nothing is stored and a fresh key per process is enough.
 */
export class MasterKey {
  private constructor(private readonly key: Buffer) {}

  static load(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): MasterKey {
    const fromEnv = env.TIDEWAY_KMS_MASTER_KEY;
    if (fromEnv) {
      const key = Buffer.from(fromEnv, 'base64');
      if (key.length !== 32) throw new Error('TIDEWAY_KMS_MASTER_KEY must be the base64 of 32 bytes');
      return new MasterKey(key);
    }
    if (!dataDir) return new MasterKey(randomBytes(32));
    const file = path.join(dataDir, 'kms-master.key');
    try {
      const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
      if (key.length !== 32) throw new Error(`${file} does not hold the base64 of 32 bytes`);
      return new MasterKey(key);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const key = randomBytes(32);
    fs.mkdirSync(dataDir, { recursive: true });
    // `wx`: two servers racing on a fresh folder must not each write their own key.
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return new MasterKey(key);
  }

  /** The material wrapped for the journal, bound to the key it belongs to. */
  wrap(material: Buffer, keyArn: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(keyArn, 'utf8'));
    const sealed = Buffer.concat([cipher.update(material), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
  }

  unwrap(wrapped: string, keyArn: string): Buffer {
    const bytes = Buffer.from(wrapped, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(keyArn, 'utf8'));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
  }
}

// The generated CA through the admin API: served as PEM, kept in <data-dir>/kafka with its key
// readable by the owner only, and the same after a restart, so clients that trust it keep working.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { scratchDataDir } from '../support/engine.js';
import { startServer } from '../support/tideway.js';

async function servedCa(endpoint: string): Promise<string> {
  const res = await fetch(`${endpoint}/_tideway/kafka/ca.pem`);
  assert.equal(res.status, 200);
  return res.text();
}

describe('The Kafka CA on the admin API', () => {
  it('is a CA certificate kept in the data dir and served again after a restart', async () => {
    const { dataDir, remove } = scratchDataDir();
    try {
      const first = await startServer({ dataDir, kafkaPort: 0 });
      let pem: string;
      try {
        pem = await servedCa(first.endpoint);
      } finally {
        await first.stop();
      }
      assert.equal(new X509Certificate(pem).ca, true);
      assert.equal(fs.readFileSync(path.join(dataDir, 'kafka', 'ca.pem'), 'utf8'), pem);
      assert.equal(fs.statSync(path.join(dataDir, 'kafka', 'ca-key.pem')).mode & 0o777, 0o600);
      const second = await startServer({ dataDir, kafkaPort: 0 });
      try {
        assert.equal(await servedCa(second.endpoint), pem);
      } finally {
        await second.stop();
      }
    } finally {
      remove();
    }
  });
});

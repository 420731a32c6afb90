import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TestEngine = 'memory' | 'data-dir';

/**
 * The storage engine the suites run against, chosen once for the whole run by
 * `TIDEWAY_TEST_ENGINE` (scripts/test.mjs runs the suites under each): both engines must
 * answer alike, so the same tests hold for both. startServer and startCli read it.
 */
export const testEngine: TestEngine = engineFromEnv(process.env.TIDEWAY_TEST_ENGINE);

function engineFromEnv(value: string | undefined): TestEngine {
  if (value === undefined || value === '' || value === 'memory') return 'memory';
  if (value === 'data-dir') return 'data-dir';
  throw new Error(`TIDEWAY_TEST_ENGINE must be memory or data-dir, not ${value}`);
}

/** A fresh, empty data dir for one server, and the call that removes it once the server is gone. */
export function scratchDataDir(): { dataDir: string; remove: () => void } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-test-'));
  return { dataDir, remove: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

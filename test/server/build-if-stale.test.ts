import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

// `npm start` compiles only when dist/ is stale (scripts/build-if-stale.mjs): a start on an
// unchanged checkout skipped the 10-20 s compile. Checked on a throwaway project with set file
// times, so nothing here compiles or waits.
const check = new URL('../../../scripts/build-if-stale-check.mjs', import.meta.url).href;

describe('npm start compiles only a stale build', () => {
  const root = mkdtempSync(join(tmpdir(), 'tideway-stale-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);
  const write = (path: string, seconds: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
    at(path, seconds);
  };

  it('builds when a source has no compiled file, and not when every one is newer than its source', async () => {
    const { staleness } = await import(check);
    write('tsconfig.json', 1_000);
    write('package.json', 1_000);
    write('src/index.ts', 1_000);
    write('src/cli/main.ts', 1_000);
    write('src/types.d.ts', 1_000);
    write('dist/src/index.js', 2_000);
    assert.equal(staleness(root), 'src/cli/main.ts has not been compiled');
    write('dist/src/cli/main.js', 2_000);
    assert.equal(staleness(root), undefined);
  });

  it('builds when a source or the compiler settings changed after the build', async () => {
    const { staleness } = await import(check);
    at('src/cli/main.ts', 3_000);
    assert.equal(staleness(root), 'src/cli/main.ts changed since it was compiled');
    at('src/cli/main.ts', 1_000);
    at('tsconfig.json', 3_000);
    assert.equal(staleness(root), 'tsconfig.json changed since the last build');
    at('tsconfig.json', 1_000);
    assert.equal(staleness(root), undefined);
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// The committed models are the generator's output, not hand edits: regenerated in memory from the
// pinned botocore and the installed SDK clients, they must be byte for byte what is committed.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BOTOCORE =
  process.env.BOTOCORE_DIR ?? '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore';

it('src/protocols/models/ is what `npm run models` generates', {
  skip: existsSync(BOTOCORE) ? false : `no botocore at ${BOTOCORE}`,
}, async () => {
  const run = promisify(execFile);
  const { stderr } = await run(
    process.execPath,
    [join(ROOT, 'scripts', 'models', 'generate.mjs'), '--check'],
    {
      cwd: ROOT,
    },
  ).catch((err: { stderr: string }) => assert.fail(err.stderr));
  assert.equal(stderr, '');
});

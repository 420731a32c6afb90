#!/usr/bin/env node
// `npm start` runs this instead of `tsc`: a full compile takes 10-20 s, and on a checkout where
// nothing changed since the last build it would only write the same files again.
// Stale means: some source under src/ has no compiled file, or is newer than it, or the compiler
// settings changed after the oldest compiled file. Then the whole project is compiled, as
// `npm run build` does. No dependency: a few hundred stat calls take milliseconds.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleness } from './build-if-stale-check.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const reason = staleness(root);
if (reason) {
  process.stderr.write(`Compiling: ${reason}.\n`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}

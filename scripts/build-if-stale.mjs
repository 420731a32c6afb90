#!/usr/bin/env node
// `npm start` runs this instead of `tsc`: a full compile takes 10-20 s, and on a checkout where
// nothing changed since the last build it would only write the same files again.
// Stale means: some source under src/ has no compiled file, or is newer than it, or the compiler
// settings changed after the oldest compiled file. Then the whole project is compiled, as
// `npm run build` does. No dependency: a few hundred stat calls take milliseconds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Why a build is needed, or undefined when dist/ is up to date. */
function staleness() {
  let oldestOutput = Number.POSITIVE_INFINITY;
  for (const source of sources(join(root, 'src'))) {
    const rel = relative(root, source);
    const output = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
    const built = mtime(output);
    if (built === undefined) return `${rel} has not been compiled`;
    if (mtime(source) > built) return `${rel} changed since it was compiled`;
    oldestOutput = Math.min(oldestOutput, built);
  }
  for (const settings of ['tsconfig.json', 'package.json']) {
    if (mtime(join(root, settings)) > oldestOutput) return `${settings} changed since the last build`;
  }
  return undefined;
}

const reason = staleness();
if (reason) {
  process.stderr.write(`Compiling: ${reason}.\n`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}

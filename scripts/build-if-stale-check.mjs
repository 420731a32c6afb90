// What `npm start` asks before compiling (see build-if-stale.mjs); a module of its own so tests can ask it too.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

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

/** Why a build of the project at `root` is needed, or undefined when its dist/ is up to date. */
export function staleness(root) {
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

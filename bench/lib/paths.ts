import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file runs as dist/bench/lib/paths.js, three levels below the package root; resolving
// from here instead of process.cwd() lets the bench run from any directory.
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Compiled child runners (bench/servers/*.ts) live next to the compiled bench. */
export const SERVERS_DIR = join(ROOT, 'dist', 'bench', 'servers');

export const PERFORMANCE_DOC = join(ROOT, 'docs', 'performance.md');

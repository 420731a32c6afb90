import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export interface Machine {
  cpus: string;
  model: string;
  memoryGiB: string;
  node: string;
  tideway: string;
  fauxqs: string;
}

function packageVersion(dir: string): string {
  try {
    return String(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0);
  return {
    // nproc, not os.cpus(): it honours the CPU affinity and quota this process actually gets.
    cpus: execFileSync('nproc', { encoding: 'utf8' }).trim(),
    model: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGiB: (memKiB / 1024 / 1024).toFixed(1),
    node: process.version,
    tideway: packageVersion(ROOT),
    fauxqs: packageVersion(join(ROOT, 'node_modules', 'fauxqs')),
  };
}

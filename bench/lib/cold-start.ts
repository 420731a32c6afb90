import { spawnNode } from './children.js';
import { freePort, waitForAnswer } from './net.js';
import { coldStartLaunch } from './servers.js';

/** Spawn-to-first-answer times in ms, one fresh process (and port) per run. */
export async function coldStarts(kind: 'tideway' | 'fauxqs' | 'bare', runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const launch = coldStartLaunch(kind, port);
    const start = performance.now();
    const child = spawnNode(`${kind} (cold start)`, launch.args);
    try {
      await waitForAnswer(child, port, launch.readyPath, launch.ready);
      samples.push(performance.now() - start);
    } finally {
      await child.stop();
    }
  }
  return samples;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

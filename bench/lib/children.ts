import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const STDERR_TAIL = 4096;

/** A server under test, in its own process so its CPU and memory can be read from /proc. */
export interface Child {
  readonly pid: number;
  readonly label: string;
  exited(): boolean;
  /** The end of what it wrote to stderr, to explain a crash. */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** Spawns `node <args>` directly (no shell, no npm) so the pid is the server's own. */
export function spawnNode(label: string, args: string[]): Child {
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`could not spawn ${label}`);
  const pid = proc.pid;
  live.add(proc);
  let tail = '';
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL);
  });
  const done = once(proc, 'exit').finally(() => live.delete(proc));
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  return {
    pid,
    label,
    exited,
    stderrTail: () => tail,
    async stop() {
      if (exited()) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** A fresh temporary folder, removed by remove() or, if the run is cut short, at exit. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(path);
  return {
    path,
    remove() {
      tempDirs.delete(path);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Synchronous so it also works from an 'exit' handler, where no more I/O can be awaited. */
export function cleanUp(): void {
  for (const proc of live) proc.kill('SIGKILL');
  live.clear();
  for (const path of tempDirs) rmSync(path, { recursive: true, force: true });
  tempDirs.clear();
}

/** No server or journal folder may outlive the bench: not after an error, not after Ctrl-C. */
export function installCleanup(): void {
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.stderr.write(`bench: ${signal}, servers stopped\n`);
      process.exit(130);
    });
  }
}

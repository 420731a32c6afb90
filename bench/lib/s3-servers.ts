import { join } from 'node:path';
import { type Child, spawnNode, tempDir } from './children.js';
import { freePort, HOST, waitForAnswer } from './net.js';
import { SERVERS_DIR } from './paths.js';

export type S3ServerKind = 'tideway' | 'tideway-disk' | 's3rver' | 'bare';

export interface S3ServerSpec {
  kind: S3ServerKind;
  label: string;
  /** Streams bytes to disk and back with no S3 semantics: the ceiling for throughput. */
  synthetic: boolean;
  /** Keeps bodies on disk: only these take the 1 GiB upload (in memory it would hold 1 GiB). */
  disk: boolean;
  /** Another Tideway checkout (built) to run instead of this one: the baseline of an A/B run. */
  root?: string;
}

export const S3_SERVERS: readonly S3ServerSpec[] = [
  { kind: 'tideway', label: 'Tideway (in memory)', synthetic: false, disk: false },
  { kind: 'tideway-disk', label: 'Tideway (--data-dir)', synthetic: false, disk: true },
  { kind: 's3rver', label: 's3rver', synthetic: false, disk: true },
  { kind: 'bare', label: 'bare node:http to disk', synthetic: true, disk: true },
];

/**
 * The servers of this run: all four, or those named in BENCH_S3_SERVERS (kinds, comma-separated);
 * BENCH_S3_BASELINE=<checkout> adds that checkout's Tideway with --data-dir right after this one's,
 * so a change is measured against its baseline in the same interleaved rounds.
 */
export function selectS3Servers(env: NodeJS.ProcessEnv = process.env): S3ServerSpec[] {
  const wanted = env.BENCH_S3_SERVERS?.split(',').map((k) => k.trim());
  const out: S3ServerSpec[] = [];
  for (const spec of S3_SERVERS) {
    if (wanted && !wanted.includes(spec.kind)) continue;
    out.push(spec);
    if (spec.kind === 'tideway-disk' && env.BENCH_S3_BASELINE) {
      out.push({ ...spec, label: 'Tideway (--data-dir, baseline)', root: env.BENCH_S3_BASELINE });
    }
  }
  return out;
}

/** A run of part of the servers, or with a baseline, is for comparing: it leaves the docs alone. */
export function isPartialS3Run(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.BENCH_S3_SERVERS || env.BENCH_S3_BASELINE);
}

export interface RunningS3Server {
  spec: S3ServerSpec;
  origin: string;
  child: Child;
  stop(): Promise<void>;
}

function launch(spec: S3ServerSpec, port: number, dir?: string): { args: string[]; readyPath: string } {
  switch (spec.kind) {
    case 's3rver':
      return {
        args: [join(SERVERS_DIR, 's3rver.js'), '--port', String(port), '--dir', dir!],
        readyPath: '/',
      };
    case 'bare':
      return { args: [join(SERVERS_DIR, 'bare-s3.js'), '--port', String(port)], readyPath: '/' };
    default: {
      // Silent, as in the other benches: a log line per request would measure pino.
      const main = spec.root ? join(spec.root, 'dist/src/cli/main.js') : 'dist/src/cli/main.js';
      const args = [main, '--port', String(port), '--host', HOST, '--log-level', 'silent'];
      if (dir) args.push('--data-dir', dir);
      return { args, readyPath: '/_tideway/health' };
    }
  }
}

export async function startS3Server(spec: S3ServerSpec): Promise<RunningS3Server> {
  const port = await freePort();
  // A fresh folder per run: what an earlier run left would be restored (or listed) and skew it.
  const dir =
    spec.kind === 'tideway-disk' || spec.kind === 's3rver' ? tempDir('tideway-bench-s3-') : undefined;
  const { args, readyPath } = launch(spec, port, dir?.path);
  const child = spawnNode(spec.label, args);
  const cleanup = async () => {
    await child.stop();
    dir?.remove();
  };
  try {
    await waitForAnswer(child, port, readyPath, () => true);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { spec, origin: `http://${HOST}:${port}`, child, stop: cleanup };
}

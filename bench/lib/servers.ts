import { join } from 'node:path';
import { type Child, spawnNode, tempDir } from './children.js';
import { freePort, HOST, waitForAnswer } from './net.js';
import { SERVERS_DIR } from './paths.js';

export type ServerKind = 'tideway' | 'tideway-disk' | 'fauxqs' | 'bare' | 'kinesalite' | 'kinesis-local';

export interface ServerSpec {
  kind: ServerKind;
  label: string;
  /** Answers `{}` to everything (the bare ceiling). */
  synthetic: boolean;
  /** Also driven through @aws-sdk/client-sqs as a sanity check. */
  sdk: boolean;
}

export const SERVERS: readonly ServerSpec[] = [
  { kind: 'tideway', label: 'Tideway (in memory)', synthetic: false, sdk: true },
  { kind: 'tideway-disk', label: 'Tideway (--data-dir)', synthetic: false, sdk: false },
  { kind: 'fauxqs', label: 'fauxqs', synthetic: false, sdk: true },
  { kind: 'bare', label: 'bare node:http', synthetic: true, sdk: false },
];

/** The Kinesis bench's servers; Kinesis keeps its streams in memory even with --data-dir. */
export const KINESIS_SERVERS: readonly ServerSpec[] = [
  { kind: 'tideway', label: 'Tideway', synthetic: false, sdk: true },
  { kind: 'kinesalite', label: 'kinesalite', synthetic: false, sdk: true },
  { kind: 'kinesis-local', label: 'kinesis-local', synthetic: false, sdk: true },
];

export interface RunningServer {
  spec: ServerSpec;
  origin: string;
  child: Child;
  stop(): Promise<void>;
}

/** How to launch a server: node arguments and the path whose answer means "ready". */
export interface Launch {
  args: string[];
  readyPath: string;
  ready: (status: number) => boolean;
}

const anyAnswer = () => true;
const ok = (status: number) => status === 200;

/** The commands measured for cold start: what a user runs, `tideway` itself, not the CLI module. */
export function coldStartLaunch(kind: 'tideway' | 'fauxqs' | 'bare', port: number): Launch {
  if (kind === 'tideway') {
    return { args: ['bin/tideway.js', '--port', String(port)], readyPath: '/_tideway/health', ready: ok };
  }
  return runnerLaunch(kind, port);
}

function runnerLaunch(kind: 'fauxqs' | 'bare', port: number): Launch {
  return kind === 'fauxqs'
    ? { args: [join(SERVERS_DIR, 'fauxqs.js'), '--port', String(port)], readyPath: '/health', ready: ok }
    : { args: [join(SERVERS_DIR, 'bare.js'), '--port', String(port)], readyPath: '/', ready: anyAnswer };
}

/** The Kinesis peers, through runners that bind loopback (neither CLI can be told to). */
function kinesisPeerLaunch(kind: 'kinesalite' | 'kinesis-local', port: number): Launch {
  return kind === 'kinesalite'
    ? // Answers any request (an error for a GET), so any answer means it listens.
      { args: [join(SERVERS_DIR, 'kinesalite.js'), '--port', String(port)], readyPath: '/', ready: anyAnswer }
    : {
        args: [join(SERVERS_DIR, 'kinesis-local.js'), '--port', String(port)],
        readyPath: '/healthcheck',
        ready: ok,
      };
}

function benchLaunch(kind: ServerKind, port: number, dataDir?: string): Launch {
  if (kind === 'fauxqs' || kind === 'bare') return runnerLaunch(kind, port);
  if (kind === 'kinesalite' || kind === 'kinesis-local') return kinesisPeerLaunch(kind, port);
  // Silent: a log line per request would measure pino, and fauxqs runs with its logger off too.
  const args = ['dist/src/cli/main.js', '--port', String(port), '--host', HOST, '--log-level', 'silent'];
  if (dataDir) args.push('--data-dir', dataDir);
  return { args, readyPath: '/_tideway/health', ready: ok };
}

export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const port = await freePort();
  // A fresh journal per run: an old one would be restored at start and skew every figure.
  const dataDir = spec.kind === 'tideway-disk' ? tempDir('tideway-bench-') : undefined;
  const launch = benchLaunch(spec.kind, port, dataDir?.path);
  const child = spawnNode(spec.label, launch.args);
  const cleanup = async () => {
    await child.stop();
    dataDir?.remove();
  };
  try {
    await waitForAnswer(child, port, launch.readyPath, launch.ready);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { spec, origin: `http://${HOST}:${port}`, child, stop: cleanup };
}

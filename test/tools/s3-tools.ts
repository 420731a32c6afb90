import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The real S3 clients the tests drive: each found on this machine, or the reason it is not. */
export interface Tool {
  name: string;
  command?: string;
  absent?: string;
}

function works(command: string, args: string[]): boolean {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return run.status === 0;
}

/** Every `aws` on the PATH but Debian's: the pyenv (pip) AWS CLI v1. */
export function pipAwsCli(): Tool {
  const found = spawnSync('which', ['-a', 'aws'], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('/usr/bin/') && !p.startsWith('/bin/'));
  for (const command of found) {
    const version = spawnSync(command, ['--version'], { encoding: 'utf8' });
    if (version.status === 0 && /aws-cli\/1\./.test(`${version.stdout}${version.stderr}`))
      return { name: 'aws-cli v1 (pip)', command };
  }
  return { name: 'aws-cli v1 (pip)', absent: 'no AWS CLI v1 outside /usr/bin on the PATH' };
}

/** Debian's `awscli` package (v2), which .ci/run installs. */
export function debianAwsCli(): Tool {
  return works('/usr/bin/aws', ['--version'])
    ? { name: 'aws-cli v2 (Debian)', command: '/usr/bin/aws' }
    : { name: 'aws-cli v2 (Debian)', absent: '/usr/bin/aws is not installed (apt-get install awscli)' };
}

/** A Python 3 that imports boto3. */
export function boto3Python(): Tool {
  for (const command of ['python3', 'python']) {
    if (works(command, ['-c', 'import boto3'])) return { name: 'boto3', command };
  }
  return { name: 'boto3', absent: 'no python3 with boto3 on the PATH' };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool without blocking the event loop: the server under test is in this process. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The environment of a tool pointed at Tideway, with no user configuration of this machine. */
export function toolEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_PAGER: '',
    PYENV_VERSION: process.env.PYENV_VERSION,
    PYENV_ROOT: process.env.PYENV_ROOT,
  };
}

export interface Scratch {
  dir: string;
  remove(): void;
}

export function scratch(prefix: string): Scratch {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes a tree of files (relative path → content) under `root`. */
export function writeTree(root: string, files: Record<string, Buffer>): void {
  for (const [name, data] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

export function readTree(root: string, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, sha256(readFileSync(path.join(root, name)))]));
}

export function randomFile(size: number): Buffer {
  return randomBytes(size);
}

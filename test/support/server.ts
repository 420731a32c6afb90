import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import type http2 from 'node:http2';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { scratchDataDir, testEngine } from './engine.js';

/** The compiled CLI entry, found from this compiled file so it works in any outDir. */
export const cliMain = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** A SigV4 Authorization header as an SDK signs it; Tideway reads only the credential scope. */
export function sigv4(service = 'sqs', region = 'us-east-1', accessKeyId = 'test'): string {
  return (
    `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/${service}/aws4_request, ` +
    'SignedHeaders=host, Signature=abc'
  );
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The client side port of the connection the request went over. */
  localPort: number;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  agent?: http.Agent | false;
}

/** One HTTP/1.1 request with full control over headers and body. */
export function rawRequest(endpoint: string, request: RawRequest = {}): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? 'POST',
        path: request.path ?? '/',
        headers: request.headers ?? {},
        agent: request.agent ?? false,
      },
      (res) => {
        const localPort = res.socket.localPort ?? 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            localPort,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/** An SQS awsJson 1.0 request, signed-looking, as the SDK sends it. */
export function jsonRequest(
  endpoint: string,
  operation: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): Promise<RawResponse> {
  return rawRequest(endpoint, {
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${operation}`,
      authorization: sigv4(),
      ...extra,
    },
    body,
  });
}

/** An SQS awsQuery request (form body), unsigned unless headers say otherwise. */
export function queryRequest(
  endpoint: string,
  params: Record<string, string>,
  extra: Record<string, string> = {},
  path = '/',
): Promise<RawResponse> {
  return rawRequest(endpoint, {
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra },
    body: new URLSearchParams(params).toString(),
  });
}

/** The text of the first `<name>` element of an XML document. */
export function xmlText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

export interface H2Response {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

/** One request over a cleartext HTTP/2 connection with prior knowledge. */
export function h2Request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: string,
): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers);
    let responseHeaders: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      responseHeaders = h;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () =>
      resolve({
        status: Number(responseHeaders[':status']),
        headers: responseHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
    stream.on('error', reject);
    stream.end(body);
  });
}

/** Sends raw bytes on a fresh TCP connection and collects whatever comes back until it closes. */
export function rawSocket(endpoint: string, bytes: Buffer, endAfterWrite = true): Promise<string> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.setTimeout(2000, () => socket.destroy());
    socket.write(bytes, () => {
      if (endAfterWrite) socket.end();
    });
  });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** The working directory; the test process's by default. */
  cwd?: string;
  /** Written to the child's stdin, which then ends; without it stdin ends at once. */
  input?: string;
  /** How long the command may take before it is killed (its code is then null). */
  timeoutMs?: number;
}

/** Runs the CLI to completion (--help, bad arguments, and the commands that end: lint, advise…). */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: CliRunOptions = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], {
      env: cliEnv(env),
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 5_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface RunningCli {
  child: ChildProcess;
  endpoint: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// The parent's TIDEWAY_* settings must not leak into a test's child.
function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TIDEWAY_')) clean[k] = v;
  return { ...clean, ...env };
}

/**
 * Starts the CLI as a server and waits for the endpoint it prints on stdout. On the data-dir
 * engine a server given no data dir gets a fresh one of its own, removed once it has exited.
 */
export async function startCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunningCli> {
  const ownsDir =
    testEngine === 'data-dir' && !args.includes('--data-dir') && options.env?.TIDEWAY_DATA_DIR === undefined;
  if (!ownsDir) return launchCli(args, options);
  const { dataDir, remove } = scratchDataDir();
  try {
    const cli = await launchCli([...args, '--data-dir', dataDir], options);
    cli.exited.then(remove, remove);
    return cli;
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * A server started by a test stays off Kafka's 9092 unless the test asks for Kafka, so that
 * parallel suites (and other Kafkas on the machine) never fight over it.
 */
function withoutDefaultKafka(args: string[], env: NodeJS.ProcessEnv = {}): string[] {
  const serving = args.length === 0 || args[0].startsWith('-') || args[0] === 'start';
  const asked =
    args.some((a) => a === '--no-kafka' || a.startsWith('--kafka-port')) || env.TIDEWAY_KAFKA_PORT;
  return serving && !asked ? [...args, '--no-kafka'] : args;
}

function launchCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string }): Promise<RunningCli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...withoutDefaultKafka(args, options.env)], {
      env: cliEnv(options.env ?? {}),
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let done = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
      child.on('exit', (code, signal) => res({ code, signal }));
    });
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      child.kill('SIGKILL');
      reject(new Error(`the CLI printed no endpoint within 10 s; stdout: ${stdout} stderr: ${stderr}`));
    }, 10_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match && !done) {
        done = true;
        clearTimeout(timer);
        resolve({ child, endpoint: match[1], stdout: () => stdout, stderr: () => stderr, exited });
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`the CLI exited (${code ?? signal}) before listening; stderr: ${stderr}`));
    });
  });
}

/** Stops a CLI server gracefully (SIGTERM) and waits for it to exit. */
export async function stopCli(
  cli: RunningCli,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
  return cli.exited;
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether something accepts TCP connections on this port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function health(endpoint: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${endpoint}/_tideway/health`);
  return { status: res.status, body: await res.json() };
}

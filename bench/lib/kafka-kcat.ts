// kcat as the Kafka bench's load generator: librdkafka's batching and compression are what real
// producers do, and its C client is far from the bottleneck, so the figures are the broker's.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import net from 'node:net';

/** A file of `count` messages of exactly `size` bytes each, newline-separated, for `kcat -P -l`. */
export async function writeMessageFile(path: string, size: number, count: number): Promise<void> {
  const line = Buffer.alloc(size + 1);
  for (let i = 0; i < size; i++) line[i] = 97 + (i % 26);
  line[size] = 0x0a;
  const perChunk = Math.max(1, Math.floor((1 << 20) / line.length));
  const chunk = Buffer.concat(Array.from({ length: perChunk }, () => line));
  const out = createWriteStream(path);
  let left = count;
  while (left > 0) {
    const n = Math.min(left, perChunk);
    const piece = n === perChunk ? chunk : chunk.subarray(0, n * line.length);
    if (!out.write(piece)) await once(out, 'drain');
    left -= n;
  }
  out.end();
  await once(out, 'finish');
}

interface KcatRun {
  ms: number;
  stdout: Buffer;
}

function runKcat(args: string[], timeoutMs: number, onStdout?: (chunk: Buffer) => void): Promise<KcatRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (onStdout ? onStdout(chunk) : out.push(chunk)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4096);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`kcat ${args.join(' ')}: ${signal ?? `exit ${code}`}\n${stderr}`));
      else resolve({ ms, stdout: Buffer.concat(out) });
    });
  });
}

/**
 * Produces every line of the file as one message (librdkafka's defaults: acks=all, linger 5 ms,
 * the sticky partitioner for null keys); the time runs from spawn to kcat's exit, which waits for
 * every delivery report, and a failed delivery fails the run.
 */
export async function kcatProduceFile(
  bootstrap: string,
  topic: string,
  file: string,
  timeoutMs: number,
): Promise<number> {
  const run = await runKcat(
    ['-P', '-q', '-b', bootstrap, '-t', topic, '-l', file, '-X', 'message.send.max.retries=0'],
    timeoutMs,
  );
  return run.ms;
}

export interface ConsumeCount {
  ms: number;
  messages: number;
  bytes: number;
  /** Messages whose value was not exactly the size produced. */
  wrongLength: number;
}

/**
 * Consumes every partition to its end (`-e`) printing only each value's length (`%S`), so the
 * check costs nothing and every message's exact length is compared with what was produced.
 */
export async function kcatConsumeLengths(
  bootstrap: string,
  topic: string,
  size: number,
  timeoutMs: number,
): Promise<ConsumeCount> {
  const result = { messages: 0, bytes: 0, wrongLength: 0 };
  const expected = String(size);
  let partial = '';
  const run = await runKcat(
    ['-C', '-q', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-f', '%S\\n'],
    timeoutMs,
    (chunk) => {
      const lines = (partial + chunk.toString('latin1')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        result.messages++;
        if (line === expected) result.bytes += size;
        else {
          result.wrongLength++;
          result.bytes += Math.max(0, Number(line));
        }
      }
    },
  );
  if (partial !== '') result.wrongLength++;
  return { ms: run.ms, ...result };
}

/** Resolves once something accepts TCP connections on the port. */
export async function waitForPort(port: number, host: string, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (performance.now() > deadline)
      throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

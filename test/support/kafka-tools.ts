import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';

/**
 * The real Kafka clients the suites drive: Debian's kcat (librdkafka), Debian's system Python
 * with confluent_kafka and kafka-python, and KafkaJS in process. Every child is killed at its
 * timeout, and a failure carries the child's stderr so a broken broker is diagnosable from the
 * test output alone.
 */

/** Debian's interpreter: the pyenv `python3` on PATH has neither Kafka binding. */
export const systemPython = '/usr/bin/python3';

/** The folder of the Python scripts the suites run (test/fixtures/kafka, found from dist). */
export const pythonFixtures = fileURLToPath(new URL('../../../test/fixtures/kafka/', import.meta.url));

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface ChildOptions {
  /** Written to the child's stdin, which is then closed. */
  input?: Buffer | string;
  /** Kills the child (SIGKILL) after this long; 30 s unless given. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to its end, killing it at the timeout; rejects only when it cannot start or times out. */
export function runChild(command: string, args: string[], options: ChildOptions = {}): Promise<ChildRun> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(new Error(`${command} ${args.join(' ')}: killed after ${timeoutMs} ms\nstderr:\n${stderr}`));
        return;
      }
      resolve({ code, signal, stdout: Buffer.concat(out), stderr });
    });
    // A child that exits early must not turn our write into an unhandled EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  });
}

/** Runs a command that must exit 0, else throws with its status and stderr. */
export async function runChecked(
  command: string,
  args: string[],
  options: ChildOptions = {},
): Promise<ChildRun> {
  const run = await runChild(command, args, options);
  if (run.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')}: exited ${run.code ?? run.signal}\nstderr:\n${run.stderr}` +
        `\nstdout:\n${run.stdout.toString('utf8').slice(0, 2000)}`,
    );
  }
  return run;
}

// ---------------------------------------------------------------------------------------------
// kcat

export type KafkaCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const compressions: readonly KafkaCompression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export interface KcatOptions {
  /** Extra librdkafka properties (`-X name=value`). */
  config?: Record<string, string | number | boolean>;
  timeoutMs?: number;
}

export interface KcatMessageIn {
  /** Absent: a message with a null key. */
  key?: string | Buffer;
  value: string | Buffer;
}

export interface KcatProduceOptions extends KcatOptions {
  /** A fixed partition; absent lets librdkafka's partitioner choose. */
  partition?: number;
  compression?: KafkaCompression;
  /** Headers added to every message (`-H name=value`). */
  headers?: Record<string, string>;
  /** kcat's -Z: an empty key or value is sent as null. */
  emptyAsNull?: boolean;
}

function configArgs(config: KcatOptions['config'] = {}): string[] {
  return Object.entries(config).flatMap(([name, value]) => ['-X', `${name}=${String(value)}`]);
}

/**
 * A delimiter found in none of the messages, so binary bytes (newlines and tabs included) pass
 * through kcat's line splitting untouched.
 */
function freshDelimiter(messages: readonly KcatMessageIn[], tag: string): string {
  for (;;) {
    const delimiter = `~${tag}${randomBytes(8).toString('hex')}~`;
    const needle = Buffer.from(delimiter);
    const clash = messages.some(
      (m) =>
        Buffer.from(m.value).includes(needle) || (m.key !== undefined && Buffer.from(m.key).includes(needle)),
    );
    if (!clash) return delimiter;
  }
}

/** Produces messages through `kcat -P`, each sent as one message with its exact bytes. */
export async function kcatProduce(
  bootstrap: string,
  topic: string,
  messages: readonly KcatMessageIn[],
  options: KcatProduceOptions = {},
): Promise<void> {
  // kcat drops an empty input unit without a word, so an empty keyless message cannot be sent.
  if (messages.some((m) => m.key === undefined && Buffer.byteLength(m.value) === 0)) {
    throw new Error('kcat skips empty messages: give the message a key');
  }
  const messageDelimiter = freshDelimiter(messages, 'm');
  const keyDelimiter = freshDelimiter(messages, 'k');
  const parts: Buffer[] = [];
  for (const m of messages) {
    if (m.key !== undefined) parts.push(Buffer.from(m.key), Buffer.from(keyDelimiter));
    parts.push(Buffer.from(m.value), Buffer.from(messageDelimiter));
  }
  const args = ['-P', '-q', '-b', bootstrap, '-t', topic, '-D', messageDelimiter, '-K', keyDelimiter];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  if (options.emptyAsNull) args.push('-Z');
  const config = { ...options.config };
  if (options.compression && options.compression !== 'none')
    config['compression.codec'] = options.compression;
  args.push(...configArgs(config));
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  await runChecked('kcat', args, { input: Buffer.concat(parts), timeoutMs: options.timeoutMs });
}

export interface KcatMessageOut {
  partition: number;
  offset: number;
  timestamp: number;
  /** null for a null key. */
  key: Buffer | null;
  /** null for a null value (a tombstone). */
  value: Buffer | null;
}

export interface KcatConsumeOptions extends KcatOptions {
  /** One partition; absent reads them all. */
  partition?: number;
  /** kcat's -o: beginning (the default), end, stored, an offset, -N from the end, s@ms. */
  offset?: string | number;
  /** Stop after this many messages (`-c`). Without it kcat stops at the end of every partition (`-e`). */
  count?: number;
}

// Each message is a text line of its lengths, then exactly that many raw key and value bytes:
// with lengths up front, no byte of a key or value can be mistaken for a separator.
const consumeFormat = '%p %o %T %K %S\\n%k%s\\n';

/** Reads the output of `consumeFormat` back into messages; throws on any byte out of place. */
export function parseKcatOutput(out: Buffer): KcatMessageOut[] {
  const messages: KcatMessageOut[] = [];
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol === -1) throw new Error(`kcat output: a header without its end at byte ${at}`);
    const header = out.subarray(at, eol).toString('latin1');
    const fields = header.split(' ');
    if (fields.length !== 5 || fields.some((f) => !/^-?\d+$/.test(f))) {
      throw new Error(`kcat output: unreadable header ${JSON.stringify(header)} at byte ${at}`);
    }
    const [partition, offset, timestamp, keyLength, valueLength] = fields.map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    at = eol + 1;
    const take = (length: number): Buffer | null => {
      if (length < 0) return null;
      if (at + length > out.length) throw new Error(`kcat output: ${length} bytes promised, fewer left`);
      const bytes = Buffer.from(out.subarray(at, at + length));
      at += length;
      return bytes;
    };
    const key = take(keyLength);
    const value = take(valueLength);
    if (out[at] !== 0x0a) throw new Error(`kcat output: no newline after the message at offset ${offset}`);
    at++;
    messages.push({ partition, offset, timestamp, key, value });
  }
  return messages;
}

/** Consumes with `kcat -C` (no group) and returns every message with its exact bytes. */
export async function kcatConsume(
  bootstrap: string,
  topic: string,
  options: KcatConsumeOptions = {},
): Promise<KcatMessageOut[]> {
  const args = ['-C', '-q', '-b', bootstrap, '-t', topic, '-o', String(options.offset ?? 'beginning')];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  if (options.count !== undefined) args.push('-c', String(options.count));
  else args.push('-e');
  args.push('-f', consumeFormat, ...configArgs(options.config));
  const run = await runChecked('kcat', args, { timeoutMs: options.timeoutMs });
  return parseKcatOutput(run.stdout);
}

/**
 * Consumes with kcat's JSON envelope (`-J`): for text messages whose headers a test reads.
 * Binary keys and values do not survive it; use kcatConsume for those.
 */
export async function kcatConsumeJson(
  bootstrap: string,
  topic: string,
  options: KcatConsumeOptions = {},
): Promise<any[]> {
  const args = ['-C', '-q', '-J', '-b', bootstrap, '-t', topic, '-o', String(options.offset ?? 'beginning')];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  if (options.count !== undefined) args.push('-c', String(options.count));
  else args.push('-e');
  args.push(...configArgs(options.config));
  const run = await runChecked('kcat', args, { timeoutMs: options.timeoutMs });
  return run.stdout
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** The cluster as kcat's metadata listing (`-L -J`) reports it. */
export async function kcatMetadata(
  bootstrap: string,
  topic?: string,
  options: KcatOptions = {},
): Promise<any> {
  const args = ['-L', '-J', '-b', bootstrap, ...(topic ? ['-t', topic] : []), ...configArgs(options.config)];
  const run = await runChecked('kcat', args, { timeoutMs: options.timeoutMs });
  return JSON.parse(run.stdout.toString('utf8'));
}

// ---------------------------------------------------------------------------------------------
// Python

export interface PythonOptions {
  timeoutMs?: number;
}

/**
 * Runs test/fixtures/kafka/<script> with Debian's Python, its JSON arguments in argv[1]; the
 * script prints one JSON document as the last line of stdout, which is returned. A non-zero exit,
 * a timeout or output that is not JSON throws with the script's stderr.
 */
export async function runPython<T = any>(
  script: string,
  args: unknown,
  options: PythonOptions = {},
): Promise<T> {
  const path = `${pythonFixtures}${script}`;
  const run = await runChecked(systemPython, [path, JSON.stringify(args)], {
    timeoutMs: options.timeoutMs ?? 60_000,
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
  });
  const lines = run.stdout.toString('utf8').trimEnd().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${script}: the last line of stdout is not JSON: ${last}\nstderr:\n${run.stderr}`);
  }
}

// ---------------------------------------------------------------------------------------------
// KafkaJS

/**
 * A KafkaJS client for a Tideway bootstrap (`tw.kafka.bootstrap`): silent, and quick to give up,
 * so a broker fault fails the test at once instead of after KafkaJS's minutes of retries.
 */
export function kafkajs(bootstrap: string, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'tideway-test',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    ...extra,
  });
}

/** A message as the Python fixtures report it; keys and values come as base64. */
export interface PythonMessage {
  topic: string;
  partition: number;
  offset: number;
  key_b64: string | null;
  value_b64: string | null;
  headers: Record<string, string | null>;
}

export interface PythonMessageIn {
  key?: string;
  value?: string;
  key_b64?: string;
  value_b64?: string;
  partition?: number;
  headers?: Record<string, string>;
}

/** A fixture message's value as text (null for a null value). */
export function pythonValue(message: PythonMessage): string | null {
  return message.value_b64 === null ? null : Buffer.from(message.value_b64, 'base64').toString('utf8');
}

/** A fixture message's key as text (null for a null key). */
export function pythonKey(message: PythonMessage): string | null {
  return message.key_b64 === null ? null : Buffer.from(message.key_b64, 'base64').toString('utf8');
}

/** One operation of test/fixtures/kafka/confluent_client.py (librdkafka through confluent_kafka). */
export function confluentKafka<T = any>(
  op: 'produce' | 'consume' | 'rebalance' | 'create_topics' | 'metadata',
  args: Record<string, unknown>,
  options: PythonOptions = {},
): Promise<T> {
  return runPython<T>('confluent_client.py', { op, ...args }, options);
}

/** One operation of test/fixtures/kafka/kafka_python_client.py (kafka-python). */
export function kafkaPython<T = any>(
  op: 'produce' | 'consume' | 'create_topics',
  args: Record<string, unknown>,
  options: PythonOptions = {},
): Promise<T> {
  return runPython<T>('kafka_python_client.py', { op, ...args }, options);
}

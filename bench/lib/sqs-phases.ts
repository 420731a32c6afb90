import { drive, forCount, Recorder } from './load.js';
import { cpuMicros } from './proc.js';
import type { SqsWire } from './sqs-wire.js';

/** 100 bytes, printable, the same for every message: body content costs the servers nothing extra. */
export const MESSAGE_BODY = 'tideway-bench-'.padEnd(100, '0123456789abcdefghijklmnopqrstuvwxyz');
const BATCH_SIZE = 10;

export interface Target {
  wire: SqsWire;
  /** The server's pid, whose CPU each phase reads from /proc. */
  pid: number;
  origin: string;
  concurrency: number;
  /** The bare server answers `{}` to everything; the phases then count requests, not messages. */
  synthetic: boolean;
}

export interface PhaseResult {
  /** Requests: SendMessage, SendMessageBatch, or ReceiveMessage calls. */
  ops: number;
  /** Messages sent or deleted. */
  messages: number;
  elapsedMs: number;
  serverCpuMicros: number;
  clientCpuMicros: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  /** False when a drain hit its time limit (or errors) before the queue was empty. */
  complete: boolean;
  emptyReceives?: number;
}

/** Reads the server's and our own CPU around `run`, so each phase is charged only its own work. */
async function measure(
  target: Target,
  recorder: Recorder,
  run: () => Promise<number>,
): Promise<Omit<PhaseResult, 'ops' | 'messages' | 'complete'>> {
  const server = cpuMicros(target.pid);
  const client = process.cpuUsage();
  const elapsedMs = await run();
  const clientUsed = process.cpuUsage(client);
  return {
    elapsedMs,
    serverCpuMicros: cpuMicros(target.pid) - server,
    clientCpuMicros: clientUsed.user + clientUsed.system,
    p50: recorder.ms(50),
    p99: recorder.ms(99),
    errors: recorder.errors,
    firstError: recorder.firstError,
  };
}

export async function createQueue(target: Target, name: string, attributes?: Record<string, string>) {
  const out = await target.wire.call<{ QueueUrl?: string }>('CreateQueue', {
    QueueName: name,
    ...(attributes ? { Attributes: attributes } : {}),
  });
  // The bare server's `{}` has no QueueUrl; any well-formed one will do there.
  return out.QueueUrl ?? `${target.origin}/000000000000/${name}`;
}

/** Dropped after each phase so "RSS after load" shows what a server keeps, not queued messages. */
export async function deleteQueue(target: Target, queueUrl: string): Promise<void> {
  await target.wire.call('DeleteQueue', { QueueUrl: queueUrl });
}

export async function sendPhase(target: Target, queueUrl: string, more: () => boolean): Promise<PhaseResult> {
  const body = JSON.stringify({ QueueUrl: queueUrl, MessageBody: MESSAGE_BODY });
  const recorder = new Recorder();
  let ops = 0;
  const step = async () => {
    const out = await recorder.time(() => target.wire.call('SendMessage', body));
    if (!target.synthetic && typeof out.MessageId !== 'string') {
      throw new Error(`SendMessage: no MessageId in ${JSON.stringify(out)}`);
    }
    ops++;
  };
  const result = await measure(target, recorder, () => drive(target.concurrency, more, step, recorder));
  return { ...result, ops, messages: ops, complete: !recorder.aborted };
}

function batchBody(queueUrl: string): string {
  const entries = Array.from({ length: BATCH_SIZE }, (_, i) => ({ Id: `m${i}`, MessageBody: MESSAGE_BODY }));
  return JSON.stringify({ QueueUrl: queueUrl, Entries: entries });
}

export async function batchPhase(
  target: Target,
  queueUrl: string,
  more: () => boolean,
): Promise<PhaseResult> {
  const body = batchBody(queueUrl);
  const recorder = new Recorder();
  let ops = 0;
  let messages = 0;
  const step = async () => {
    const out = await recorder.time(() => target.wire.call('SendMessageBatch', body));
    ops++;
    messages += target.synthetic ? BATCH_SIZE : (out.Successful?.length ?? 0);
    if (out.Failed?.length) throw new Error(`SendMessageBatch: ${JSON.stringify(out.Failed[0])}`);
  };
  const result = await measure(target, recorder, () => drive(target.concurrency, more, step, recorder));
  return { ...result, ops, messages, complete: !recorder.aborted };
}

/** Loads `count` messages (a multiple of 10) for the drain; not measured. */
export async function prefill(target: Target, queueUrl: string, count: number): Promise<void> {
  if (target.synthetic) return;
  const result = await batchPhase(target, queueUrl, forCount(Math.ceil(count / BATCH_SIZE)));
  if (result.errors > 0) throw new Error(`prefill failed: ${result.firstError}`);
}

const SYNTHETIC_HANDLES = Array.from({ length: BATCH_SIZE }, (_, i) => `synthetic-${i}`);

/**
 * ReceiveMessage (10, no wait) then DeleteMessageBatch of what came back, until `count` messages
 * are deleted. Near the end some workers receive nothing while others still hold the last
 * messages in flight; those empty receives count in the latencies and are reported.
 */
export async function drainPhase(
  target: Target,
  queueUrl: string,
  count: number,
  timeoutMs: number,
): Promise<PhaseResult> {
  const receive = JSON.stringify({ QueueUrl: queueUrl, MaxNumberOfMessages: BATCH_SIZE, WaitTimeSeconds: 0 });
  const recorder = new Recorder();
  const deadline = performance.now() + timeoutMs;
  let ops = 0;
  let deleted = 0;
  let emptyReceives = 0;
  const more = () => deleted < count && performance.now() < deadline;
  const step = async () => {
    const out = await recorder.time(() => target.wire.call('ReceiveMessage', receive));
    ops++;
    const handles: string[] = target.synthetic
      ? SYNTHETIC_HANDLES
      : (out.Messages ?? []).map((m: { ReceiptHandle: string }) => m.ReceiptHandle);
    if (handles.length === 0) {
      emptyReceives++;
      return;
    }
    const entries = handles.map((ReceiptHandle, i) => ({ Id: `d${i}`, ReceiptHandle }));
    const del = await target.wire.call('DeleteMessageBatch', { QueueUrl: queueUrl, Entries: entries });
    deleted += target.synthetic ? handles.length : (del.Successful?.length ?? 0);
    if (del.Failed?.length) throw new Error(`DeleteMessageBatch: ${JSON.stringify(del.Failed[0])}`);
  };
  const result = await measure(target, recorder, () => drive(target.concurrency, more, step, recorder));
  return { ...result, ops, messages: deleted, complete: deleted >= count, emptyReceives };
}

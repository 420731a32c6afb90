import { createHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { drive, Recorder } from './load.js';
import { cpuMicros } from './proc.js';
import type { Fanout, SnsTarget } from './sns-setup.js';
import { queryBody, xmlValue } from './sns-wire.js';
import { SqsWire } from './sqs-wire.js';

/** 100 bytes, the same size as the SQS bench's bodies. */
const PUBLISH_MESSAGE = 'tideway-sns-bench-'.padEnd(100, '0123456789abcdefghijklmnopqrstuvwxyz');

export interface PublishResult {
  ops: number;
  elapsedMs: number;
  serverCpuMicros: number;
  clientCpuMicros: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  complete: boolean;
}

/**
 * Publish in a closed loop (as the SQS bench's SendMessage phase): `concurrency` requests in
 * flight until `more()` says stop. Nobody receives meanwhile, so the server's CPU over the phase
 * is Publish and its fan-out alone; the copies pile up until the queues are deleted.
 */
export async function publishPhase(
  target: SnsTarget,
  topicArn: string,
  more: () => boolean,
): Promise<PublishResult> {
  const body = queryBody('Publish', { TopicArn: topicArn, Message: PUBLISH_MESSAGE });
  const recorder = new Recorder();
  let ops = 0;
  const step = async () => {
    const xml = await recorder.time(() => target.sns.post('Publish', body));
    if (!target.synthetic && xmlValue(xml, 'MessageId') === undefined) {
      throw new Error(`Publish: no MessageId in ${xml.slice(0, 300)}`);
    }
    ops++;
  };
  const server = cpuMicros(target.pid);
  const client = process.cpuUsage();
  const elapsedMs = await drive(target.concurrency, more, step, recorder);
  const clientUsed = process.cpuUsage(client);
  return {
    ops,
    elapsedMs,
    serverCpuMicros: cpuMicros(target.pid) - server,
    clientCpuMicros: clientUsed.user + clientUsed.system,
    p50: recorder.ms(50),
    p99: recorder.ms(99),
    errors: recorder.errors,
    firstError: recorder.firstError,
    complete: !recorder.aborted,
  };
}

export interface DeliveryOptions {
  /** Publishes per second, open loop: each goes out on schedule whether or not the last returned. */
  rate: number;
  durationMs: number;
  /** How long to wait, after the last Publish returns, for the last copies. */
  settleTimeoutMs: number;
  waitTimeSeconds: number;
}

export interface DeliveryResult {
  published: number;
  /** published × subscriptions: every copy that should arrive. */
  expected: number;
  delivered: number;
  /** A copy seen again: the server delivered it twice (visibility outlasts the phase). */
  duplicates: number;
  /** Publish time to the receiver's answer, over every copy, in ms. */
  p50: number;
  p99: number;
  max: number;
  errors: number;
  firstError?: string;
}

// The message carries its sequence number and the publisher's performance.now() when the
// Publish went out; publisher and receivers share this process, hence one clock.
const stamp = (seq: number, sentAt: number) => `bench-sns ${seq} ${sentAt.toFixed(3)} `.padEnd(100, '.');
const STAMP = /bench-sns (\d+) (\d+\.\d+) /;
const RECEIVE_BATCH = 10;

/**
 * Publish-to-delivery latency: one long-polling receiver per queue (ReceiveMessage of up to 10)
 * while a publisher sends at a fixed, modest rate, so the figure is the path of one message and
 * not a queue building up. Every copy is checked off. Receivers do not delete: deleting is a
 * consumer's work after delivery, and with 50 queues its requests, on the same two CPUs, were
 * most of what the last copy waited for. A received copy stays in flight (600 s visibility
 * timeout) until its queue is deleted after the phase, so a second receive would be a duplicate.
 */
export async function deliveryPhase(
  target: SnsTarget,
  fanout: Fanout,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const count = Math.max(1, Math.round((options.rate * options.durationMs) / 1000));
  const latency = createHistogram();
  const failures = new Recorder();
  let delivered = 0;
  let duplicates = 0;
  let stopped = false;
  // A long poll holds its connection; one each means no receiver waits for another's socket.
  const receivers = new SqsWire(target.origin, target.sqsAuth, Math.max(1, fanout.queues.length));

  const receiver = async (queueUrl: string) => {
    const seen = new Uint8Array(count);
    const receive = JSON.stringify({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: RECEIVE_BATCH,
      WaitTimeSeconds: options.waitTimeSeconds,
    });
    while (!stopped && !failures.aborted) {
      try {
        const out = await receivers.call<{ Messages?: { Body: string; ReceiptHandle: string }[] }>(
          'ReceiveMessage',
          receive,
        );
        const now = performance.now();
        const messages = out.Messages ?? [];
        if (messages.length === 0) continue;
        for (const m of messages) {
          const match = STAMP.exec(m.Body);
          if (!match) throw new Error(`unexpected body: ${m.Body.slice(0, 200)}`);
          const seq = Number(match[1]);
          if (seen[seq] === 1) {
            duplicates++;
            continue;
          }
          seen[seq] = 1;
          delivered++;
          latency.record(Math.max(1, Math.round((now - Number(match[2])) * 1e6)));
        }
      } catch (err) {
        failures.fail(err);
      }
    }
  };
  const receiving = fanout.queues.map((q) => receiver(q.url));

  let published = 0;
  const publishOne = async (seq: number, sentAt: number) => {
    try {
      const body = queryBody('Publish', { TopicArn: fanout.topicArn, Message: stamp(seq, sentAt) });
      await target.sns.post('Publish', body);
      published++;
    } catch (err) {
      failures.fail(err);
    }
  };
  const publishing: Promise<void>[] = [];
  const interval = 1000 / options.rate;
  const start = performance.now();
  for (let seq = 0; seq < count && !failures.aborted; seq++) {
    // Due times hang off the start, so a late timer shifts one publish and not all the rest.
    const wait = start + seq * interval - performance.now();
    if (wait >= 1) await sleep(wait);
    publishing.push(publishOne(seq, performance.now()));
  }
  await Promise.all(publishing);

  const expected = published * fanout.queues.length;
  const deadline = performance.now() + options.settleTimeoutMs;
  while (delivered < expected && !failures.aborted && performance.now() < deadline) await sleep(5);
  stopped = true;
  await Promise.all(receiving);
  await receivers.close();
  const ms = (p: number) => (latency.count === 0 ? Number.NaN : latency.percentile(p) / 1e6);
  return {
    published,
    expected,
    delivered,
    duplicates,
    p50: ms(50),
    p99: ms(99),
    max: latency.count === 0 ? Number.NaN : latency.max / 1e6,
    errors: failures.errors,
    firstError: failures.firstError,
  };
}

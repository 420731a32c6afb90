import { setTimeout as sleep } from 'node:timers/promises';
import { coldStarts, median } from './lib/cold-start.js';
import { type BenchConfig, loadConfig } from './lib/config.js';
import { forDuration } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { HOST } from './lib/net.js';
import { memoryUse } from './lib/proc.js';
import { sdkSendPhase } from './lib/sdk-phase.js';
import { SERVERS, type ServerSpec, startServer } from './lib/servers.js';
import { type SignedHeaders, signOnce } from './lib/sigv4.js';
import { writePerformanceDoc } from './lib/sqs-doc.js';
import {
  batchPhase,
  createQueue,
  deleteQueue,
  drainPhase,
  MESSAGE_BODY,
  type PhaseResult,
  prefill,
  sendPhase,
  type Target,
} from './lib/sqs-phases.js';
import { renderReport } from './lib/sqs-report.js';
import type { ServerResult, SqsReport } from './lib/sqs-results.js';
import { SqsWire } from './lib/sqs-wire.js';

// Startup garbage and lazy initialisation settle before "idle" memory is read.
const SETTLE_MS = 500;
// Messages must not come back mid-drain because a worker was slow to delete them.
const DRAIN_QUEUE = { VisibilityTimeout: '600' };

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

function summary(name: string, p: PhaseResult): string {
  const rate = Math.round((p.messages * 1000) / p.elapsedMs);
  const errors = p.errors > 0 ? `, ${p.errors} errors (${p.firstError})` : '';
  return `${name} ${rate} msg/s, p99 ${p.p99.toFixed(2)} ms${errors}`;
}

/** Every phase once, briefly, so JIT compilation and first-use costs fall outside the figures. */
async function warmUp(target: Target, config: BenchConfig): Promise<void> {
  const queue = await createQueue(target, 'bench-warm');
  const results = [
    await sendPhase(target, queue, forDuration(config.warmMs)),
    await batchPhase(target, queue, forDuration(config.warmMs)),
  ];
  await deleteQueue(target, queue);
  const drain = await createQueue(target, 'bench-warm-drain', DRAIN_QUEUE);
  await prefill(target, drain, config.warmDrainMessages);
  results.push(await drainPhase(target, drain, config.warmDrainMessages, config.drainTimeoutMs));
  await deleteQueue(target, drain);
  const failed = results.find((r) => r.errors > 0);
  if (failed) progress(`  warm-up saw ${failed.errors} errors, first: ${failed.firstError}`);
}

async function runPhases(target: Target, config: BenchConfig, result: ServerResult): Promise<void> {
  await warmUp(target, config);

  const sendQueue = await createQueue(target, 'bench-send');
  result.send = await sendPhase(target, sendQueue, forDuration(config.sendMs));
  await deleteQueue(target, sendQueue);
  progress(`  ${summary('SendMessage', result.send)}`);

  const batchQueue = await createQueue(target, 'bench-batch');
  result.batch = await batchPhase(target, batchQueue, forDuration(config.batchMs));
  await deleteQueue(target, batchQueue);
  progress(`  ${summary('SendMessageBatch', result.batch)}`);

  const drainQueue = await createQueue(target, 'bench-drain', DRAIN_QUEUE);
  await prefill(target, drainQueue, config.drainMessages);
  result.drain = await drainPhase(target, drainQueue, config.drainMessages, config.drainTimeoutMs);
  await deleteQueue(target, drainQueue);
  progress(`  ${summary('drain', result.drain)}`);
}

async function benchServer(
  spec: ServerSpec,
  config: BenchConfig,
  auth: SignedHeaders,
  withSdk: boolean,
): Promise<ServerResult> {
  const result: ServerResult = { spec };
  progress(`${spec.label}: starting`);
  const server = await startServer(spec);
  const pid = server.child.pid;
  const wire = new SqsWire(server.origin, auth, config.concurrency);
  try {
    await sleep(SETTLE_MS);
    result.idle = memoryUse(pid);
    const target: Target = {
      wire,
      pid,
      origin: server.origin,
      concurrency: config.concurrency,
      synthetic: spec.synthetic,
    };
    await runPhases(target, config, result);
    result.afterLoad = memoryUse(pid);
    progress(
      `  RSS idle ${result.idle.rssMiB.toFixed(1)} MiB, after load ${result.afterLoad.rssMiB.toFixed(1)} MiB`,
    );
    if (spec.sdk && withSdk) {
      result.sdk = await sdkSendPhase(server.origin, config.concurrency, config.sdkMs);
      progress(`  SDK SendMessage ${Math.round((result.sdk.ops * 1000) / result.sdk.elapsedMs)} calls/s`);
    }
  } catch (err) {
    // One server failing (a crash, a protocol error) should not cost the figures of the others.
    const crashed = server.child.exited() ? `; it exited:\n${server.child.stderrTail()}` : '';
    result.failure = `${(err as Error).message}${crashed}`;
    progress(`  FAILED: ${result.failure}`);
  } finally {
    await wire.close();
    await server.stop();
  }
  return result;
}

async function measureColdStarts(config: BenchConfig): Promise<SqsReport['coldStart']> {
  const coldStart: SqsReport['coldStart'] = {};
  for (const kind of ['bare', 'tideway', 'fauxqs'] as const) {
    coldStart[kind] = await coldStarts(kind, config.coldStartRuns);
    progress(`cold start ${kind}: median ${median(coldStart[kind]).toFixed(0)} ms`);
  }
  return coldStart;
}

/** Each phase's median pass by message rate; memory from the last pass, the SDK row from the first. */
function medianResult(passes: ServerResult[]): ServerResult {
  const pick = (phase: 'send' | 'batch' | 'drain'): PhaseResult | undefined => {
    const runs = passes.map((p) => p[phase]).filter((r): r is PhaseResult => r !== undefined);
    runs.sort((a, b) => a.messages / a.elapsedMs - b.messages / b.elapsedMs);
    return runs[Math.floor((runs.length - 1) / 2)];
  };
  const last = passes[passes.length - 1];
  return {
    spec: last.spec,
    idle: last.idle,
    afterLoad: last.afterLoad,
    send: pick('send'),
    batch: pick('batch'),
    drain: pick('drain'),
    sdk: passes.find((p) => p.sdk)?.sdk,
    failure: passes.find((p) => p.failure)?.failure,
  };
}

/** `npm run bench -- sqs`: every server in turn, then one report to stdout and docs/performance.md. */
export async function runSqsBench(): Promise<void> {
  const config = loadConfig();
  const startedAt = new Date();
  const machine = describeMachine();
  progress(`SQS benchmark, ${config.quick ? 'quick' : 'full'} mode`);
  const auth = signOnce({
    host: HOST,
    target: 'AmazonSQS.SendMessage',
    body: JSON.stringify({ QueueUrl: `http://${HOST}/000000000000/bench-send`, MessageBody: MESSAGE_BODY }),
  });
  const coldStart = await measureColdStarts(config);
  const passes: ServerResult[][] = SERVERS.map(() => []);
  for (let round = 1; round <= config.rounds; round++) {
    if (config.rounds > 1) progress(`round ${round} of ${config.rounds}`);
    for (const [i, spec] of SERVERS.entries())
      passes[i].push(await benchServer(spec, config, auth, round === 1));
  }
  const servers = passes.map(medianResult);
  const durationS = (Date.now() - startedAt.getTime()) / 1000;
  const byPass = Array.from({ length: config.rounds }, (_, r) => passes.map((p) => p[r]));
  const report = renderReport({ config, machine, startedAt, durationS, coldStart, servers, passes: byPass });
  process.stdout.write(`${report}\n`);
  progress(`written to ${writePerformanceDoc(report)}`);
}

import { forDuration } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { HOST } from './lib/net.js';
import { SERVERS, type ServerSpec, startServer } from './lib/servers.js';
import { type SignedHeaders, signOnce } from './lib/sigv4.js';
import { loadSnsConfig, type SnsConfig } from './lib/sns-config.js';
import { writeSnsPerformanceDoc } from './lib/sns-doc.js';
import { type DeliveryResult, deliveryPhase, type PublishResult, publishPhase } from './lib/sns-phases.js';
import { renderSnsReport } from './lib/sns-report.js';
import type { FanoutResult, SnsServerResult } from './lib/sns-results.js';
import { createFanout, deleteFanout, type SnsTarget } from './lib/sns-setup.js';
import { FORM, queryBody, SnsWire } from './lib/sns-wire.js';
import { SqsWire } from './lib/sqs-wire.js';

// SNS has no --data-dir figures to compare yet: in memory against fauxqs, with the bare
// server's Publish rate as the ceiling of any Node HTTP server here.
const SNS_SERVERS = SERVERS.filter((s) => s.kind !== 'tideway-disk');

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface Auth {
  sns: SignedHeaders;
  sqs: SignedHeaders;
}

function publishSummary(p: PublishResult): string {
  const rate = Math.round((p.ops * 1000) / p.elapsedMs);
  const cpu = p.ops > 0 ? (p.serverCpuMicros / p.ops).toFixed(0) : '—';
  const errors = p.errors > 0 ? `, ${p.errors} errors (${p.firstError})` : '';
  return `Publish ${rate}/s, p99 ${p.p99.toFixed(2)} ms, server ${cpu} µs/publish${errors}`;
}

function deliverySummary(d: DeliveryResult): string {
  const errors = d.errors > 0 ? `, ${d.errors} errors (${d.firstError})` : '';
  const twice = d.duplicates > 0 ? `, ${d.duplicates} twice` : '';
  return `delivery p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms, ${d.delivered}/${d.expected} copies${twice}${errors}`;
}

/** Both phases on their own fresh topic and queues, each deleted (copies and all) after its phase. */
async function fanoutPhases(
  target: SnsTarget,
  config: SnsConfig,
  name: string,
  subscriptions: number,
  publishMs: number,
  deliveryMs: number,
): Promise<FanoutResult> {
  const loaded = await createFanout(target, `${name}-pub`, subscriptions);
  const publish = await publishPhase(target, loaded.topicArn, forDuration(publishMs));
  await deleteFanout(target, loaded);
  const watched = await createFanout(target, `${name}-lat`, subscriptions);
  const delivery = await deliveryPhase(target, watched, {
    rate: config.deliveryRate,
    durationMs: deliveryMs,
    settleTimeoutMs: config.settleTimeoutMs,
    waitTimeSeconds: config.waitTimeSeconds,
  });
  await deleteFanout(target, watched);
  return { subscriptions, publish, delivery };
}

/** Publish only, to raw subscriptions: what a publication costs when no envelope is needed. */
async function rawPublishPhase(
  target: SnsTarget,
  name: string,
  subscriptions: number,
  publishMs: number,
): Promise<FanoutResult> {
  const loaded = await createFanout(target, name, subscriptions, true);
  const publish = await publishPhase(target, loaded.topicArn, forDuration(publishMs));
  await deleteFanout(target, loaded);
  return { subscriptions, raw: true, publish };
}

async function runPhases(target: SnsTarget, config: SnsConfig, result: SnsServerResult): Promise<void> {
  if (target.synthetic) {
    const topicArn = 'arn:aws:sns:us-east-1:000000000000:bench-sns';
    await publishPhase(target, topicArn, forDuration(config.warmMs));
    result.ceiling = await publishPhase(target, topicArn, forDuration(config.publishMs));
    progress(`  ${publishSummary(result.ceiling)}`);
    return;
  }
  // Every code path once, briefly, so JIT compilation and first-use costs (Tideway's signing
  // key among them) fall outside the figures.
  const warm = await fanoutPhases(
    target,
    config,
    'bench-sns-warm',
    config.warmSubscriptions,
    config.warmMs,
    config.warmDeliveryMs,
  );
  const warmRaw = await rawPublishPhase(target, 'bench-sns-warm-raw', config.rawSubscriptions, config.warmMs);
  const warmErrors =
    (warm.publish?.errors ?? 0) + (warm.delivery?.errors ?? 0) + (warmRaw.publish?.errors ?? 0);
  if (warmErrors > 0)
    progress(
      `  warm-up saw ${warmErrors} errors, first: ${warm.publish?.firstError ?? warm.delivery?.firstError}`,
    );
  for (const n of config.subscriptions) {
    const fanout = await fanoutPhases(
      target,
      config,
      `bench-sns-${n}`,
      n,
      config.publishMs,
      config.deliveryMs,
    );
    result.fanouts.push(fanout);
    if (fanout.publish) progress(`  ${n} subscriptions: ${publishSummary(fanout.publish)}`);
    if (fanout.delivery) progress(`  ${n} subscriptions: ${deliverySummary(fanout.delivery)}`);
  }
  const n = config.rawSubscriptions;
  const raw = await rawPublishPhase(target, `bench-sns-raw-${n}`, n, config.publishMs);
  result.fanouts.push(raw);
  if (raw.publish) progress(`  ${n} raw subscriptions: ${publishSummary(raw.publish)}`);
}

async function benchServer(spec: ServerSpec, config: SnsConfig, auth: Auth): Promise<SnsServerResult> {
  const result: SnsServerResult = { spec, fanouts: [] };
  progress(`${spec.label}: starting`);
  const server = await startServer(spec);
  const sns = new SnsWire(server.origin, auth.sns, config.concurrency);
  const sqs = new SqsWire(server.origin, auth.sqs, config.concurrency);
  try {
    const target: SnsTarget = {
      sns,
      sqs,
      sqsAuth: auth.sqs,
      pid: server.child.pid,
      origin: server.origin,
      concurrency: config.concurrency,
      synthetic: spec.synthetic,
    };
    await runPhases(target, config, result);
  } catch (err) {
    // One server failing (a crash, a protocol error) should not cost the figures of the others.
    const crashed = server.child.exited() ? `; it exited:\n${server.child.stderrTail()}` : '';
    result.failure = `${(err as Error).message}${crashed}`;
    progress(`  FAILED: ${result.failure}`);
  } finally {
    await sns.close();
    await sqs.close();
    await server.stop();
  }
  return result;
}

function middle<T>(values: T[], key: (v: T) => number): T | undefined {
  const sorted = values.filter((v) => Number.isFinite(key(v))).sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? values[0];
}

/** Each phase's median pass: Publish by rate, delivery by p99. */
function medianResult(
  passes: SnsServerResult[],
  subscriptions: number[],
  rawSubscriptions: number,
): SnsServerResult {
  const rate = (p: PublishResult) => p.ops / p.elapsedMs;
  const phases = [...subscriptions.map((n) => ({ n, raw: false })), { n: rawSubscriptions, raw: true }];
  const fanouts = phases.map(({ n, raw }): FanoutResult => {
    const runs = passes.flatMap((p) =>
      p.fanouts.filter((f) => f.subscriptions === n && (f.raw ?? false) === raw),
    );
    const publishes = runs.flatMap((f) => (f.publish ? [f.publish] : []));
    const deliveries = runs.flatMap((f) => (f.delivery ? [f.delivery] : []));
    return {
      subscriptions: n,
      raw: raw || undefined,
      publish: middle(publishes, rate),
      delivery: middle(deliveries, (d) => d.p99),
    };
  });
  const ceilings = passes.flatMap((p) => (p.ceiling ? [p.ceiling] : []));
  return {
    spec: passes[0].spec,
    fanouts,
    ceiling: middle(ceilings, rate),
    failure: passes.find((p) => p.failure)?.failure,
  };
}

/** `npm run bench -- sns`: every server in turn, then one report to stdout and docs/performance.md. */
export async function runSnsBench(): Promise<void> {
  const config = loadSnsConfig();
  const startedAt = new Date();
  const machine = describeMachine();
  progress(`SNS benchmark, ${config.quick ? 'quick' : 'full'} mode`);
  // Tideway routes by the credential scope's service, so each wire carries its own scope.
  const auth: Auth = {
    sns: signOnce({
      host: HOST,
      service: 'sns',
      contentType: FORM,
      body: queryBody('Publish', { TopicArn: 'arn:aws:sns:us-east-1:000000000000:bench', Message: 'x' }),
    }),
    sqs: signOnce({ host: HOST, target: 'AmazonSQS.ReceiveMessage', body: '{}' }),
  };
  const passes: SnsServerResult[][] = SNS_SERVERS.map(() => []);
  for (let round = 1; round <= config.rounds; round++) {
    if (config.rounds > 1) progress(`round ${round} of ${config.rounds}`);
    for (const [i, spec] of SNS_SERVERS.entries()) passes[i].push(await benchServer(spec, config, auth));
  }
  const servers = passes.map((p) => medianResult(p, config.subscriptions, config.rawSubscriptions));
  const durationS = (Date.now() - startedAt.getTime()) / 1000;
  const byPass = Array.from({ length: config.rounds }, (_, r) => passes.map((p) => p[r]));
  const report = renderSnsReport({ config, machine, startedAt, durationS, servers, passes: byPass });
  process.stdout.write(`${report}\n`);
  progress(`written to ${writeSnsPerformanceDoc(report)}`);
}

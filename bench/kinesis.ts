import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { drainRecordsFor, type KinesisConfig, loadKinesisConfig, SLOW_PEERS } from './lib/kinesis-config.js';
import { writeKinesisPerformanceDoc } from './lib/kinesis-doc.js';
import {
  drainPhase,
  type KinesisPhaseResult,
  prefill,
  putRecordPhase,
  putRecordsPhase,
} from './lib/kinesis-phases.js';
import { renderKinesisDoc, renderKinesisReport } from './lib/kinesis-report.js';
import type { KinesisReport, KinesisServerResult } from './lib/kinesis-results.js';
import { SDK_VARIANT_LABELS, SDK_VARIANTS, sdkPutRecordPhase } from './lib/kinesis-sdk.js';
import { BATCH_SIZE, createStream, deleteStream, type KinesisTarget } from './lib/kinesis-setup.js';
import { KinesisWire } from './lib/kinesis-wire.js';
import { forCount, forDuration } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { HOST } from './lib/net.js';
import { ROOT } from './lib/paths.js';
import { memoryUse } from './lib/proc.js';
import { KINESIS_SERVERS, type ServerSpec, startServer } from './lib/servers.js';
import { type SignedHeaders, signOnce } from './lib/sigv4.js';

// Startup garbage and lazy initialisation settle before "idle" memory is read.
const SETTLE_MS = 500;

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

function summary(name: string, p: KinesisPhaseResult): string {
  const rate = Math.round((p.records * 1000) / p.elapsedMs);
  const cpu = p.records > 0 ? (p.serverCpuMicros / p.records).toFixed(1) : '—';
  const failed = p.failedRecords > 0 ? `, ${p.failedRecords} records failed` : '';
  const errors = p.errors > 0 ? `, ${p.errors} errors (${p.firstError})` : '';
  const short = p.complete ? '' : ', incomplete';
  return `${name} ${rate} records/s, p99 ${p.p99.toFixed(2)} ms, server ${cpu} µs/record${failed}${errors}${short}`;
}

/** Both bounds at once: stops at whichever comes first. */
const within = (a: () => boolean, b: () => boolean) => () => a() && b();

/**
 * Every phase once, briefly, so JIT compilation and first-use costs fall outside the figures.
 * Writes are capped by count as well as time, so a fast server does not enter the memory
 * readings with much more garbage behind it than a slow one.
 */
async function warmUp(setup: KinesisTarget, config: KinesisConfig): Promise<void> {
  const stream = 'bench-warm';
  await createStream(setup, stream, config.shards);
  const results = [
    await putRecordsPhase(
      setup,
      stream,
      within(forDuration(config.warmMs), forCount(config.warmRecords / BATCH_SIZE)),
    ),
    await putRecordPhase(setup, stream, within(forDuration(config.warmMs), forCount(config.warmPutRecords))),
  ];
  await deleteStream(setup, stream);
  const drained = 'bench-warm-drain';
  await createStream(setup, drained, config.shards);
  const perShard = await prefill(setup, drained, config.warmDrainRecords, config.prefillTimeoutMs);
  results.push(await drainPhase(setup, drained, perShard, config.drainLimit, config.drainTimeoutMs));
  await deleteStream(setup, drained);
  const failed = results.find((r) => r.errors > 0 || !r.complete);
  if (failed) progress(`  warm-up saw ${failed.errors} errors, first: ${failed.firstError}`);
}

/**
 * The drain first, right after the warm-up, so "holding N records" is read before the timed
 * phases have pushed a different number of records through each server; then the timed puts.
 */
async function runPhases(
  target: KinesisTarget,
  setup: KinesisTarget,
  config: KinesisConfig,
  result: KinesisServerResult,
) {
  await warmUp(setup, config);

  await createStream(target, 'bench-drain', config.shards);
  result.drainRecords = drainRecordsFor(config, result.spec.kind);
  const perShard = await prefill(setup, 'bench-drain', result.drainRecords, config.prefillTimeoutMs);
  result.holding = memoryUse(target.pid);
  result.drain = await drainPhase(target, 'bench-drain', perShard, config.drainLimit, config.drainTimeoutMs);
  result.drained = memoryUse(target.pid);
  await deleteStream(target, 'bench-drain');
  progress(`  ${summary('GetRecords drain', result.drain)}`);

  await createStream(target, 'bench-put-records', config.shards);
  result.putRecords = await putRecordsPhase(target, 'bench-put-records', forDuration(config.putRecordsMs));
  await deleteStream(target, 'bench-put-records');
  progress(`  ${summary('PutRecords', result.putRecords)}`);

  await createStream(target, 'bench-put-record', config.shards);
  result.putRecord = await putRecordPhase(target, 'bench-put-record', forDuration(config.putRecordMs));
  await deleteStream(target, 'bench-put-record');
  progress(`  ${summary('PutRecord', result.putRecord)}`);
  result.afterLoad = memoryUse(target.pid);
}

async function sdkPhases(
  origin: string,
  target: KinesisTarget,
  config: KinesisConfig,
  result: KinesisServerResult,
) {
  await createStream(target, 'bench-sdk', config.shards);
  for (const variant of SDK_VARIANTS) {
    const r = await sdkPutRecordPhase(origin, target.pid, 'bench-sdk', variant, {
      concurrency: config.concurrency,
      ms: config.sdkMs,
      callTimeoutMs: config.sdkCallTimeoutMs,
    });
    result.sdk.push(r);
    const rate = Math.round((r.ops * 1000) / r.elapsedMs);
    const errors = r.errors > 0 ? `, ${r.errors} errors (${r.firstError})` : '';
    progress(`  SDK ${SDK_VARIANT_LABELS[variant]}: ${rate} calls/s${errors}`);
  }
  await deleteStream(target, 'bench-sdk');
}

async function benchServer(
  spec: ServerSpec,
  config: KinesisConfig,
  auth: SignedHeaders,
  withSdk: boolean,
): Promise<KinesisServerResult> {
  const result: KinesisServerResult = { spec, sdk: [] };
  const began = performance.now();
  progress(`${spec.label}: starting`);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(spec);
  } catch (err) {
    result.failure = `did not start: ${(err as Error).message}`;
    progress(`  FAILED: ${result.failure}`);
    return result;
  }
  const pid = server.child.pid;
  const wire = new KinesisWire(server.origin, auth, config.concurrency);
  const target: KinesisTarget = { wire, pid, concurrency: config.concurrency };
  const setup: KinesisTarget = { ...target, concurrency: config.setupConcurrency };
  try {
    await sleep(SETTLE_MS);
    result.idle = memoryUse(pid);
    await runPhases(target, setup, config, result);
    const mib = (m?: { rssMiB: number }) => `${m?.rssMiB.toFixed(1)} MiB`;
    progress(
      `  RSS idle ${mib(result.idle)}, holding ${result.drainRecords} records ${mib(result.holding)}, ` +
        `after the drain ${mib(result.drained)}, after load ${mib(result.afterLoad)}`,
    );
    if (spec.sdk && withSdk) await sdkPhases(server.origin, target, config, result);
  } catch (err) {
    // One server failing (a crash, a protocol error) should not cost the figures of the others.
    const crashed = server.child.exited() ? `; it exited:\n${server.child.stderrTail()}` : '';
    result.failure = `${(err as Error).message}${crashed}`;
    progress(`  FAILED: ${result.failure}`);
  } finally {
    await wire.close();
    await server.stop();
  }
  progress(`  ${spec.label} done in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  return result;
}

function middle<T>(values: T[], key: (v: T) => number): T | undefined {
  const sorted = values.filter((v) => Number.isFinite(key(v))).sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? values[0];
}

/** Each phase's median pass by record rate; memory from the last pass, the SDK rows from the first. */
function medianResult(passes: KinesisServerResult[]): KinesisServerResult {
  const pick = (phase: 'putRecords' | 'putRecord' | 'drain') =>
    middle(
      passes.flatMap((p) => (p[phase] ? [p[phase]] : [])),
      (r) => r.records / r.elapsedMs,
    );
  const withMemory = passes.filter((p) => p.afterLoad);
  const last = withMemory[withMemory.length - 1] ?? passes[passes.length - 1];
  return {
    spec: passes[0].spec,
    idle: last.idle,
    drainRecords: last.drainRecords,
    holding: last.holding,
    drained: last.drained,
    afterLoad: last.afterLoad,
    putRecords: pick('putRecords'),
    putRecord: pick('putRecord'),
    drain: pick('drain'),
    sdk: passes.find((p) => p.sdk.length > 0)?.sdk ?? [],
    failure: passes.find((p) => p.failure)?.failure,
  };
}

function packageVersion(name: string): string {
  try {
    return String(JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/** `npm run bench -- kinesis`: every server in turn, then one report to stdout and docs/performance.md. */
export async function runKinesisBench(): Promise<void> {
  const config = loadKinesisConfig();
  const startedAt = new Date();
  const machine = describeMachine();
  progress(`Kinesis benchmark, ${config.quick ? 'quick' : 'full'} mode`);
  // Tideway routes by the credential scope's service; the others only check the header's form.
  const auth = signOnce({
    host: HOST,
    service: 'kinesis',
    target: 'Kinesis_20131202.PutRecord',
    contentType: 'application/x-amz-json-1.1',
    body: JSON.stringify({ StreamName: 'bench', PartitionKey: 'pk-0', Data: '' }),
  });
  const passes: KinesisServerResult[][] = KINESIS_SERVERS.map(() => []);
  for (let round = 1; round <= config.rounds; round++) {
    if (config.rounds > 1) progress(`round ${round} of ${config.rounds}`);
    for (const [i, spec] of KINESIS_SERVERS.entries()) {
      if (round > 1 && SLOW_PEERS.has(spec.kind)) continue;
      passes[i].push(await benchServer(spec, config, auth, round === 1));
    }
  }
  const servers = passes.map(medianResult);
  const durationS = (Date.now() - startedAt.getTime()) / 1000;
  const byPass = Array.from({ length: config.rounds }, (_, r) => passes.flatMap((p) => (p[r] ? [p[r]] : [])));
  const report: KinesisReport = {
    config,
    machine,
    versions: { kinesalite: packageVersion('kinesalite'), 'kinesis-local': packageVersion('kinesis-local') },
    startedAt,
    durationS,
    servers,
    passes: byPass,
  };
  const results = renderKinesisReport(report);
  process.stdout.write(`${results}\n`);
  progress(`written to ${writeKinesisPerformanceDoc(renderKinesisDoc(report, results))}`);
}

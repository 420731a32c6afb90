import { forDuration } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { HOST } from './lib/net.js';
import { loadS3Config, type S3Config } from './lib/s3-config.js';
import {
  BUCKET,
  fillSmallKeys,
  hugePhase,
  largePhase,
  type OpsResult,
  type S3Target,
  smallPhase,
} from './lib/s3-phases.js';
import { renderS3Report, writeS3PerformanceDoc } from './lib/s3-report.js';
import {
  cpuPerOp,
  medianS3Result,
  megabytesPerSecond,
  opsPerSecond,
  type S3ServerResult,
} from './lib/s3-results.js';
import { isPartialS3Run, type S3ServerSpec, selectS3Servers, startS3Server } from './lib/s3-servers.js';
import { type S3Auth, S3Wire, signS3Once } from './lib/s3-wire.js';

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

function opsSummary(name: string, r: OpsResult): string {
  const errors = r.errors > 0 ? `, ${r.errors} errors (${r.firstError})` : '';
  return `${name} ${Math.round(opsPerSecond(r))}/s, p99 ${r.p99.toFixed(2)} ms, server ${cpuPerOp(r).toFixed(0)} µs/op${errors}`;
}

async function runPhases(
  target: S3Target,
  spec: S3ServerSpec,
  config: S3Config,
  result: S3ServerResult,
  round: number,
) {
  await target.wire.createBucket(BUCKET);
  // Every key exists before GetObject, and the JIT has seen both paths before anything counts.
  await fillSmallKeys(target, config.smallKeys, config.smallBytes);
  await smallPhase(target, 'put', config.smallKeys, config.smallBytes, forDuration(config.warmMs));
  await smallPhase(target, 'get', config.smallKeys, config.smallBytes, forDuration(config.warmMs));
  result.put = await smallPhase(
    target,
    'put',
    config.smallKeys,
    config.smallBytes,
    forDuration(config.smallMs),
  );
  progress(`  ${opsSummary('PutObject 1 KiB', result.put)}`);
  result.get = await smallPhase(
    target,
    'get',
    config.smallKeys,
    config.smallBytes,
    forDuration(config.smallMs),
  );
  progress(`  ${opsSummary('GetObject 1 KiB', result.get)}`);
  const large = await largePhase(target, config.largeObjects, config.largeBytes);
  result.largePut = large.put;
  result.largeGet = large.get;
  progress(
    `  64 MiB: put ${megabytesPerSecond(large.put).toFixed(0)} MB/s, get ${megabytesPerSecond(large.get).toFixed(0)} MB/s` +
      (large.put.errors + large.get.errors > 0
        ? ` (errors: ${large.put.firstError ?? large.get.firstError})`
        : ''),
  );
  if (spec.disk && round === 1) {
    result.huge = await hugePhase(target, config.hugeBytes, config.rssSampleMs);
    const h = result.huge;
    progress(
      `  ${h.bytes / 2 ** 20} MiB: idle ${h.idleMiB.toFixed(0)} MiB, upload peak +${(h.uploadPeakMiB - h.idleMiB).toFixed(0)} MiB, download peak +${(h.downloadPeakMiB - h.idleMiB).toFixed(0)} MiB`,
    );
  }
}

async function benchServer(spec: S3ServerSpec, config: S3Config, round: number): Promise<S3ServerResult> {
  const result: S3ServerResult = { spec };
  progress(`${spec.label}: starting`);
  const server = await startS3Server(spec);
  const host = new URL(server.origin).host;
  // s3rver knows its own key pair only; Tideway takes any key id (the account comes from it).
  const auth: S3Auth =
    spec.kind === 's3rver' ? signS3Once(host, 'S3RVER', 'S3RVER') : signS3Once(host, 'test', 'test');
  const wire = new S3Wire(server.origin, auth, config.concurrency);
  try {
    await runPhases(
      { wire, pid: server.child.pid, concurrency: config.concurrency },
      spec,
      config,
      result,
      round,
    );
  } catch (err) {
    // One server failing (a crash, a missing operation) should not cost the figures of the others.
    const crashed = server.child.exited() ? `; it exited:\n${server.child.stderrTail()}` : '';
    result.failure = `${(err as Error).message}${crashed}`;
    progress(`  FAILED: ${result.failure}`);
  } finally {
    await wire.close();
    await server.stop();
  }
  return result;
}

/** `npm run bench -- s3`: every server in turn, then one report to stdout and docs/performance.md. */
export async function runS3Bench(): Promise<void> {
  const config = loadS3Config();
  const startedAt = new Date();
  const machine = describeMachine();
  progress(`S3 benchmark, ${config.quick ? 'quick' : 'full'} mode (${HOST})`);
  const servers = selectS3Servers();
  const passes: S3ServerResult[][] = servers.map(() => []);
  for (let round = 1; round <= config.rounds; round++) {
    if (config.rounds > 1) progress(`round ${round} of ${config.rounds}`);
    for (const [i, spec] of servers.entries()) passes[i].push(await benchServer(spec, config, round));
  }
  const results = passes.map(medianS3Result);
  const durationS = (Date.now() - startedAt.getTime()) / 1000;
  const report = renderS3Report({ config, machine, startedAt, durationS, servers: results });
  process.stdout.write(`${report}\n`);
  if (isPartialS3Run()) progress('part of the servers, or a baseline: docs/performance.md left as it is');
  else progress(`written to ${writeS3PerformanceDoc(report)}`);
}

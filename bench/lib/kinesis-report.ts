import { type KinesisConfig, SLOW_PEERS } from './kinesis-config.js';
import type { KinesisPhaseResult } from './kinesis-phases.js';
import { cpuPerRecord, type KinesisReport, opRate, per, perSecond, recordRate } from './kinesis-results.js';
import { SDK_VARIANT_LABELS, SDK_VARIANTS } from './kinesis-sdk.js';
import { kinesisTargetsTable } from './kinesis-targets.js';
import { fixed, int, table } from './markdown.js';
import type { MemoryUse } from './proc.js';

const DASH = '—';

function errorCell(p?: KinesisPhaseResult): string {
  if (!p) return DASH;
  return `${p.errors}${p.complete ? '' : ' (incomplete)'}`;
}

const ms = (value?: number) => fixed(value ?? Number.NaN, 2);

function putRecordsTable(report: KinesisReport): string {
  return table(
    [
      'server',
      'records/s',
      'calls/s',
      'p50 ms',
      'p99 ms',
      'server CPU µs/record',
      'client CPU µs/record',
      'failed records',
      'errors',
    ],
    report.servers.map(({ spec, putRecords: p }) => [
      spec.label,
      int(recordRate(p)),
      int(opRate(p)),
      ms(p?.p50),
      ms(p?.p99),
      fixed(cpuPerRecord(p), 2),
      p ? fixed(per(p.clientCpuMicros, p.records), 2) : DASH,
      p ? int(p.failedRecords) : DASH,
      errorCell(p),
    ]),
  );
}

function putRecordTable(report: KinesisReport): string {
  return table(
    ['server', 'ops/s', 'p50 ms', 'p99 ms', 'server CPU µs/op', 'client CPU µs/op', 'errors'],
    report.servers.map(({ spec, putRecord: p }) => [
      spec.label,
      int(opRate(p)),
      ms(p?.p50),
      ms(p?.p99),
      fixed(cpuPerRecord(p), 1),
      p ? fixed(per(p.clientCpuMicros, p.ops), 1) : DASH,
      errorCell(p),
    ]),
  );
}

function drainTable(report: KinesisReport): string {
  return table(
    [
      'server',
      'records read',
      'records/s',
      'GetRecords calls/s',
      'p50 ms/call',
      'p99 ms/call',
      'server CPU µs/record',
      'client CPU µs/record',
      'empty reads',
      'errors',
    ],
    report.servers.map(({ spec, drain: p, drainRecords }) => [
      spec.label,
      p ? `${int(p.records)} / ${int(drainRecords ?? Number.NaN)}` : DASH,
      int(recordRate(p)),
      int(opRate(p)),
      ms(p?.p50),
      ms(p?.p99),
      fixed(cpuPerRecord(p), 2),
      p ? fixed(per(p.clientCpuMicros, p.records), 2) : DASH,
      p ? int(p.emptyReads ?? 0) : DASH,
      errorCell(p),
    ]),
  );
}

function memoryTable(report: KinesisReport): string {
  const mib = (m?: MemoryUse) => fixed(m?.rssMiB ?? Number.NaN, 1);
  return table(
    [
      'server',
      'idle RSS MiB',
      "drain's records",
      'holding them',
      'after the drain',
      'after load (streams deleted)',
      'peak RSS MiB',
    ],
    report.servers.map(({ spec, idle, drainRecords, holding, drained, afterLoad }) => [
      spec.label,
      mib(idle),
      int(drainRecords ?? Number.NaN),
      mib(holding),
      mib(drained),
      mib(afterLoad),
      fixed(afterLoad?.peakMiB ?? Number.NaN, 1),
    ]),
  );
}

function sdkTable(report: KinesisReport): string {
  const rows = report.servers
    .filter((s) => s.spec.sdk)
    .flatMap(({ spec, sdk }) =>
      SDK_VARIANTS.map((variant) => {
        const r = sdk.find((x) => x.variant === variant);
        return [
          spec.label,
          SDK_VARIANT_LABELS[variant],
          int(r ? perSecond(r.ops, r.elapsedMs) : Number.NaN),
          ms(r?.p50),
          ms(r?.p99),
          r ? fixed(per(r.serverCpuMicros, r.ops), 1) : DASH,
          r ? String(r.errors) : DASH,
        ];
      }),
    );
  return table(['server', 'client', 'calls/s', 'p50 ms', 'p99 ms', 'server CPU µs/call', 'errors'], rows, [
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
  ]);
}

function problems(report: KinesisReport): string[] {
  const lines: string[] = [];
  for (const s of report.servers) {
    if (s.failure) lines.push(`- ${s.spec.label}: pass stopped: \`${oneLine(s.failure)}\``);
    const phases = { PutRecords: s.putRecords, PutRecord: s.putRecord, drain: s.drain };
    for (const [name, p] of Object.entries(phases)) {
      if (p?.firstError)
        lines.push(`- ${s.spec.label}, ${name}: ${p.errors} errors; first: \`${oneLine(p.firstError)}\``);
    }
    for (const r of s.sdk) {
      if (r.firstError)
        lines.push(
          `- ${s.spec.label}, SDK ${SDK_VARIANT_LABELS[r.variant]}: ${r.errors} errors; first: \`${oneLine(r.firstError)}\``,
        );
    }
  }
  return lines;
}

// Error texts may span lines (a crashed server's stderr) or hold backticks; a table cell or a
// list item must not break on them.
const oneLine = (text: string) => text.replace(/\s+/g, ' ').replace(/`/g, "'").slice(0, 400);

const slowPeers = [...SLOW_PEERS].join(', ');

/** How the figures are made; part of the generated block so it always matches the code. */
function method(config: KinesisConfig): string {
  const c = config.concurrency;
  const rounds = config.quick
    ? 'one pass in quick mode'
    : `${config.rounds} interleaved passes over the servers`;
  const slow = Math.min(config.drainRecords, config.slowDrainRecords);
  const fewer =
    slow < config.drainRecords
      ? `it loads ${int(slow)} records for its drain instead of ${int(config.drainRecords)}`
      : `its drain never holds more than ${int(config.slowDrainRecords)} records`;
  return [
    '## Kinesis',
    '',
    '`npm run bench -- kinesis` measures Kinesis Data Streams side by side with kinesalite and',
    "kinesis-local (the npm build of kinesis-mock), in one run. The method is the SQS bench's, with",
    'these differences:',
    '',
    '- **Servers**, each in its own child process bound to 127.0.0.1: Tideway',
    '  in memory (`dist/src/cli/main.js --log-level silent`; the peers keep their streams in',
    '  memory too, so `--data-dir` is not measured here); kinesalite with streams ACTIVE at once',
    '  (`createStreamMs` 0), built by `bench/servers/kinesalite.ts` as its CLI builds it but bound',
    '  to loopback (the CLI listens on every interface); kinesis-local through',
    '  `bench/servers/kinesis-local.ts`, which sets its environment (`LOG_LEVEL=ERROR`, stream',
    '  status changes at once, its bundled certificate) and, since it hard-codes the host 0.0.0.0,',
    '  points its wildcard listens at 127.0.0.1 before loading it.',
    '- **Wire**: awsJson 1.1 (`X-Amz-Target: Kinesis_20131202.<Operation>`) on an undici pool of',
    `  ${c} HTTP/1.1 keep-alive connections (kinesalite speaks nothing else), with a SigV4 header`,
    '  whose credential scope names `kinesis`, computed once (no server verifies signatures).',
    `- **Streams**: ${config.shards} shards on every server, a fresh stream per phase, deleted after it;`,
    '  partition keys `pk-0`, `pk-1`… spread the records evenly over the shards.',
    '- **Phases**, in this order: a warm-up of every phase (capped by time and by records written,',
    '  so no server enters the memory readings with much more garbage behind it than another);',
    `  then the *drain*: a stream is loaded (unmeasured, by PutRecords with ${config.setupConcurrency} in flight) and`,
    "  read back from TRIM_HORIZON by one reader per shard (a shard's iterator chain is sequential),",
    `  each calling GetRecords (\`Limit\` ${int(config.drainLimit)}) until it has every record written to its shard,`,
    "  every record's data checked; then *PutRecords* of 500 records of 100 bytes and *PutRecord* of",
    `  one, each in a closed loop with ${c} requests in flight for a fixed time. Memory (VmRSS) is`,
    "  read idle, once the drain's records are loaded, after the drain (the records still held) and",
    '  after the timed puts (every stream deleted).',
    `- **SDK**: PutRecord through \`@aws-sdk/client-kinesis\`, ${c} calls in flight, first as users`,
    '  construct the client (its default handler is HTTP/2 with `disableConcurrentStreams`, so',
    '  every call opens and closes a cleartext HTTP/2 session), then with `NodeHttpHandler` over',
    '  HTTP/1.1 keep-alive, which is what kinesalite needs; `maxAttempts: 1`, so failures show.',
    `- **Rounds**: ${rounds}; each phase shows its median pass, and each target`,
    '  ratio is taken within a pass, then the median of the passes shown. A server that fails a',
    '  phase gets its error listed instead of stopping the run.',
    `- **${slowPeers}**: its PutRecords costs more CPU the more records the stream holds (here`,
    '  about 0.5 ms a record into an empty stream, 3.4 ms at 30,000), so',
    `  ${fewer}, and it runs in the first pass only. No target rests on its`,
    '  figures, and ratios over drains of different sizes are not given.',
    '',
  ].join('\n');
}

/** The generated results, also printed to stdout. */
export function renderKinesisReport(report: KinesisReport): string {
  const { config, machine, versions } = report;
  const mode = config.quick
    ? '**quick mode** (`BENCH_QUICK=1`: phases of a second or two, indicative only)'
    : `full mode, ${config.rounds} interleaved passes over the servers, each phase's median pass shown`;
  const problemLines = problems(report);
  return [
    '### Results',
    '',
    `Generated by \`npm run bench -- kinesis\` on ${report.startedAt.toISOString()} in ${mode}, ` +
      `${Math.round(report.durationS)} s in all.`,
    '',
    `Machine: ${machine.cpus} CPUs (${machine.model}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}. ` +
      `Tideway ${machine.tideway}, kinesalite ${versions.kinesalite}, kinesis-local ${versions['kinesis-local']}.`,
    '',
    `#### PutRecords (500 × 100 B, ${config.putRecordsMs / 1000} s, ${config.concurrency} connections)`,
    '',
    putRecordsTable(report),
    '',
    `#### PutRecord (100 B, ${config.putRecordMs / 1000} s)`,
    '',
    putRecordTable(report),
    '',
    `#### GetRecords drain (${int(config.drainRecords)} records, ${config.shards} shards, one reader per shard, Limit ${int(config.drainLimit)})`,
    ...(config.slowDrainRecords < config.drainRecords
      ? ['', `${slowPeers} drains ${int(config.slowDrainRecords)} records (see the method above).`]
      : []),
    '',
    drainTable(report),
    '',
    '#### Memory',
    '',
    memoryTable(report),
    '',
    `#### SDK (@aws-sdk/client-kinesis PutRecord, ${config.concurrency} in flight, ${config.sdkMs / 1000} s each)`,
    '',
    sdkTable(report),
    '',
    '#### Targets',
    '',
    kinesisTargetsTable(report),
    ...(problemLines.length > 0 ? ['', '#### Errors seen', '', ...problemLines] : []),
    '',
  ].join('\n');
}

/** The whole generated block of docs/performance.md: the method, then the results. */
export function renderKinesisDoc(report: KinesisReport, results: string): string {
  return `${method(report.config)}\n${results}`;
}

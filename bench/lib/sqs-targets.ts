import { median } from './cold-start.js';
import { fixed, ratio, table } from './markdown.js';
import type { ServerKind } from './servers.js';
import { coldStartMedian, per, perSecond, type ServerResult, type SqsReport } from './sqs-results.js';

interface Check {
  target: string;
  value: number;
  /** How the value reads in the table: a ratio or MiB. */
  shown: string;
  met: boolean;
}

function checks(report: SqsReport): Check[] {
  const in_ = (servers: ServerResult[], kind: ServerKind) => servers.find((s) => s.spec.kind === kind);
  const by = (kind: ServerKind) => in_(report.servers, kind);
  const tw = by('tideway');
  const disk = by('tideway-disk');
  const sendRate = (s?: ServerResult) => (s?.send ? perSecond(s.send.ops, s.send.elapsedMs) : Number.NaN);
  const drainRate = (s?: ServerResult) =>
    s?.drain?.complete ? perSecond(s.drain.messages, s.drain.elapsedMs) : Number.NaN;
  const sendCpu = (s?: ServerResult) => (s?.send ? per(s.send.serverCpuMicros, s.send.ops) : Number.NaN);
  // A ratio is taken within each pass, between servers measured minutes apart at most, then the
  // median of the passes: the machine's drift cancels out of a ratio that way.
  const ratioOf = (a: ServerKind, b: ServerKind, metric: (s?: ServerResult) => number) => {
    const passes = report.passes ?? [report.servers];
    return median(passes.map((servers) => metric(in_(servers, a)) / metric(in_(servers, b))));
  };
  const atLeast = (target: string, value: number, min: number): Check => ({
    target,
    value,
    shown: ratio(value),
    met: value >= min,
  });
  const atMost = (target: string, value: number, max: number, shown = ratio(value)): Check => ({
    target,
    value,
    shown,
    met: value <= max,
  });
  const idleMiB = (s?: ServerResult) => s?.idle?.rssMiB ?? Number.NaN;
  return [
    atLeast('SendMessage throughput, Tideway ≥ 1.0× fauxqs', ratioOf('tideway', 'fauxqs', sendRate), 1.0),
    atMost('Server CPU per SendMessage, Tideway ≤ 1.6× bare', ratioOf('tideway', 'bare', sendCpu), 1.6),
    atLeast('Drain messages/s, Tideway ≥ 1.2× fauxqs', ratioOf('tideway', 'fauxqs', drainRate), 1.2),
    atLeast(
      'SendMessage throughput, --data-dir ≥ 0.8× in memory',
      ratioOf('tideway-disk', 'tideway', sendRate),
      0.8,
    ),
    atLeast(
      'Drain messages/s, --data-dir ≥ 0.8× in memory',
      ratioOf('tideway-disk', 'tideway', drainRate),
      0.8,
    ),
    atMost(
      'Cold start, Tideway ≤ 1.5× bare',
      coldStartMedian(report, 'tideway') / coldStartMedian(report, 'bare'),
      1.5,
    ),
    atMost('Idle RSS, Tideway in memory ≤ 65 MiB', idleMiB(tw), 65, `${fixed(idleMiB(tw), 1)} MiB`),
    atMost('Idle RSS, Tideway --data-dir ≤ 65 MiB', idleMiB(disk), 65, `${fixed(idleMiB(disk), 1)} MiB`),
  ];
}

/** The speed goals, each marked met or not. */
export function targetsTable(report: SqsReport): string {
  return table(
    ['target', 'measured', 'status'],
    checks(report).map((c) => [
      c.target,
      c.shown,
      Number.isFinite(c.value) ? (c.met ? 'met' : '**not met**') : 'not measured',
    ]),
    ['left', 'right', 'left'],
  );
}

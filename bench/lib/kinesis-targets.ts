import { median } from './cold-start.js';
import type { KinesisPhaseResult } from './kinesis-phases.js';
import {
  cpuPerRecord,
  type KinesisReport,
  type KinesisServerResult,
  recordRate,
  serverOf,
} from './kinesis-results.js';
import { int, ratio, table } from './markdown.js';
import type { ServerKind } from './servers.js';

type Metric = (s?: KinesisServerResult) => number;

interface Goal {
  target: string;
  metric: Metric;
  /** Compared only between passes that loaded the same number of records for the drain. */
  sameDrain?: boolean;
  /** Met when Tideway's figure over kinesalite's is at least (`min`) or at most (`max`) this. */
  min?: number;
  max?: number;
}

// A drain that stopped short has no rate worth comparing.
const done = (p?: KinesisPhaseResult) => (p?.complete ? p : undefined);

function goals(report: KinesisReport): Goal[] {
  const held = int(report.config.drainRecords);
  return [
    {
      target: 'PutRecords records/s, Tideway ≥ 3× kinesalite',
      metric: (s) => recordRate(s?.putRecords),
      min: 3,
    },
    {
      target: 'Server CPU per PutRecords record, Tideway ≤ 0.2× kinesalite',
      metric: (s) => cpuPerRecord(s?.putRecords),
      max: 0.2,
    },
    {
      target: 'GetRecords drain records/s, Tideway ≥ 2× kinesalite',
      metric: (s) => recordRate(done(s?.drain)),
      min: 2,
      sameDrain: true,
    },
    {
      target: `RSS holding ${held} records, Tideway ≤ 0.5× kinesalite`,
      metric: (s) => s?.holding?.rssMiB ?? Number.NaN,
      max: 0.5,
      sameDrain: true,
    },
  ];
}

/**
 * A ratio is taken within each pass, between servers measured a minute apart at most, then the
 * median over the passes: the machine's drift cancels out of a ratio that way.
 */
function ratioOf(report: KinesisReport, other: ServerKind, goal: Goal): number {
  const ratios = report.passes.map((servers) => {
    const tideway = serverOf(servers, 'tideway');
    const peer = serverOf(servers, other);
    if (goal.sameDrain && tideway?.drainRecords !== peer?.drainRecords) return Number.NaN;
    return goal.metric(tideway) / goal.metric(peer);
  });
  return median(ratios.filter(Number.isFinite));
}

/** The goals against kinesalite, each marked met or not, with kinesis-local alongside. */
export function kinesisTargetsTable(report: KinesisReport): string {
  return table(
    ['target', 'measured', 'status', 'the same ratio against kinesis-local'],
    goals(report).map((g) => {
      const value = ratioOf(report, 'kinesalite', g);
      const met = g.min !== undefined ? value >= g.min : value <= (g.max ?? Number.NaN);
      return [
        g.target,
        ratio(value),
        Number.isFinite(value) ? (met ? 'met' : '**not met**') : 'not measured',
        ratio(ratioOf(report, 'kinesis-local', g)),
      ];
    }),
    ['left', 'right', 'left', 'right'],
  );
}

import { median } from './cold-start.js';
import { ratio, table } from './markdown.js';
import type { ServerKind } from './servers.js';
import { cpuPerPublish, fanoutOf, type SnsReport, type SnsServerResult } from './sns-results.js';

interface Check {
  target: string;
  value: number;
  shown: string;
  /** Undefined for a figure shown for comparison only. */
  met?: boolean;
}

const CPU_SUBSCRIPTIONS = 10;
const RAW_SUBSCRIPTIONS = 10;
const FEW = 1;
const MANY = 50;

function checks(report: SnsReport): Check[] {
  const of = (servers: SnsServerResult[], kind: ServerKind) => servers.find((s) => s.spec.kind === kind);
  // Within a pass, then the median of the passes: the machine's drift cancels out of a ratio.
  const perPass = (metric: (servers: SnsServerResult[]) => number) => median(report.passes.map(metric));
  const cpuRatio = perPass(
    (servers) =>
      cpuPerPublish(fanoutOf(of(servers, 'tideway'), CPU_SUBSCRIPTIONS)?.publish) /
      cpuPerPublish(fanoutOf(of(servers, 'fauxqs'), CPU_SUBSCRIPTIONS)?.publish),
  );
  const rawCpuRatio = perPass(
    (servers) =>
      cpuPerPublish(fanoutOf(of(servers, 'tideway'), RAW_SUBSCRIPTIONS, true)?.publish) /
      cpuPerPublish(fanoutOf(of(servers, 'fauxqs'), RAW_SUBSCRIPTIONS, true)?.publish),
  );
  const p99Growth = (kind: ServerKind) =>
    perPass((servers) => {
      const server = of(servers, kind);
      return (
        (fanoutOf(server, MANY)?.delivery?.p99 ?? Number.NaN) /
        (fanoutOf(server, FEW)?.delivery?.p99 ?? Number.NaN)
      );
    });
  const tidewayGrowth = p99Growth('tideway');
  const fauxqsGrowth = p99Growth('fauxqs');
  let expected = 0;
  let delivered = 0;
  let duplicates = 0;
  for (const servers of report.passes) {
    for (const f of of(servers, 'tideway')?.fanouts ?? []) {
      expected += f.delivery?.expected ?? 0;
      delivered += f.delivery?.delivered ?? 0;
      duplicates += f.delivery?.duplicates ?? 0;
    }
  }
  const lost = expected - delivered;
  return [
    {
      target: `Server CPU per Publish, ${CPU_SUBSCRIPTIONS} subscriptions, Tideway ≤ 0.8× fauxqs`,
      value: cpuRatio,
      shown: ratio(cpuRatio),
      met: cpuRatio <= 0.8,
    },
    {
      target: `Server CPU per Publish, ${RAW_SUBSCRIPTIONS} raw subscriptions, Tideway ≤ 1.0× fauxqs`,
      value: rawCpuRatio,
      shown: ratio(rawCpuRatio),
      met: rawCpuRatio <= 1,
    },
    {
      target: `p99 publish-to-delivery, Tideway, ${MANY} subscriptions ≤ 2× ${FEW}`,
      value: tidewayGrowth,
      shown: ratio(tidewayGrowth),
      met: tidewayGrowth <= 2,
    },
    {
      target: `(for comparison) the same for fauxqs`,
      value: fauxqsGrowth,
      shown: ratio(fauxqsGrowth),
    },
    {
      target: 'Every copy delivered once, Tideway, all passes',
      value: expected > 0 ? lost + duplicates : Number.NaN,
      shown: `${delivered.toLocaleString('en-US')} / ${expected.toLocaleString('en-US')}${duplicates > 0 ? `, ${duplicates} twice` : ''}`,
      met: lost === 0 && duplicates === 0,
    },
  ];
}

/** The SNS goals of the project's issue, each marked met or not. */
export function snsTargetsTable(report: SnsReport): string {
  return table(
    ['target', 'measured', 'status'],
    checks(report).map((c) => [
      c.target,
      c.shown,
      !Number.isFinite(c.value) ? 'not measured' : c.met === undefined ? '—' : c.met ? 'met' : '**not met**',
    ]),
    ['left', 'right', 'left'],
  );
}

import type { OpsResult, RssResult, ThroughputResult } from './s3-phases.js';
import type { S3ServerSpec } from './s3-servers.js';

export interface S3ServerResult {
  spec: S3ServerSpec;
  put?: OpsResult;
  get?: OpsResult;
  largePut?: ThroughputResult;
  largeGet?: ThroughputResult;
  /** The first round only: a peak of memory, not a rate that drifts with the machine. */
  huge?: RssResult;
  failure?: string;
}

export const opsPerSecond = (r: OpsResult | undefined): number =>
  r && r.ops > 0 ? (r.ops * 1000) / r.elapsedMs : Number.NaN;

export const cpuPerOp = (r: OpsResult | undefined): number =>
  r && r.ops > 0 ? r.serverCpuMicros / r.ops : Number.NaN;

/** Decimal megabytes per second, as disk and network figures are usually given. */
export const megabytesPerSecond = (r: ThroughputResult | undefined): number =>
  r && r.bytes > 0 ? r.bytes / 1e6 / (r.elapsedMs / 1000) : Number.NaN;

function middle<T>(values: T[], key: (v: T) => number): T | undefined {
  const sorted = values.filter((v) => Number.isFinite(key(v))).sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? values[0];
}

/**
 * A failure worth reporting: one that cost the run a figure. A pass that failed (say a crash in
 * round 1) while the other rounds measured everything is told apart in the report as a note,
 * and the targets are judged on the figures the other rounds gave.
 */
function failureOf(passes: S3ServerResult[]): string | undefined {
  const failed = passes.filter((p) => p.failure);
  if (failed.length === 0) return undefined;
  const first = failed[0].failure;
  return failed.length === passes.length
    ? first
    : `${failed.length} of ${passes.length} rounds failed: ${first}`;
}

/** Each figure's median pass. */
export function medianS3Result(passes: S3ServerResult[]): S3ServerResult {
  const pick = <T>(get: (p: S3ServerResult) => T | undefined, key: (v: T) => number) =>
    middle(
      passes.flatMap((p) => {
        const v = get(p);
        return v === undefined ? [] : [v];
      }),
      key,
    );
  return {
    spec: passes[0].spec,
    put: pick((p) => p.put, opsPerSecond),
    get: pick((p) => p.get, opsPerSecond),
    largePut: pick((p) => p.largePut, megabytesPerSecond),
    largeGet: pick((p) => p.largeGet, megabytesPerSecond),
    huge: passes.find((p) => p.huge)?.huge,
    failure: failureOf(passes),
  };
}

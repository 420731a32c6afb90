import { median } from './cold-start.js';
import type { BenchConfig } from './config.js';
import type { Machine } from './machine.js';
import type { MemoryUse } from './proc.js';
import type { SdkResult } from './sdk-phase.js';
import type { ServerKind, ServerSpec } from './servers.js';
import type { PhaseResult } from './sqs-phases.js';

/** What one server's run produced; phases stay unset when the run stopped before them. */
export interface ServerResult {
  spec: ServerSpec;
  idle?: MemoryUse;
  afterLoad?: MemoryUse;
  send?: PhaseResult;
  batch?: PhaseResult;
  drain?: PhaseResult;
  sdk?: SdkResult;
  /** Why the run of this server stopped early, if it did. */
  failure?: string;
}

export interface SqsReport {
  config: BenchConfig;
  machine: Machine;
  startedAt: Date;
  durationS: number;
  /** Spawn-to-first-answer samples (ms) per server, for those measured. */
  coldStart: Partial<Record<ServerKind, number[]>>;
  servers: ServerResult[];
  /** Every pass's results, server by server, when the bench ran several. */
  passes?: ServerResult[][];
}

// Rates and per-unit costs come out NaN, shown as a dash, when there is nothing to divide by.
export const perSecond = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : Number.NaN);
export const per = (micros: number, count: number) => (count > 0 ? micros / count : Number.NaN);

export function coldStartMedian(report: SqsReport, kind: ServerKind): number {
  return median(report.coldStart[kind] ?? []);
}

import type { KinesisConfig } from './kinesis-config.js';
import type { KinesisPhaseResult } from './kinesis-phases.js';
import type { KinesisSdkResult } from './kinesis-sdk.js';
import type { Machine } from './machine.js';
import type { MemoryUse } from './proc.js';
import type { ServerKind, ServerSpec } from './servers.js';

/** What one server's pass produced; phases stay unset when the pass stopped before them. */
export interface KinesisServerResult {
  spec: ServerSpec;
  idle?: MemoryUse;
  /** Records loaded for the drain (fewer for a slow peer, see SLOW_PEERS). */
  drainRecords?: number;
  /** Right after the drain's records were loaded (after the warm-up only), before they are read. */
  holding?: MemoryUse;
  /** After the drain, the records still held. */
  drained?: MemoryUse;
  /** After every raw phase, every stream deleted. */
  afterLoad?: MemoryUse;
  putRecords?: KinesisPhaseResult;
  putRecord?: KinesisPhaseResult;
  drain?: KinesisPhaseResult;
  sdk: KinesisSdkResult[];
  /** Why the pass stopped early, if it did. */
  failure?: string;
}

export interface KinesisReport {
  config: KinesisConfig;
  machine: Machine;
  /** Peer versions, read from their package.json. */
  versions: Record<'kinesalite' | 'kinesis-local', string>;
  startedAt: Date;
  durationS: number;
  /** Each phase's median pass, server by server. */
  servers: KinesisServerResult[];
  /** Every pass, server by server, for ratios taken within a pass. */
  passes: KinesisServerResult[][];
}

// Rates and per-unit costs come out NaN, shown as a dash, when there is nothing to divide by.
export const perSecond = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : Number.NaN);
export const per = (micros: number, count: number) => (count > 0 ? micros / count : Number.NaN);

export const recordRate = (p?: KinesisPhaseResult) => (p ? perSecond(p.records, p.elapsedMs) : Number.NaN);
export const opRate = (p?: KinesisPhaseResult) => (p ? perSecond(p.ops, p.elapsedMs) : Number.NaN);
export const cpuPerRecord = (p?: KinesisPhaseResult) => (p ? per(p.serverCpuMicros, p.records) : Number.NaN);

export function serverOf(servers: KinesisServerResult[], kind: ServerKind): KinesisServerResult | undefined {
  return servers.find((s) => s.spec.kind === kind);
}

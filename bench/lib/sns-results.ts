import type { Machine } from './machine.js';
import type { ServerSpec } from './servers.js';
import type { SnsConfig } from './sns-config.js';
import type { DeliveryResult, PublishResult } from './sns-phases.js';

/** Both phases for one subscription count; unset when the run stopped before them. */
export interface FanoutResult {
  subscriptions: number;
  /** Subscribed with RawMessageDelivery=true: the message alone, no envelope and no signature. */
  raw?: boolean;
  publish?: PublishResult;
  delivery?: DeliveryResult;
}

/** One server's pass. The bare server has one Publish figure (`ceiling`) and no fan-out. */
export interface SnsServerResult {
  spec: ServerSpec;
  fanouts: FanoutResult[];
  ceiling?: PublishResult;
  failure?: string;
}

export interface SnsReport {
  config: SnsConfig;
  machine: Machine;
  startedAt: Date;
  durationS: number;
  /** Each phase's median pass, server by server. */
  servers: SnsServerResult[];
  /** Every pass, server by server, for ratios taken within a pass. */
  passes: SnsServerResult[][];
}

export const publishRate = (p?: PublishResult) =>
  p && p.elapsedMs > 0 ? (p.ops * 1000) / p.elapsedMs : Number.NaN;
export const cpuPerPublish = (p?: PublishResult) => (p && p.ops > 0 ? p.serverCpuMicros / p.ops : Number.NaN);

export function fanoutOf(
  server: SnsServerResult | undefined,
  subscriptions: number,
  raw = false,
): FanoutResult | undefined {
  return server?.fanouts.find((f) => f.subscriptions === subscriptions && (f.raw ?? false) === raw);
}

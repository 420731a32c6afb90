import type { KafkaCase } from './kafka-config.js';

const MB = 1_000_000;

/** One produce run: payload bytes over kcat's whole run (spawn to exit, every delivery acked). */
export interface ProduceFigure {
  mbPerSecond: number;
  messagesPerSecond: number;
  /** Server CPU (user + system) per MB of payload, in milliseconds. */
  cpuMsPerMb: number;
}

export interface ConsumeFigure extends ProduceFigure {
  messages: number;
  wrongLength: number;
}

export interface CaseResult {
  case: KafkaCase;
  /** The median over rounds of Tideway's produce MB/s over the null broker's in the same round. */
  share: number;
  tideway: ProduceFigure;
  nullBroker: ProduceFigure;
  consume: ConsumeFigure;
}

export function produceFigure(bytes: number, messages: number, ms: number, cpuMicros: number): ProduceFigure {
  return {
    mbPerSecond: bytes / MB / (ms / 1000),
    messagesPerSecond: messages / (ms / 1000),
    cpuMsPerMb: cpuMicros / 1000 / (bytes / MB),
  };
}

/** The median pass by MB/s: this machine's speed drifts over minutes, and one pass can be unlucky. */
export function medianBy<T>(values: T[], key: (value: T) => number): T {
  const sorted = [...values].sort((a, b) => key(a) - key(b));
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('no figures to take a median of');
  return middle;
}

export const TARGET_SHARE = 0.5;

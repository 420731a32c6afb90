// SKELETON: replaced by advise before this lands.

export type ServiceId =
  | 'sqs'
  | 'sns'
  | 'eventbridge'
  | 'mq'
  | 'kinesis-data-streams'
  | 'firehose'
  | 'managed-flink'
  | 'msk';

/** A workload's answers to the dimensions listed in docs/advise.md; defined by advise. */
export type Workload = Record<string, unknown>;

export interface Advice {
  pattern: string;
  services: { id: ServiceId; reason: string }[];
  integrations: unknown[];
  settings: unknown[];
}

/** Checks a workload given as JSON (file, MCP, flags); throws `WorkloadError` naming the field. */
export function parseWorkload(_input: unknown): Workload {
  throw new Error('not yet');
}

export function advise(_workload: Workload): Advice {
  throw new Error('not yet');
}

export class WorkloadError extends Error {}

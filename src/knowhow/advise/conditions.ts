import type { ServiceId } from './advice.js';
import type { DimensionName, Workload } from './workload.js';

/**
 * The conditions the rule table is written in: data, so that a rule reads as what it matches and
 * the engine stays one small evaluator.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  /** Every listed dimension has this value. */
  | { is: Partial<Workload> }
  /** Every listed dimension has one of these values. */
  | { oneOf: { [K in DimensionName]?: readonly Workload[K][] } }
  /** Every listed number is above this one. */
  | { above: { messageSize?: number; tenants?: number } }
  /** The advice already has this service. */
  | { uses: ServiceId }
  /** The chosen pattern is this one (by id). */
  | { pattern: string }
  /** The message size is over a service's default or its highest configurable limit. */
  | { exceeds: { service: ServiceId; limit: 'default' | 'max' } };

/** A service's message size limits, in bytes: what it accepts by default, and at most once configured. */
export interface SizeLimit {
  default: number;
  max: number;
}

export interface EvaluationState {
  workload: Workload;
  patternId: string;
  services: ReadonlySet<ServiceId>;
  limits: Partial<Record<ServiceId, SizeLimit>>;
}

export function holds(condition: Condition, state: EvaluationState): boolean {
  if ('all' in condition) return condition.all.every((c) => holds(c, state));
  if ('any' in condition) return condition.any.some((c) => holds(c, state));
  if ('not' in condition) return !holds(condition.not, state);
  if ('is' in condition) {
    return Object.entries(condition.is).every(
      ([name, value]) => state.workload[name as DimensionName] === value,
    );
  }
  if ('oneOf' in condition) {
    return Object.entries(condition.oneOf).every(([name, values]) =>
      (values as readonly unknown[]).includes(state.workload[name as DimensionName]),
    );
  }
  if ('above' in condition) {
    return Object.entries(condition.above).every(
      ([name, bound]) => (state.workload[name as DimensionName] as number) > (bound as number),
    );
  }
  if ('uses' in condition) return state.services.has(condition.uses);
  if ('pattern' in condition) return state.patternId === condition.pattern;
  const limit = state.limits[condition.exceeds.service];
  return limit !== undefined && state.workload.messageSize > limit[condition.exceeds.limit];
}

import type { Advice } from './advice.js';
import { evaluate } from './engine.js';
import type { Workload } from './workload.js';

export {
  type Advice,
  type IntegrationAdvice,
  SERVICE_IDS,
  SERVICE_NAMES,
  type ServiceAdvice,
  type ServiceId,
  type SettingAdvice,
} from './advice.js';
export { DEFAULT_TABLE, evaluate, formatBytes, type RuleTable } from './engine.js';
export { ADVICE_RULES, PATTERN_RULES, SIZE_LIMITS } from './rules.js';
export { formatAdviceText } from './text.js';
export {
  DEFAULT_WORKLOAD,
  parseAnswer,
  parseSize,
  parseWorkload,
  WORKLOAD_DIMENSIONS,
  type Workload,
  type WorkloadDimension,
  WorkloadError,
  workloadJsonSchema,
} from './workload.js';

/** Which services fit the workload, why, how to combine them, and the settings that matter. */
export function advise(workload: Workload): Advice {
  const { pattern, services, integrations, settings } = evaluate(workload);
  return { pattern, services, integrations, settings };
}

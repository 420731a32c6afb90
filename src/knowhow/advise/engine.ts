import type { Advice, IntegrationAdvice, ServiceId, SettingAdvice } from './advice.js';
import { type EvaluationState, holds } from './conditions.js';
import { ADVICE_RULES, type AdviceRule, PATTERN_RULES, type PatternRule, SIZE_LIMITS } from './rules.js';
import type { Workload } from './workload.js';

export interface RuleTable {
  patterns: readonly PatternRule[];
  rules: readonly AdviceRule[];
}

export const DEFAULT_TABLE: RuleTable = { patterns: PATTERN_RULES, rules: ADVICE_RULES };

/** `1048576` → `1 MiB`, `300000` → `300,000 bytes`: sizes in reasons read as the docs write them. */
export function formatBytes(bytes: number): string {
  if (bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes.toLocaleString('en-US')} bytes`;
}

function fill(text: string, workload: Workload): string {
  return text
    .replaceAll('{protocol}', workload.protocol.toUpperCase())
    .replaceAll('{tenants}', String(workload.tenants))
    .replaceAll('{messageSize}', formatBytes(workload.messageSize));
}

/**
 * Evaluates the rule table over a workload: the highest-priority matching pattern, then every
 * advice rule that matches, repeated until none adds anything (a rule may depend on a service
 * another rule added). Each rule fires at most once; a service named twice keeps one entry with
 * both reasons; an integration or setting named twice is kept once.
 */
export function evaluate(workload: Workload, table: RuleTable = DEFAULT_TABLE): Advice & { rules: string[] } {
  const pattern = [...table.patterns]
    .sort((a, b) => b.priority - a.priority)
    .find((rule) => holds(rule.when, stateOf(workload, rule.id, new Set())));
  if (!pattern) throw new Error('the rule table has no pattern for this workload');

  const reasons = new Map<ServiceId, string[]>();
  const integrations = new Map<string, IntegrationAdvice>();
  const settings = new Map<string, SettingAdvice>();
  const fired: string[] = [pattern.id];

  const apply = (rule: Pick<AdviceRule, 'services' | 'integrations' | 'settings'>) => {
    for (const service of rule.services ?? []) {
      const list = reasons.get(service.id) ?? [];
      list.push(fill(service.reason, workload));
      reasons.set(service.id, list);
    }
    for (const integration of rule.integrations ?? []) {
      const known = integrations.get(integration.id);
      if (known) {
        for (const id of integration.services) if (!known.services.includes(id)) known.services.push(id);
      } else {
        integrations.set(integration.id, {
          ...integration,
          services: [...integration.services],
          description: fill(integration.description, workload),
        });
      }
    }
    for (const setting of rule.settings ?? []) {
      const key = `${setting.service}\u0000${setting.setting}\u0000${setting.value}`;
      if (!settings.has(key)) {
        settings.set(key, {
          ...setting,
          value: fill(setting.value, workload),
          why: fill(setting.why, workload),
        });
      }
    }
  };

  apply(pattern);
  const pending = [...table.rules];
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < pending.length; i++) {
      const rule = pending[i];
      if (!holds(rule.when, stateOf(workload, pattern.id, new Set(reasons.keys())))) continue;
      apply(rule);
      fired.push(rule.id);
      pending.splice(i--, 1);
      changed = true;
    }
  }

  const order = [...reasons.keys()];
  return {
    pattern: fill(pattern.pattern, workload),
    services: [...reasons].map(([id, list]) => ({ id, reason: list.join(' ') })),
    integrations: [...integrations.values()],
    // Grouped by service, in the order the services are listed; rule order within a service.
    settings: [...settings.values()].sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service)),
    rules: fired,
  };
}

function stateOf(workload: Workload, patternId: string, services: ReadonlySet<ServiceId>): EvaluationState {
  return { workload, patternId, services, limits: SIZE_LIMITS };
}

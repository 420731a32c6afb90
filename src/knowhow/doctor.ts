import type { Finding, KnowHowRule, Severity } from './findings.js';
import type { HintKind, RuntimeHint } from './live/hints.js';
import { fetchHints, fetchInventory } from './live/inventory.js';
import { liveFile } from './live/sources.js';
import type { ExplainNote } from './model.js';
import { runRules, sortFindings } from './run-rules.js';

export interface DoctorOptions {
  /** A running Tideway, e.g. http://127.0.0.1:4566. */
  endpoint: string;
  /** Only this account / region; all of them when absent. */
  account?: string;
  region?: string;
  disable?: string[];
  profile?: 'default' | 'production';
  /** The rules to run over the live model; RULES by default. */
  rules?: readonly KnowHowRule[];
}

export interface DoctorResult {
  findings: Finding[];
  notes: ExplainNote[];
  /** The accounts and regions that were inspected. */
  scopes: { account: string; region: string }[];
}

/** What only runtime shows, as findings: each hint kind is a rule id of its own. */
export const HINT_RULES: Record<HintKind, { severity: Severity; title: string }> = {
  'dropped-deliveries': {
    severity: 'error',
    title: 'Deliveries dropped because a target or dead-letter queue policy did not allow the service',
  },
  'system-attribute-as-message-attribute': {
    severity: 'warning',
    title: 'ReceiveMessage asks for system attributes in MessageAttributeNames, where they never appear',
  },
  'short-polling-empty-receives': {
    severity: 'warning',
    title: 'Consumers short-poll an empty queue over and over',
  },
  'consumer-falling-behind': {
    severity: 'warning',
    title: 'A Kinesis consumer falls further behind the latest record',
  },
  'retention-nearing': {
    severity: 'warning',
    title: "A queue's oldest message nears the retention period",
  },
  'sns-firehose-double-newline': {
    severity: 'warning',
    title: 'SNS records get a second newline from the delivery stream: blank lines in every object',
  },
};

export function hintFinding(hint: RuntimeHint): Finding {
  const times = hint.count === 1 ? 'once' : `${hint.count} times`;
  const seen =
    hint.kind === 'retention-nearing'
      ? ''
      : ` (seen ${times} since start, last at ${new Date(hint.lastSeen).toISOString()})`;
  return {
    rule: hint.kind,
    severity: HINT_RULES[hint.kind]?.severity ?? 'warning',
    resource: hint.resource,
    file: liveFile(hint),
    message: `${hint.message}${seen}`,
    fix: hint.fix,
  };
}

/** The lint rules over the live resources, plus what only runtime shows (the server's hints). */
export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const filter = { account: options.account, region: options.region };
  const [inventory, hints] = await Promise.all([
    fetchInventory(options.endpoint, filter),
    fetchHints(options.endpoint, filter),
  ]);
  const disabled = new Set(options.disable ?? []);
  const notes: ExplainNote[] = [];
  const findings: Finding[] = [];
  for (const scope of inventory.scopes) {
    const run = runRules(scope.model, {
      disable: options.disable,
      profile: options.profile,
      rules: options.rules,
    });
    findings.push(...run.findings);
    notes.push(...run.notes);
  }
  for (const hint of hints) {
    if (!disabled.has(hint.kind)) findings.push(hintFinding(hint));
  }
  return {
    findings: sortFindings(findings),
    notes,
    scopes: inventory.scopes.map(({ account, region }) => ({ account, region })),
  };
}

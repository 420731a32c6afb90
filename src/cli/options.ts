import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Finding, KnowHowRule } from '../knowhow/findings.js';
import { DEFAULT_ENDPOINT } from '../knowhow/live/inventory.js';
import type { ExplainNote } from '../knowhow/model.js';
import { formatReport, REPORT_FORMATS, type Report, type ReportFormat } from '../knowhow/report/index.js';
import { noteLine } from '../knowhow/report/text.js';
import { RULES } from '../knowhow/rules/index.js';

/** The flags lint and doctor share. */
export interface RuleOptions {
  format: ReportFormat;
  /** Rule ids not to run, each checked against the known rules. */
  disable: string[];
  profile: 'default' | 'production';
  explain: boolean;
  help: boolean;
}

export interface ParsedRuleArgs {
  options: RuleOptions;
  /** The values of the command's own flags (`extra`), as parseArgs gives them. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** A mistake on the command line: the command prints it with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

const PROFILES = ['default', 'production'] as const;

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses --format, --disable (repeatable, or comma lists), --profile, --explain and --help,
 * plus a command's own flags. `knownRules` are the ids --disable accepts.
 */
export function parseRuleArgs(
  argv: string[],
  extra: OptionsConfig = {},
  knownRules: readonly string[] = RULES.map((rule) => rule.id),
): ParsedRuleArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        disable: { type: 'string', multiple: true },
        profile: { type: 'string' },
        explain: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...extra,
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const format = (values.format as string | undefined) ?? 'text';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not '${format}'`);
  }
  const profile = (values.profile as string | undefined) ?? 'default';
  if (!(PROFILES as readonly string[]).includes(profile)) {
    throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, not '${profile}'`);
  }
  const disable: string[] = [];
  for (const item of (values.disable as string[] | undefined) ?? []) {
    for (const id of item.split(',').map((part) => part.trim())) {
      if (id === '') continue;
      if (!knownRules.includes(id)) {
        throw new UsageError(`unknown rule '${id}' for --disable; the rules are: ${knownRules.join(', ')}`);
      }
      if (!disable.includes(id)) disable.push(id);
    }
  }
  return {
    options: {
      format: format as ReportFormat,
      disable,
      profile: profile as RuleOptions['profile'],
      explain: values.explain === true,
      help: values.help === true,
    },
    values: values as ParsedRuleArgs['values'],
    positionals,
  };
}

/** The help text's description of the shared flags. */
export const RULE_OPTIONS_HELP = `  -f, --format <fmt>     text (default), json or sarif (SARIF 2.1.0, for code scanning)
  --disable <rule>       do not run this rule; repeatable, or a comma-separated list
  --profile <name>       default, or production (raises no-customer-managed-key to a warning)
  --explain              also say why no finding was made (unresolved values, files skipped)
  -h, --help             this text`;

/** One line per rule: id, severity and what it finds. */
export function rulesHelp(rules: readonly KnowHowRule[] = RULES): string {
  const width = Math.max(...rules.map((rule) => rule.id.length));
  return rules
    .map((rule) => `  ${rule.id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.title}`)
    .join('\n');
}

/** The running Tideway a command reads: --endpoint, else AWS_ENDPOINT_URL, else the default. */
export function endpointOption(given: string | undefined): string {
  return given ?? process.env.AWS_ENDPOINT_URL ?? DEFAULT_ENDPOINT;
}

/**
 * The endpoint from --endpoint, AWS_ENDPOINT_URL or the default, or exit code 2 once the usage
 * error is written: `localhost:4566` parses as a URL of scheme `localhost:`, so say what is wrong
 * with it rather than that nothing answers there.
 */
export function httpEndpointOption(command: string, given: string | undefined): string | number {
  const endpoint = endpointOption(given);
  let protocol: string | undefined;
  try {
    protocol = new URL(endpoint).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === 'http:' || protocol === 'https:') return endpoint;
  return usageFailure(command, `--endpoint must be an http:// or https:// URL, not '${endpoint}'`);
}

/** Writes a usage error the way every tideway command does; returns exit code 2. */
export function usageFailure(command: string, message: string): number {
  process.stderr.write(`tideway ${command}: ${message}\n\nRun 'tideway ${command} --help' for usage.\n`);
  return 2;
}

/**
 * parseRuleArgs for `tideway <command>`: the parsed arguments, or the exit code 2 once a usage
 * error has been written.
 */
export function parseCommandArgs(
  command: string,
  ...args: Parameters<typeof parseRuleArgs>
): ParsedRuleArgs | number {
  try {
    return parseRuleArgs(...args);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(command, err.message);
    throw err;
  }
}

/** A bug of ours still ends as a message and exit code 2, never as a stack trace. */
export function internalFailure(command: string, err: unknown): number {
  process.stderr.write(`tideway ${command}: internal error: ${(err as Error)?.message ?? String(err)}
`);
  return 2;
}

/**
 * Prints the findings in the chosen format and returns the exit code: 1 when one is an error.
 * JSON has no place for notes, so --explain puts them on stderr, where they do not spoil the
 * document.
 */
export function writeFindings(
  tool: Report['tool'],
  result: { findings: Finding[]; notes: ExplainNote[]; files: string[] },
  options: RuleOptions,
): number {
  const { findings, notes, files } = result;
  process.stdout.write(
    formatReport({ tool, findings, notes, explain: options.explain, files }, options.format),
  );
  if (options.explain && options.format === 'json') {
    for (const note of notes) process.stderr.write(`tideway ${tool}: note: ${noteLine(note)}\n`);
  }
  return findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}

import { parseArgs } from 'node:util';
import { type DoctorResult, runDoctor } from '../knowhow/doctor.js';
import { NoTidewayError } from '../knowhow/live/inventory.js';
import { formatReport, type ReportFormat } from '../knowhow/report/index.js';

const HELP = `tideway doctor — the lint rules on a running Tideway's resources, and what only runtime shows

Usage:
  tideway doctor [options]

Options:
  --endpoint <url>     the running Tideway             [AWS_ENDPOINT_URL] default http://127.0.0.1:4566
  --account <id>       only this account (12 digits)                      default: every account
  --region <name>      only this region                                   default: every region
  --format <fmt>       text, json or sarif                                default text
  --disable <rule>     do not report this rule (repeatable, or comma-separated)
  --profile <name>     default or production (raises no-customer-managed-key to a warning)
  --explain            say why no finding was made where a value could not be checked
  -h, --help           this text

Besides the lint rules (docs/rules/), doctor reports what the server saw at runtime:
  dropped-deliveries (error), system-attribute-as-message-attribute, short-polling-empty-receives,
  consumer-falling-behind, retention-nearing (warnings). See docs/doctor.md.

Exit status: 0 without errors, 1 when a finding is an error, 2 when nothing answers at the
endpoint or the options are wrong.
`;

const FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif'];

function usage(message: string): number {
  process.stderr.write(`tideway doctor: ${message}\n\nRun 'tideway doctor --help' for usage.\n`);
  return 2;
}

/** `tideway doctor …`: returns the process exit code. */
export async function run(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        endpoint: { type: 'string' },
        account: { type: 'string' },
        region: { type: 'string' },
        format: { type: 'string' },
        disable: { type: 'string', multiple: true },
        profile: { type: 'string' },
        explain: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'text';
  if (!FORMATS.includes(format as ReportFormat))
    return usage(`--format must be text, json or sarif, not '${format}'`);
  const profile = (values.profile as string | undefined) ?? 'default';
  if (profile !== 'default' && profile !== 'production') {
    return usage(`--profile must be default or production, not '${profile}'`);
  }
  const account = values.account as string | undefined;
  if (account !== undefined && !/^\d{12}$/.test(account))
    return usage(`--account must be 12 digits, not '${account}'`);
  const endpoint =
    (values.endpoint as string | undefined) ?? process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';
  const disable = ((values.disable as string[] | undefined) ?? []).flatMap((d) =>
    d
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  let result: DoctorResult;
  try {
    result = await runDoctor({
      endpoint,
      account,
      region: values.region as string | undefined,
      disable,
      profile,
    });
  } catch (err) {
    if (err instanceof NoTidewayError) {
      process.stderr.write(
        `tideway doctor: ${err.message}\nStart one with 'tideway start', or pass --endpoint.\n`,
      );
      return 2;
    }
    throw err;
  }
  process.stdout.write(render(result, format as ReportFormat, values.explain === true));
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function render(result: DoctorResult, format: ReportFormat, explain: boolean): string {
  const report = { tool: 'doctor' as const, findings: result.findings, notes: result.notes, explain };
  try {
    const text = formatReport(report, format);
    return text.endsWith('\n') ? text : `${text}\n`;
  } catch (err) {
    // Until the shared reports land (report/index.ts is a skeleton in this branch).
    if ((err as Error).message !== 'not yet') throw err;
    return renderPlain(result, format, explain);
  }
}

function renderPlain(result: DoctorResult, format: ReportFormat, explain: boolean): string {
  if (format === 'json') {
    const findings = result.findings.map(({ rule, severity, resource, file, line, message, fix }) => ({
      rule,
      severity,
      resource,
      file,
      line,
      message,
      fix,
    }));
    return `${JSON.stringify({ findings }, null, 2)}\n`;
  }
  if (format === 'sarif') throw new Error('SARIF output needs src/knowhow/report');
  const lines = result.findings.map(
    (f) => `${f.file} ${f.severity} ${f.rule} ${f.resource}\n  ${f.message}\n  fix: ${f.fix}`,
  );
  if (explain)
    for (const note of result.notes) lines.push(`note: ${note.resource ?? ''} ${note.message}`.trim());
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  lines.push(
    `doctor: ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}) in ${result.scopes.length} account/region scope${result.scopes.length === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}

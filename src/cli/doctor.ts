import { type DoctorResult, HINT_RULES, runDoctor } from '../knowhow/doctor.js';
import { NoTidewayError } from '../knowhow/live/inventory.js';
import { formatReport } from '../knowhow/report/index.js';
import { noteLine } from '../knowhow/report/text.js';
import { RULES } from '../knowhow/rules/index.js';
import { parseRuleArgs, RULE_OPTIONS_HELP, UsageError, usageFailure } from './options.js';

const HELP = `tideway doctor — the lint rules on a running Tideway's resources, and what only runtime shows

Usage:
  tideway doctor [options]

Options:
  --endpoint <url>       the running Tideway [AWS_ENDPOINT_URL]; default http://127.0.0.1:4566
  --account <id>         only this account (12 digits); default every account
  --region <name>        only this region; default every region
${RULE_OPTIONS_HELP}

Besides the lint rules (docs/rules/), doctor reports what the server saw at runtime:
  dropped-deliveries (error), system-attribute-as-message-attribute, short-polling-empty-receives,
  consumer-falling-behind, retention-nearing (warnings). See docs/doctor.md.

Exit status: 0 without errors, 1 when a finding is an error, 2 when nothing answers at the
endpoint or the options are wrong.
`;

// `localhost:4566` parses as a URL of scheme `localhost:`: say what is wrong with it, not that
// nothing answers there.
function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** `tideway doctor …`: returns the process exit code. */
export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseRuleArgs>;
  try {
    parsed = parseRuleArgs(
      argv,
      { endpoint: { type: 'string' }, account: { type: 'string' }, region: { type: 'string' } },
      [...RULES.map((rule) => rule.id), ...Object.keys(HINT_RULES)],
    );
  } catch (err) {
    if (err instanceof UsageError) return usageFailure('doctor', err.message);
    throw err;
  }
  const { options, values, positionals } = parsed;
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) return usageFailure('doctor', `unexpected argument '${positionals[0]}'`);
  const account = values.account as string | undefined;
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    return usageFailure('doctor', `--account must be 12 digits, not '${account}'`);
  }
  const endpoint =
    (values.endpoint as string | undefined) ?? process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';
  if (!isHttpUrl(endpoint)) {
    return usageFailure('doctor', `--endpoint must be an http:// or https:// URL, not '${endpoint}'`);
  }
  let result: DoctorResult;
  try {
    result = await runDoctor({
      endpoint,
      account,
      region: values.region as string | undefined,
      disable: options.disable,
      profile: options.profile,
    });
  } catch (err) {
    if (err instanceof NoTidewayError) {
      process.stderr.write(
        `tideway doctor: ${err.message}\nStart one with 'tideway start', or pass --endpoint.\n`,
      );
      return 2;
    }
    process.stderr.write(`tideway doctor: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    return 2;
  }
  const files = result.scopes.map(({ account, region }) => `tideway://${account}/${region}`);
  process.stdout.write(
    formatReport(
      { tool: 'doctor', findings: result.findings, notes: result.notes, explain: options.explain, files },
      options.format,
    ),
  );
  if (options.explain && options.format === 'json') {
    for (const note of result.notes) process.stderr.write(`tideway doctor: note: ${noteLine(note)}\n`);
  }
  return result.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}

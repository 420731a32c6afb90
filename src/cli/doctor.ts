import { type DoctorResult, HINT_RULES, runDoctor } from '../knowhow/doctor.js';
import { DEFAULT_ENDPOINT, NoTidewayError } from '../knowhow/live/inventory.js';
import { liveFile } from '../knowhow/live/sources.js';
import { RULES } from '../knowhow/rules/index.js';
import {
  httpEndpointOption,
  internalFailure,
  parseCommandArgs,
  RULE_OPTIONS_HELP,
  usageFailure,
  writeFindings,
} from './options.js';

const HELP = `tideway doctor — the lint rules on a running Tideway's resources, and what only runtime shows

Usage:
  tideway doctor [options]

Options:
  --endpoint <url>       the running Tideway [AWS_ENDPOINT_URL]; default ${DEFAULT_ENDPOINT}
  --account <id>         only this account (12 digits); default every account
  --region <name>        only this region; default every region
${RULE_OPTIONS_HELP}

Besides the lint rules (docs/rules/), doctor reports what the server saw at runtime:
  dropped-deliveries (error), system-attribute-as-message-attribute, short-polling-empty-receives,
  consumer-falling-behind, retention-nearing, sns-firehose-double-newline (warnings).
  See docs/doctor.md.

Exit status: 0 without errors, 1 when a finding is an error, 2 when nothing answers at the
endpoint or the options are wrong.
`;

/** `tideway doctor …`: returns the process exit code. */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(
    'doctor',
    argv,
    { endpoint: { type: 'string' }, account: { type: 'string' }, region: { type: 'string' } },
    [...RULES.map((rule) => rule.id), ...Object.keys(HINT_RULES)],
  );
  if (typeof parsed === 'number') return parsed;
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
  const endpoint = httpEndpointOption('doctor', values.endpoint as string | undefined);
  if (typeof endpoint === 'number') return endpoint;
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
    return internalFailure('doctor', err);
  }
  const files = result.scopes.map(liveFile);
  return writeFindings('doctor', { ...result, files }, options);
}

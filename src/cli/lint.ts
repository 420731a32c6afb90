import { LintInputError, lintPaths } from '../knowhow/lint.js';
import {
  internalFailure,
  parseCommandArgs,
  RULE_OPTIONS_HELP,
  rulesHelp,
  usageFailure,
  writeFindings,
} from './options.js';

const HELP = `tideway lint — integration mistakes in templates, before deploy

Usage:
  tideway lint [options] <file or folder>…

Reads CloudFormation templates (JSON or YAML, short-form intrinsics too), AWS SAM templates,
cdk.out folders and Terraform plans (terraform show -json). Folders are searched for them
(node_modules, .git and dot folders excepted).

Options:
${RULE_OPTIONS_HELP}

Rules (docs/rules/<rule>.md says why and how to fix):
${rulesHelp()}

Suppress a rule on one resource in its Metadata:
  Metadata:
    tideway:
      ignore: [sqs-short-polling]

Exit codes: 0 no error findings (warnings and notices only), 1 at least one error finding,
2 a usage error or an input that cannot be read.
`;

/** `tideway lint …`: returns the process exit code. */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs('lint', argv);
  if (typeof parsed === 'number') return parsed;
  const { options, positionals } = parsed;
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) return usageFailure('lint', 'name at least one file or folder to lint');
  try {
    const result = await lintPaths(positionals, { disable: options.disable, profile: options.profile });
    for (const skipped of result.skipped) {
      process.stderr.write(`tideway lint: warning: skipped ${skipped.path}: ${skipped.reason}\n`);
    }
    return writeFindings('lint', result, options);
  } catch (err) {
    if (err instanceof LintInputError) {
      for (const problem of err.problems) {
        process.stderr.write(`tideway lint: cannot read ${problem.path}: ${problem.reason}\n`);
      }
      return 2;
    }
    return internalFailure('lint', err);
  }
}

import { LintInputError, lintPaths } from '../knowhow/lint.js';
import { formatReport } from '../knowhow/report/index.js';
import { noteLine } from '../knowhow/report/text.js';
import { parseRuleArgs, RULE_OPTIONS_HELP, rulesHelp, UsageError, usageFailure } from './options.js';

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
  let parsed: ReturnType<typeof parseRuleArgs>;
  try {
    parsed = parseRuleArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure('lint', err.message);
    throw err;
  }
  const { options, positionals } = parsed;
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) return usageFailure('lint', 'name at least one file or folder to lint');
  try {
    const result = await lintPaths(positionals, { disable: options.disable, profile: options.profile });
    process.stdout.write(
      formatReport(
        {
          tool: 'lint',
          findings: result.findings,
          notes: result.notes,
          explain: options.explain,
          files: result.files,
        },
        options.format,
      ),
    );
    for (const skipped of result.skipped) {
      process.stderr.write(`tideway lint: warning: skipped ${skipped.path}: ${skipped.reason}\n`);
    }
    // JSON has no place for notes, so --explain puts them where they do not spoil the document.
    if (options.explain && options.format === 'json') {
      for (const note of result.notes) process.stderr.write(`tideway lint: note: ${noteLine(note)}\n`);
    }
    return result.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
  } catch (err) {
    if (err instanceof LintInputError) {
      for (const problem of err.problems) {
        process.stderr.write(`tideway lint: cannot read ${problem.path}: ${problem.reason}\n`);
      }
      return 2;
    }
    // A bug of ours still ends as a message and an exit code, never as a stack trace.
    process.stderr.write(`tideway lint: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    return 2;
  }
}

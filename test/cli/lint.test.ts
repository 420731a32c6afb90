import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RULES } from '../../src/knowhow/rules/index.js';
import { FINDING_FIELDS } from '../support/knowhow-model.js';
import { type CliRun, cliMain, runCli } from '../support/server.js';

// `tideway lint` as a user runs it: the exit code is the contract CI relies on (issue 13: 1 with
// an error finding, 0 otherwise; 2 for usage errors and unreadable input), and no stack trace.

function lint(args: string[], cwd: string): Promise<CliRun> {
  return runCli(['lint', ...args], {}, { cwd, timeoutMs: 15_000 });
}

function assertNoStack(run: CliRun): void {
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

// A customer-managed key that lets its own account in: both templates encrypt with it.
const KEY = `  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: '*'
`;

// An EventBridge rule sends to a queue that has no queue policy: AWS drops every event
// (EventBridge User Guide, "Permissions for Amazon SQS"). The queue is also a SAM function's
// event source, so the template goes through the SAM reading.
const RULE_TO_QUEUE_WITHOUT_POLICY = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
${KEY}  Orders:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !Ref Key
  OrdersRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [shop.orders]
      Targets:
        - Id: orders
          Arn: !GetAtt Orders.Arn
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: exports.handler = async () => {};
      Events:
        Orders:
          Type: SQS
          Properties:
            Queue: !GetAtt Orders.Arn
`;

// A topic encrypted with its own customer-managed key, and nothing sending to it: nothing to say.
const CLEAN = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
${KEY}  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Ref Key
`;

describe('tideway lint', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-lint-cli-'));
    await writeFile(path.join(dir, 'rule-to-queue.yaml'), RULE_TO_QUEUE_WITHOUT_POLICY);
    await writeFile(path.join(dir, 'clean.yaml'), CLEAN);
    await writeFile(path.join(dir, 'notes.txt'), 'just some text\n');
    await writeFile(
      path.join(dir, 'suppressed.yaml'),
      RULE_TO_QUEUE_WITHOUT_POLICY.replace(
        '  Orders:\n    Type: AWS::SQS::Queue\n',
        '  Orders:\n    Type: AWS::SQS::Queue\n    Metadata:\n      tideway:\n        ignore: [target-policy-missing]\n',
      ).replace(
        '  OrdersRule:\n    Type: AWS::Events::Rule\n',
        '  OrdersRule:\n    Type: AWS::Events::Rule\n    Metadata:\n      tideway:\n        ignore: [target-policy-missing]\n',
      ),
    );
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('without reading a template', () => {
    it('--help lists the options and every rule, exit 0', async () => {
      const run = await lint(['--help'], dir);
      assert.equal(run.code, 0, run.stderr);
      for (const flag of ['--format', 'sarif', '--disable', '--profile', '--explain', '--help']) {
        assert.ok(run.stdout.includes(flag), `--help mentions ${flag}`);
      }
      for (const rule of RULES) assert.ok(run.stdout.includes(rule.id), `--help lists ${rule.id}`);
    });

    it('usage errors exit 2 with the reason and a pointer to --help', async () => {
      for (const args of [
        [],
        ['--format', 'xml', 'x.yaml'],
        ['--disable', 'no-such-rule', 'x.yaml'],
        ['--nope'],
      ]) {
        const run = await lint(args, dir);
        assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, /^tideway lint: .+\n\nRun 'tideway lint --help' for usage\.\n$/);
        assert.equal(run.stdout, '');
        assertNoStack(run);
      }
    });

    it('a missing file or a file that is not a template exits 2, naming each one', async () => {
      const run = await lint(['missing.yaml', 'notes.txt'], dir);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /cannot read missing\.yaml: no such file or folder/);
      assert.match(run.stderr, /cannot read notes\.txt: not a CloudFormation or SAM template/);
      assert.equal(run.stdout, '');
      assertNoStack(run);
    });
  });

  // These read real templates through the CloudFormation/SAM reader and run the real rules.
  describe('with the readers and rules', () => {
    it('an error finding exits 1: a rule target queue without a policy', async () => {
      const run = await lint(['rule-to-queue.yaml'], dir);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, /^rule-to-queue\.yaml:\d+ {2}error {4}target-policy-missing {2}\S+ — /m);
      assert.match(run.stdout, /^ {4}fix: /m);
      assert.match(run.stdout, /tideway lint: [1-9]\d* errors?, /);
    });

    it('a clean template exits 0 with no findings', async () => {
      const text = await lint(['clean.yaml'], dir);
      assert.equal(text.code, 0, text.stdout + text.stderr);
      assert.match(text.stdout, /^tideway lint: no problems in 1 file\b/);
      const json = await lint(['--format', 'json', 'clean.yaml'], dir);
      assert.equal(json.code, 0);
      assert.deepEqual(JSON.parse(json.stdout), { findings: [] });
    });

    it('--format json gives { findings } with the seven fields', async () => {
      const run = await lint(['--format', 'json', 'rule-to-queue.yaml'], dir);
      assert.equal(run.code, 1, run.stderr);
      const { findings } = JSON.parse(run.stdout);
      const target = findings.find((f: { rule: string }) => f.rule === 'target-policy-missing');
      assert.ok(target, run.stdout);
      assert.deepEqual(Object.keys(target), FINDING_FIELDS);
      assert.equal(target.severity, 'error');
      assert.equal(target.file, 'rule-to-queue.yaml');
      assert.ok(Number.isInteger(target.line) && target.line > 0);
      assert.ok(['OrdersRule', 'Orders'].includes(target.resource), target.resource);
    });

    it('--format sarif gives a SARIF 2.1.0 log with the finding at its file and line', async () => {
      const run = await lint(['--format', 'sarif', 'rule-to-queue.yaml'], dir);
      assert.equal(run.code, 1, run.stderr);
      const log = JSON.parse(run.stdout);
      assert.equal(log.version, '2.1.0');
      const result = log.runs[0].results.find(
        (r: { ruleId: string }) => r.ruleId === 'target-policy-missing',
      );
      assert.ok(result, run.stdout);
      assert.equal(result.level, 'error');
      assert.equal(log.runs[0].tool.driver.rules[result.ruleIndex].id, 'target-policy-missing');
      const location = result.locations[0].physicalLocation;
      assert.equal(location.artifactLocation.uri, 'rule-to-queue.yaml');
      assert.ok(location.region.startLine > 0);
    });

    it('--disable and Metadata suppression remove the finding', async () => {
      const disabled = await lint(
        ['--format', 'json', '--disable', 'target-policy-missing', 'rule-to-queue.yaml'],
        dir,
      );
      const suppressed = await lint(['--format', 'json', 'suppressed.yaml'], dir);
      for (const run of [disabled, suppressed]) {
        assert.notEqual(run.code, 2, run.stderr);
        const { findings } = JSON.parse(run.stdout);
        assert.equal(
          findings.some((f: { rule: string }) => f.rule === 'target-policy-missing'),
          false,
          run.stdout,
        );
      }
    });

    it('lints the whole corpus of public templates without an unreadable file or a crash', async () => {
      const corpus = path.resolve(cliMain, '../../../../test/fixtures/lint-corpus');
      const run = await lint(['--format', 'json', corpus], dir);
      assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
      assert.equal(run.stderr, '');
      const { findings } = JSON.parse(run.stdout);
      for (const finding of findings) {
        assert.ok(
          RULES.some((rule) => rule.id === finding.rule),
          finding.rule,
        );
        assert.ok(finding.file.startsWith(corpus), finding.file);
        assert.ok(finding.message.length > 0 && finding.fix.length > 0);
      }
    });

    it('--explain in JSON keeps the document clean and puts the notes on stderr', async () => {
      const run = await lint(['--format', 'json', '--explain', 'suppressed.yaml'], dir);
      assert.deepEqual(Object.keys(JSON.parse(run.stdout)), ['findings']);
      assert.match(run.stderr, /note: .*target-policy-missing suppressed by Metadata tideway ignore/);
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../src/knowhow/findings.js';
import { formatReport, type Report } from '../../../src/knowhow/report/index.js';
import { FINDING_FIELDS } from '../../support/knowhow-model.js';

const FINDINGS: Finding[] = [
  {
    rule: 'sqs-short-polling',
    severity: 'warning',
    resource: 'Orders',
    file: 'b/template.yaml',
    line: 12,
    message: 'Orders is polled with ReceiveMessageWaitTimeSeconds 0.',
    fix: 'Set ReceiveMessageWaitTimeSeconds to 20.',
  },
  {
    rule: 'target-policy-missing',
    severity: 'error',
    resource: 'OrdersRule',
    file: 'a/template.yaml',
    line: 40,
    message: 'OrdersRule sends to Orders, whose policy does not allow events.amazonaws.com.',
    fix: 'Add an AWS::SQS::QueuePolicy.',
  },
  {
    rule: 'no-customer-managed-key',
    severity: 'notice',
    resource: 'aws_sqs_queue.orders',
    file: 'plan.json',
    message: 'aws_sqs_queue.orders has no customer-managed key.',
    fix: 'Set kms_master_key_id.',
  },
];

const report = (extra: Partial<Report> = {}): Report => ({
  tool: 'lint',
  findings: FINDINGS,
  notes: [
    { resource: 'Dlq', origin: { file: 'a/template.yaml', line: 7 }, message: 'policy is a parameter' },
    { origin: { file: 'README.md' }, message: 'skipped: not a .json, .yaml, .yml or .template file' },
  ],
  files: ['a/template.yaml', 'b/template.yaml', 'plan.json'],
  ...extra,
});

describe('text report', () => {
  it('groups by file, puts file:line first, the fix below, and counts at the end', () => {
    assert.equal(
      formatReport(report(), 'text'),
      [
        'a/template.yaml:40  error    target-policy-missing  OrdersRule — OrdersRule sends to Orders, whose policy does not allow events.amazonaws.com.',
        '    fix: Add an AWS::SQS::QueuePolicy.',
        '',
        'b/template.yaml:12  warning  sqs-short-polling  Orders — Orders is polled with ReceiveMessageWaitTimeSeconds 0.',
        '    fix: Set ReceiveMessageWaitTimeSeconds to 20.',
        '',
        'plan.json  notice   no-customer-managed-key  aws_sqs_queue.orders — aws_sqs_queue.orders has no customer-managed key.',
        '    fix: Set kms_master_key_id.',
        '',
        'tideway lint: 1 error, 1 warning, 1 notice in 3 files (2 notes: --explain shows them)',
        '',
      ].join('\n'),
    );
  });

  it('prints the notes with --explain', () => {
    const text = formatReport(report({ explain: true, findings: [] }), 'text');
    assert.equal(
      text,
      [
        'Notes (why no finding was made, what was not read):',
        '  a/template.yaml:7  Dlq — policy is a parameter',
        '  README.md  skipped: not a .json, .yaml, .yml or .template file',
        '',
        'tideway lint: no problems in 3 files',
        '',
      ].join('\n'),
    );
  });

  it('says when there is nothing to report', () => {
    assert.equal(
      formatReport({ tool: 'doctor', findings: [], notes: [] }, 'text'),
      'tideway doctor: no problems\n',
    );
  });
});

describe('json report', () => {
  it('is exactly { findings: [{ rule, severity, resource, file, line, message, fix }] }, line null when unknown', () => {
    const parsed = JSON.parse(formatReport(report({ explain: true }), 'json'));
    assert.deepEqual(Object.keys(parsed), ['findings']);
    assert.equal(parsed.findings.length, 3);
    for (const finding of parsed.findings) {
      assert.deepEqual(Object.keys(finding), FINDING_FIELDS);
    }
    // The error of a/template.yaml sorts first, as given.
    assert.deepEqual(parsed.findings[0], FINDINGS[1]);
    assert.equal(parsed.findings[2].line, null);
  });

  it('sorts by file and line, as the text does', () => {
    const parsed = JSON.parse(formatReport(report(), 'json'));
    assert.deepEqual(
      parsed.findings.map((f: Finding) => `${f.file}:${f.line}`),
      ['a/template.yaml:40', 'b/template.yaml:12', 'plan.json:null'],
    );
  });

  it('is an empty list when there are no findings', () => {
    assert.deepEqual(JSON.parse(formatReport(report({ findings: [] }), 'json')), { findings: [] });
  });
});

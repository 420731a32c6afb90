import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Finding, KnowHowRule } from '../../../src/knowhow/findings.js';
import { formatReport, type Report } from '../../../src/knowhow/report/index.js';
import { artifactUri, formatSarif } from '../../../src/knowhow/report/sarif.js';
import { RULES } from '../../../src/knowhow/rules/index.js';

// The official OASIS schema (test/fixtures/sarif/SOURCE.md) is draft-04; Ajv 8 reads draft-07,
// and the schema uses nothing whose meaning differs between the two beyond these spellings.
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../..');
const official = JSON.parse(
  readFileSync(path.join(root, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'),
);
const { id, $schema: _draft04, ...rest } = official;
const schema = { $schema: 'http://json-schema.org/draft-07/schema#', $id: id, ...rest };

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function assertValidSarif(text: string): any {
  const log = JSON.parse(text);
  const valid = validate(log);
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  return log;
}

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

const cwd = path.join(path.sep, 'work', 'repo');

function finding(fields: Partial<Finding>): Finding {
  return {
    rule: 'target-policy-missing',
    severity: 'error',
    resource: 'OrdersRule',
    file: 'infra/template.yaml',
    line: 40,
    message: 'OrdersRule sends to Orders, whose policy does not allow events.amazonaws.com.',
    fix: 'Add an AWS::SQS::QueuePolicy.',
    ...fields,
  };
}

const FINDINGS: Finding[] = [
  finding({}),
  finding({
    rule: 'no-customer-managed-key',
    severity: 'notice',
    resource: 'aws_sqs_queue.orders',
    file: 'plans/tf plan.json',
    line: undefined,
    message: 'No customer-managed key.',
    fix: 'Set kms_master_key_id.',
  }),
  finding({ rule: 'sqs-short-polling', severity: 'warning', resource: 'Orders', line: 12 }),
];

const report = (extra: Partial<Report> = {}): Report => ({
  tool: 'lint',
  findings: FINDINGS,
  notes: [],
  ...extra,
});

describe('SARIF report', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    assertValidSarif(formatReport(report(), 'sarif'));
    assertValidSarif(formatReport(report({ findings: [] }), 'sarif'));
  });

  it('the schema check has teeth: a result without a message fails it', () => {
    const log = JSON.parse(formatSarif(report(), cwd));
    delete log.runs[0].results[0].message;
    assert.equal(validate(log), false);
  });

  it('describes tideway and every rule in the driver', () => {
    const log = assertValidSarif(formatSarif(report(), cwd));
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'tideway');
    assert.equal(driver.version, pkg.version);
    // package.json names no project site yet: no made-up URI, the help text names the page.
    assert.equal(driver.informationUri, undefined);
    assert.deepEqual(
      driver.rules.map((r: { id: string }) => r.id),
      RULES.map((r) => r.id),
    );
    const levels = { error: 'error', warning: 'warning', notice: 'note' } as const;
    for (const [i, rule] of RULES.entries()) {
      const descriptor = driver.rules[i];
      assert.equal(descriptor.shortDescription.text, rule.title);
      assert.equal(descriptor.defaultConfiguration.level, levels[rule.severity]);
      assert.equal(descriptor.helpUri, undefined);
      assert.ok(descriptor.help.text.includes(`docs/rules/${rule.id}.md`), descriptor.help.text);
    }
  });

  it('one result per finding: rule id and index, level, message with the fix, file, line and resource', () => {
    const log = assertValidSarif(formatSarif(report(), cwd));
    const { results, tool } = log.runs[0];
    assert.equal(results.length, 3);
    for (const result of results) assert.equal(tool.driver.rules[result.ruleIndex].id, result.ruleId);
    const [polling, target, key] = [...results].sort((a: any, b: any) =>
      a.ruleId === 'sqs-short-polling' ? -1 : b.ruleId === 'sqs-short-polling' ? 1 : 0,
    );
    assert.equal(polling.level, 'warning');
    assert.equal(target.ruleId, 'target-policy-missing');
    assert.equal(target.level, 'error');
    assert.equal(
      target.message.text,
      'OrdersRule sends to Orders, whose policy does not allow events.amazonaws.com. Fix: Add an AWS::SQS::QueuePolicy.',
    );
    assert.deepEqual(target.locations[0].physicalLocation, {
      artifactLocation: { uri: 'infra/template.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 40 },
    });
    assert.deepEqual(target.locations[0].logicalLocations, [{ name: 'OrdersRule', kind: 'resource' }]);
    assert.equal(key.level, 'note');
    assert.deepEqual(key.locations[0].physicalLocation, {
      artifactLocation: { uri: 'plans/tf%20plan.json', uriBaseId: '%SRCROOT%' },
    });
    assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/repo/' } });
  });

  it('orders results by file and line', () => {
    const log = assertValidSarif(formatSarif(report(), cwd));
    assert.deepEqual(
      log.runs[0].results.map((r: any) => `${r.ruleId}`),
      ['sqs-short-polling', 'target-policy-missing', 'no-customer-managed-key'],
    );
  });

  it('adds a descriptor for a rule outside the list, so that every ruleIndex resolves', () => {
    const only: KnowHowRule[] = [RULES[0]];
    const runtime = finding({
      rule: 'dropped-deliveries',
      severity: 'warning',
      file: 'tideway://000000000000/us-east-1',
    });
    const log = assertValidSarif(
      formatSarif(report({ rules: only, findings: [runtime], tool: 'doctor' }), cwd),
    );
    const { results, tool } = log.runs[0];
    assert.deepEqual(
      tool.driver.rules.map((r: { id: string }) => r.id),
      [RULES[0].id, 'dropped-deliveries'],
    );
    assert.equal(results[0].ruleIndex, 1);
    assert.deepEqual(results[0].locations[0].physicalLocation.artifactLocation, {
      uri: 'tideway://000000000000/us-east-1',
    });
  });

  it('with --explain, carries the notes as tool execution notifications', () => {
    const notes = [
      { resource: 'Dlq', origin: { file: 'infra/template.yaml', line: 7 }, message: 'policy is a parameter' },
      { message: 'no origin' },
    ];
    const log = assertValidSarif(formatSarif(report({ notes, explain: true }), cwd));
    const [invocation] = log.runs[0].invocations;
    assert.equal(invocation.executionSuccessful, true);
    assert.deepEqual(invocation.toolExecutionNotifications[0], {
      level: 'note',
      message: { text: 'Dlq: policy is a parameter' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'infra/template.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 7 },
          },
        },
      ],
    });
    assert.equal(JSON.parse(formatSarif(report({ notes }), cwd)).runs[0].invocations, undefined);
  });
});

describe('artifact URIs', () => {
  it('relative with forward slashes under the working folder, file: URIs outside it', () => {
    assert.deepEqual(artifactUri('a/b.yaml', cwd), { uri: 'a/b.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(artifactUri('/work/repo/a/b.yaml', cwd), { uri: 'a/b.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(artifactUri('./a/#1.yaml', cwd), { uri: 'a/%231.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(artifactUri('/elsewhere/t.yaml', cwd), { uri: 'file:///elsewhere/t.yaml' });
    assert.deepEqual(artifactUri('../t.yaml', cwd), { uri: 'file:///work/t.yaml' });
  });
});

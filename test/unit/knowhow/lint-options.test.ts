import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuleArgs, rulesHelp, UsageError } from '../../../src/cli/options.js';
import { RULES } from '../../../src/knowhow/rules/index.js';

describe('lint and doctor flags', () => {
  it('defaults: text, nothing disabled, default profile, no explain', () => {
    const { options, positionals } = parseRuleArgs(['template.yaml', 'infra']);
    assert.deepEqual(options, {
      format: 'text',
      disable: [],
      profile: 'default',
      explain: false,
      help: false,
    });
    assert.deepEqual(positionals, ['template.yaml', 'infra']);
  });

  it('reads every flag, --disable repeated and as comma lists, without duplicates', () => {
    const { options } = parseRuleArgs([
      '--format=sarif',
      '--disable',
      'missing-dlq,sqs-short-polling',
      '--disable',
      'missing-dlq',
      '--disable=target-policy-missing',
      '--profile',
      'production',
      '--explain',
      'x.yaml',
    ]);
    assert.deepEqual(options, {
      format: 'sarif',
      disable: ['missing-dlq', 'sqs-short-polling', 'target-policy-missing'],
      profile: 'production',
      explain: true,
      help: false,
    });
    assert.equal(parseRuleArgs(['-f', 'json']).options.format, 'json');
    assert.equal(parseRuleArgs(['-h']).options.help, true);
  });

  it('refuses unknown formats, profiles, rules and flags with a usage error', () => {
    assert.throws(
      () => parseRuleArgs(['--format', 'xml']),
      /--format must be one of text, json, sarif, not 'xml'/,
    );
    assert.throws(() => parseRuleArgs(['--profile', 'prod']), /--profile must be one of default, production/);
    assert.throws(
      () => parseRuleArgs(['--disable', 'missing-dlq,no-such-rule']),
      (err: unknown) =>
        err instanceof UsageError &&
        /unknown rule 'no-such-rule' for --disable; the rules are: /.test(err.message),
    );
    assert.throws(() => parseRuleArgs(['--verbose']), UsageError);
    assert.throws(() => parseRuleArgs(['--format']), UsageError);
  });

  it("takes a command's own flags and its own list of rule ids", () => {
    const parsed = parseRuleArgs(
      ['--endpoint', 'http://127.0.0.1:4566', '--disable', 'dropped-deliveries'],
      { endpoint: { type: 'string' } },
      [...RULES.map((rule) => rule.id), 'dropped-deliveries'],
    );
    assert.equal(parsed.values.endpoint, 'http://127.0.0.1:4566');
    assert.deepEqual(parsed.options.disable, ['dropped-deliveries']);
  });

  it('lists every rule with its severity for --help', () => {
    const lines = rulesHelp().split('\n');
    assert.equal(lines.length, RULES.length);
    for (const [i, rule] of RULES.entries()) {
      assert.match(lines[i], new RegExp(`^  ${rule.id} +${rule.severity} +`));
      assert.ok(lines[i].endsWith(rule.title));
    }
  });
});

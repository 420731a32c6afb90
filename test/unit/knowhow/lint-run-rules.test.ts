import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, KnowHowRule } from '../../../src/knowhow/findings.js';
import { compareFindings, runRules } from '../../../src/knowhow/run-rules.js';
import { base, model, queue } from '../../support/knowhow-model.js';

// runRules is shared by lint and doctor: suppression must follow the resource whatever its id
// is (logical id, ARN) and reach the resource a SAM transform expanded from.

function flag(id: string, resources: string[]): KnowHowRule {
  return {
    id,
    severity: 'warning',
    title: id,
    check: () =>
      resources.map((resource) => ({
        rule: id,
        severity: 'warning',
        resource,
        file: 'template.yaml',
        line: 1,
        message: `${resource} flagged`,
        fix: 'fix it',
      })),
  };
}

describe('runRules', () => {
  it('suppresses by ARN for live resources', () => {
    const arn = 'arn:aws:sqs:us-east-1:000000000000:orders';
    const live = model({ queues: [{ ...queue('orders', { arn }), ignore: ['a'] }] }, 'live');
    const run = runRules(live, { rules: [flag('a', [arn]), flag('b', [arn])] });
    assert.deepEqual(
      run.findings.map((f) => f.rule),
      ['b'],
    );
  });

  it('applies the ignore list of the resource that generated the flagged one', () => {
    const author = { ...base('MyFunction', 'AWS::Serverless::Function'), ignore: ['a'] };
    const generated = { ...queue('MyFunctionQueue'), generatedBy: 'MyFunction' };
    const run = runRules(
      model({ queues: [generated], functions: [{ ...author, environment: {}, rolePolicies: [] }] }),
      {
        rules: [flag('a', ['MyFunctionQueue'])],
      },
    );
    assert.deepEqual(run.findings, []);
    assert.match(run.notes[0].message, /a suppressed by Metadata tideway ignore on MyFunction/);
  });

  it('does not let one resource suppress another', () => {
    const run = runRules(model({ queues: [{ ...queue('A'), ignore: ['a'] }, queue('B')] }), {
      rules: [flag('a', ['A', 'B'])],
    });
    assert.deepEqual(
      run.findings.map((f) => f.resource),
      ['B'],
    );
  });

  it('drops exact duplicates', () => {
    const run = runRules(model({ queues: [queue('A')] }), { rules: [flag('a', ['A', 'A'])] });
    assert.equal(run.findings.length, 1);
  });

  it('orders by file, line with unknown lines last, rule, resource', () => {
    const f = (file: string, line: number | undefined, rule: string, resource = 'R'): Finding => ({
      rule,
      severity: 'error',
      resource,
      file,
      line,
      message: '',
      fix: '',
    });
    const sorted = [
      f('b.yaml', 1, 'x'),
      f('a.yaml', undefined, 'a'),
      f('a.yaml', 10, 'a'),
      f('a.yaml', 2, 'z'),
      f('a.yaml', 2, 'b', 'S'),
      f('a.yaml', 2, 'b', 'R'),
    ].sort(compareFindings);
    assert.deepEqual(
      sorted.map((x) => `${x.file}:${x.line ?? '-'}:${x.rule}:${x.resource}`),
      ['a.yaml:2:b:R', 'a.yaml:2:b:S', 'a.yaml:2:z:R', 'a.yaml:10:a:R', 'a.yaml:-:a:R', 'b.yaml:1:x:R'],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sqsVisibilityBelowFunctionTimeoutRule } from '../../../src/knowhow/rules/sqs-visibility-below-function-timeout.js';
import { context, model, queue, ref } from '../../support/knowhow-model.js';
import { fn, mapping, sqsMapping } from './rules-builders.js';

const check = (m: ReturnType<typeof model>, c = context()) =>
  sqsVisibilityBelowFunctionTimeoutRule.check(m, c);

function consumed(visibility: number | string | undefined, timeout: number | undefined) {
  return model({
    queues: [
      queue('ProcessingQueue', {
        ...(visibility === undefined ? {} : { visibilityTimeoutSeconds: visibility }),
        origin: { file: 't.yaml', line: 8 },
      }),
    ],
    functions: [fn('ProcessorFunction', timeout === undefined ? {} : { timeoutSeconds: timeout })],
    mappings: [
      sqsMapping('ProcessorFunctionMySQSEvent', 'ProcessingQueue', 'ProcessorFunction', {
        generatedBy: 'ProcessorFunction',
      }),
    ],
  });
}

describe('sqs-visibility-below-function-timeout', () => {
  it('is an error when the visibility timeout is below the function timeout, on the queue', () => {
    const findings = check(consumed(30, 60));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.rule, 'sqs-visibility-below-function-timeout');
    assert.equal(findings[0]?.severity, 'error');
    assert.equal(findings[0]?.resource, 'ProcessingQueue');
    assert.equal(findings[0]?.line, 8);
    assert.match(findings[0]?.message ?? '', /30 s, below the 60 s timeout of ProcessorFunction.*refuses/);
    assert.match(findings[0]?.fix ?? '', /at least 360/);
  });

  it('uses the SQS default of 30 s when VisibilityTimeout is not set', () => {
    const findings = check(consumed(undefined, 45));
    assert.equal(findings[0]?.severity, 'error');
    assert.match(findings[0]?.message ?? '', /30 s \(default of SQS\)/);
  });

  it('is a warning below six times the function timeout (corpus v22: 30 s and 30 s)', () => {
    const findings = check(consumed(30, 30));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, 'warning');
    assert.match(findings[0]?.message ?? '', /less than six times the 30 s timeout/);
  });

  it('does not fire at six times or more: the sample (30 s, Lambda default 3 s), and 180 s for 30 s', () => {
    assert.deepEqual(check(consumed(30, 3)), []);
    assert.deepEqual(check(consumed(undefined, undefined)), []);
    assert.deepEqual(check(consumed('180', 30)), []);
  });

  it('finds the function by its name as FunctionName', () => {
    const m = model({
      queues: [queue('Q', { visibilityTimeoutSeconds: 10 })],
      functions: [fn('Worker', { name: 'orders-worker', timeoutSeconds: 60 })],
      mappings: [mapping('M', { source: ref('Q', 'Arn'), function: 'orders-worker' })],
    });
    assert.equal(check(m)[0]?.severity, 'error');
  });

  it('explains unknown timeouts and functions outside the template', () => {
    const c = context();
    const m = model({
      queues: [
        queue('Q', { visibilityTimeoutSeconds: { $unknown: 'parameter Vis', param: 'Vis' } }),
        queue('R'),
      ],
      functions: [fn('F', { timeoutSeconds: 60 })],
      mappings: [
        mapping('M1', { source: ref('Q', 'Arn'), function: ref('F') }),
        mapping('M2', { source: ref('R', 'Arn'), function: { $unknown: 'Fn::ImportValue' } }),
      ],
    });
    assert.deepEqual(check(m, c), []);
    const text = c.notes.map((n) => n.message).join('\n');
    assert.match(text, /visibility timeout of Q is not known \(parameter Vis\)/);
    assert.match(text, /function of M2 is not known \(Fn::ImportValue\)/);
  });

  it('honours Metadata ignore on the queue', () => {
    const m = consumed(30, 60);
    m.queues[0]?.ignore.push('sqs-visibility-below-function-timeout');
    assert.deepEqual(check(m), []);
  });
});

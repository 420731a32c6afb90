import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingDlqRule } from '../../../src/knowhow/rules/missing-dlq.js';
import { context, model, queue, ref } from '../../support/knowhow-model.js';
import { fn, pipe, rule, sqsMapping, subscription, target } from './rules-builders.js';

const check = (m: ReturnType<typeof model>) => missingDlqRule.check(m, context());

describe('missing-dlq', () => {
  it('fires on a Lambda-consumed queue without a redrive policy (corpus v21), even with a function DLQ', () => {
    const m = model({
      queues: [queue('ProcessingQueue', { origin: { file: 'v21.yaml', line: 8 } }), queue('ProcessingDLQ')],
      functions: [fn('ProcessorFunction', { dlq: ref('ProcessingDLQ', 'Arn') })],
      mappings: [sqsMapping('ProcessorFunctionMySQSEvent', 'ProcessingQueue', 'ProcessorFunction')],
    });
    const findings = check(m);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.rule, 'missing-dlq');
    assert.equal(findings[0]?.severity, 'warning');
    assert.equal(findings[0]?.resource, 'ProcessingQueue');
    assert.equal(findings[0]?.line, 8);
    assert.match(
      findings[0]?.message ?? '',
      /ProcessingQueue is consumed by Lambda \(ProcessorFunctionMySQSEvent\)/,
    );
    assert.match(findings[0]?.fix ?? '', /deadLetterTargetArn/);
  });

  it('does not fire with a redrive policy (the sample), even an unknown one, nor on queues nobody consumes through Lambda', () => {
    const m = model({
      queues: [
        queue('WithDlq', { redriveDlq: ref('Dlq', 'Arn') }),
        queue('Dlq'),
        queue('Unknown', { redriveDlq: { $unknown: 'Fn::If' } }),
        queue('PolledByCode'),
        queue('PipeSource'),
      ],
      functions: [fn('F')],
      mappings: [sqsMapping('M1', 'WithDlq', 'F'), sqsMapping('M2', 'Unknown', 'F')],
      pipes: [pipe('P', { source: ref('PipeSource', 'Arn') })],
    });
    assert.deepEqual(check(m), []);
  });

  it('does not fire on a Lambda-consumed queue that is itself a dead-letter queue', () => {
    const m = model({
      queues: [queue('Main', { redriveDlq: ref('Dlq', 'Arn') }), queue('Dlq')],
      functions: [fn('F')],
      mappings: [sqsMapping('M1', 'Main', 'F'), sqsMapping('Reprocess', 'Dlq', 'F')],
    });
    assert.deepEqual(check(m), []);
  });

  it('fires on each rule target without a dead-letter queue, on the rule', () => {
    const m = model({
      rules: [
        rule('OrderRule', [
          target('Worker', ref('F', 'Arn')),
          target('Archive', ref('Q', 'Arn'), { dlq: ref('Dlq', 'Arn') }),
          target('Audit', ref('Q2', 'Arn')),
        ]),
      ],
    });
    const findings = check(m);
    assert.deepEqual(
      findings.map((f) => [f.resource, /target (\w+)/.exec(f.message)?.[1]]),
      [
        ['OrderRule', 'Worker'],
        ['OrderRule', 'Audit'],
      ],
    );
  });

  it('fires on a subscription without a redrive policy, on the subscription or the SAM function that made it', () => {
    const m = model({
      subscriptions: [
        subscription('Plain'),
        subscription('WithDlq', { dlq: ref('Dlq', 'Arn') }),
        subscription('FnSnsEvent', { protocol: 'lambda', endpoint: ref('Fn', 'Arn'), generatedBy: 'Fn' }),
      ],
    });
    const findings = check(m);
    assert.deepEqual(
      findings.map((f) => f.resource),
      ['Plain', 'Fn'],
    );
    assert.match(findings[1]?.message ?? '', /FnSnsEvent \(generated from Fn\) \(lambda\)/);
  });

  it('honours Metadata ignore', () => {
    const m = model({
      rules: [rule('R', [target('T', ref('F', 'Arn'))], { ignore: ['missing-dlq'] })],
      subscriptions: [subscription('S', { ignore: ['missing-dlq'] })],
    });
    assert.deepEqual(check(m), []);
  });
});

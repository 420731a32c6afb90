import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from '../../../src/knowhow/model.js';
import { sqsShortPollingRule } from '../../../src/knowhow/rules/sqs-short-polling.js';
import { base, context, model, queue, ref } from '../../support/knowhow-model.js';
import { fn, mapping, pipe, rule, sqsMapping, subscription, target } from './rules-builders.js';

const check = (m: ReturnType<typeof model>, c = context()) => sqsShortPollingRule.check(m, c);

function bucketTo(queueId: string): Bucket {
  return {
    ...base('SourceBucket', 'AWS::S3::Bucket', 12),
    notifications: [{ kind: 'queue', target: ref(queueId, 'Arn') }],
  };
}

describe('sqs-short-polling', () => {
  it('fires on a queue fed by S3 that sets ReceiveMessageWaitTimeSeconds 0 (corpus v15)', () => {
    const findings = check(
      model({
        queues: [
          queue('StandardQueue', { receiveWaitTimeSeconds: 0, origin: { file: 'v15.yaml', line: 44 } }),
        ],
        buckets: [bucketTo('StandardQueue')],
      }),
    );
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.rule, 'sqs-short-polling');
    assert.equal(finding?.severity, 'warning');
    assert.equal(finding?.resource, 'StandardQueue');
    assert.equal(finding?.file, 'v15.yaml');
    assert.equal(finding?.line, 44);
    assert.match(finding?.message ?? '', /StandardQueue.*ReceiveMessageWaitTimeSeconds to 0/);
    assert.match(finding?.fix ?? '', /ReceiveMessageWaitTimeSeconds: 20/);
  });

  it('fires when the wait time is not set (AWS default 0), and on a wait written as the string "0"', () => {
    const findings = check(
      model({ queues: [queue('Unset'), queue('Zero', { receiveWaitTimeSeconds: '0' })] }),
    );
    assert.deepEqual(
      findings.map((f) => f.resource),
      ['Unset', 'Zero'],
    );
    assert.match(findings[0]?.message ?? '', /does not set ReceiveMessageWaitTimeSeconds \(default 0\)/);
  });

  it('does not fire with long polling on (corpus v13: 20), also written as a string', () => {
    assert.deepEqual(
      check(
        model({
          queues: [queue('A', { receiveWaitTimeSeconds: 20 }), queue('B', { receiveWaitTimeSeconds: '5' })],
        }),
      ),
      [],
    );
  });

  it('does not fire on a queue that only Lambda or a Pipe consumes: they long-poll themselves', () => {
    const m = model({
      queues: [queue('LambdaQueue'), queue('PipeQueue')],
      functions: [fn('Fn')],
      mappings: [sqsMapping('Esm', 'LambdaQueue', 'Fn')],
      pipes: [pipe('Pipe', { source: ref('PipeQueue', 'Arn') })],
    });
    assert.deepEqual(check(m), []);
  });

  it('does not fire on dead-letter queues of a redrive policy, a rule target, a subscription, a pipe or a function', () => {
    const m = model({
      queues: [
        queue('Main', { receiveWaitTimeSeconds: 20, redriveDlq: ref('RedriveDlq', 'Arn') }),
        queue('RedriveDlq'),
        queue('TargetDlq'),
        queue('SubscriptionDlq'),
        queue('PipeDlq'),
        queue('FunctionDlq'),
      ],
      rules: [rule('Rule', [target('T1', ref('Fn', 'Arn'), { dlq: ref('TargetDlq', 'Arn') })])],
      subscriptions: [
        subscription('Sub', {
          protocol: 'lambda',
          endpoint: ref('Fn', 'Arn'),
          dlq: ref('SubscriptionDlq', 'Arn'),
        }),
      ],
      pipes: [pipe('Pipe', { source: ref('Stream', 'Arn'), dlq: ref('PipeDlq', 'Arn') })],
      functions: [fn('Fn', { dlq: ref('FunctionDlq', 'Arn') })],
    });
    assert.deepEqual(check(m), []);
  });

  it('matches a dead-letter queue given as a literal ARN, as a live model has them', () => {
    const arn = 'arn:aws:sqs:us-east-1:000000000000:orders-dlq';
    const live = model(
      {
        queues: [
          queue(`arn:aws:sqs:us-east-1:000000000000:orders`, {
            arn: 'arn:aws:sqs:us-east-1:000000000000:orders',
            redriveDlq: arn,
          }),
          queue(arn, { arn }),
        ],
      },
      'live',
    );
    const findings = check(live);
    assert.deepEqual(
      findings.map((f) => f.resource),
      ['arn:aws:sqs:us-east-1:000000000000:orders'],
    );
    assert.match(findings[0]?.message ?? '', /this account/);
  });

  it('matches a dead-letter ARN built with pseudo parameters to the queue of that name', () => {
    const m = model({
      queues: [
        queue('Main', {
          receiveWaitTimeSeconds: 20,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation pseudo parameters, kept as the reader keeps them
          redriveDlq: 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:my-dlq',
        }),
        queue('Dlq', { name: 'my-dlq' }),
      ],
    });
    assert.deepEqual(check(m), []);
  });

  it('makes no finding and explains when the wait time is a parameter', () => {
    const c = context();
    assert.deepEqual(
      check(
        model({
          queues: [queue('Q', { receiveWaitTimeSeconds: { $unknown: 'parameter Wait', param: 'Wait' } })],
        }),
        c,
      ),
      [],
    );
    assert.match(
      c.notes[0]?.message ?? '',
      /ReceiveMessageWaitTimeSeconds of Q is not known \(parameter Wait\)/,
    );
  });

  it('makes no finding and explains when a consumer source could be this queue but is not known', () => {
    const c = context();
    const m = model({
      queues: [queue('Q')],
      functions: [fn('Fn')],
      mappings: [mapping('Esm', { source: { $unknown: 'Fn::If' }, function: ref('Fn') })],
    });
    assert.deepEqual(check(m, c), []);
    assert.match(c.notes[0]?.message ?? '', /Esm has a source that is not known \(Fn::If\)/);
  });

  it('still fires when the only unknown source is a Kafka or broker mapping, which never reads SQS', () => {
    const m = model({
      queues: [queue('Q')],
      functions: [fn('Fn')],
      mappings: [
        mapping('Msk', {
          source: { $unknown: 'parameter ClusterArn', param: 'ClusterArn' },
          function: ref('Fn'),
          sourceAccess: [{ type: 'SASL_SCRAM_512_AUTH', uri: { $unknown: 'parameter SecretArn' } }],
        }),
      ],
    });
    assert.deepEqual(
      check(m).map((f) => f.resource),
      ['Q'],
    );
  });

  it('honours Metadata ignore, and reports a SAM-generated queue on the resource the author wrote', () => {
    assert.deepEqual(check(model({ queues: [queue('Q', { ignore: ['sqs-short-polling'] })] })), []);
    const findings = check(model({ queues: [queue('FnEventQueue', { generatedBy: 'Fn' })] }));
    assert.equal(findings[0]?.resource, 'Fn');
    assert.match(findings[0]?.message ?? '', /FnEventQueue \(generated from Fn\)/);
  });
});

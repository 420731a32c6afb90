import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arnResourceName, queueRelations, resolve, seconds } from '../../../src/knowhow/rules/relations.js';
import { model, queue, ref } from '../../support/knowhow-model.js';
import { fn, mapping, pipe, rule, sqsMapping, subscription, target } from './rules-builders.js';

describe('queue relations', () => {
  it('reads the names in the ARNs the rules follow', () => {
    assert.deepEqual(arnResourceName('arn:aws:sqs:us-east-1:1:orders'), { service: 'sqs', name: 'orders' });
    assert.deepEqual(arnResourceName('arn:aws:lambda:us-east-1:1:function:worker:live'), {
      service: 'lambda',
      name: 'worker',
    });
    assert.deepEqual(arnResourceName('arn:aws:secretsmanager:us-east-1:1:secret:AmazonMSK_users-AbC123'), {
      service: 'secretsmanager',
      name: 'AmazonMSK_users',
    });
    assert.deepEqual(arnResourceName('arn:aws:firehose:us-east-1:1:deliverystream/archive'), {
      service: 'firehose',
      name: 'archive',
    });
    assert.deepEqual(arnResourceName('arn:aws:kafka:us-east-1:1:cluster/demo/uuid-1'), {
      service: 'kafka',
      name: 'demo',
    });
    assert.equal(arnResourceName('not-an-arn'), undefined);
  });

  it('resolves references, ARNs, names and unknowns, and says what is outside the model', () => {
    const m = model({ queues: [queue('Q', { name: 'orders', arn: 'arn:aws:sqs:us-east-1:1:orders-live' })] });
    assert.equal(resolve(m, ref('Q', 'Arn')).kind, 'entity');
    assert.equal(resolve(m, 'arn:aws:sqs:us-east-1:1:orders-live').kind, 'entity');
    assert.equal(resolve(m, 'arn:aws:sqs:eu-west-1:2:orders').kind, 'entity');
    assert.equal(resolve(m, 'orders').kind, 'entity');
    assert.deepEqual(resolve(m, { $unknown: 'parameter P', param: 'P' }), {
      kind: 'unknown',
      reason: 'parameter P',
      param: 'P',
    });
    assert.deepEqual(resolve(m, ref('Elsewhere')), { kind: 'outside', value: 'Elsewhere' });
    assert.deepEqual(resolve(m, 'arn:aws:sqs:us-east-1:1:other'), {
      kind: 'outside',
      value: 'arn:aws:sqs:us-east-1:1:other',
    });
    assert.deepEqual(resolve(m, undefined), { kind: 'absent' });
  });

  it('maps consumers and dead-letter uses to their queues, and collects what did not resolve', () => {
    const [main, dlq, piped] = [
      queue('Main', { redriveDlq: ref('Dlq', 'Arn') }),
      queue('Dlq'),
      queue('Piped'),
    ];
    const m = model({
      queues: [main, dlq, piped],
      functions: [fn('F')],
      mappings: [sqsMapping('M', 'Main', 'F'), mapping('Unknown', { source: { $unknown: 'Fn::If' } })],
      pipes: [pipe('P', { source: ref('Piped', 'Arn'), dlq: ref('Dlq', 'Arn') })],
      rules: [rule('R', [target('T', ref('F', 'Arn'), { dlq: { $unknown: 'parameter TargetDlq' } })])],
      subscriptions: [subscription('S', { dlq: ref('Dlq', 'Arn') })],
    });
    const relations = queueRelations(m);
    assert.deepEqual(
      relations.lambdaConsumers.get(main)?.map((each) => each.id),
      ['M'],
    );
    assert.deepEqual(
      relations.pipeConsumers.get(piped)?.map((each) => each.id),
      ['P'],
    );
    assert.deepEqual(
      relations.deadLetterUses.get(dlq)?.map((use) => `${use.owner.id}: ${use.how}`),
      ['Main: redrive policy', 'S: redrive policy of the subscription', 'P: dead-letter queue of the pipe'],
    );
    assert.deepEqual(
      relations.unresolvedConsumers.map((each) => each.from.id),
      ['Unknown'],
    );
    assert.deepEqual(
      relations.unresolvedDeadLetters.map((each) => each.from.id),
      ['R'],
    );
  });

  it('reads seconds as numbers or numeric strings, with the AWS default when absent', () => {
    assert.deepEqual(seconds(undefined, 30), { value: 30 });
    assert.deepEqual(seconds(45, 30), { value: 45 });
    assert.deepEqual(seconds('60', 30), { value: 60 });
    assert.deepEqual(seconds({ $unknown: 'parameter T' }, 30), { unknown: 'parameter T' });
    assert.ok('unknown' in seconds(ref('X'), 30));
  });
});

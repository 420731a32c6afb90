import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliveries } from '../../../src/knowhow/rules/deliveries.js';
import { entityArn } from '../../../src/knowhow/rules/policy-arns.js';
import { evaluateGrant } from '../../../src/knowhow/rules/policy-grants.js';
import { arnMatch, wildcardMatch } from '../../../src/knowhow/rules/policy-values.js';
import { model, queue, ref, topic } from '../../support/knowhow-model.js';
import { ACCOUNT_ID, allow, bucket, pipe, policy, rule, subscription } from './rules-policy-builders.js';

describe('policy evaluation helpers', () => {
  it('matches IAM wildcards, case-insensitively for actions', () => {
    assert.ok(wildcardMatch('sqs:Send*', 'sqs:SendMessage'));
    assert.ok(wildcardMatch('SQS:SENDMESSAGE', 'sqs:SendMessage', true));
    assert.ok(!wildcardMatch('SQS:SENDMESSAGE', 'sqs:SendMessage'));
    assert.ok(wildcardMatch('sqs:?endMessage', 'sqs:SendMessage'));
    assert.ok(!wildcardMatch('sqs:Receive*', 'sqs:SendMessage', true));
  });

  it('compares ARNs field by field; the same pseudo parameter on both sides is the same value', () => {
    const inStack = `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:orders`;
    assert.equal(arnMatch(inStack, inStack, false), 'yes');
    assert.equal(arnMatch(`arn:aws:sqs:*:${ACCOUNT_ID}:*`, inStack, true), 'yes');
    assert.equal(arnMatch('arn:aws:sqs:us-east-1:111111111111:orders', inStack, true), 'unknown');
    assert.equal(arnMatch(`arn:aws:sqs:us-east-1:${ACCOUNT_ID}:other`, inStack, true), 'no');
    assert.equal(arnMatch('arn:aws:sqs:*:*:ord*', 'arn:aws:sqs:us-east-1:111111111111:orders', false), 'no');
  });

  it('builds the ARN AWS will give a named queue, topic, bucket or rule, and none for generated names', () => {
    const m = model({
      queues: [queue('Q', { name: 'orders' }), queue('Unnamed')],
      buckets: [bucket('B', [], { name: 'uploads' })],
      rules: [rule('R', [], { name: 'route', bus: 'orders-bus' })],
    });
    assert.equal(
      entityArn(m, m.queues[0]!),
      `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:orders`,
    );
    assert.equal(entityArn(m, m.queues[1]!), undefined);
    assert.equal(entityArn(m, m.buckets[0]!), `arn:\${AWS::Partition}:s3:::uploads`);
    assert.match(entityArn(m, m.rules[0]!) ?? '', /:rule\/orders-bus\/route$/);
  });

  it('needs every action allowed (KMS), and reports the first one missing', () => {
    const m = model();
    const policies = [policy('Key', [allow('sns.amazonaws.com', 'kms:Decrypt', '*')])];
    const verdict = evaluateGrant(m, policies, {
      service: 'sns.amazonaws.com',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      source: { service: 'sns.amazonaws.com' },
    });
    assert.deepEqual(verdict.decision === 'missing' && verdict.action, 'kms:GenerateDataKey');
  });

  it('reads a policy document given as a JSON string, as plans and live resources hold it', () => {
    const document = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: '*',
        },
      ],
    });
    const m = model({ queues: [queue('Q')] });
    const verdict = evaluateGrant(m, [{ document, from: 'Q', origin: { file: 'plan.json' } }], {
      service: 'sns.amazonaws.com',
      actions: ['sqs:SendMessage'],
      destination: { entity: m.queues[0]! },
      source: { service: 'sns.amazonaws.com' },
    });
    assert.equal(verdict.decision, 'allowed');
  });
});

describe('deliveries', () => {
  it('lists every path into a queue or topic, with its service principal, action and kind', () => {
    const m = model({
      queues: [queue('Q'), queue('Dlq'), queue('SubDlq'), queue('PipeDlq')],
      topics: [topic('T')],
      rules: [rule('R', [{ arn: ref('T'), dlq: ref('Dlq', 'Arn') }, { arn: ref('Fn', 'Arn') }])],
      subscriptions: [subscription('S', 'T', ref('Q', 'Arn'), { dlq: ref('SubDlq', 'Arn') })],
      buckets: [
        bucket('B', [
          { kind: 'queue', target: ref('Q', 'Arn') },
          { kind: 'lambda', target: ref('Fn', 'Arn') },
        ]),
      ],
      pipes: [pipe('P', { target: ref('Q', 'Arn'), dlq: ref('PipeDlq', 'Arn') })],
    });
    const summary = deliveries(m).map(
      (d) => `${d.kind} ${d.service} ${d.action} ${d.target?.id} ${d.via} ${d.sender?.id}`,
    );
    assert.deepEqual(summary, [
      'target events.amazonaws.com sns:Publish T resource-policy R',
      'dlq events.amazonaws.com sqs:SendMessage Dlq resource-policy R',
      'target sns.amazonaws.com sqs:SendMessage Q resource-policy T',
      'dlq sns.amazonaws.com sqs:SendMessage SubDlq resource-policy T',
      'target s3.amazonaws.com sqs:SendMessage Q resource-policy B',
      'target pipes.amazonaws.com sqs:SendMessage Q role P',
      'dlq pipes.amazonaws.com sqs:SendMessage PipeDlq role P',
    ]);
  });
});

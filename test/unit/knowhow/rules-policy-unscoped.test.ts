import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Model, Sym } from '../../../src/knowhow/model.js';
import { servicePrincipalUnscopedRule } from '../../../src/knowhow/rules/service-principal-unscoped.js';
import { base, context, model, queue, ref, topic } from '../../support/knowhow-model.js';
import {
  ACCOUNT_ID,
  allow,
  bucket,
  policy,
  role,
  rule,
  sourceArn,
  trustFor,
} from './rules-policy-builders.js';

const check = (m: Model) => servicePrincipalUnscopedRule.check(m, context());

const queueWith = (statement: Sym, fields: Parameters<typeof queue>[1] = {}) =>
  model({
    queues: [
      queue('MySqsQueue', { policies: [policy('EventBridgeToToSqsPolicy', [statement], 27)], ...fields }),
    ],
    rules: [rule('EventRule', [{ arn: ref('MySqsQueue', 'Arn') }])],
  });

describe('service-principal-unscoped: queue, topic and bus policies', () => {
  it('fires on the policy resource for events.amazonaws.com without a source condition (eventbridge-sqs)', () => {
    const findings = check(
      queueWith(allow('events.amazonaws.com', 'SQS:SendMessage', ref('MySqsQueue', 'Arn'))),
    );
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.severity, 'error');
    assert.equal(finding?.resource, 'EventBridgeToToSqsPolicy');
    assert.equal(finding?.line, 27);
    assert.match(finding?.message ?? '', /confused deputy/);
    assert.match(finding?.fix ?? '', /aws:SourceArn/);
    assert.match(finding?.fix ?? '', /EventRule/);
  });

  it('does not fire with aws:SourceArn (CDK), aws:SourceAccount or aws:SourceOrgID', () => {
    const conditions: Sym[] = [
      sourceArn(ref('EventRule', 'Arn')),
      { StringEquals: { 'aws:SourceAccount': ACCOUNT_ID } },
      { StringEquals: { 'aws:SourceOrgID': 'o-abc123' } },
      { ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111111111111:rule/*' } },
      {
        ArnEquals: {
          'aws:SourceArn': `arn:\${AWS::Partition}:events:\${AWS::Region}:${ACCOUNT_ID}:rule/orders`,
        },
      },
    ];
    for (const condition of conditions) {
      const statement = allow('events.amazonaws.com', 'sqs:SendMessage', '*', condition);
      assert.deepEqual(check(queueWith(statement)), [], JSON.stringify(condition));
    }
  });

  it('fires for a literal aws:SourceArn whose account is a wildcard', () => {
    const statement = allow('sns.amazonaws.com', 'sqs:SendMessage', '*', {
      ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:*:alerts' },
    });
    assert.equal(check(queueWith(statement)).length, 1);
  });

  it('for s3.amazonaws.com, fires short of both aws:SourceArn and aws:SourceAccount (v14)', () => {
    const arn = { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::my-bucket' } };
    const account = { StringEquals: { 'aws:SourceAccount': ACCOUNT_ID } };
    const s3 = (condition?: Sym) => allow('s3.amazonaws.com', 'sqs:SendMessage', '*', condition);
    const onlyArn = check(queueWith(s3(arn)));
    assert.equal(onlyArn.length, 1);
    assert.match(onlyArn[0]?.message ?? '', /without aws:SourceAccount: bucket ARNs carry no account/);
    assert.equal(check(queueWith(s3(account))).length, 1);
    assert.equal(check(queueWith(s3())).length, 1);
    assert.deepEqual(check(queueWith(s3({ ...arn, ...account }))), []);
  });

  it('does not concern principals that are not services, nor Deny statements', () => {
    assert.deepEqual(
      check(
        queueWith({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sqs:SendMessage',
          Resource: '*',
          Condition: sourceArn(ref('T')),
        }),
      ),
      [],
    );
    assert.deepEqual(
      check(
        queueWith({
          Effect: 'Deny',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:*',
          Resource: '*',
        }),
      ),
      [],
    );
  });

  it('reads topic and bus policies too', () => {
    const topicModel = model({
      topics: [
        topic('T', {
          policies: [policy('TopicPolicy', [allow('s3.amazonaws.com', 'sns:Publish', ref('T'))])],
        }),
      ],
      buckets: [bucket('B', [{ kind: 'topic', target: ref('T') }])],
    });
    assert.equal(check(topicModel)[0]?.resource, 'TopicPolicy');
    const busModel = model({
      buses: [
        {
          ...base('Bus', 'AWS::Events::EventBus'),
          policies: [policy('BusPolicy', [allow('sns.amazonaws.com', 'events:PutEvents', '*')])],
        },
      ],
    });
    assert.equal(check(busModel).length, 1);
  });

  it('reports a policy shared by several queues once', () => {
    const shared = policy('SnsToSqsPolicy', [allow('sns.amazonaws.com', 'sqs:SendMessage', '*')]);
    const m = model({ queues: ['A', 'B', 'C'].map((id) => queue(id, { policies: [shared] })) });
    const findings = check(m);
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /on A, B, C/);
  });

  it('honours tideway ignore on the queue or on the policy resource (v07)', () => {
    const statement = allow('events.amazonaws.com', 'sqs:SendMessage', '*');
    assert.deepEqual(check(queueWith(statement, { ignore: ['service-principal-unscoped'] })), []);
    const ignoredPolicy = { ...policy('P', [statement]), ignore: ['service-principal-unscoped'] };
    assert.deepEqual(check(model({ queues: [queue('Q', { policies: [ignoredPolicy] })] })), []);
  });
});

describe('service-principal-unscoped: role trust policies', () => {
  it('warns for events.amazonaws.com and pipes.amazonaws.com without a source condition', () => {
    for (const service of ['events.amazonaws.com', 'pipes.amazonaws.com']) {
      const findings = check(model({ roles: [role('TargetRole', trustFor(service))] }));
      assert.equal(findings.length, 1, service);
      assert.equal(findings[0]?.severity, 'warning');
      assert.equal(findings[0]?.resource, 'TargetRole');
      assert.equal(findings[0]?.rule, 'service-principal-unscoped');
    }
  });

  it('does not warn with aws:SourceAccount or aws:SourceArn, nor for other services', () => {
    const scopedTrust = trustFor('pipes.amazonaws.com', {
      StringEquals: { 'aws:SourceAccount': ACCOUNT_ID },
    });
    assert.deepEqual(check(model({ roles: [role('PipeRole', scopedTrust)] })), []);
    assert.deepEqual(check(model({ roles: [role('FnRole', trustFor('lambda.amazonaws.com'))] })), []);
  });
});

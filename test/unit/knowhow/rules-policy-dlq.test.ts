import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Model } from '../../../src/knowhow/model.js';
import { dlqPolicyMissingRule } from '../../../src/knowhow/rules/dlq-policy-missing.js';
import { context, model, queue, ref, topic } from '../../support/knowhow-model.js';
import {
  allow,
  pipe,
  policy,
  role,
  rule,
  sourceArn,
  subscription,
  trustFor,
} from './rules-policy-builders.js';

const check = (m: Model, ctx = context()) => dlqPolicyMissingRule.check(m, ctx);

describe('dlq-policy-missing: EventBridge target dead-letter queues', () => {
  const routeRule = rule('RouteToAppSyncRule', [
    { arn: 'arn:aws:appsync:us-east-1:111111111111:apis/x', dlq: ref('DLQ', 'Arn') },
  ]);

  it('fires on the DLQ when its policy is missing (v03)', () => {
    const findings = check(
      model({ queues: [queue('DLQ', { origin: { file: 'v03.yaml', line: 64 } })], rules: [routeRule] }),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'DLQ');
    assert.equal(findings[0]?.line, 64);
    assert.equal(findings[0]?.severity, 'error');
    assert.match(
      findings[0]?.message ?? '',
      /dead-letter queue of target T0 of EventBridge rule RouteToAppSyncRule/,
    );
    assert.match(findings[0]?.message ?? '', /dropped silently/);
    assert.match(findings[0]?.fix ?? '', /events\.amazonaws\.com/);
  });

  it('does not fire with the base template policy (ArnEquals aws:SourceArn = the rule ARN)', () => {
    const dlq = queue('DLQ', {
      policies: [
        policy('DLQPolicy', [
          allow(
            'events.amazonaws.com',
            'sqs:SendMessage',
            ref('DLQ', 'Arn'),
            sourceArn(ref('RouteToAppSyncRule', 'Arn')),
          ),
        ]),
      ],
    });
    assert.deepEqual(check(model({ queues: [dlq], rules: [routeRule] })), []);
  });

  it('fires when the DLQ policy grants another principal', () => {
    const dlq = queue('DLQ', {
      policies: [policy('DLQPolicy', [allow('sns.amazonaws.com', 'sqs:SendMessage', ref('DLQ', 'Arn'))])],
    });
    assert.equal(check(model({ queues: [dlq], rules: [routeRule] })).length, 1);
  });

  it('reports a DLQ shared by several rules once, with every rule as a source in the fix', () => {
    const rules = ['Red', 'Green', 'Blue'].map((name) =>
      rule(`EventRule${name}`, [{ arn: ref(`${name}Topic`), dlq: ref('ReserveDLQueue', 'Arn') }]),
    );
    const topics = ['Red', 'Green', 'Blue'].map((name) => topic(`${name}Topic`));
    const findings = check(model({ queues: [queue('ReserveDLQueue')], topics, rules }));
    assert.equal(findings.length, 1);
    assert.match(
      findings[0]?.message ?? '',
      /EventRuleRed, target T0 of EventBridge rule EventRuleGreen and target T0/,
    );
    assert.match(
      findings[0]?.fix ?? '',
      /"aws:SourceArn":\["<ARN of EventRuleRed>","<ARN of EventRuleGreen>","<ARN of EventRuleBlue>"\]/,
    );
  });

  it('leaves rule targets to target-policy-missing', () => {
    const targetOnly = rule('R', [{ arn: ref('Q', 'Arn') }]);
    assert.deepEqual(check(model({ queues: [queue('Q')], rules: [targetOnly] })), []);
  });
});

describe('dlq-policy-missing: SNS subscription dead-letter queues', () => {
  const topics = [topic('MetricsSnsTopic')];
  const sub = subscription('MetricsQueueSubscription', 'MetricsSnsTopic', ref('AllMetricsSqsQueue', 'Arn'), {
    dlq: ref('MetricsSqsDLQueue', 'Arn'),
  });
  const snsPolicy = policy('SnsToSqsPolicy', [
    allow('sns.amazonaws.com', ['sqs:SendMessage'], '*', sourceArn(ref('MetricsSnsTopic'))),
  ]);

  it('fires when the subscription DLQ is not in the queue policy (v17)', () => {
    const m = model({
      topics,
      queues: [queue('AllMetricsSqsQueue', { policies: [snsPolicy] }), queue('MetricsSqsDLQueue')],
      subscriptions: [sub],
    });
    const findings = check(m);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'MetricsSqsDLQueue');
    assert.match(findings[0]?.message ?? '', /SNS subscription MetricsQueueSubscription/);
    assert.match(findings[0]?.fix ?? '', /sns\.amazonaws\.com/);
  });

  it('does not fire when the policy covers the DLQ with the topic as aws:SourceArn (v18)', () => {
    const m = model({
      topics,
      queues: [
        queue('AllMetricsSqsQueue', { policies: [snsPolicy] }),
        queue('MetricsSqsDLQueue', { policies: [snsPolicy] }),
      ],
      subscriptions: [sub],
    });
    assert.deepEqual(check(m), []);
  });

  it('checks the DLQ of subscriptions of any protocol', () => {
    const lambdaSub = subscription('FnSub', 'MetricsSnsTopic', ref('Fn', 'Arn'), {
      protocol: 'lambda',
      dlq: ref('D', 'Arn'),
    });
    assert.equal(check(model({ topics, queues: [queue('D')], subscriptions: [lambdaSub] })).length, 1);
  });

  it('honours tideway ignore on the DLQ', () => {
    const m = model({
      topics,
      queues: [queue('MetricsSqsDLQueue', { ignore: ['dlq-policy-missing'] })],
      subscriptions: [sub],
    });
    assert.deepEqual(check(m), []);
  });
});

describe('dlq-policy-missing: Pipes write with their execution role', () => {
  const pipeTrust = trustFor('pipes.amazonaws.com');
  const build = (statements: object[] | undefined, dlq = ref('PipeDLQ', 'Arn')) =>
    model({
      queues: [queue('PipeDLQ'), queue('Source')],
      topics: [topic('AlertTopic')],
      pipes: [pipe('MyPipe', { source: ref('Source', 'Arn'), dlq })],
      roles: statements ? [role('PipeRole', pipeTrust, [policy('PipeRolePolicy', statements as never)])] : [],
    });

  it('does not fire when the role allows sqs:SendMessage on the DLQ, whatever the queue policy', () => {
    assert.deepEqual(
      check(build([{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: ref('PipeDLQ', 'Arn') }])),
      [],
    );
  });

  it('fires on the role when its policies do not allow sending to the DLQ', () => {
    const findings = check(
      build([{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: ref('Source', 'Arn') }]),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'PipeRole');
    assert.match(findings[0]?.message ?? '', /execution role PipeRole/);
    assert.match(findings[0]?.fix ?? '', /"Action":"sqs:SendMessage"/);
  });

  it('asks for sns:Publish when the DLQ is a topic', () => {
    const findings = check(
      build([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }], ref('AlertTopic')),
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /sns:Publish/);
  });

  it('explains when the role is not in the model', () => {
    const ctx = context();
    assert.deepEqual(check(build(undefined), ctx), []);
    assert.match(ctx.notes[0]?.message ?? '', /execution role/);
  });
});

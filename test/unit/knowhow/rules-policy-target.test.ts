import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sym } from '../../../src/knowhow/model.js';
import { targetPolicyMissingRule } from '../../../src/knowhow/rules/target-policy-missing.js';
import { context, model, queue, ref, topic } from '../../support/knowhow-model.js';
import { ACCOUNT_ID, allow, bucket, policy, rule, sourceArn, subscription } from './rules-policy-builders.js';

const check = (m: ReturnType<typeof model>, ctx = context()) => targetPolicyMissingRule.check(m, ctx);

describe('target-policy-missing: EventBridge rule → SQS', () => {
  const eventRule = rule('EventRule', [{ arn: ref('MySqsQueue', 'Arn') }]);

  it('fires on the queue when it has no policy (v06: the QueuePolicy removed)', () => {
    const findings = check(
      model({ queues: [queue('MySqsQueue', { origin: { file: 't.yaml', line: 8 } })], rules: [eventRule] }),
    );
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.rule, 'target-policy-missing');
    assert.equal(finding?.severity, 'error');
    assert.equal(finding?.resource, 'MySqsQueue');
    assert.equal(finding?.file, 't.yaml');
    assert.equal(finding?.line, 8);
    assert.match(finding?.message ?? '', /EventRule/);
    assert.match(finding?.message ?? '', /events\.amazonaws\.com to sqs:SendMessage/);
    assert.match(finding?.fix ?? '', /"Principal":\{"Service":"events.amazonaws.com"\}/);
    assert.match(finding?.fix ?? '', /"aws:SourceArn"/);
  });

  it('does not fire on the serverless-patterns policy (SQS:SendMessage, upper-case service prefix)', () => {
    const q = queue('MySqsQueue', {
      policies: [
        policy('EventBridgeToToSqsPolicy', [
          allow('events.amazonaws.com', 'SQS:SendMessage', ref('MySqsQueue', 'Arn')),
        ]),
      ],
    });
    assert.deepEqual(check(model({ queues: [q], rules: [eventRule] })), []);
  });

  it("does not fire on CDK's shape: ArnEquals aws:SourceArn = the rule's ARN, with the HttpsOnly Deny", () => {
    const q = queue('MySqsQueue', {
      policies: [
        policy('QueuePolicy', [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'SQS:*',
            Resource: ref('MySqsQueue', 'Arn'),
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          allow(
            'events.amazonaws.com',
            'sqs:SendMessage',
            ref('MySqsQueue', 'Arn'),
            sourceArn(ref('EventRule', 'Arn')),
          ),
        ]),
      ],
    });
    assert.deepEqual(check(model({ queues: [q], rules: [eventRule] })), []);
  });

  it('fires when aws:SourceArn names another rule of the model', () => {
    const other = rule('OtherRule', []);
    const q = queue('MySqsQueue', {
      policies: [
        policy('QueuePolicy', [
          allow('events.amazonaws.com', 'sqs:SendMessage', '*', sourceArn(ref('OtherRule', 'Arn'))),
        ]),
      ],
    });
    const findings = check(model({ queues: [q], rules: [eventRule, other] }));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /does not match its Condition/);
  });

  it('fires when an explicit Deny covers the service, even with an Allow', () => {
    const q = queue('MySqsQueue', {
      policies: [
        policy('QueuePolicy', [
          allow('events.amazonaws.com', 'sqs:*', '*'),
          { Effect: 'Deny', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' },
        ]),
      ],
    });
    const findings = check(model({ queues: [q], rules: [eventRule] }));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /denies/);
  });

  it('accepts wildcards and anyone: Principal "*", {"AWS":"*"}, Action "*" and NotAction', () => {
    const statements: Sym[] = [
      { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: ref('MySqsQueue', 'Arn') },
      {
        Effect: 'Allow',
        Principal: { Service: ['sns.amazonaws.com', 'events.amazonaws.com'] },
        Action: 'sqs:Send*',
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        NotAction: 'sqs:ReceiveMessage',
        Resource: '*',
      },
    ];
    for (const statement of statements) {
      const q = queue('MySqsQueue', { policies: [policy('QueuePolicy', [statement])] });
      assert.deepEqual(check(model({ queues: [q], rules: [eventRule] })), [], JSON.stringify(statement));
    }
  });

  it('fires when the Resource names another queue', () => {
    const q = queue('MySqsQueue', {
      policies: [
        policy('QueuePolicy', [allow('events.amazonaws.com', 'sqs:SendMessage', ref('OtherQueue', 'Arn'))]),
      ],
    });
    const findings = check(model({ queues: [q, queue('OtherQueue')], rules: [eventRule] }));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /Resource/);
  });

  it('makes no finding for a target that names a RoleArn, and explains why', () => {
    const withRole = rule('EventRule', [
      { arn: ref('MySqsQueue', 'Arn'), roleArn: ref('TargetRole', 'Arn') },
    ]);
    const ctx = context();
    assert.deepEqual(check(model({ queues: [queue('MySqsQueue')], rules: [withRole] }), ctx), []);
    assert.match(ctx.notes.map((note) => note.message).join('\n'), /RoleArn/);
  });

  it('makes no finding for a destination outside the model or a policy it cannot see, and explains', () => {
    const outside = rule('EventRule', [{ arn: 'arn:aws:sqs:us-east-1:111111111111:elsewhere' }]);
    const ctx = context();
    assert.deepEqual(check(model({ rules: [outside] }), ctx), []);
    assert.match(ctx.notes[0]?.message ?? '', /not declared in the model/);

    const unknownPolicy = queue('MySqsQueue', {
      policyUnknown: 'a QueuePolicy lists queues from a parameter',
    });
    const ctx2 = context();
    assert.deepEqual(check(model({ queues: [unknownPolicy], rules: [eventRule] }), ctx2), []);
    assert.match(ctx2.notes[0]?.message ?? '', /parameter/);
  });

  it('counts a statement with an unknown principal or condition value as allowing, and explains', () => {
    for (const statement of [
      {
        Effect: 'Allow',
        Principal: { $unknown: 'parameter', param: 'Principal' },
        Action: 'sqs:SendMessage',
        Resource: '*',
      },
      allow(
        'events.amazonaws.com',
        'sqs:SendMessage',
        '*',
        sourceArn({ $unknown: 'import', param: 'RuleArn' }),
      ),
    ]) {
      const ctx = context();
      const q = queue('MySqsQueue', { policies: [policy('QueuePolicy', [statement])] });
      assert.deepEqual(check(model({ queues: [q], rules: [eventRule] }), ctx), []);
      assert.match(ctx.notes[0]?.message ?? '', /may allow it/);
    }
  });

  it('honours tideway ignore on the queue, and points at the SAM resource that generated it', () => {
    const ignored = queue('MySqsQueue', { ignore: ['target-policy-missing'] });
    const ctx = context();
    assert.deepEqual(check(model({ queues: [ignored], rules: [eventRule] }), ctx), []);
    assert.equal(
      ctx.notes[0]?.message,
      'target-policy-missing suppressed by Metadata tideway ignore on MySqsQueue',
    );
    const generated = queue('MyFunctionQueue', { generatedBy: 'MyFunction' });
    const findings = check(
      model({ queues: [generated], rules: [rule('R', [{ arn: ref('MyFunctionQueue', 'Arn') }])] }),
    );
    assert.equal(findings[0]?.resource, 'MyFunction');
  });
});

describe('target-policy-missing: live ARNs (doctor)', () => {
  const account = '111111111111';
  const queueArn = `arn:aws:sqs:us-east-1:${account}:orders`;
  const ruleArn = `arn:aws:events:us-east-1:${account}:rule/orders`;
  const live = (statement: object) =>
    model(
      {
        queues: [queue(queueArn, { arn: queueArn, policies: [policy(queueArn, [statement as never])] })],
        rules: [rule(ruleArn, [{ arn: queueArn }], { arn: ruleArn })],
      },
      'live',
    );

  it('matches aws:SourceAccount against the rule account', () => {
    const condition = (value: string) => ({ StringEquals: { 'aws:SourceAccount': value } });
    assert.deepEqual(
      check(live(allow('events.amazonaws.com', 'sqs:SendMessage', queueArn, condition(account)) as object)),
      [],
    );
    assert.equal(
      check(
        live(allow('events.amazonaws.com', 'sqs:SendMessage', queueArn, condition('222222222222')) as object),
      ).length,
      1,
    );
  });

  it('matches ArnLike wildcards in aws:SourceArn and in Resource', () => {
    const like = { ArnLike: { 'aws:SourceArn': `arn:aws:events:*:${account}:rule/*` } };
    assert.deepEqual(
      check(
        live(allow('events.amazonaws.com', 'sqs:SendMessage', `arn:aws:sqs:*:${account}:*`, like) as object),
      ),
      [],
    );
    const otherRule = { ArnEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:${account}:rule/other` } };
    assert.equal(
      check(live(allow('events.amazonaws.com', 'sqs:SendMessage', queueArn, otherRule) as object)).length,
      1,
    );
    assert.equal(
      check(
        live(
          allow(
            'events.amazonaws.com',
            'sqs:SendMessage',
            `arn:aws:sqs:us-east-1:${account}:other`,
          ) as object,
        ),
      ).length,
      1,
    );
  });
});

describe('target-policy-missing: SNS subscriptions and S3 notifications', () => {
  const snsPolicy = (condition?: object) =>
    policy('SnsToSqsPolicy', [
      allow('sns.amazonaws.com', 'SQS:SendMessage', ref('MySqsQueue', 'Arn'), condition as never),
    ]);
  const sub = subscription('MySubscription', 'MySnsTopic', ref('MySqsQueue', 'Arn'));

  it('fires for an sqs subscription without a queue policy (v19) and not with one (sns-sqs)', () => {
    const findings = check(
      model({ queues: [queue('MySqsQueue')], topics: [topic('MySnsTopic')], subscriptions: [sub] }),
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /MySubscription/);
    assert.match(findings[0]?.message ?? '', /sns\.amazonaws\.com to sqs:SendMessage/);
    const withPolicy = queue('MySqsQueue', {
      policies: [snsPolicy({ ArnEquals: { 'aws:SourceArn': ref('MySnsTopic') } })],
    });
    assert.deepEqual(
      check(model({ queues: [withPolicy], topics: [topic('MySnsTopic')], subscriptions: [sub] })),
      [],
    );
  });

  it('does not fire for subscriptions of other protocols', () => {
    const lambda = subscription('Fn', 'MySnsTopic', ref('Function', 'Arn'), { protocol: 'lambda' });
    assert.deepEqual(check(model({ topics: [topic('MySnsTopic')], subscriptions: [lambda] })), []);
  });

  it('fires when the S3 statement grants ReceiveMessage instead of SendMessage (v12)', () => {
    const statement = (action: string) =>
      allow('s3.amazonaws.com', [action], ref('ResizerQueue', 'Arn'), {
        ArnLike: { 'aws:SourceArn': { $unknown: 'Fn::Join with a parameter', param: 'SourceBucketName' } },
        StringEquals: { 'aws:SourceAccount': ACCOUNT_ID },
      });
    const build = (action: string) =>
      model({
        queues: [queue('ResizerQueue', { policies: [policy('QueuePolicy', [statement(action)])] })],
        buckets: [bucket('SourceBucket', [{ kind: 'queue', target: ref('ResizerQueue', 'Arn') }])],
      });
    const findings = check(build('sqs:ReceiveMessage'));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /S3 notification of bucket SourceBucket/);
    assert.match(findings[0]?.fix ?? '', /aws:SourceAccount/);
    assert.deepEqual(check(build('sqs:SendMessage')), []);
  });

  it('fires when a topic policy grants events.amazonaws.com instead of s3.amazonaws.com (v11)', () => {
    const build = (service: string) =>
      model({
        topics: [
          topic('SNSTopic', {
            policies: [policy('SNSTopicPolicy', [allow(service, 'sns:Publish', ref('SNSTopic'))])],
          }),
        ],
        buckets: [bucket('SourceBucket', [{ kind: 'topic', target: ref('SNSTopic') }])],
      });
    const findings = check(build('events.amazonaws.com'));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'SNSTopic');
    assert.match(findings[0]?.message ?? '', /s3\.amazonaws\.com to sns:Publish/);
    assert.deepEqual(check(build('s3.amazonaws.com')), []);
  });
});

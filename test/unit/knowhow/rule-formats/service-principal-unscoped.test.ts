import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policyDocument, queueAllowing, queuePolicy } from './policy-plans.js';
import {
  CDK_FILE,
  json,
  lineOf,
  lintCdkOut,
  lintIgnoring,
  lintPlan,
  lintPlanIgnoring,
  lintTemplate,
  queuePolicyYaml,
  samFunction,
  suppressedBy,
  type TfResource,
  tfPlan,
} from './support.js';

const RULE = 'service-principal-unscoped';

const YAML = `Resources:
  Queue:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
${queuePolicyYaml('Open', 'Queue', 'sns.amazonaws.com')}  BucketOnly:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Topic]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: s3.amazonaws.com }
            Action: sns:Publish
            Resource: !Ref Topic
            Condition: { ArnLike: { aws:SourceArn: 'arn:aws:s3:::uploads' } }
  RuleRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: events.amazonaws.com }
            Action: sts:AssumeRole
  FunctionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
`;

/** CDK's EventBridge → SQS target: the policy names the rule in aws:SourceArn. */
const CDK_TEMPLATE = {
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue' },
    QueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        PolicyDocument: {
          Statement: [
            {
              Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['Rule', 'Arn'] } } },
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] },
            },
          ],
          Version: '2012-10-17',
        },
        Queues: [{ Ref: 'Queue' }],
      },
    },
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [{ Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Id: 'Target0' }],
      },
    },
  },
};

function unscoped(): typeof CDK_TEMPLATE {
  const copy = structuredClone(CDK_TEMPLATE);
  delete (copy.Resources.QueuePolicy.Properties.PolicyDocument.Statement[0] as { Condition?: unknown })
    .Condition;
  return copy;
}

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: no condition, and S3 with SourceArn only, are errors; an events trust is a warning', async () => {
    const result = await lintTemplate('p.yaml', YAML);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'error', 'Open', 'p.yaml', lineOf(YAML, 'Open')],
      [RULE, 'error', 'BucketOnly', 'p.yaml', lineOf(YAML, 'BucketOnly')],
      [RULE, 'warning', 'RuleRole', 'p.yaml', lineOf(YAML, 'RuleRole')],
    ]);
  });

  it('CloudFormation YAML: SourceAccount, SourceArn with SourceAccount for S3, and a scoped trust pass', async () => {
    const scoped = YAML.replace(
      '            Resource: !GetAtt Queue.Arn\n',
      '            Resource: !GetAtt Queue.Arn\n            Condition: { StringEquals: { aws:SourceAccount: !Ref AWS::AccountId } }\n',
    )
      .replace(
        "Condition: { ArnLike: { aws:SourceArn: 'arn:aws:s3:::uploads' } }",
        "Condition: { ArnLike: { aws:SourceArn: 'arn:aws:s3:::uploads' }, StringEquals: { aws:SourceAccount: '123456789012' } }",
      )
      .replace(
        '            Principal: { Service: events.amazonaws.com }\n            Action: sts:AssumeRole\n',
        '            Principal: { Service: events.amazonaws.com }\n            Action: sts:AssumeRole\n            Condition: { StringEquals: { aws:SourceAccount: !Ref AWS::AccountId } }\n',
      );
    assert.deepEqual((await lintTemplate('p.yaml', scoped)).rows(RULE), []);
  });

  it('CloudFormation JSON and cdk.out: CDK’s SourceArn scoping passes; without it the policy fires', async () => {
    assert.deepEqual((await lintTemplate('p.json', json(CDK_TEMPLATE))).rows(RULE), []);
    assert.deepEqual((await lintCdkOut(CDK_TEMPLATE)).rows(RULE), []);
    const open = unscoped();
    const text = json(open);
    assert.deepEqual((await lintTemplate('p.json', text)).rows(RULE), [
      [RULE, 'error', 'QueuePolicy', 'p.json', lineOf(text, 'QueuePolicy')],
    ]);
    assert.deepEqual((await lintCdkOut(open)).rows(RULE), [
      [RULE, 'error', 'QueuePolicy', CDK_FILE, lineOf(text, 'QueuePolicy')],
    ]);
  });

  it('SAM: the policy SAM writes for SqsSubscription is scoped to the topic', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Topic:
    Type: AWS::SNS::Topic
${samFunction('Fn')}      Events:
        Note:
          Type: SNS
          Properties:
            Topic: !Ref Topic
            SqsSubscription: true
`;
    assert.deepEqual((await lintTemplate('sam.yaml', text)).rows(RULE), []);
  });

  const plan: TfResource[] = [
    { address: 'aws_sqs_queue.orders', values: { name: 'orders' } },
    policyDocument('orders', [
      { service: 'sns.amazonaws.com', action: 'sqs:SendMessage', resource: 'aws_sqs_queue.orders.arn' },
    ]),
    queuePolicy('orders', 'orders'),
    {
      address: 'aws_sqs_queue.audit',
      values: {
        name: 'audit',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: '*',
            },
          ],
        }),
      },
    },
    {
      address: 'aws_iam_role.pipe',
      values: {
        name: 'pipe',
        assume_role_policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'pipes.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      },
    },
  ];

  it('Terraform plan: an aws_sqs_queue_policy, an inline aws_sqs_queue.policy and a pipes trust', async () => {
    assert.deepEqual((await lintPlan(tfPlan(plan))).rows(RULE), [
      [RULE, 'warning', 'aws_iam_role.pipe', 'plan.json'],
      [RULE, 'error', 'aws_sqs_queue.audit', 'plan.json'],
      [RULE, 'error', 'aws_sqs_queue_policy.orders', 'plan.json'],
    ]);
  });

  it('Terraform plan: a SourceArn condition on the document passes', async () => {
    const scoped = plan
      .slice(0, 1)
      .concat(
        { address: 'aws_sns_topic.orders', values: { name: 'orders' } },
        ...queueAllowing('orders', 'sns.amazonaws.com', 'aws_sns_topic.orders.arn'),
      );
    assert.deepEqual((await lintPlan(tfPlan(scoped))).rows(RULE), []);
  });

  it('suppression and --disable', async () => {
    const ignored = await lintIgnoring('p.json', unscoped(), 'QueuePolicy', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['QueuePolicy']);
    const planIgnored = await lintPlanIgnoring(plan, 'aws_sqs_queue.audit', RULE);
    assert.deepEqual(planIgnored.rows(RULE).length, 2);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_sqs_queue.audit']);
    assert.deepEqual((await lintTemplate('p.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});

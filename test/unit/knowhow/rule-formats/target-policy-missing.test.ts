import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueAllowing } from './policy-plans.js';
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
  tfRef,
} from './support.js';

const RULE = 'target-policy-missing';

/** EventBridge → SQS and S3 → SNS, neither destination with a policy. */
const YAML = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Orders:
    Type: AWS::SQS::Queue
  OrdersRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [orders] }
      Targets:
        - Id: Queue
          Arn: !GetAtt Orders.Arn
  Uploads:
    Type: AWS::SNS::Topic
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        TopicConfigurations:
          - Event: s3:ObjectCreated:*
            Topic: !Ref Uploads
`;

const POLICIES = `${queuePolicyYaml('OrdersPolicy', 'Orders', 'events.amazonaws.com', '!GetAtt OrdersRule.Arn')}  UploadsPolicy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Uploads]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: s3.amazonaws.com }
            Action: sns:Publish
            Resource: !Ref Uploads
            Condition:
              ArnLike: { aws:SourceArn: !Sub 'arn:\${AWS::Partition}:s3:::\${Bucket}' }
              StringEquals: { aws:SourceAccount: !Ref AWS::AccountId }
`;

/** CDK's SNS → SQS subscription, as \`topic.addSubscription(new SqsSubscription(queue))\` writes it. */
const CDK_TEMPLATE = {
  Resources: {
    Topic: { Type: 'AWS::SNS::Topic' },
    Queue: { Type: 'AWS::SQS::Queue', UpdateReplacePolicy: 'Delete', DeletionPolicy: 'Delete' },
    QueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        PolicyDocument: {
          Statement: [
            {
              Action: 'sqs:SendMessage',
              Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'Topic' } } },
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] },
            },
          ],
          Version: '2012-10-17',
        },
        Queues: [{ Ref: 'Queue' }],
      },
    },
    QueueSubscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        Protocol: 'sqs',
        TopicArn: { Ref: 'Topic' },
        Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      },
      DependsOn: ['QueuePolicy'],
    },
  },
};

function withoutPolicy(): typeof CDK_TEMPLATE {
  const copy = structuredClone(CDK_TEMPLATE) as { Resources: Record<string, unknown> };
  delete copy.Resources.QueuePolicy;
  delete (copy.Resources.QueueSubscription as { DependsOn?: unknown }).DependsOn;
  return copy as typeof CDK_TEMPLATE;
}

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: the queue of a rule target and the topic of an S3 notification', async () => {
    const result = await lintTemplate('t.yaml', YAML);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'error', 'Orders', 't.yaml', lineOf(YAML, 'Orders')],
      [RULE, 'error', 'Uploads', 't.yaml', lineOf(YAML, 'Uploads')],
    ]);
  });

  it('CloudFormation YAML: policies that allow each service (scoped) raise nothing', async () => {
    const result = await lintTemplate('t.yaml', YAML + POLICIES);
    assert.deepEqual(result.rows(RULE), []);
    assert.deepEqual(result.rows('service-principal-unscoped'), []);
  });

  it('CloudFormation JSON: an SNS subscription to a queue without a policy', async () => {
    const text = json(withoutPolicy());
    const result = await lintTemplate('t.json', text);
    assert.deepEqual(result.rows(RULE), [[RULE, 'error', 'Queue', 't.json', lineOf(text, 'Queue')]]);
  });

  it('SAM: an SNS event with SqsSubscription gets the queue policy SAM writes', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Topic:
    Type: AWS::SNS::Topic
${samFunction('Fn')}      Events:
        Fresh:
          Type: SNS
          Properties:
            Topic: !Ref Topic
            SqsSubscription: true
        Given:
          Type: SNS
          Properties:
            Topic: !Ref Topic
            SqsSubscription:
              QueueArn: !GetAtt Buffer.Arn
              QueueUrl: !Ref Buffer
  Buffer:
    Type: AWS::SQS::Queue
`;
    assert.deepEqual((await lintTemplate('sam.yaml', text)).rows(RULE), []);
  });

  it("cdk.out: CDK's SNS → SQS subscription raises nothing; without its QueuePolicy it fires", async () => {
    assert.deepEqual((await lintCdkOut(CDK_TEMPLATE)).rows(RULE), []);
    const bare = withoutPolicy();
    const result = await lintCdkOut(bare);
    assert.deepEqual(result.rows(RULE), [[RULE, 'error', 'Queue', CDK_FILE, lineOf(json(bare), 'Queue')]]);
  });

  const plan: TfResource[] = [
    { address: 'aws_sns_topic.orders', values: { name: 'orders' } },
    { address: 'aws_sqs_queue.orders', values: { name: 'orders' } },
    {
      address: 'aws_sns_topic_subscription.orders',
      values: {
        topic_arn: tfRef('aws_sns_topic.orders.arn'),
        protocol: 'sqs',
        endpoint: tfRef('aws_sqs_queue.orders.arn'),
      },
    },
  ];
  const allowed = [...plan, ...queueAllowing('orders', 'sns.amazonaws.com', 'aws_sns_topic.orders.arn')];

  it('Terraform plan: a subscription to a queue without a policy fires, with no line', async () => {
    assert.deepEqual((await lintPlan(tfPlan(plan))).rows(RULE), [
      [RULE, 'error', 'aws_sqs_queue.orders', 'plan.json'],
    ]);
  });

  it('Terraform plan: an aws_sqs_queue_policy from a deferred policy document allows it', async () => {
    assert.deepEqual((await lintPlan(tfPlan(allowed))).rows(RULE), []);
  });

  it('Terraform plan: a policy for another service still fires', async () => {
    const wrong = [...plan, ...queueAllowing('orders', 'events.amazonaws.com', 'aws_sns_topic.orders.arn')];
    assert.deepEqual((await lintPlan(tfPlan(wrong))).rows(RULE), [
      [RULE, 'error', 'aws_sqs_queue.orders', 'plan.json'],
    ]);
  });

  it('Terraform plan: an inline policy known only after apply is explained, not reported', async () => {
    const unknown = plan.map((resource) =>
      resource.address === 'aws_sqs_queue.orders'
        ? { ...resource, values: { ...resource.values, policy: tfRef('aws_sns_topic.orders.arn') } }
        : resource,
    );
    const result = await lintPlan(tfPlan(unknown));
    assert.deepEqual(result.rows(RULE), []);
    assert.ok(result.notes.some((note) => /policy of aws_sqs_queue\.orders/.test(note.message)));
  });

  it('Terraform plan: an EventBridge target on a topic and an S3 notification to a queue fire', async () => {
    const deliveries: TfResource[] = [
      { address: 'aws_sns_topic.alerts', values: { name: 'alerts' } },
      { address: 'aws_sqs_queue.uploads', values: { name: 'uploads' } },
      {
        address: 'aws_cloudwatch_event_rule.hourly',
        values: { name: 'hourly', schedule_expression: 'rate(1 hour)' },
      },
      {
        address: 'aws_cloudwatch_event_target.alerts',
        values: {
          rule: tfRef('aws_cloudwatch_event_rule.hourly.name'),
          arn: tfRef('aws_sns_topic.alerts.arn'),
        },
      },
      { address: 'aws_s3_bucket.uploads', values: { bucket: 'uploads-123456789012' } },
      {
        address: 'aws_s3_bucket_notification.uploads',
        values: {
          bucket: tfRef('aws_s3_bucket.uploads.id'),
          queue: [{ queue_arn: tfRef('aws_sqs_queue.uploads.arn'), events: ['s3:ObjectCreated:*'] }],
        },
      },
    ];
    assert.deepEqual((await lintPlan(tfPlan(deliveries))).rows(RULE), [
      [RULE, 'error', 'aws_sns_topic.alerts', 'plan.json'],
      [RULE, 'error', 'aws_sqs_queue.uploads', 'plan.json'],
    ]);
  });

  it('Terraform plan: an inline policy naming the topic by a literal ARN is explained, not reported', async () => {
    const literal = plan.map((resource) =>
      resource.address === 'aws_sqs_queue.orders'
        ? {
            ...resource,
            values: {
              ...resource.values,
              policy: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 'sns.amazonaws.com' },
                    Action: 'sqs:SendMessage',
                    Resource: 'arn:aws:sqs:us-east-1:123456789012:orders',
                    Condition: {
                      ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:orders' },
                    },
                  },
                ],
              }),
            },
          }
        : resource,
    );
    const result = await lintPlan(tfPlan(literal));
    assert.deepEqual(result.rows(RULE), []);
    assert.ok(
      result.notes.some((note) => note.resource === 'aws_sqs_queue.orders' && note.message.startsWith(RULE)),
    );
  });

  it('suppression and --disable', async () => {
    const ignored = await lintIgnoring('t.json', withoutPolicy(), 'Queue', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['Queue']);
    const planIgnored = await lintPlanIgnoring(plan, 'aws_sqs_queue.orders', RULE);
    assert.deepEqual(planIgnored.rows(RULE), []);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_sqs_queue.orders']);
    assert.deepEqual((await lintTemplate('t.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});

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
  samFunction,
  suppressedBy,
  type TfResource,
  tfPlan,
  tfRef,
} from './support.js';

const RULE = 'aws-managed-key-blocks-delivery';

/** SNS → a queue under alias/aws/sqs, EventBridge → a topic under alias/aws/sns, SNS → a queue under a key with the default policy. */
const YAML = `Resources:
  Topic:
    Type: AWS::SNS::Topic
  Managed:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: alias/aws/sqs
  DefaultKey:
    Type: AWS::KMS::Key
  Keyed:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !Ref DefaultKey
  QueuesPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Managed, !Ref Keyed]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: sns.amazonaws.com }
            Action: sqs:SendMessage
            Resource: [!GetAtt Managed.Arn, !GetAtt Keyed.Arn]
            Condition: { ArnEquals: { aws:SourceArn: !Ref Topic } }
  ToManaged:
    Type: AWS::SNS::Subscription
    Properties: { TopicArn: !Ref Topic, Protocol: sqs, Endpoint: !GetAtt Managed.Arn }
  ToKeyed:
    Type: AWS::SNS::Subscription
    Properties: { TopicArn: !Ref Topic, Protocol: sqs, Endpoint: !GetAtt Keyed.Arn }
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: alias/aws/sns
  AlertsPolicy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Alerts]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: events.amazonaws.com }
            Action: sns:Publish
            Resource: !Ref Alerts
            Condition: { StringEquals: { aws:SourceAccount: !Ref AWS::AccountId } }
  AlertsRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [alarms] }
      Targets:
        - Id: Topic
          Arn: !Ref Alerts
`;

const KEY_POLICY = `    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub 'arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root' }
            Action: kms:*
            Resource: '*'
          - Effect: Allow
            Principal: { Service: sns.amazonaws.com }
            Action: [kms:GenerateDataKey*, kms:Decrypt]
            Resource: '*'
`;

/** S3 → SQS under alias/aws/sqs, with the queue policy S3 needs. */
const JSON_TEMPLATE = {
  Resources: {
    Inbox: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/aws/sqs' } },
    InboxPolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'Inbox' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': ['Inbox', 'Arn'] },
              Condition: {
                ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::uploads-123456789012' },
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              },
            },
          ],
        },
      },
    },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      DependsOn: ['InboxPolicy'],
      Properties: {
        BucketName: 'uploads-123456789012',
        NotificationConfiguration: {
          QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: { 'Fn::GetAtt': ['Inbox', 'Arn'] } }],
        },
      },
    },
  },
};

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: AWS-managed keys on both destinations, and a key with the default policy', async () => {
    const result = await lintTemplate('k.yaml', YAML);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'error', 'Managed', 'k.yaml', lineOf(YAML, 'Managed')],
      [RULE, 'error', 'DefaultKey', 'k.yaml', lineOf(YAML, 'DefaultKey')],
      [RULE, 'error', 'Alerts', 'k.yaml', lineOf(YAML, 'Alerts')],
    ]);
  });

  it('CloudFormation YAML: a customer key whose policy lets SNS use it passes', async () => {
    const text = YAML.replace(
      '  DefaultKey:\n    Type: AWS::KMS::Key\n',
      `  DefaultKey:\n    Type: AWS::KMS::Key\n${KEY_POLICY}`,
    );
    const rows = (await lintTemplate('k.yaml', text)).rows(RULE).map((row) => row[2]);
    assert.deepEqual(rows, ['Managed', 'Alerts']);
  });

  it('CloudFormation JSON: an S3 notification to a queue under alias/aws/sqs', async () => {
    const text = json(JSON_TEMPLATE);
    assert.deepEqual((await lintTemplate('k.json', text)).rows(RULE), [
      [RULE, 'error', 'Inbox', 'k.json', lineOf(text, 'Inbox')],
    ]);
    const fixed = structuredClone(JSON_TEMPLATE) as { Resources: { Inbox: { Properties: object } } };
    fixed.Resources.Inbox.Properties = {};
    assert.deepEqual((await lintTemplate('k.json', json(fixed))).rows(RULE), []);
  });

  it('SAM: an SNS event whose SqsSubscription names a queue under alias/aws/sqs', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Topic:
    Type: AWS::SNS::Topic
  Buffer:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: alias/aws/sqs
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
`;
    assert.deepEqual((await lintTemplate('sam.yaml', text)).rows(RULE), [
      [RULE, 'error', 'Buffer', 'sam.yaml', lineOf(text, 'Buffer')],
    ]);
  });

  it('cdk.out: the same as the JSON template', async () => {
    assert.deepEqual((await lintCdkOut(JSON_TEMPLATE)).rows(RULE), [
      [RULE, 'error', 'Inbox', CDK_FILE, lineOf(json(JSON_TEMPLATE), 'Inbox')],
    ]);
  });

  const plan = (key: TfResource['values']['kms_master_key_id']): TfResource[] => [
    { address: 'aws_sns_topic.orders', values: { name: 'orders' } },
    {
      address: 'aws_kms_key.orders',
      values: {
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::123456789012:root' },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
              Resource: '*',
            },
          ],
        }),
      },
    },
    { address: 'aws_sqs_queue.orders', values: { name: 'orders', kms_master_key_id: key } },
    {
      address: 'aws_sns_topic_subscription.orders',
      values: {
        topic_arn: tfRef('aws_sns_topic.orders.arn'),
        protocol: 'sqs',
        endpoint: tfRef('aws_sqs_queue.orders.arn'),
      },
    },
    ...queueAllowing('orders', 'sns.amazonaws.com', 'aws_sns_topic.orders.arn'),
  ];

  it('Terraform plan: alias/aws/sqs fires; a key of the plan whose policy lets SNS in passes', async () => {
    assert.deepEqual((await lintPlan(tfPlan(plan('alias/aws/sqs')))).rows(RULE), [
      [RULE, 'error', 'aws_sqs_queue.orders', 'plan.json'],
    ]);
    assert.deepEqual((await lintPlan(tfPlan(plan(tfRef('aws_kms_key.orders.arn'))))).rows(RULE), []);
  });

  it('suppression and --disable', async () => {
    const ignored = await lintIgnoring('k.json', JSON_TEMPLATE, 'Inbox', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['Inbox']);
    const planIgnored = await lintPlanIgnoring(plan('alias/aws/sqs'), 'aws_sqs_queue.orders', RULE);
    assert.deepEqual(planIgnored.rows(RULE), []);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_sqs_queue.orders']);
    assert.deepEqual((await lintTemplate('k.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});

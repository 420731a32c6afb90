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

const RULE = 'dlq-policy-missing';

/** A rule target's DLQ without a policy, and a Pipe whose role cannot write to its DLQ. */
const YAML = `Resources:
  Orders:
    Type: AWS::SQS::Queue
  OrdersDLQ:
    Type: AWS::SQS::Queue
  OrdersRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [orders] }
      Targets:
        - Id: Queue
          Arn: !GetAtt Orders.Arn
          DeadLetterConfig:
            Arn: !GetAtt OrdersDLQ.Arn
${queuePolicyYaml('OrdersPolicy', 'Orders', 'events.amazonaws.com', '!GetAtt OrdersRule.Arn')}  Stream:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
  PipeDLQ:
    Type: AWS::SQS::Queue
  PipeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: pipes.amazonaws.com }
            Action: sts:AssumeRole
            Condition: { StringEquals: { aws:SourceAccount: !Ref AWS::AccountId } }
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [kinesis:GetRecords, kinesis:GetShardIterator, kinesis:DescribeStream, kinesis:ListShards]
                Resource: !GetAtt Stream.Arn
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt Orders.Arn
  Pipe:
    Type: AWS::Pipes::Pipe
    Properties:
      RoleArn: !GetAtt PipeRole.Arn
      Source: !GetAtt Stream.Arn
      SourceParameters:
        KinesisStreamParameters:
          StartingPosition: LATEST
          DeadLetterConfig:
            Arn: !GetAtt PipeDLQ.Arn
      Target: !GetAtt Orders.Arn
`;

const DLQ_POLICY = `${queuePolicyYaml('OrdersDLQPolicy', 'OrdersDLQ', 'events.amazonaws.com', '!GetAtt OrdersRule.Arn')}`;

/** An SNS subscription whose redrive policy names a queue that lets only the target's sender in. */
const JSON_TEMPLATE = {
  Resources: {
    Topic: { Type: 'AWS::SNS::Topic' },
    Queue: { Type: 'AWS::SQS::Queue' },
    Dlq: { Type: 'AWS::SQS::Queue' },
    QueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'Queue' }, { Ref: 'Dlq' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] },
              Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'Topic' } } },
            },
          ],
        },
      },
    },
    Subscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'Topic' },
        Protocol: 'sqs',
        Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] },
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
      },
    },
  },
};

function dlqAllowed(): typeof JSON_TEMPLATE {
  const copy = structuredClone(JSON_TEMPLATE);
  const [statement] = copy.Resources.QueuePolicy.Properties.PolicyDocument.Statement;
  (statement as { Resource: unknown }).Resource = [
    { 'Fn::GetAtt': ['Queue', 'Arn'] },
    { 'Fn::GetAtt': ['Dlq', 'Arn'] },
  ];
  return copy;
}

describe(`${RULE} per input format`, () => {
  it("CloudFormation YAML: a rule target's DLQ, and a Pipe's role that cannot write to its DLQ", async () => {
    const result = await lintTemplate('dlq.yaml', YAML);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'error', 'OrdersDLQ', 'dlq.yaml', lineOf(YAML, 'OrdersDLQ')],
      [RULE, 'error', 'PipeRole', 'dlq.yaml', lineOf(YAML, 'PipeRole')],
    ]);
  });

  it('CloudFormation YAML: a DLQ policy and a role allowed to send raise nothing', async () => {
    const fixed = YAML.replace(
      '                Resource: !GetAtt Orders.Arn\n  Pipe:',
      '                Resource: [!GetAtt Orders.Arn, !GetAtt PipeDLQ.Arn]\n  Pipe:',
    );
    assert.notEqual(fixed, YAML);
    assert.deepEqual((await lintTemplate('dlq.yaml', fixed + DLQ_POLICY)).rows(RULE), []);
  });

  it("CloudFormation JSON: an SNS subscription's DLQ that the policy leaves out", async () => {
    const text = json(JSON_TEMPLATE);
    assert.deepEqual((await lintTemplate('dlq.json', text)).rows(RULE), [
      [RULE, 'error', 'Dlq', 'dlq.json', lineOf(text, 'Dlq')],
    ]);
    assert.deepEqual((await lintTemplate('dlq.json', json(dlqAllowed()))).rows(RULE), []);
  });

  it('SAM: an EventBridgeRule DeadLetterConfig by Arn fires; Type: SQS gets the policy SAM writes', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
${samFunction('Fn')}      Events:
        Given:
          Type: EventBridgeRule
          Properties:
            Pattern: { source: [orders] }
            DeadLetterConfig:
              Arn: !GetAtt GivenDLQ.Arn
        Generated:
          Type: EventBridgeRule
          Properties:
            Pattern: { source: [billing] }
            DeadLetterConfig:
              Type: SQS
  GivenDLQ:
    Type: AWS::SQS::Queue
`;
    assert.deepEqual((await lintTemplate('sam.yaml', text)).rows(RULE), [
      [RULE, 'error', 'GivenDLQ', 'sam.yaml', lineOf(text, 'GivenDLQ')],
    ]);
  });

  it("SAM: a ScheduleV2 DLQ is written with the schedule's role: SAM's role may, a given role without the grant may not", async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
${samFunction('Worker')}      Events:
        Generated:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(1 hour)
            DeadLetterConfig:
              Arn: !GetAtt Failed.Arn
        Given:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(1 day)
            RoleArn: !GetAtt SchedulerRole.Arn
            DeadLetterConfig:
              Arn: !GetAtt Failed.Arn
  Failed:
    Type: AWS::SQS::Queue
  SchedulerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: scheduler.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource: !GetAtt Worker.Arn
`;
    const result = await lintTemplate('schedule.yaml', text);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'error', 'SchedulerRole', 'schedule.yaml', lineOf(text, 'SchedulerRole')],
    ]);
    assert.match(
      result.findings.find((finding) => finding.rule === RULE)?.message ?? '',
      /Scheduler schedule WorkerGiven/,
    );
  });

  it('cdk.out: fires on the DLQ; allowed when the policy names it', async () => {
    assert.deepEqual((await lintCdkOut(JSON_TEMPLATE)).rows(RULE), [
      [RULE, 'error', 'Dlq', CDK_FILE, lineOf(json(JSON_TEMPLATE), 'Dlq')],
    ]);
    assert.deepEqual((await lintCdkOut(dlqAllowed())).rows(RULE), []);
  });

  const plan: TfResource[] = [
    { address: 'aws_sqs_queue.target', values: { name: 'target' } },
    { address: 'aws_sqs_queue.dlq', values: { name: 'dlq' } },
    {
      address: 'aws_cloudwatch_event_rule.orders',
      values: { name: 'orders', event_pattern: '{"source":["orders"]}' },
    },
    {
      address: 'aws_cloudwatch_event_target.orders',
      values: {
        rule: tfRef('aws_cloudwatch_event_rule.orders.name'),
        arn: tfRef('aws_sqs_queue.target.arn'),
        dead_letter_config: [{ arn: tfRef('aws_sqs_queue.dlq.arn') }],
      },
    },
    ...queueAllowing('target', 'events.amazonaws.com', 'aws_cloudwatch_event_rule.orders.arn'),
  ];

  it('Terraform plan: dead_letter_config to a queue without a policy fires', async () => {
    assert.deepEqual((await lintPlan(tfPlan(plan))).rows(RULE), [
      [RULE, 'error', 'aws_sqs_queue.dlq', 'plan.json'],
    ]);
  });

  it('Terraform plan: an aws_sqs_queue_policy on the DLQ allows it', async () => {
    const allowed = [
      ...plan,
      ...queueAllowing('dlq', 'events.amazonaws.com', 'aws_cloudwatch_event_rule.orders.arn'),
    ];
    assert.deepEqual((await lintPlan(tfPlan(allowed))).rows(RULE), []);
  });

  it('suppression and --disable', async () => {
    const ignored = await lintIgnoring('d.json', JSON_TEMPLATE, 'Dlq', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['Dlq']);
    const planIgnored = await lintPlanIgnoring(plan, 'aws_sqs_queue.dlq', RULE);
    assert.deepEqual(planIgnored.rows(RULE), []);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_sqs_queue.dlq']);
    assert.deepEqual((await lintTemplate('dlq.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});

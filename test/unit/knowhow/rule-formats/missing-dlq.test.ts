import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CDK_FILE,
  json,
  lineOf,
  lineOfKey,
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

const RULE = 'missing-dlq';

const YAML = `Resources:
  Topic:
    Type: AWS::SNS::Topic
  Inbox:
    Type: AWS::SQS::Queue
  InboxDLQ:
    Type: AWS::SQS::Queue
  Guarded:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt InboxDLQ.Arn
        maxReceiveCount: 3
  Bare:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: sqs
      Endpoint: !GetAtt Inbox.Arn
  Covered:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: sqs
      Endpoint: !GetAtt Guarded.Arn
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt InboxDLQ.Arn
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
      Targets:
        - Id: Inbox
          Arn: !GetAtt Inbox.Arn
        - Id: Guarded
          Arn: !GetAtt Guarded.Arn
          DeadLetterConfig:
            Arn: !GetAtt InboxDLQ.Arn
`;

const JSON_TEMPLATE = {
  Resources: {
    Jobs: { Type: 'AWS::SQS::Queue' },
    Safe: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['SafeDLQ', 'Arn'] }, maxReceiveCount: 5 },
      },
    },
    SafeDLQ: { Type: 'AWS::SQS::Queue' },
    JobsMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['Jobs', 'Arn'] }, FunctionName: 'worker' },
    },
    SafeMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['Safe', 'Arn'] }, FunctionName: 'worker' },
    },
    DlqMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['SafeDLQ', 'Arn'] }, FunctionName: 'reprocess' },
    },
  },
};

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: a subscription and a rule target without a DLQ', async () => {
    const result = await lintTemplate('dlq.yaml', YAML);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'warning', 'Bare', 'dlq.yaml', lineOf(YAML, 'Bare')],
      [RULE, 'warning', 'Nightly', 'dlq.yaml', lineOf(YAML, 'Nightly')],
    ]);
    const nightly = result.findings.find(
      (finding) => finding.rule === RULE && finding.resource === 'Nightly',
    );
    assert.match(nightly?.message ?? '', /Inbox/);
  });

  it('CloudFormation JSON: a Lambda-consumed queue without a redrive policy; not its DLQ', async () => {
    const text = json(JSON_TEMPLATE);
    const result = await lintTemplate('dlq.json', text);
    assert.deepEqual(result.rows(RULE), [[RULE, 'warning', 'Jobs', 'dlq.json', lineOf(text, 'Jobs')]]);
  });

  it('SAM: SQS, SNS and EventBridgeRule events without DLQs, at the event line; the function DLQ does not count', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
${samFunction('Fn')}      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt FnDLQ.Arn
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Work.Arn
        Note:
          Type: SNS
          Properties:
            Topic: !Ref Topic
        Tick:
          Type: EventBridgeRule
          Properties:
            Pattern: { source: [orders] }
        Safe:
          Type: EventBridgeRule
          Properties:
            Pattern: { source: [billing] }
            DeadLetterConfig:
              Type: SQS
  Work:
    Type: AWS::SQS::Queue
  FnDLQ:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
`;
    const result = await lintTemplate('sam.yaml', text);
    assert.deepEqual(
      result.rows(RULE).map(([, severity, resource, file, line]) => [severity, resource, file, line]),
      [
        ['warning', 'Fn', 'sam.yaml', lineOfKey(text, 'Note')],
        ['warning', 'Fn', 'sam.yaml', lineOfKey(text, 'Tick')],
        ['warning', 'Work', 'sam.yaml', lineOf(text, 'Work')],
      ],
    );
    const messages = result.findings
      .filter((finding) => finding.rule === RULE)
      .map((finding) => finding.message);
    assert.ok(messages.some((message) => /subscription/i.test(message)));
    assert.ok(messages.some((message) => /target/i.test(message)));
  });

  it('SAM: Schedule and CloudWatchEvent events make rules whose targets need a DLQ; DeadLetterConfig Type: SQS is one', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
${samFunction('Worker')}      Events:
        Tick:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)
        Old:
          Type: CloudWatchEvent
          Properties:
            Pattern: { source: [aws.ec2] }
        Safe:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
            DeadLetterConfig:
              Type: SQS
`;
    const result = await lintTemplate('schedule.yaml', text);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'warning', 'Worker', 'schedule.yaml', lineOfKey(text, 'Tick')],
      [RULE, 'warning', 'Worker', 'schedule.yaml', lineOfKey(text, 'Old')],
    ]);
  });

  it('cdk.out: the same as the JSON template', async () => {
    const result = await lintCdkOut(JSON_TEMPLATE);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'warning', 'Jobs', CDK_FILE, lineOf(json(JSON_TEMPLATE), 'Jobs')],
    ]);
  });

  const plan: TfResource[] = [
    { address: 'aws_sqs_queue.jobs', values: { name: 'jobs' } },
    { address: 'aws_sqs_queue.dlq', values: { name: 'dlq' } },
    { address: 'aws_sns_topic.events', values: { name: 'events' } },
    {
      address: 'aws_lambda_event_source_mapping.jobs',
      values: { event_source_arn: tfRef('aws_sqs_queue.jobs.arn'), function_name: 'worker' },
    },
    {
      address: 'aws_sns_topic_subscription.jobs',
      values: {
        topic_arn: tfRef('aws_sns_topic.events.arn'),
        protocol: 'sqs',
        endpoint: tfRef('aws_sqs_queue.jobs.arn'),
      },
    },
    {
      address: 'aws_cloudwatch_event_rule.tick',
      values: { name: 'tick', schedule_expression: 'rate(5 minutes)' },
    },
    {
      address: 'aws_cloudwatch_event_target.tick',
      values: {
        rule: tfRef('aws_cloudwatch_event_rule.tick.name'),
        arn: tfRef('aws_sqs_queue.jobs.arn'),
        dead_letter_config: [{ arn: tfRef('aws_sqs_queue.dlq.arn') }],
      },
    },
  ];

  it('Terraform plan: the queue and the subscription; the target with dead_letter_config passes', async () => {
    const result = await lintPlan(tfPlan(plan));
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'warning', 'aws_sns_topic_subscription.jobs', 'plan.json'],
      [RULE, 'warning', 'aws_sqs_queue.jobs', 'plan.json'],
    ]);
  });

  it('suppression and --disable', async () => {
    const ignored = await lintIgnoring('d.json', JSON_TEMPLATE, 'Jobs', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['Jobs']);
    const planIgnored = await lintPlanIgnoring(plan, 'aws_sqs_queue.jobs', RULE);
    assert.deepEqual(planIgnored.rows(RULE), [
      [RULE, 'warning', 'aws_sns_topic_subscription.jobs', 'plan.json'],
    ]);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_sqs_queue.jobs']);
    assert.deepEqual((await lintTemplate('dlq.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});

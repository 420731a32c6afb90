import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CDK_FILE,
  json,
  lineOf,
  lintCdkOut,
  lintIgnoring,
  lintPlan,
  lintPlanIgnoring,
  lintTemplate,
  suppressedBy,
  type TfResource,
  tfPlan,
  tfRef,
} from './support.js';

const RULE = 'sqs-short-polling';

const YAML = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Work:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt WorkDLQ.Arn
        maxReceiveCount: 5
  WorkDLQ:
    Type: AWS::SQS::Queue
  Patient:
    Type: AWS::SQS::Queue
    Properties:
      ReceiveMessageWaitTimeSeconds: 20
  Eager:
    Type: AWS::SQS::Queue
    Properties:
      ReceiveMessageWaitTimeSeconds: !Ref WaitTime
Parameters:
  WaitTime:
    Type: Number
`;

const JSON_TEMPLATE = {
  Resources: {
    Work: { Type: 'AWS::SQS::Queue', Properties: { ReceiveMessageWaitTimeSeconds: 0 } },
    Lambda: { Type: 'AWS::SQS::Queue' },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['Lambda', 'Arn'] }, FunctionName: 'worker' },
    },
  },
};

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: a polled queue at 0 s fires; its DLQ, 20 s and a parameter do not', async () => {
    const result = await lintTemplate('queues.yaml', YAML);
    assert.deepEqual(result.rows(RULE), [[RULE, 'warning', 'Work', 'queues.yaml', lineOf(YAML, 'Work')]]);
    assert.ok(result.notes.some((note) => note.resource === 'Eager' || /WaitTime/.test(note.message)));
  });

  it('CloudFormation JSON: an explicit 0 fires; a queue read by a Lambda mapping does not', async () => {
    const text = json(JSON_TEMPLATE);
    const result = await lintTemplate('queues.json', text);
    assert.deepEqual(result.rows(RULE), [[RULE, 'warning', 'Work', 'queues.json', lineOf(text, 'Work')]]);
  });

  it('SAM: a queue behind an SQS event does not fire, nor the DeadLetterQueue; a polled one does', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: exports.handler = async () => {}
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt Failed.Arn
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
  Jobs:
    Type: AWS::SQS::Queue
  Failed:
    Type: AWS::SQS::Queue
  Reports:
    Type: AWS::SQS::Queue
`;
    const result = await lintTemplate('sam.yaml', text);
    assert.deepEqual(result.rows(RULE), [[RULE, 'warning', 'Reports', 'sam.yaml', lineOf(text, 'Reports')]]);
  });

  it('cdk.out: fires on the polled queue only', async () => {
    const result = await lintCdkOut(JSON_TEMPLATE);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'warning', 'Work', CDK_FILE, lineOf(json(JSON_TEMPLATE), 'Work')],
    ]);
  });

  const plan: TfResource[] = [
    { address: 'aws_sqs_queue.work', values: { name: 'work', receive_wait_time_seconds: 0 } },
    { address: 'aws_sqs_queue.patient', values: { name: 'patient', receive_wait_time_seconds: 20 } },
    { address: 'aws_sqs_queue.lambda', values: { name: 'lambda', receive_wait_time_seconds: 0 } },
    {
      address: 'aws_lambda_event_source_mapping.lambda',
      values: { event_source_arn: tfRef('aws_sqs_queue.lambda.arn'), function_name: 'worker' },
    },
  ];

  it('Terraform plan: fires on the polled queue, without a line', async () => {
    const result = await lintPlan(tfPlan(plan));
    assert.deepEqual(result.rows(RULE), [[RULE, 'warning', 'aws_sqs_queue.work', 'plan.json']]);
  });

  it('suppression: Metadata tideway ignore and the tideway:ignore tag', async () => {
    const ignored = await lintIgnoring('q.json', JSON_TEMPLATE, 'Work', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['Work']);
    const yaml = YAML.replace(
      '  Work:\n    Type: AWS::SQS::Queue\n',
      `  Work:\n    Type: AWS::SQS::Queue\n    Metadata:\n      tideway:\n        ignore: [${RULE}]\n`,
    );
    const result = await lintTemplate('q.yaml', yaml);
    assert.deepEqual(result.rows(RULE), []);
    const planIgnored = await lintPlanIgnoring(plan, 'aws_sqs_queue.work', RULE);
    assert.deepEqual(planIgnored.rows(RULE), []);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_sqs_queue.work']);
  });

  it('--disable', async () => {
    const result = await lintTemplate('queues.yaml', YAML, { disable: [RULE] });
    assert.deepEqual(result.rows(RULE), []);
    assert.ok(result.findings.length > 0, 'the other rules still run');
  });
});

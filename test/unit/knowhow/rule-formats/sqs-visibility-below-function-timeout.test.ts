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

const RULE = 'sqs-visibility-below-function-timeout';

/** Three queues read by one 60 s function: 30 s (error), 120 s (warning), 360 s (none). */
const YAML = `Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt WorkerRole.Arn
      Timeout: 60
      Code: { ZipFile: 'exports.handler = async () => {}' }
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
  Short:
    Type: AWS::SQS::Queue
  Middling:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 120
  Ample:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 360
  ShortMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Short.Arn
      FunctionName: !Ref Worker
  MiddlingMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Middling.Arn
      FunctionName: !GetAtt Worker.Arn
  AmpleMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Ample.Arn
      FunctionName: !Ref Worker
`;

const JSON_TEMPLATE = {
  Resources: {
    Worker: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Timeout: 10,
        Role: 'arn:aws:iam::123456789012:role/w',
        Code: { ZipFile: 'x' },
      },
    },
    Jobs: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } },
    Default: { Type: 'AWS::SQS::Queue' },
    JobsMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['Jobs', 'Arn'] }, FunctionName: { Ref: 'Worker' } },
    },
  },
};

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: error below the timeout, warning below 6×, none at 6×', async () => {
    const result = await lintTemplate('worker.yaml', YAML);
    assert.deepEqual(
      result.rows(RULE),
      [
        [RULE, 'warning', 'Middling', 'worker.yaml', lineOf(YAML, 'Middling')],
        [RULE, 'error', 'Short', 'worker.yaml', lineOf(YAML, 'Short')],
      ].sort((a, b) => (a[4] as number) - (b[4] as number)),
    );
  });

  it('CloudFormation JSON: 30 s for a 10 s function is a warning', async () => {
    const text = json(JSON_TEMPLATE);
    const result = await lintTemplate('worker.json', text);
    assert.deepEqual(result.rows(RULE), [[RULE, 'warning', 'Jobs', 'worker.json', lineOf(text, 'Jobs')]]);
    const fixed = structuredClone(JSON_TEMPLATE);
    fixed.Resources.Jobs.Properties.VisibilityTimeout = 60;
    assert.deepEqual((await lintTemplate('worker.json', json(fixed))).rows(RULE), []);
  });

  it('SAM: an SQS event of a function with Timeout 45 (Globals) on a default queue is an error', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 45
Resources:
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: 'def handler(e, c): pass'
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
        Roomy:
          Type: SQS
          Properties:
            Queue: !GetAtt Roomy.Arn
  Jobs:
    Type: AWS::SQS::Queue
  Roomy:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 300
`;
    const result = await lintTemplate('sam.yaml', text);
    assert.deepEqual(result.rows(RULE), [[RULE, 'error', 'Jobs', 'sam.yaml', lineOf(text, 'Jobs')]]);
  });

  it('cdk.out: the same as the JSON template', async () => {
    const result = await lintCdkOut(JSON_TEMPLATE);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'warning', 'Jobs', CDK_FILE, lineOf(json(JSON_TEMPLATE), 'Jobs')],
    ]);
  });

  const plan: TfResource[] = [
    {
      address: 'aws_lambda_function.worker',
      values: {
        function_name: 'worker',
        timeout: 60,
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        role: 'arn:aws:iam::123456789012:role/w',
      },
    },
    { address: 'aws_sqs_queue.short', values: { name: 'short', visibility_timeout_seconds: 30 } },
    { address: 'aws_sqs_queue.ample', values: { name: 'ample', visibility_timeout_seconds: 360 } },
    {
      address: 'aws_lambda_event_source_mapping.short',
      values: {
        event_source_arn: tfRef('aws_sqs_queue.short.arn'),
        function_name: tfRef('aws_lambda_function.worker.arn'),
      },
    },
    {
      address: 'aws_lambda_event_source_mapping.ample',
      values: { event_source_arn: tfRef('aws_sqs_queue.ample.arn'), function_name: 'worker' },
    },
  ];

  it('Terraform plan: the queue below the timeout is an error; 6× passes', async () => {
    const result = await lintPlan(tfPlan(plan));
    assert.deepEqual(result.rows(RULE), [[RULE, 'error', 'aws_sqs_queue.short', 'plan.json']]);
  });

  it('suppression on the queue, in a template and in a plan', async () => {
    const ignored = await lintIgnoring('w.json', JSON_TEMPLATE, 'Jobs', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['Jobs']);
    const planIgnored = await lintPlanIgnoring(plan, 'aws_sqs_queue.short', RULE);
    assert.deepEqual(planIgnored.rows(RULE), []);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_sqs_queue.short']);
  });

  it('--disable', async () => {
    assert.deepEqual((await lintTemplate('worker.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});

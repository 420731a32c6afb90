import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CDK_FILE,
  ignoring,
  json,
  lineOf,
  lintCdkOut,
  lintPlan,
  lintPlanIgnoring,
  lintTemplate,
  samFunction,
  suppressedBy,
  type TfResource,
  tfPlan,
  tfRef,
} from './support.js';

const RULE = 'no-customer-managed-key';

const YAML = `Resources:
  Key:
    Type: AWS::KMS::Key
  Plain:
    Type: AWS::SQS::Queue
  Managed:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: alias/aws/sns
  SseSqs:
    Type: AWS::SQS::Queue
    Properties:
      SqsManagedSseEnabled: true
  Own:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !Ref Key
  OwnAlias:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: alias/orders
`;

const JSON_TEMPLATE = {
  Resources: {
    Key: { Type: 'AWS::KMS::Key' },
    Plain: { Type: 'AWS::SNS::Topic' },
    ByArn: {
      Type: 'AWS::SQS::Queue',
      Properties: { KmsMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:alias/aws/sqs' },
    },
    Own: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
  },
};

const rowsOf = (file: string, text: string, severity: 'notice' | 'warning', ids: string[]) =>
  ids.map((id) => [RULE, severity, id, file, lineOf(text, id)]);

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: none, alias/aws/… and SSE-SQS fire as notices; own keys do not', async () => {
    const result = await lintTemplate('keys.yaml', YAML);
    assert.deepEqual(result.rows(RULE), rowsOf('keys.yaml', YAML, 'notice', ['Plain', 'Managed', 'SseSqs']));
  });

  it('--profile production makes them warnings', async () => {
    const result = await lintTemplate('keys.yaml', YAML, { profile: 'production' });
    assert.deepEqual(result.rows(RULE), rowsOf('keys.yaml', YAML, 'warning', ['Plain', 'Managed', 'SseSqs']));
  });

  it('CloudFormation YAML: !Join and !Select resolve to the AWS-managed alias; !If on a condition is explained', async () => {
    const text = `Conditions:
  UseKey: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Key:
    Type: AWS::KMS::Key
  Joined:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !Join ['', [alias/, aws/sqs]]
  Chosen:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !If [UseKey, !Ref Key, !Ref AWS::NoValue]
  Selected:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Select [1, [!Ref Key, alias/aws/sns]]
`;
    const result = await lintTemplate('short.yaml', text);
    assert.deepEqual(result.rows(RULE), rowsOf('short.yaml', text, 'notice', ['Joined', 'Selected']));
    assert.ok(result.notes.some((note) => note.resource === 'Chosen' && /UseKey/.test(note.message)));
  });

  it('CloudFormation JSON: the ARN of an AWS-managed alias fires', async () => {
    const text = json(JSON_TEMPLATE);
    const result = await lintTemplate('keys.json', text);
    assert.deepEqual(result.rows(RULE), rowsOf('keys.json', text, 'notice', ['Plain', 'ByArn']));
  });

  it('SAM: a key from a parameter is explained, not reported', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Parameters:
  KeyArn:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !Ref KeyArn
${samFunction('Fn')}      Events:
        Q:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
`;
    const result = await lintTemplate('sam.yaml', text);
    assert.deepEqual(result.rows(RULE), []);
    assert.ok(
      result.notes.some((note) => note.message.includes(`${RULE}: the KMS key of Queue is not known`)),
    );
  });

  it('cdk.out, production profile', async () => {
    const result = await lintCdkOut(JSON_TEMPLATE, { profile: 'production' });
    assert.deepEqual(result.rows(RULE), rowsOf(CDK_FILE, json(JSON_TEMPLATE), 'warning', ['Plain', 'ByArn']));
  });

  const plan: TfResource[] = [
    { address: 'aws_kms_key.own', values: { description: 'orders' } },
    { address: 'aws_sqs_queue.plain', values: { name: 'plain', sqs_managed_sse_enabled: true } },
    { address: 'aws_sns_topic.managed', values: { name: 'managed', kms_master_key_id: 'alias/aws/sns' } },
    {
      address: 'aws_sqs_queue.own',
      values: { name: 'own', kms_master_key_id: tfRef('aws_kms_key.own.arn') },
    },
  ];

  it('Terraform plan: fires without a line; a key of the plan passes', async () => {
    const result = await lintPlan(tfPlan(plan));
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'notice', 'aws_sns_topic.managed', 'plan.json'],
      [RULE, 'notice', 'aws_sqs_queue.plain', 'plan.json'],
    ]);
  });

  it('suppression and --disable', async () => {
    const text = json(ignoring(JSON_TEMPLATE, 'Plain', RULE));
    const ignored = await lintTemplate('k.json', text);
    assert.deepEqual(ignored.rows(RULE), rowsOf('k.json', text, 'notice', ['ByArn']));
    assert.deepEqual(suppressedBy(ignored, RULE), ['Plain']);
    const planIgnored = await lintPlanIgnoring(plan, 'aws_sqs_queue.plain', RULE);
    assert.deepEqual(planIgnored.rows(RULE), [[RULE, 'notice', 'aws_sns_topic.managed', 'plan.json']]);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_sqs_queue.plain']);
    assert.deepEqual((await lintTemplate('keys.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});

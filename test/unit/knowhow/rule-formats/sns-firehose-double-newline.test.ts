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

const RULE = 'sns-firehose-double-newline';

const stream = (processors: string, enabled = true) => `    Type: AWS::KinesisFirehose::DeliveryStream
    Properties:
      DeliveryStreamType: DirectPut
      ExtendedS3DestinationConfiguration:
        BucketARN: arn:aws:s3:::archive
        RoleARN: arn:aws:iam::123456789012:role/firehose
        ProcessingConfiguration:
          Enabled: ${enabled}
          Processors:
${processors}`;

const APPEND = '            - Type: AppendDelimiterToRecord\n';
const DEAGGREGATE =
  '            - Type: RecordDeAggregation\n              Parameters:\n                - { ParameterName: SubRecordType, ParameterValue: JSON }\n';

const YAML = `Resources:
  Topic:
    Type: AWS::SNS::Topic
  Delimited:
${stream(APPEND)}  Plain:
${stream(DEAGGREGATE)}  Disabled:
${stream(APPEND, false)}  ToDelimited:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: firehose
      Endpoint: !GetAtt Delimited.Arn
      SubscriptionRoleArn: arn:aws:iam::123456789012:role/sns-firehose
  ToPlain:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: firehose
      Endpoint: !GetAtt Plain.Arn
      SubscriptionRoleArn: arn:aws:iam::123456789012:role/sns-firehose
  ToDisabled:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: firehose
      Endpoint: !GetAtt Disabled.Arn
      SubscriptionRoleArn: arn:aws:iam::123456789012:role/sns-firehose
`;

const JSON_TEMPLATE = {
  Resources: {
    Topic: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        Subscription: [{ Protocol: 'firehose', Endpoint: { 'Fn::GetAtt': ['Archive', 'Arn'] } }],
      },
    },
    Archive: {
      Type: 'AWS::KinesisFirehose::DeliveryStream',
      Properties: {
        ExtendedS3DestinationConfiguration: {
          BucketARN: 'arn:aws:s3:::archive',
          RoleARN: 'arn:aws:iam::123456789012:role/firehose',
          ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
        },
      },
    },
  },
};

describe(`${RULE} per input format`, () => {
  it('CloudFormation YAML: only the subscription whose stream appends a delimiter', async () => {
    const result = await lintTemplate('fh.yaml', YAML);
    assert.deepEqual(result.rows(RULE), [
      [RULE, 'warning', 'ToDelimited', 'fh.yaml', lineOf(YAML, 'ToDelimited')],
    ]);
    assert.match(result.findings.find((finding) => finding.rule === RULE)?.message ?? '', /Delimited/);
  });

  it("CloudFormation JSON: a topic's inline firehose subscription, on the topic", async () => {
    const text = json(JSON_TEMPLATE);
    assert.deepEqual((await lintTemplate('fh.json', text)).rows(RULE), [
      [RULE, 'warning', 'Topic', 'fh.json', lineOf(text, 'Topic')],
    ]);
  });

  it('cdk.out: the same as the JSON template', async () => {
    assert.deepEqual((await lintCdkOut(JSON_TEMPLATE)).rows(RULE), [
      [RULE, 'warning', 'Topic', CDK_FILE, lineOf(json(JSON_TEMPLATE), 'Topic')],
    ]);
  });

  const plan = (processor: string): TfResource[] => [
    { address: 'aws_sns_topic.events', values: { name: 'events' } },
    {
      address: 'aws_kinesis_firehose_delivery_stream.archive',
      values: {
        name: 'archive',
        destination: 'extended_s3',
        extended_s3_configuration: [
          {
            bucket_arn: 'arn:aws:s3:::archive',
            role_arn: 'arn:aws:iam::123456789012:role/firehose',
            processing_configuration: [{ enabled: true, processors: [{ type: processor }] }],
          },
        ],
      },
    },
    {
      address: 'aws_sns_topic_subscription.archive',
      values: {
        topic_arn: tfRef('aws_sns_topic.events.arn'),
        protocol: 'firehose',
        endpoint: tfRef('aws_kinesis_firehose_delivery_stream.archive.arn'),
        subscription_role_arn: 'arn:aws:iam::123456789012:role/sns-firehose',
      },
    },
  ];

  it('Terraform plan: fires on the subscription; another processor does not', async () => {
    assert.deepEqual((await lintPlan(tfPlan(plan('AppendDelimiterToRecord')))).rows(RULE), [
      [RULE, 'warning', 'aws_sns_topic_subscription.archive', 'plan.json'],
    ]);
    assert.deepEqual((await lintPlan(tfPlan(plan('MetadataExtraction')))).rows(RULE), []);
  });

  it('suppression and --disable', async () => {
    const ignored = await lintIgnoring('f.json', JSON_TEMPLATE, 'Topic', RULE);
    assert.deepEqual(ignored.rows(RULE), []);
    assert.deepEqual(suppressedBy(ignored, RULE), ['Topic']);
    const planIgnored = await lintPlanIgnoring(
      plan('AppendDelimiterToRecord'),
      'aws_sns_topic_subscription.archive',
      RULE,
    );
    assert.deepEqual(planIgnored.rows(RULE), []);
    assert.deepEqual(suppressedBy(planIgnored, RULE), ['aws_sns_topic_subscription.archive']);
    assert.deepEqual((await lintTemplate('fh.yaml', YAML, { disable: [RULE] })).rows(RULE), []);
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../../src/knowhow/findings.js';
import type { Model } from '../../../src/knowhow/model.js';
import { awsManagedKeyBlocksDeliveryRule } from '../../../src/knowhow/rules/aws-managed-key-blocks-delivery.js';
import { dlqPolicyMissingRule } from '../../../src/knowhow/rules/dlq-policy-missing.js';
import { servicePrincipalUnscopedRule } from '../../../src/knowhow/rules/service-principal-unscoped.js';
import { targetPolicyMissingRule } from '../../../src/knowhow/rules/target-policy-missing.js';
import { readCdkOut } from '../../../src/knowhow/templates/cdk-out.js';
import { readCloudFormation } from '../../../src/knowhow/templates/cloudformation.js';
import { readTerraformPlan } from '../../../src/knowhow/templates/terraform.js';
import { context } from '../../support/knowhow-model.js';

/**
 * The four policy rules on each input format, through the real readers (CloudFormation with
 * short-form intrinsics, SAM, a cdk.out folder, a Terraform plan).
 */

const RULES = [
  targetPolicyMissingRule,
  dlqPolicyMissingRule,
  servicePrincipalUnscopedRule,
  awsManagedKeyBlocksDeliveryRule,
];
const FIXTURES = path.resolve(fileURLToPath(import.meta.url), '../../../../../test/fixtures');

function findings(model: Model): Finding[] {
  return RULES.flatMap((rule) => rule.check(model, context()));
}

const summary = (list: Finding[]) => list.map((finding) => `${finding.rule} ${finding.resource}`).sort();

const EVENTBRIDGE_TO_SQS = `
AWSTemplateFormatVersion: '2010-09-09'
Resources:
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
`;

const QUEUE_POLICY = `
  OrdersPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Orders, !Ref OrdersDLQ]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: events.amazonaws.com }
            Action: sqs:SendMessage
            Resource: [!GetAtt Orders.Arn, !GetAtt OrdersDLQ.Arn]
            Condition:
              ArnEquals:
                aws:SourceArn: !GetAtt OrdersRule.Arn
`;

describe('policy rules on CloudFormation YAML', () => {
  it('EventBridge → SQS without a queue policy: the target and its DLQ', () => {
    const list = findings(readCloudFormation(EVENTBRIDGE_TO_SQS, 'rule.yaml'));
    assert.deepEqual(summary(list), ['dlq-policy-missing OrdersDLQ', 'target-policy-missing Orders']);
    assert.ok(list.every((finding) => finding.file === 'rule.yaml' && (finding.line ?? 0) > 0));
  });

  it('with a scoped queue policy: no finding', () => {
    assert.deepEqual(findings(readCloudFormation(EVENTBRIDGE_TO_SQS + QUEUE_POLICY, 'rule.yaml')), []);
  });

  it('the same policy without its Condition: service-principal-unscoped on the policy', () => {
    const unscoped = (EVENTBRIDGE_TO_SQS + QUEUE_POLICY).replace(
      /\n {12}Condition:\n {14}ArnEquals:\n {16}aws:SourceArn: !GetAtt OrdersRule.Arn/,
      '',
    );
    assert.deepEqual(summary(findings(readCloudFormation(unscoped, 'rule.yaml'))), [
      'service-principal-unscoped OrdersPolicy',
    ]);
  });

  it('an SNS subscription to a queue encrypted with alias/aws/sqs', () => {
    const template = `
Resources:
  Topic:
    Type: AWS::SNS::Topic
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: alias/aws/sqs
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: sns.amazonaws.com }
            Action: sqs:SendMessage
            Resource: !GetAtt Queue.Arn
            Condition: { ArnEquals: { aws:SourceArn: !Ref Topic } }
  Subscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: sqs
      Endpoint: !GetAtt Queue.Arn
`;
    assert.deepEqual(summary(findings(readCloudFormation(template, 'sns.yaml'))), [
      'aws-managed-key-blocks-delivery Queue',
    ]);
  });
});

describe('policy rules on SAM', () => {
  it('an EventBridgeRule event whose DeadLetterConfig names a queue without a policy', () => {
    const template = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: exports.handler = async () => {}
      Events:
        Trigger:
          Type: EventBridgeRule
          Properties:
            Pattern: { source: [orders] }
            DeadLetterConfig:
              Arn: !GetAtt TriggerDLQ.Arn
  TriggerDLQ:
    Type: AWS::SQS::Queue
`;
    assert.deepEqual(summary(findings(readCloudFormation(template, 'sam.yaml'))), [
      'dlq-policy-missing TriggerDLQ',
    ]);
  });
});

describe('policy rules on a cdk.out folder', () => {
  it("CDK's EventBridge → SQS with a rule DLQ and customer keys raises none of them", async () => {
    const models = await readCdkOut(
      path.join(FIXTURES, 'lint-corpus/solutions-constructs/evtsqs-rule-dlq/cdk.out'),
    );
    assert.ok(models.some((model) => model.rules.length > 0));
    assert.deepEqual(models.flatMap(findings), []);
  });
});

describe('policy rules on a Terraform plan', () => {
  it('reads targets, subscriptions, notifications and DLQs from a plan', async () => {
    const file = path.join(FIXTURES, 'terraform/events-s3-sns.plan.json');
    const list = findings(readTerraformPlan(JSON.parse(await readFile(file, 'utf8')), file));
    const found = summary(list);
    for (const expected of [
      'target-policy-missing aws_sqs_queue.events_target',
      'dlq-policy-missing aws_sqs_queue.events_dlq',
      'target-policy-missing aws_sqs_queue.uploads',
      'aws-managed-key-blocks-delivery aws_sns_topic.uploads',
    ]) {
      assert.ok(found.includes(expected), `${expected} in ${found.join(', ')}`);
    }
    assert.ok(list.every((finding) => finding.line === undefined));
  });
});

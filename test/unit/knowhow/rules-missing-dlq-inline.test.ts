import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingDlqRule } from '../../../src/knowhow/rules/missing-dlq.js';
import { readCloudFormation } from '../../../src/knowhow/templates/cloudformation.js';
import { context } from '../../support/knowhow-model.js';

const template = (subscriptions: string): string => `
Resources:
  Q:
    Type: AWS::SQS::Queue
  T:
    Type: AWS::SNS::Topic
${subscriptions}
`;

const INLINE = `    Properties:
      Subscription:
        - Protocol: sqs
          Endpoint: !GetAtt Q.Arn`;

const SEPARATE = `  S:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: sqs
      TopicArn: !Ref T
      Endpoint: !GetAtt Q.Arn`;

const check = (text: string) => missingDlqRule.check(readCloudFormation(text, 't.yaml'), context());

// AWS::SNS::Topic's Subscription property takes Endpoint and Protocol only: a redrive policy needs
// an AWS::SNS::Subscription resource, and the fix must say so.
describe('missing-dlq on an inline topic subscription', () => {
  it('points at the topic and tells to move the subscription to its own resource', () => {
    const findings = check(template(INLINE));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'T');
    assert.match(
      findings[0]?.fix ?? '',
      /^Move the inline subscription to an AWS::SNS::Subscription resource/,
    );
    assert.match(findings[0]?.fix ?? '', /RedrivePolicy/);
  });

  it('asks a subscription resource for its RedrivePolicy directly', () => {
    const findings = check(template(SEPARATE));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource, 'S');
    assert.match(findings[0]?.fix ?? '', /^Set RedrivePolicy/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookup, type Model } from '../../../src/knowhow/model.js';
import { sqsShortPollingRule } from '../../../src/knowhow/rules/sqs-short-polling.js';
import { readCloudFormation } from '../../../src/knowhow/templates/cloudformation.js';
import { readTerraformPlan } from '../../../src/knowhow/templates/terraform.js';
import { context } from '../../support/knowhow-model.js';

const polled = (model: Model): string[] =>
  sqsShortPollingRule.check(model, context()).map((finding) => finding.resource);

/** The queue the model's one mapping names as its on-failure destination. */
const onFailureQueue = (model: Model): string | undefined => lookup(model, model.mappings[0]?.onFailure)?.id;

const cfn = (destination: string) => `
Resources:
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: { ShardCount: 1 }
  Failures:
    Type: AWS::SQS::Queue
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: fn
      EventSourceArn: !GetAtt Stream.Arn
      StartingPosition: LATEST
${destination}
`;

const sam = (destination: string) => `
Transform: AWS::Serverless-2016-10-31
Resources:
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: { ShardCount: 1 }
  Failures:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => {}
      Events:
        Records:
          Type: Kinesis
          Properties:
            Stream: !GetAtt Stream.Arn
            StartingPosition: LATEST
${destination}
`;

function plan(onFailure: boolean): object {
  const resource = (type: string, name: string, values: object, expressions: object = {}) => ({
    planned: { address: `${type}.${name}`, mode: 'managed', type, name, values, sensitive_values: {} },
    change: {
      address: `${type}.${name}`,
      mode: 'managed',
      type,
      name,
      change: { actions: ['create'], before: null, after: values, after_unknown: {} },
    },
    config: { address: `${type}.${name}`, mode: 'managed', type, name, expressions },
  });
  const parts = [
    resource('aws_sqs_queue', 'failures', { name: 'failures', receive_wait_time_seconds: 0 }),
    resource(
      'aws_lambda_event_source_mapping',
      'records',
      {
        function_name: 'fn',
        event_source_arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
        destination_config: onFailure ? [{ on_failure: [{}] }] : [],
      },
      onFailure
        ? {
            destination_config: [
              {
                on_failure: [
                  {
                    destination_arn: { references: ['aws_sqs_queue.failures.arn', 'aws_sqs_queue.failures'] },
                  },
                ],
              },
            ],
          }
        : {},
    ),
  ];
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: { resources: parts.map((part) => part.planned) } },
    resource_changes: parts.map((part) => part.change),
    configuration: { root_module: { resources: parts.map((part) => part.config) } },
  };
}

// A mapping's on-failure destination holds the records of batches Lambda gave up on: like a
// dead-letter queue it is read by hand or by a redrive, so short polling there is no finding.
describe('sqs-short-polling: the on-failure destination of an event source mapping', () => {
  it('CloudFormation: DestinationConfig.OnFailure.Destination', () => {
    const withDestination = cfn(`      DestinationConfig:
        OnFailure:
          Destination: !GetAtt Failures.Arn`);
    const model = readCloudFormation(withDestination, 't.yaml');
    assert.equal(onFailureQueue(model), 'Failures');
    assert.deepEqual(polled(model), []);
    assert.deepEqual(polled(readCloudFormation(cfn(''), 't.yaml')), ['Failures']);
  });

  it('SAM: a Kinesis event with DestinationConfig OnFailure of Type SQS', () => {
    const withDestination = sam(`            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt Failures.Arn`);
    const model = readCloudFormation(withDestination, 't.yaml');
    assert.equal(onFailureQueue(model), 'Failures');
    assert.deepEqual(polled(model), []);
    assert.deepEqual(polled(readCloudFormation(sam(''), 't.yaml')), ['Failures']);
  });

  it('Terraform plan: destination_config.on_failure.destination_arn by reference', () => {
    const model = readTerraformPlan(plan(true), 'p.json');
    assert.equal(onFailureQueue(model), 'aws_sqs_queue.failures');
    assert.deepEqual(polled(model), []);
    assert.deepEqual(polled(readTerraformPlan(plan(false), 'p.json')), ['aws_sqs_queue.failures']);
  });
});

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Finding, Severity } from '../../../src/knowhow/findings.js';
import { lintPaths } from '../../../src/knowhow/lint.js';

/**
 * The corpus test: every real template of test/fixtures/lint-corpus/ is linted, and the
 * findings must be exactly the ones written below, each one a finding we defend to the template's
 * author. Comments say why where it is not obvious. Shared reasoning:
 * - sqs-short-polling: a queue that no Lambda mapping or Pipe of the template reads is polled by
 *   code; dead-letter queues and on-failure destinations of mappings are left alone.
 * - missing-dlq, as the issue words it: a queue consumed by Lambda without a redrive policy, an
 *   EventBridge target or an SNS subscription (of any protocol) without a dead-letter queue.
 * - service-principal-unscoped: an error on queue/topic policies; a warning on role trust
 *   policies for events.amazonaws.com and pipes.amazonaws.com without a source condition. For
 *   s3.amazonaws.com only aws:SourceArn and aws:SourceAccount together scope the grant.
 * - Values that are parameters or unknown in a Terraform plan (policies built from computed ARNs)
 *   make no finding.
 * - no-customer-managed-key (notice) is listed apart, in NOTICES.
 */

const CORPUS = fileURLToPath(new URL('../../../../test/fixtures/lint-corpus/', import.meta.url));

const E = 'error';
const W = 'warning';
type Expected = readonly (readonly [Severity, string, string])[];

/** The errors and warnings of each corpus file, as [severity, rule, resource]. */
const EXPECTED: Record<string, Expected> = {
  'cloudformation-templates/DataFirehoseDeliveryStream.yaml': [],
  // The protocol is a parameter (sqs by default), but a subscription of any protocol can have a
  // redrive policy, and this one has none.
  'cloudformation-templates/SNSTopic.yaml': [[W, 'missing-dlq', 'SNSSubscription']],
  // Every setting of the queue is a parameter: nothing to say on it.
  'cloudformation-templates/SQSStandardQueue.json': [],
  'serverless-patterns/activemq-lambda.yaml': [],
  'serverless-patterns/apigw-cache-invalidation-eventbridge.yaml': [
    // Role trust policies for pipes/events without aws:SourceArn or aws:SourceAccount.
    [W, 'service-principal-unscoped', 'PipeRole'],
    [W, 'service-principal-unscoped', 'CacheInvalidationTargetRole'],
    // The target's DLQ has no queue policy: EventBridge cannot write failed events to it.
    [E, 'dlq-policy-missing', 'CacheInvalidationTargetDeadLetterQueue'],
  ],
  'serverless-patterns/apigw-rest-api-eventbridge-sqs-sam.yml': [
    [W, 'missing-dlq', 'Queue'],
    // Default visibility 30 s against the 29 s Globals timeout: not below, but below six times.
    [W, 'sqs-visibility-below-function-timeout', 'Queue'],
    [W, 'missing-dlq', 'QueueRule'],
    // events.amazonaws.com granted with no condition at all.
    [E, 'service-principal-unscoped', 'EventBridgeToToQeuPolicy'],
    // Declared and read by no mapping: code would poll it.
    [W, 'sqs-short-polling', 'Queue1'],
  ],
  'serverless-patterns/appsync-notify-subscribers-eventbridge.yaml': [
    [W, 'service-principal-unscoped', 'EventBridgeRole'],
  ],
  // The DLQ's policy lets events.amazonaws.com in with no condition.
  'serverless-patterns/eventbridge-api-destinations-stripe.yaml': [
    [W, 'service-principal-unscoped', 'EventBridgeTargetRole'],
    [E, 'service-principal-unscoped', 'StripeDLQueueEventBridgePolicy'],
  ],
  // SAM's EventBridgeRule event without DeadLetterConfig: the rule target has no DLQ.
  'serverless-patterns/eventbridge-lambda.yaml': [[W, 'missing-dlq', 'ConsumerFunction']],
  // The Pipe's role allows sqs:SendMessage on its DLQ: only the trust policy is unscoped.
  'serverless-patterns/eventbridge-pipes-ddbstream-to-eventbridge.yaml': [
    [W, 'service-principal-unscoped', 'PipeRole'],
  ],
  'serverless-patterns/eventbridge-sqs.yaml': [
    [W, 'sqs-short-polling', 'MySqsQueue'],
    [W, 'missing-dlq', 'EventRule'],
    [E, 'service-principal-unscoped', 'EventBridgeToToSqsPolicy'],
  ],
  'serverless-patterns/eventbridge-to-appsync-events-sam.yaml': [
    [W, 'service-principal-unscoped', 'RoleToAllowEventBridgePublish'],
  ],
  // Lambda-consumed queues with redrive policies; the DLQ is not polled by code.
  'serverless-patterns/fifo-sqs-redrive.yaml': [],
  // Principal AWS:* scoped by aws:SourceArn = the topic lets SNS in: no policy finding.
  'serverless-patterns/iot-sns-sqs-sam.yaml': [
    [W, 'sqs-short-polling', 'IotSnsSqsCfnQueue'],
    [W, 'missing-dlq', 'IotSnsSqsCfnSubscription'],
  ],
  // AnomalyDataQueue is the Kinesis mapping's on-failure destination: a queue of failures, read
  // by hand like a dead-letter queue, so no sqs-short-polling (nor missing-dlq: no SQS consumer).
  'serverless-patterns/kinesis-lambda-error-handling.yaml': [],
  // Six Lambda-consumed queues without redrive policies, six SNS subscriptions without DLQ.
  'serverless-patterns/lambda-esm-sqs-filters-sam.yaml': [
    [W, 'missing-dlq', 'EsmSqsFilterQueueNoFilter'],
    [W, 'missing-dlq', 'EsmSqsFilterQueuePrefix'],
    [W, 'missing-dlq', 'EsmSqsFilterQueueAnythingBut'],
    [W, 'missing-dlq', 'EsmSqsFilterQueueIP'],
    [W, 'missing-dlq', 'EsmSqsFilterQueueAnd'],
    [W, 'missing-dlq', 'EsmSqsFilterQueueOr'],
    [W, 'missing-dlq', 'EmsSqsFilterSnsToSqsSubscriptionOr'],
    [W, 'missing-dlq', 'EmsSqsFilterSnsToSqsSubscriptionAnd'],
    [W, 'missing-dlq', 'EmsSqsFilterSnsToSqsSubscriptionIP'],
    [W, 'missing-dlq', 'EmsSqsFilterSnsToSqsSubscriptionAnythingBut'],
    [W, 'missing-dlq', 'EmsSqsFilterSnsToSqsSubscriptionPrefix'],
    [W, 'missing-dlq', 'EmsSqsFilterSnsToSqsSubscriptionNoFilter'],
  ],
  // No DLQ has a queue policy, and each topic policy grants events.amazonaws.com unscoped.
  'serverless-patterns/lambda-eventbridge-sns-sam.yaml': [
    [E, 'dlq-policy-missing', 'ReserveBankDLQueue'],
    [E, 'dlq-policy-missing', 'BlueBankDLQueue'],
    [E, 'dlq-policy-missing', 'RedBankDLQueue'],
    [E, 'dlq-policy-missing', 'GreenBankDLQueue'],
    [E, 'service-principal-unscoped', 'SNSPolicyEventBridgeBlueBankTopicAllow'],
    [E, 'service-principal-unscoped', 'SNSPolicyEventBridgeRedBankTopicAllow'],
    [E, 'service-principal-unscoped', 'SNSPolicyEventBridgeGreenBankTopicAllow'],
    [E, 'service-principal-unscoped', 'SNSPolicyEventBridgeReserveBankTopicAllow'],
  ],
  // AmazonMSK_ secret under a customer key; mappings take their SASL secret from a parameter.
  'serverless-patterns/msk-cfn-sasl-lambda-MSKSampleStack.yml': [],
  'serverless-patterns/msk-cfn-sasl-lambda.yaml': [],
  'serverless-patterns/s3-b2bi-eventbridge-sqs.yaml': [
    [W, 'sqs-short-polling', 'MyQueue'],
    [W, 'missing-dlq', 'MyEventRule'],
  ],
  'serverless-patterns/s3-eventbridge.yaml': [
    [W, 'missing-dlq', 'S3NewImageEvent'],
    [W, 'sqs-short-polling', 'NewImageEventQueue'],
    // The bucket policy for cloudtrail.amazonaws.com is no queue, topic or bus policy.
    [E, 'service-principal-unscoped', 'AllowPublishToSQS'],
  ],
  // S3 → SNS with aws:SourceArn and aws:SourceAccount: correct.
  'serverless-patterns/s3-sns.yaml': [],
  'serverless-patterns/s3-sqs-lambda.yaml': [[W, 'missing-dlq', 'ResizerQueue']],
  // S3 → SQS with both keys; the queue has no consumer in the template.
  'serverless-patterns/s3-sqs.yaml': [[W, 'sqs-short-polling', 'StandardQueue']],
  'serverless-patterns/sns-kinesis-data-firehose-sam.yaml': [[W, 'missing-dlq', 'SNSSubscription']],
  // SAM's SNS event makes a subscription without RedrivePolicy.
  'serverless-patterns/sns-lambda-nodejs-sam.yaml': [[W, 'missing-dlq', 'ProcessorFunction']],
  'serverless-patterns/sns-sqs-fanout.yaml': [
    [W, 'sqs-short-polling', 'AllMetricsSqsQueue'],
    [W, 'sqs-short-polling', 'TemperatureSqsQueue'],
    [W, 'sqs-short-polling', 'HumiditySqsQueue'],
    [W, 'missing-dlq', 'MetricsQueueSubscription'],
    [W, 'missing-dlq', 'TemperatureSqsQueueSubscription'],
    [W, 'missing-dlq', 'HumiditySqsQueueSubscription'],
  ],
  // The topic's inline Subscription has no redrive policy; the queue has none either.
  'serverless-patterns/sns-sqs-lambda-xray.yaml': [
    [W, 'missing-dlq', 'SourceSqsQueue'],
    [W, 'missing-dlq', 'SourceSnsTopic'],
  ],
  // Inline Subscription of the topic, named by the topic.
  'serverless-patterns/sns-sqs.yaml': [
    [W, 'sqs-short-polling', 'MySqsQueue'],
    [W, 'missing-dlq', 'MySnsTopic'],
  ],
  // SAM's SQS-triggered function done right: nothing but notices.
  'serverless-patterns/sqs-lambda-nodejs-sam.yaml': [],
  // Visibility 300 s against functions of 60 s and 120 s: below six times.
  'serverless-patterns/sqs-lambda-tenant-isolation-sam-py.yml': [
    [W, 'sqs-visibility-below-function-timeout', 'ProcessingQueue'],
  ],
  'solutions-constructs/s3sqs-noArguments.template.json': [
    [W, 'sqs-short-polling', 'tests3sqsqueue810CCE19'],
    // CDK writes only aws:SourceArn for s3.amazonaws.com; bucket ARNs carry no account, so the
    // issue wants aws:SourceAccount too.
    [E, 'service-principal-unscoped', 'tests3sqsqueuePolicyDDC0D745'],
  ],
  // CDK's default SNS → SQS: SourceArn-scoped policy and a key policy that lets SNS use the CMK.
  // The queue is for code to poll; the subscription has no redrive policy.
  'solutions-constructs/snssqs-no-arguments.template.json': [
    [W, 'sqs-short-polling', 'testsnssqsstackqueue908D8D48'],
    [W, 'missing-dlq', 'testsnssqsstackqueuesnssqsnoargumentstestsnssqsstackSnsTopic716318502B9FD0D3'],
  ],
  // CDK's SQS → Lambda: redrive policy, default visibility 30 s over the 3 s function timeout.
  'solutions-constructs/sqslam-deployFunction.template.json': [],
  // CDK's SQS → Pipe → Step Functions: only the Pipe role's trust policy has no source condition.
  'solutions-constructs/sqspstp-no-arguments.template.json': [
    [
      W,
      'service-principal-unscoped',
      'testsqspipesstatesconstructPipeRoletestsqspipesstatesconstruct2CC9A13C',
    ],
  ],
  // CDK's EventBridge → SQS with a target DLQ: policies scoped by SourceAccount or SourceArn, and
  // key policies that let events.amazonaws.com use the CMKs.
  'solutions-constructs/evtsqs-rule-dlq/cdk.out': [[W, 'sqs-short-polling', 'constructqueue481DC1EC']],
  // The queue policy is built from ARNs computed at apply time: unknown in the plan, no finding.
  'terraform/eventbridge-sqs-terraform.plan.json': [
    [W, 'missing-dlq', 'aws_cloudwatch_event_rule.MyEventRule'],
    [W, 'sqs-short-polling', 'aws_sqs_queue.MySQSqueue'],
  ],
  'terraform/sns-sqs-fanout-tf.plan.json': [
    [W, 'missing-dlq', 'aws_sns_topic_subscription.HumiditySqsQueueSubscription'],
    [W, 'missing-dlq', 'aws_sns_topic_subscription.MetricsQueueSubscription'],
    [W, 'missing-dlq', 'aws_sns_topic_subscription.TemperatureSqsQueueSubscription'],
    [W, 'sqs-short-polling', 'aws_sqs_queue.AllMetricsSqsQueue'],
    [W, 'sqs-short-polling', 'aws_sqs_queue.HumiditySqsQueue'],
    [W, 'sqs-short-polling', 'aws_sqs_queue.TemperatureSqsQueue'],
  ],
  'terraform/sns-sqs-terraform.plan.json': [
    [W, 'missing-dlq', 'aws_sns_topic_subscription.sns_sqs_demo_snssubscription'],
    [W, 'sqs-short-polling', 'aws_sqs_queue.sns_sqs_demo_queue'],
  ],
  // Variants: see VARIANTS below for the one change each makes.
  'variants/v01.yaml': [
    [W, 'missing-dlq', 'EventsToFirehose'],
    [W, 'sns-firehose-double-newline', 'EventsToFirehose'],
  ],
  'variants/v02.yaml': [[E, 'inline-broker-credentials', 'MQBroker']],
  'variants/v03.yaml': [
    [E, 'dlq-policy-missing', 'DLQ'],
    [W, 'service-principal-unscoped', 'EventBridgeRole'],
  ],
  'variants/v04.yaml': [[E, 'dlq-policy-missing', 'TriggerDLQ']],
  'variants/v05.yaml': [],
  'variants/v06.yaml': [
    [W, 'sqs-short-polling', 'MySqsQueue'],
    [E, 'target-policy-missing', 'MySqsQueue'],
    [W, 'missing-dlq', 'EventRule'],
  ],
  'variants/v07.yaml': [
    [W, 'sqs-short-polling', 'MySqsQueue'],
    [W, 'missing-dlq', 'EventRule'],
  ],
  'variants/v08.yml': [[E, 'msk-scram-secret', 'CredentialsSecret']],
  'variants/v09.yml': [[E, 'msk-scram-secret', 'CredentialsSecret']],
  'variants/v10.yaml': [[E, 'inline-broker-credentials', 'TopicConsumerFunction']],
  'variants/v11.yaml': [[E, 'target-policy-missing', 'SNSTopic']],
  'variants/v12.yaml': [
    [W, 'missing-dlq', 'ResizerQueue'],
    [E, 'target-policy-missing', 'ResizerQueue'],
  ],
  'variants/v13.yaml': [],
  'variants/v14.yaml': [
    [E, 'service-principal-unscoped', 'QueuePolicy'],
    [W, 'sqs-short-polling', 'StandardQueue'],
  ],
  'variants/v15.yaml': [[W, 'sqs-short-polling', 'StandardQueue']],
  'variants/v16.yaml': [
    [W, 'missing-dlq', 'SNSSubscription'],
    [W, 'sns-firehose-double-newline', 'SNSSubscription'],
  ],
  'variants/v17.yaml': [
    [W, 'sqs-short-polling', 'AllMetricsSqsQueue'],
    [W, 'sqs-short-polling', 'TemperatureSqsQueue'],
    [W, 'sqs-short-polling', 'HumiditySqsQueue'],
    [E, 'dlq-policy-missing', 'MetricsSqsDLQueue'],
    [W, 'missing-dlq', 'TemperatureSqsQueueSubscription'],
    [W, 'missing-dlq', 'HumiditySqsQueueSubscription'],
  ],
  'variants/v18.yaml': [
    [W, 'sqs-short-polling', 'AllMetricsSqsQueue'],
    [W, 'sqs-short-polling', 'TemperatureSqsQueue'],
    [W, 'sqs-short-polling', 'HumiditySqsQueue'],
    [W, 'missing-dlq', 'TemperatureSqsQueueSubscription'],
    [W, 'missing-dlq', 'HumiditySqsQueueSubscription'],
  ],
  'variants/v19.yaml': [
    [W, 'sqs-short-polling', 'MySqsQueue'],
    [E, 'target-policy-missing', 'MySqsQueue'],
    [W, 'missing-dlq', 'MySnsTopic'],
  ],
  'variants/v20.yaml': [
    [W, 'sqs-short-polling', 'MySqsQueue'],
    [W, 'missing-dlq', 'MySnsTopic'],
    [E, 'service-principal-unscoped', 'SnsToSqsPolicy'],
  ],
  'variants/v21.yaml': [[W, 'missing-dlq', 'ProcessingQueue']],
  'variants/v22.yaml': [[W, 'sqs-visibility-below-function-timeout', 'ProcessingQueue']],
};

/** The queues and topics of each file that get the no-customer-managed-key notice. */
const NOTICES: Record<string, readonly string[]> = {
  'cloudformation-templates/DataFirehoseDeliveryStream.yaml': [],
  'cloudformation-templates/SNSTopic.yaml': ['SNSTopic'],
  'cloudformation-templates/SQSStandardQueue.json': ['MyDeadLetterQueue'],
  'serverless-patterns/activemq-lambda.yaml': [],
  'serverless-patterns/apigw-cache-invalidation-eventbridge.yaml': ['CacheInvalidationTargetDeadLetterQueue'],
  'serverless-patterns/apigw-rest-api-eventbridge-sqs-sam.yml': ['Queue', 'Queue1'],
  'serverless-patterns/appsync-notify-subscribers-eventbridge.yaml': ['DLQ'],
  'serverless-patterns/eventbridge-api-destinations-stripe.yaml': ['StripeDLQueue'],
  'serverless-patterns/eventbridge-lambda.yaml': [],
  'serverless-patterns/eventbridge-pipes-ddbstream-to-eventbridge.yaml': ['PipeDLQueue'],
  'serverless-patterns/eventbridge-sqs.yaml': ['MySqsQueue'],
  'serverless-patterns/eventbridge-to-appsync-events-sam.yaml': ['DLQueue'],
  'serverless-patterns/fifo-sqs-redrive.yaml': ['MyOriginalQueue', 'MyDeadLetterQueue', 'MyReProcessQueue'],
  'serverless-patterns/iot-sns-sqs-sam.yaml': ['IotSnsSqsCfnQueue', 'IotSnsSqsCfnTopic'],
  'serverless-patterns/kinesis-lambda-error-handling.yaml': ['AnomalyDataQueue'],
  'serverless-patterns/lambda-esm-sqs-filters-sam.yaml': [
    'EsmSqsFilterQueueNoFilter',
    'EsmSqsFilterQueuePrefix',
    'EsmSqsFilterQueueAnythingBut',
    'EsmSqsFilterQueueIP',
    'EsmSqsFilterQueueAnd',
    'EsmSqsFilterQueueOr',
    'EmsSqsFilterSnsTopic',
  ],
  'serverless-patterns/lambda-eventbridge-sns-sam.yaml': [
    'ReserveBankDLQueue',
    'BlueBankDLQueue',
    'RedBankDLQueue',
    'GreenBankDLQueue',
    'BlueBankTopic',
    'RedBankTopic',
    'GreenBankTopic',
    'ReserveBankTopic',
  ],
  'serverless-patterns/msk-cfn-sasl-lambda-MSKSampleStack.yml': [],
  'serverless-patterns/msk-cfn-sasl-lambda.yaml': [],
  'serverless-patterns/s3-b2bi-eventbridge-sqs.yaml': ['MyQueue'],
  'serverless-patterns/s3-eventbridge.yaml': ['NewImageEventQueue'],
  'serverless-patterns/s3-sns.yaml': ['SNSTopic'],
  'serverless-patterns/s3-sqs-lambda.yaml': ['ResizerQueue'],
  'serverless-patterns/s3-sqs.yaml': ['StandardQueue'],
  'serverless-patterns/sns-kinesis-data-firehose-sam.yaml': ['SNSTopic'],
  'serverless-patterns/sns-lambda-nodejs-sam.yaml': ['ProcessingTopic'],
  'serverless-patterns/sns-sqs-fanout.yaml': [
    'MetricsSnsTopic',
    'AllMetricsSqsQueue',
    'TemperatureSqsQueue',
    'HumiditySqsQueue',
    'MetricsSqsDLQueue',
    'TemperatureSqsDLQueue',
    'HumiditySqsDLQueue',
  ],
  'serverless-patterns/sns-sqs-lambda-xray.yaml': ['SourceSqsQueue', 'SourceSnsTopic'],
  'serverless-patterns/sns-sqs.yaml': ['MySqsQueue', 'MySnsTopic'],
  'serverless-patterns/sqs-lambda-nodejs-sam.yaml': ['ProcessingQueue', 'ProcessingDLQ'],
  'serverless-patterns/sqs-lambda-tenant-isolation-sam-py.yml': ['DeadLetterQueue', 'ProcessingQueue'],
  'solutions-constructs/s3sqs-noArguments.template.json': ['tests3sqsqueuedlq9DE05351'],
  'solutions-constructs/snssqs-no-arguments.template.json': ['testsnssqsstackqueuedlq0BD0C2B9'],
  'solutions-constructs/sqslam-deployFunction.template.json': [
    'testsqslambdaqueuedlq3A0F89AC',
    'testsqslambdaqueue601203B8',
  ],
  'solutions-constructs/sqspstp-no-arguments.template.json': [
    'testsqspipesstatesconstructqueuedlq420A82FD',
    'testsqspipesstatesconstructqueueA7C76715',
  ],
  'solutions-constructs/evtsqs-rule-dlq/cdk.out': ['constructqueuedlq6B66D1E6'],
  'terraform/eventbridge-sqs-terraform.plan.json': ['aws_sqs_queue.MySQSqueue'],
  'terraform/sns-sqs-fanout-tf.plan.json': [
    'aws_sns_topic.MetricsSnsTopic',
    'aws_sqs_queue.AllMetricsSqsQueue',
    'aws_sqs_queue.HumiditySqsDLQueue',
    'aws_sqs_queue.HumiditySqsQueue',
    'aws_sqs_queue.MetricsSqsDLQueue',
    'aws_sqs_queue.TemperatureSqsDLQueue',
    'aws_sqs_queue.TemperatureSqsQueue',
  ],
  'terraform/sns-sqs-terraform.plan.json': [
    'aws_sns_topic.sns_sqs_demo_topic',
    'aws_sqs_queue.sns_sqs_demo_queue',
  ],
  'variants/v01.yaml': ['EventsTopic'],
  'variants/v02.yaml': [],
  'variants/v03.yaml': ['DLQ'],
  'variants/v04.yaml': ['TriggerDLQ'],
  'variants/v05.yaml': ['ConsumerFunction'],
  'variants/v06.yaml': ['MySqsQueue'],
  'variants/v07.yaml': ['MySqsQueue'],
  'variants/v08.yml': [],
  'variants/v09.yml': [],
  'variants/v10.yaml': [],
  'variants/v11.yaml': ['SNSTopic'],
  'variants/v12.yaml': ['ResizerQueue'],
  'variants/v13.yaml': ['StandardQueue'],
  'variants/v14.yaml': ['StandardQueue'],
  'variants/v15.yaml': ['StandardQueue'],
  'variants/v16.yaml': ['SNSTopic'],
  'variants/v17.yaml': [
    'MetricsSnsTopic',
    'AllMetricsSqsQueue',
    'TemperatureSqsQueue',
    'HumiditySqsQueue',
    'MetricsSqsDLQueue',
    'TemperatureSqsDLQueue',
    'HumiditySqsDLQueue',
  ],
  'variants/v18.yaml': [
    'MetricsSnsTopic',
    'AllMetricsSqsQueue',
    'TemperatureSqsQueue',
    'HumiditySqsQueue',
    'MetricsSqsDLQueue',
    'TemperatureSqsDLQueue',
    'HumiditySqsDLQueue',
  ],
  'variants/v19.yaml': ['MySqsQueue', 'MySnsTopic'],
  'variants/v20.yaml': ['MySqsQueue', 'MySnsTopic'],
  'variants/v21.yaml': ['ProcessingQueue', 'ProcessingDLQ'],
  'variants/v22.yaml': ['ProcessingQueue', 'ProcessingDLQ'],
};

/**
 * Each variant changes one place of its base (line 1 names it). Linting it must give the base's
 * findings, minus `removed`, plus `added`: the one intended change and nothing else.
 */
const VARIANTS: Record<string, { base: string; added: Expected; removed: Expected; notices?: number }> = {
  // A firehose subscription on a stream with AppendDelimiterToRecord; the new subscription has no
  // DLQ (missing-dlq) and the new topic no CMK (notice), as any subscription and topic would.
  'variants/v01.yaml': {
    base: 'cloudformation-templates/DataFirehoseDeliveryStream.yaml',
    added: [
      [W, 'sns-firehose-double-newline', 'EventsToFirehose'],
      [W, 'missing-dlq', 'EventsToFirehose'],
    ],
    removed: [],
    notices: 1,
  },
  // A literal broker password instead of a {{resolve:secretsmanager}} reference.
  'variants/v02.yaml': {
    base: 'serverless-patterns/activemq-lambda.yaml',
    added: [[E, 'inline-broker-credentials', 'MQBroker']],
    removed: [],
  },
  // The DLQ's queue policy removed.
  'variants/v03.yaml': {
    base: 'serverless-patterns/appsync-notify-subscribers-eventbridge.yaml',
    added: [[E, 'dlq-policy-missing', 'DLQ']],
    removed: [],
  },
  // A DeadLetterConfig naming a new queue without a policy: the target now has a DLQ, which
  // EventBridge may not write to.
  'variants/v04.yaml': {
    base: 'serverless-patterns/eventbridge-lambda.yaml',
    added: [[E, 'dlq-policy-missing', 'TriggerDLQ']],
    removed: [[W, 'missing-dlq', 'ConsumerFunction']],
    notices: 1,
  },
  // SAM's DeadLetterConfig Type: SQS creates the queue and its policy: correct.
  'variants/v05.yaml': {
    base: 'serverless-patterns/eventbridge-lambda.yaml',
    added: [],
    removed: [[W, 'missing-dlq', 'ConsumerFunction']],
    notices: 1,
  },
  // The queue policy removed: the target cannot deliver (and no unscoped grant is left).
  'variants/v06.yaml': {
    base: 'serverless-patterns/eventbridge-sqs.yaml',
    added: [[E, 'target-policy-missing', 'MySqsQueue']],
    removed: [[E, 'service-principal-unscoped', 'EventBridgeToToSqsPolicy']],
  },
  // Metadata tideway.ignore on the queue and the policy.
  'variants/v07.yaml': {
    base: 'serverless-patterns/eventbridge-sqs.yaml',
    added: [],
    removed: [[E, 'service-principal-unscoped', 'EventBridgeToToSqsPolicy']],
  },
  // The SCRAM secret encrypted with aws/secretsmanager.
  'variants/v08.yml': {
    base: 'serverless-patterns/msk-cfn-sasl-lambda-MSKSampleStack.yml',
    added: [[E, 'msk-scram-secret', 'CredentialsSecret']],
    removed: [],
  },
  // The SCRAM secret named without the AmazonMSK_ prefix.
  'variants/v09.yml': {
    base: 'serverless-patterns/msk-cfn-sasl-lambda-MSKSampleStack.yml',
    added: [[E, 'msk-scram-secret', 'CredentialsSecret']],
    removed: [],
  },
  // A SASL password in the function's environment.
  'variants/v10.yaml': {
    base: 'serverless-patterns/msk-cfn-sasl-lambda.yaml',
    added: [[E, 'inline-broker-credentials', 'TopicConsumerFunction']],
    removed: [],
  },
  // The topic policy grants events.amazonaws.com, not s3.amazonaws.com.
  'variants/v11.yaml': {
    base: 'serverless-patterns/s3-sns.yaml',
    added: [[E, 'target-policy-missing', 'SNSTopic']],
    removed: [],
  },
  // The queue policy allows sqs:ReceiveMessage, not sqs:SendMessage.
  'variants/v12.yaml': {
    base: 'serverless-patterns/s3-sqs-lambda.yaml',
    added: [[E, 'target-policy-missing', 'ResizerQueue']],
    removed: [],
  },
  // ReceiveMessageWaitTimeSeconds: 20.
  'variants/v13.yaml': {
    base: 'serverless-patterns/s3-sqs.yaml',
    added: [],
    removed: [[W, 'sqs-short-polling', 'StandardQueue']],
  },
  // aws:SourceAccount removed: aws:SourceArn alone does not scope s3.amazonaws.com.
  'variants/v14.yaml': {
    base: 'serverless-patterns/s3-sqs.yaml',
    added: [[E, 'service-principal-unscoped', 'QueuePolicy']],
    removed: [],
  },
  // ReceiveMessageWaitTimeSeconds: 0 written out: still short polling.
  'variants/v15.yaml': { base: 'serverless-patterns/s3-sqs.yaml', added: [], removed: [] },
  // AppendDelimiterToRecord on the stream of a firehose subscription.
  'variants/v16.yaml': {
    base: 'serverless-patterns/sns-kinesis-data-firehose-sam.yaml',
    added: [[W, 'sns-firehose-double-newline', 'SNSSubscription']],
    removed: [],
  },
  // A subscription redrive policy to a DLQ that the queue policy does not cover.
  'variants/v17.yaml': {
    base: 'serverless-patterns/sns-sqs-fanout.yaml',
    added: [[E, 'dlq-policy-missing', 'MetricsSqsDLQueue']],
    removed: [[W, 'missing-dlq', 'MetricsQueueSubscription']],
  },
  // The same, with the DLQ added to the queue policy: correct.
  'variants/v18.yaml': {
    base: 'serverless-patterns/sns-sqs-fanout.yaml',
    added: [],
    removed: [[W, 'missing-dlq', 'MetricsQueueSubscription']],
  },
  // The queue policy removed.
  'variants/v19.yaml': {
    base: 'serverless-patterns/sns-sqs.yaml',
    added: [[E, 'target-policy-missing', 'MySqsQueue']],
    removed: [],
  },
  // The aws:SourceArn condition removed.
  'variants/v20.yaml': {
    base: 'serverless-patterns/sns-sqs.yaml',
    added: [[E, 'service-principal-unscoped', 'SnsToSqsPolicy']],
    removed: [],
  },
  // The queue's redrive policy removed.
  'variants/v21.yaml': {
    base: 'serverless-patterns/sqs-lambda-nodejs-sam.yaml',
    added: [[W, 'missing-dlq', 'ProcessingQueue']],
    removed: [],
  },
  // Function timeout 30 s on a queue with a 30 s visibility timeout: not below it (Lambda
  // accepts the mapping), but below six times it.
  'variants/v22.yaml': {
    base: 'serverless-patterns/sqs-lambda-nodejs-sam.yaml',
    added: [[W, 'sqs-visibility-below-function-timeout', 'ProcessingQueue']],
    removed: [],
  },
};

/** Every input of the corpus as lint takes it: templates, plans, and the cdk.out folder whole. */
function corpusInputs(dir = CORPUS): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name === 'licenses') continue;
      if (name === 'cdk.out') found.push(full);
      else found.push(...corpusInputs(full));
    } else if (/\.(ya?ml|json)$/.test(name)) found.push(full);
  }
  return found;
}

const key = (severity: string, rule: string, resource: string): string => `${severity} ${rule} ${resource}`;
const keys = (expected: Expected): string[] => expected.map((entry) => key(...entry)).sort();
const errorsAndWarnings = (findings: Finding[]): string[] =>
  findings
    .filter((finding) => finding.rule !== 'no-customer-managed-key')
    .map((finding) => key(finding.severity, finding.rule, finding.resource))
    .sort();
const noticed = (findings: Finding[]): string[] =>
  findings
    .filter((finding) => finding.rule === 'no-customer-managed-key')
    .map((finding) => finding.resource)
    .sort();

async function lintOne(relative: string): Promise<Finding[]> {
  const result = await lintPaths([path.join(CORPUS, relative)]);
  assert.deepEqual(result.skipped, [], `${relative}: nothing skipped`);
  assert.equal(result.files.length, 1, `${relative} is read as one input`);
  return result.findings;
}

/** Multiset difference: `from` without one occurrence of each of `without`. */
function minus(from: string[], without: string[]): string[] {
  const left = [...from];
  for (const item of without) {
    const at = left.indexOf(item);
    assert.ok(at >= 0, `${item} is among the base's findings`);
    left.splice(at, 1);
  }
  return left;
}

describe('lint over the corpus of real templates', () => {
  const inputs = corpusInputs().map((full) => path.relative(CORPUS, full));

  it('has an expectation for every template, plan and cdk.out folder of the corpus', () => {
    assert.ok(inputs.length >= 60, `found ${inputs.length}`);
    assert.deepEqual(inputs, Object.keys(EXPECTED).sort());
    assert.deepEqual(inputs, Object.keys(NOTICES).sort());
  });

  for (const relative of inputs) {
    it(`${relative}: exactly the findings we defend`, async () => {
      const findings = await lintOne(relative);
      assert.deepEqual(errorsAndWarnings(findings), keys(EXPECTED[relative] ?? []));
      assert.deepEqual(noticed(findings), [...(NOTICES[relative] ?? [])].sort());
      for (const finding of findings) {
        // A cdk.out folder's findings name the template in it.
        const file = path.join(CORPUS, relative);
        assert.ok(finding.file === file || finding.file.startsWith(`${file}${path.sep}`), finding.file);
        assert.ok(finding.message.length > 0 && finding.fix.length > 0, `${finding.rule} says why and how`);
        // Plans carry no lines; templates do.
        if (relative.startsWith('terraform/')) assert.equal(finding.line, undefined);
        else assert.ok((finding.line ?? 0) > 0, `${finding.rule} on ${finding.resource} has a line`);
      }
    });
  }

  for (const [variant, change] of Object.entries(VARIANTS)) {
    it(`${variant} shows its one change against ${change.base}`, async () => {
      const [variantFindings, baseFindings] = await Promise.all([lintOne(variant), lintOne(change.base)]);
      const expected = [
        ...minus(errorsAndWarnings(baseFindings), keys(change.removed)),
        ...keys(change.added),
      ];
      assert.deepEqual(errorsAndWarnings(variantFindings), expected.sort());
      assert.equal(noticed(variantFindings).length, noticed(baseFindings).length + (change.notices ?? 0));
    });
  }

  it('reads the whole corpus folder in one run, skipping nothing, with the same findings', async () => {
    const whole = await lintPaths([CORPUS]);
    assert.deepEqual(whole.skipped, []);
    assert.equal(whole.files.length, inputs.length);
    const expectedCount = inputs.reduce(
      (sum, relative) => sum + (EXPECTED[relative]?.length ?? 0) + (NOTICES[relative]?.length ?? 0),
      0,
    );
    assert.equal(whole.findings.length, expectedCount);
  });
});

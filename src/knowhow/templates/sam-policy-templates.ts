/**
 * The SAM policy templates that concern messaging, as SAM defines them
 * (samtranslator/policy_templates_data/policy_templates.json): each expands to an IAM document in
 * which `{ Ref: <Parameter> }` stands for the value the author passed.
 */
/** `resource` is the ARN's tail before and after the author's value, which `Ref: parameter` stands for. */
const arnSub = (
  service: string,
  resource: [string, string],
  parameter: string,
  variable: string,
): unknown => ({
  'Fn::Sub': [
    `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource[0]}\${${variable}}${resource[1]}`,
    { [variable]: { Ref: parameter } },
  ],
});

const TEMPLATES: Record<string, { actions: string[]; resource: unknown }> = {
  SQSSendMessagePolicy: {
    actions: ['sqs:SendMessage*'],
    resource: arnSub('sqs', ['', ''], 'QueueName', 'queueName'),
  },
  SQSPollerPolicy: {
    actions: [
      'sqs:ChangeMessageVisibility',
      'sqs:ChangeMessageVisibilityBatch',
      'sqs:DeleteMessage',
      'sqs:DeleteMessageBatch',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ],
    resource: arnSub('sqs', ['', ''], 'QueueName', 'queueName'),
  },
  SNSPublishMessagePolicy: {
    actions: ['sns:Publish'],
    resource: arnSub('sns', ['', ''], 'TopicName', 'topicName'),
  },
  SNSCrudPolicy: {
    actions: [
      'sns:ListSubscriptionsByTopic',
      'sns:CreateTopic',
      'sns:SetTopicAttributes',
      'sns:Subscribe',
      'sns:Publish',
    ],
    resource: arnSub('sns', ['', '*'], 'TopicName', 'topicName'),
  },
  EventBridgePutEventsPolicy: {
    actions: ['events:PutEvents'],
    resource: arnSub('events', ['event-bus/', ''], 'EventBusName', 'eventBusName'),
  },
  FirehoseWritePolicy: {
    actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
    resource: arnSub('firehose', ['deliverystream/', ''], 'DeliveryStreamName', 'deliveryStreamName'),
  },
  AWSSecretsManagerGetSecretValuePolicy: {
    actions: ['secretsmanager:GetSecretValue'],
    resource: { Ref: 'SecretArn' },
  },
};

/** The IAM document of a policy template, or undefined when SAM's name is not one listed here. */
export function expandPolicyTemplate(name: string, parameters: unknown): unknown {
  const template = TEMPLATES[name];
  if (!template) return undefined;
  const values = parameters && typeof parameters === 'object' ? (parameters as Record<string, unknown>) : {};
  return {
    Statement: [
      { Effect: 'Allow', Action: template.actions, Resource: substitute(template.resource, values) },
    ],
  };
}

function substitute(value: unknown, parameters: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => substitute(item, parameters));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === 'Ref' && typeof entries[0][1] === 'string') {
      return parameters[entries[0][1]] ?? { Ref: entries[0][1] };
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, substitute(item, parameters)]));
  }
  return value;
}

export function isPolicyTemplate(name: string): boolean {
  return name in TEMPLATES;
}

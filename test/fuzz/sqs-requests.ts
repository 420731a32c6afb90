import { type Fuzz, MEMBER_NAMES, mangle } from './fuzz.js';

// Requests for SQS (and the awsQuery fields SNS shares): mostly the right members, with values
// that are wrong in every way the storm knows.

export const ACCOUNT = '000000000000';

export const SQS_OPERATIONS = [
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteQueue',
  'GetQueueUrl',
  'GetQueueAttributes',
  'SetQueueAttributes',
  'ListQueues',
  'ListQueueTags',
  'TagQueue',
  'UntagQueue',
  'PurgeQueue',
  'AddPermission',
  'RemovePermission',
  'ListDeadLetterSourceQueues',
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
  'NoSuchOperation',
  '',
  'toString',
  '__proto__',
];

export const ATTRIBUTE_NAMES = [
  'All',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'ApproximateNumberOfMessages',
  'QueueArn',
  'Bogus',
];

export interface Targets {
  queueUrls: string[];
  receiptHandles: string[];
  queueArns: string[];
}

export function queueUrl(f: Fuzz, endpoint: string, t: Targets): string {
  switch (f.int(8)) {
    case 0:
    case 5:
    case 6:
    case 7:
      return f.pick(t.queueUrls);
    case 1:
      return mangle(f, f.pick(t.queueUrls));
    case 2:
      return `${endpoint}/${f.pick([ACCOUNT, '123', '999999999999', f.text(12)])}/${f.text(20)}`;
    case 3:
      return f.text();
    default:
      return f.pick([
        '',
        'http://',
        'https://sqs.us-east-1.amazonaws.com/',
        '/000000000000/',
        `${endpoint}/`,
      ]);
  }
}

/** Members each SQS operation requires beyond QueueUrl: the storm sends them most of the time, to get past the first check. */
const SQS_REQUIRED: Record<string, string[]> = {
  SendMessage: ['MessageBody'],
  DeleteMessage: ['ReceiptHandle'],
  ChangeMessageVisibility: ['ReceiptHandle', 'VisibilityTimeout'],
  SendMessageBatch: ['Entries'],
  DeleteMessageBatch: ['Entries'],
  ChangeMessageVisibilityBatch: ['Entries'],
  CreateQueue: ['QueueName', 'Attributes'],
  GetQueueUrl: ['QueueName'],
  SetQueueAttributes: ['Attributes'],
  TagQueue: ['Tags'],
  UntagQueue: ['TagKeys'],
  AddPermission: ['Label', 'AWSAccountIds', 'Actions'],
  RemovePermission: ['Label'],
  StartMessageMoveTask: ['SourceArn'],
  CancelMessageMoveTask: ['TaskHandle'],
  ListMessageMoveTasks: ['SourceArn'],
  ReceiveMessage: ['MaxNumberOfMessages', 'AttributeNames'],
};

function sqsMember(f: Fuzz, name: string, t: Targets): unknown {
  if (f.chance(0.2)) return f.value();
  switch (name) {
    case 'ReceiptHandle':
      return f.chance(0.3) ? f.pick(t.receiptHandles) : mangle(f, f.pick(t.receiptHandles));
    case 'MessageBody':
      return f.text(60);
    case 'QueueName':
      return f.chance(0.3) ? f.pick(['fuzz', 'fuzz.fifo', 'fuzz-2', 'x.fifo']) : f.text(30);
    case 'VisibilityTimeout':
    case 'MaxNumberOfMessages':
      return f.pick([0, 1, 10, 11, -1, 43200, 43201, 1.5, '5']);
    case 'AttributeNames':
      return Array.from({ length: f.int(3) }, () => (f.chance(0.7) ? f.pick(ATTRIBUTE_NAMES) : f.text(10)));
    case 'Tags': {
      const tags: Record<string, unknown> = {};
      for (let i = f.int(3); i >= 0; i--) tags[f.text(12)] = f.chance(0.8) ? f.text(20) : f.value();
      return tags;
    }
    case 'TagKeys':
    case 'AWSAccountIds':
    case 'Actions':
      return Array.from({ length: f.int(3) }, () => f.pick([ACCOUNT, 'SendMessage', '*', f.text(12)]));
    case 'Label':
      return f.text(20);
    case 'SourceArn':
      return f.chance(0.5) ? f.pick(t.queueArns) : mangle(f, f.pick(t.queueArns));
    case 'TaskHandle':
      return f.chance(0.3) ? Buffer.from(f.text(30)).toString('base64') : f.text(30);
    default:
      return f.value();
  }
}

/** One awsJson body for an SQS operation: mostly the right members with fuzzed values. */
export function sqsJsonMembers(
  f: Fuzz,
  operation: string,
  endpoint: string,
  t: Targets,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (f.chance(0.85)) body.QueueUrl = f.chance(0.85) ? queueUrl(f, endpoint, t) : f.value();
  const required = Object.hasOwn(SQS_REQUIRED, operation) ? SQS_REQUIRED[operation] : [];
  for (const name of required) if (f.chance(0.85)) body[name] = sqsMember(f, name, t);
  if (f.chance(0.2)) body.ReceiptHandle = sqsMember(f, 'ReceiptHandle', t);
  if (f.chance(0.2)) body.MessageBody = sqsMember(f, 'MessageBody', t);
  if (f.chance(0.1)) body.QueueName = sqsMember(f, 'QueueName', t);
  if (f.chance(0.3) || body.Attributes !== undefined) {
    const attributes: Record<string, unknown> = {};
    for (let i = f.int(3); i >= 0; i--) {
      attributes[f.chance(0.7) ? f.pick(ATTRIBUTE_NAMES) : f.text(10)] = f.chance(0.7)
        ? f.text(20)
        : f.value();
    }
    body.Attributes = attributes;
  }
  if (f.chance(0.25)) {
    const attributes: Record<string, unknown> = {};
    for (let i = f.int(3); i >= 0; i--) {
      attributes[f.text(12)] = f.chance(0.6)
        ? {
            DataType: f.pick(['String', 'Number', 'Binary', 'String.x', f.text(8)]),
            StringValue: f.chance(0.7) ? f.text(20) : f.value(),
            ...(f.chance(0.3) ? { BinaryValue: f.pick(['AAEC', '!!', f.text(8)]) } : {}),
          }
        : f.value();
    }
    body.MessageAttributes = attributes;
  }
  if (f.chance(0.25) || body.Entries !== undefined) {
    body.Entries = f.chance(0.8)
      ? Array.from({ length: f.int(12) }, () => ({
          Id: f.chance(0.7) ? f.text(10) : f.value(),
          MessageBody: f.text(20),
          ReceiptHandle: mangle(f, f.pick(t.receiptHandles)),
          ...(f.chance(0.3) ? { DelaySeconds: f.value() } : {}),
          ...(f.chance(0.3) ? { VisibilityTimeout: f.value() } : {}),
        }))
      : f.value();
  }
  for (let i = f.int(4); i > 0; i--) body[f.pick(MEMBER_NAMES)] = f.value();
  return body;
}

/** Form fields for an SQS or SNS awsQuery request, with fuzzed names, indices and values. */
export function queryFields(
  f: Fuzz,
  action: string,
  known: Record<string, () => string>,
): [string, string][] {
  const fields: [string, string][] = [];
  if (f.chance(0.95)) fields.push(['Action', action]);
  if (f.chance(0.9)) fields.push(['Version', f.chance(0.9) ? '2012-11-05' : f.text(10)]);
  for (const [name, make] of Object.entries(known)) if (f.chance(0.6)) fields.push([name, make()]);
  const indexed = [
    'Attribute.N.Name',
    'Attribute.N.Value',
    'AttributeName.N',
    'MessageAttribute.N.Name',
    'MessageAttribute.N.Value.DataType',
    'MessageAttribute.N.Value.StringValue',
    'MessageAttribute.N.Value.BinaryValue',
    'MessageAttributeName.N',
    'SendMessageBatchRequestEntry.N.Id',
    'SendMessageBatchRequestEntry.N.MessageBody',
    'SendMessageBatchRequestEntry.N.DelaySeconds',
    'DeleteMessageBatchRequestEntry.N.Id',
    'DeleteMessageBatchRequestEntry.N.ReceiptHandle',
    'ChangeMessageVisibilityBatchRequestEntry.N.VisibilityTimeout',
    'Tag.N.Key',
    'Tag.N.Value',
    'TagKey.N',
    'AWSAccountId.N',
    'ActionName.N',
    'Attributes.entry.N.key',
    'Attributes.entry.N.value',
    'MessageAttributes.entry.N.Name',
    'MessageAttributes.entry.N.Value.DataType',
    'MessageAttributes.entry.N.Value.StringValue',
    'Tags.member.N.Key',
    'Tags.member.N.Value',
  ];
  for (let i = f.int(6); i > 0; i--) {
    const index = f.pick(['1', '2', '0', '-1', '01', '1.5', 'x', '999999999999', '']);
    fields.push([f.pick(indexed).replace('N', index), f.chance(0.5) ? f.pick(ATTRIBUTE_NAMES) : f.text(20)]);
  }
  for (let i = f.int(3); i > 0; i--) fields.push([f.text(15), f.text(15)]);
  return fields;
}

import type { TopicRecord } from '../../storage/types.js';
import { snsError } from './errors.js';
import { DEFAULT_RETRY_POLICY, deliveryPolicyProblem } from './http-delivery.js';

/** Default MaximumMessageSize: 256 KiB; a topic may raise it to 1 MiB (SNS guide, "Publishing large messages"). */
export const DEFAULT_MAX_MESSAGE_SIZE = 262_144;
const MIN_MESSAGE_SIZE = 1_024;
const MAX_MESSAGE_SIZE = 1_048_576;

// Delivery-status logging attributes: accepted and stored as given (no logs leave the machine).
const FEEDBACK = ['Application', 'HTTP', 'Lambda', 'SQS', 'Firehose'].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);

/** What SetTopicAttributes (and CreateTopic's Attributes) may set. */
const SETTABLE = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'TracingConfig',
  'KmsMasterKeyId',
  'SignatureVersion',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  'MaximumMessageSize',
  ...FEEDBACK,
]);

/** Only CreateTopic sets these. */
const CREATE_ONLY = new Set(['FifoTopic', 'DataProtectionPolicy']);

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export function checkTopicName(name: string, fifo: boolean): void {
  // One text for every bad name, a FIFO topic's without its .fifo suffix included (recorded
  // against AWS in 2026).
  if (fifo ? !FIFO_TOPIC_NAME.test(name) : !TOPIC_NAME.test(name))
    throw snsError.invalidParameter('Topic Name');
}

/** The policy AWS gives every new topic: the owner account may do everything. */
export function defaultTopicPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  });
}

/** The delivery policy a topic without its own reports (SNS guide, "Amazon SNS message delivery retries"). */
export const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: DEFAULT_RETRY_POLICY,
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

/** Policies are JSON objects; anything else is refused as AWS words it. */
export function checkJson(name: string, value: string): void {
  try {
    const parsed = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw snsError.invalidParameter(`Attributes Reason: ${name}: Invalid JSON`);
  }
}

/** A DeliveryPolicy must be JSON and its retry policy within AWS's bounds. */
export function checkDeliveryPolicy(value: string, of: 'topic' | 'subscription'): void {
  checkJson('DeliveryPolicy', value);
  const problem = deliveryPolicyProblem(value, of);
  if (problem) throw snsError.invalidParameter(`DeliveryPolicy: ${problem}`);
}

/** Validates one attribute as SetTopicAttributes or CreateTopic gives it. */
export function checkTopicAttribute(name: string, value: string, fifo: boolean, creating: boolean): void {
  if (!SETTABLE.has(name) && !(creating && CREATE_ONLY.has(name))) {
    throw snsError.invalidParameter(
      creating ? `Attributes Reason: Unknown attribute ${name}` : 'AttributeName',
    );
  }
  switch (name) {
    case 'FifoTopic':
      if (value !== 'true' && value !== 'false')
        throw snsError.invalidParameter('Attributes Reason: FifoTopic');
      break;
    case 'ContentBasedDeduplication':
      if (!fifo) {
        throw snsError.invalidParameter(
          'ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics',
        );
      }
      if (value !== 'true' && value !== 'false')
        throw snsError.invalidParameter('Attributes Reason: ContentBasedDeduplication');
      break;
    case 'FifoThroughputScope':
      if (!fifo)
        throw snsError.invalidParameter(
          'Attributes Reason: FifoThroughputScope can only be set for FIFO topics',
        );
      if (value !== 'Topic' && value !== 'MessageGroup')
        throw snsError.invalidParameter(
          'Attributes Reason: FifoThroughputScope must be Topic or MessageGroup',
        );
      break;
    case 'ArchivePolicy':
      if (!fifo)
        throw snsError.invalidParameter('Attributes Reason: ArchivePolicy can only be set for FIFO topics');
      checkArchivePolicy(value);
      break;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw snsError.invalidParameter('SignatureVersion');
      break;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw snsError.invalidParameter('TracingConfig');
      break;
    case 'MaximumMessageSize': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < MIN_MESSAGE_SIZE || n > MAX_MESSAGE_SIZE) {
        throw snsError.invalidParameter(
          `Attributes Reason: MaximumMessageSize must be an integer between ${MIN_MESSAGE_SIZE} and ${MAX_MESSAGE_SIZE}`,
        );
      }
      break;
    }
    case 'Policy':
    case 'DataProtectionPolicy':
      if (value !== '') checkJson(name, value);
      break;
    case 'DeliveryPolicy':
      if (value !== '') checkDeliveryPolicy(value, 'topic');
      break;
  }
}

function checkArchivePolicy(value: string): void {
  if (value === '' || value === '{}') return;
  let days: unknown;
  try {
    days = (JSON.parse(value) as { MessageRetentionPeriod?: unknown }).MessageRetentionPeriod;
  } catch {
    throw snsError.invalidParameter('ArchivePolicy Reason: Invalid JSON');
  }
  const n = Number(days);
  if (!Number.isInteger(n) || n < 1 || n > 365) {
    throw snsError.invalidParameter(
      'ArchivePolicy Reason: MessageRetentionPeriod must be an integer between 1 and 365',
    );
  }
}

export interface SubscriptionCounts {
  confirmed: number;
  pending: number;
  deleted: number;
}

/** GetTopicAttributes: what is set plus what AWS derives. */
export function topicAttributes(topic: TopicRecord, counts: SubscriptionCounts): Record<string, string> {
  const out: Record<string, string> = {
    Policy: topic.attributes.Policy ?? defaultTopicPolicy(topic.arn, topic.account),
    Owner: topic.account,
    SubscriptionsPending: String(counts.pending),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: topic.attributes.DeliveryPolicy ?? DEFAULT_EFFECTIVE_DELIVERY_POLICY,
    SubscriptionsConfirmed: String(counts.confirmed),
    DisplayName: topic.attributes.DisplayName ?? '',
    SubscriptionsDeleted: String(counts.deleted),
    MaximumMessageSize: topic.attributes.MaximumMessageSize ?? String(DEFAULT_MAX_MESSAGE_SIZE),
  };
  if (topic.fifo) {
    out.FifoTopic = 'true';
    out.ContentBasedDeduplication = topic.attributes.ContentBasedDeduplication ?? 'false';
    out.FifoThroughputScope = topic.attributes.FifoThroughputScope ?? 'Topic';
  }
  for (const [name, value] of Object.entries(topic.attributes)) {
    if (!(name in out) && name !== 'FifoTopic') out[name] = value;
  }
  return out;
}

import type { SubscriptionRecord, TopicRecord } from '../../storage/types.js';
import { snsError } from './errors.js';
import { DEFAULT_RETRY_POLICY } from './http-delivery.js';
import { jsonParseFailure } from './json-syntax.js';
import { checkDeliveryPolicy } from './topic-attributes.js';

/** What Subscribe's Attributes and SetSubscriptionAttributes may set. */
const SETTABLE = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

/** Where raw delivery means something (SNS guide, "Amazon SNS raw message delivery"). */
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);

export const PROTOCOLS = new Set([
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
]);

/** Checks a settable attribute; filter policies are checked by the caller, which compiles them. */
export function checkSubscriptionAttribute(
  name: string,
  value: string,
  protocol: string,
  creating: boolean,
): void {
  if (!SETTABLE.has(name)) {
    throw snsError.invalidParameter(
      creating ? `Attributes Reason: Unknown attribute ${name}` : 'AttributeName',
    );
  }
  switch (name) {
    case 'RawMessageDelivery':
      if (value !== 'true' && value !== 'false') {
        const reason = `RawMessageDelivery: Invalid value [${value}]. Must be true or false.`;
        throw snsError.invalidParameter(creating ? `Attributes Reason: ${reason}` : reason);
      }
      if (value === 'true' && !RAW_PROTOCOLS.has(protocol)) {
        throw snsError.invalidParameter(
          `Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`,
        );
      }
      break;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        // SetSubscriptionAttributes words it without Subscribe's "Attributes Reason:" (recorded).
        const reason = `FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`;
        throw snsError.invalidParameter(creating ? `Attributes Reason: ${reason}` : reason);
      }
      break;
    case 'RedrivePolicy':
      if (value !== '') checkRedrivePolicy(value);
      break;
    case 'DeliveryPolicy':
      if (value !== '') checkDeliveryPolicy(value, 'subscription');
      break;
  }
}

function checkRedrivePolicy(value: string): void {
  let target: unknown;
  try {
    target = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
  } catch {
    throw snsError.invalidParameter(`RedrivePolicy: ${jsonParseFailure(value)}`);
  }
  if (typeof target !== 'string' || !/^arn:aws:sqs:[^:]+:\d{12}:[^:]+$/.test(target)) {
    throw snsError.invalidParameter('RedrivePolicy: deadLetterTargetArn is an invalid arn');
  }
}

/** GetSubscriptionAttributes: what is set plus what AWS derives. */
export function subscriptionAttributes(
  sub: SubscriptionRecord,
  topic: TopicRecord | undefined,
): Record<string, string> {
  const out: Record<string, string> = {
    Owner: sub.owner,
    RawMessageDelivery: sub.attributes.RawMessageDelivery ?? 'false',
    TopicArn: sub.topicArn,
    Endpoint: sub.endpoint,
    Protocol: sub.protocol,
    PendingConfirmation: String(!sub.confirmed),
    ConfirmationWasAuthenticated: String(sub.confirmed && sub.confirmationAuthenticated !== false),

    SubscriptionArn: sub.arn,
    SubscriptionPrincipal: `arn:aws:iam::${sub.owner}:root`,
  };
  if (sub.attributes.FilterPolicy)
    out.FilterPolicyScope = sub.attributes.FilterPolicyScope ?? 'MessageAttributes';
  if (sub.protocol === 'http' || sub.protocol === 'https') {
    out.EffectiveDeliveryPolicy =
      sub.attributes.DeliveryPolicy ?? effectiveFromTopic(topic?.attributes.DeliveryPolicy);
  }
  for (const [name, value] of Object.entries(sub.attributes)) if (value !== '') out[name] = value;
  return out;
}

/** A topic's http defaults, in the shape a subscription's policy has. */
function effectiveFromTopic(topicPolicy: string | undefined): string {
  if (!topicPolicy) return DEFAULT_HTTP_DELIVERY_POLICY;
  const http = (
    JSON.parse(topicPolicy) as {
      http?: { defaultHealthyRetryPolicy?: object; defaultRequestPolicy?: object };
    }
  ).http;
  const base = JSON.parse(DEFAULT_HTTP_DELIVERY_POLICY);
  return JSON.stringify({
    ...base,
    healthyRetryPolicy: { ...base.healthyRetryPolicy, ...http?.defaultHealthyRetryPolicy },
    requestPolicy: { ...base.requestPolicy, ...http?.defaultRequestPolicy },
  });
}

const DEFAULT_HTTP_DELIVERY_POLICY = JSON.stringify({
  healthyRetryPolicy: DEFAULT_RETRY_POLICY,
  sicklyRetryPolicy: null,
  throttlePolicy: null,
  requestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  guaranteed: false,
});

import { parseArn } from '../../core/arn.js';
import { PolicyError, parsePolicy } from '../../core/policy.js';
import { sqsError } from './errors.js';

/** Today's limits (SQS Developer Guide, "Amazon SQS message quotas"): 1 MiB since August 2025. */
export const MAX_MESSAGE_SIZE = 1_048_576;
export const MIN_MESSAGE_SIZE_SETTING = 1024;

interface Range {
  min: number;
  max: number;
}

const RANGES: Record<string, Range> = {
  DelaySeconds: { min: 0, max: 900 },
  MaximumMessageSize: { min: MIN_MESSAGE_SIZE_SETTING, max: MAX_MESSAGE_SIZE },
  MessageRetentionPeriod: { min: 60, max: 1_209_600 },
  ReceiveMessageWaitTimeSeconds: { min: 0, max: 20 },
  VisibilityTimeout: { min: 0, max: 43_200 },
  KmsDataKeyReusePeriodSeconds: { min: 60, max: 86_400 },
};

export const STANDARD_DEFAULTS: Record<string, string> = {
  VisibilityTimeout: '30',
  MaximumMessageSize: String(MAX_MESSAGE_SIZE),
  MessageRetentionPeriod: '345600',
  DelaySeconds: '0',
  ReceiveMessageWaitTimeSeconds: '0',
  SqsManagedSseEnabled: 'true',
};

export const FIFO_DEFAULTS: Record<string, string> = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

const SETTABLE = new Set([
  ...Object.keys(RANGES),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

/**
 * A standard queue knows no FIFO attributes. AWS words the refusal differently per attribute;
 * FifoQueue itself is unknown on a standard queue whatever its value, "false" included.
 */
function checkNotFifoOnly(name: string): void {
  switch (name) {
    case 'FifoQueue':
    case 'ContentBasedDeduplication':
      throw sqsError.invalidAttributeName(`Unknown Attribute ${name}.`);
    case 'DeduplicationScope':
    case 'FifoThroughputLimit':
      throw sqsError.invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
  }
}

export const READ_ONLY = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];

/** Every name GetQueueAttributes accepts; anything else (CloudWatch metric names included) is unknown. */
export const READABLE = new Set(['All', ...READ_ONLY, ...SETTABLE]);

function invalid(name: string) {
  return sqsError.invalidAttributeValue(`Invalid value for the parameter ${name}.`);
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

export function parseRedrivePolicy(value: string): RedrivePolicy {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw sqsError.invalidParameterValue(
      `Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.`,
    );
  }
  if (parsed === null || typeof parsed !== 'object')
    throw sqsError.invalidParameterValue(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.`,
    );
  // AWS names maxReceiveCount first when both are missing (as for "{}").
  for (const mandatory of ['maxReceiveCount', 'deadLetterTargetArn']) {
    if (parsed[mandatory] === undefined) {
      throw sqsError.invalidParameterValue(
        `Value ${value} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: ${mandatory}.`,
      );
    }
  }
  const arn = parsed.deadLetterTargetArn;
  const count = Number(parsed.maxReceiveCount);
  if (typeof arn !== 'string' || !parseArn(arn)) {
    throw sqsError.invalidParameterValue(
      'Value {"deadLetterTargetArn":' +
        JSON.stringify(arn) +
        '} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.',
    );
  }
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw sqsError.invalidParameterValue(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: ${String(parsed.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}

export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw sqsError.invalidParameterValue(
      "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it\u2019s in an unsupported format.",
    );
  }
  const permission = parsed?.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw sqsError.invalidParameterValue(
      "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it\u2019s in an unsupported format.",
    );
  }
  const arns = parsed.sourceQueueArns;
  if (permission === 'byQueue') {
    const reason = (text: string) =>
      sqsError.invalidParameterValue(
        `Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${text}`,
      );
    if (!Array.isArray(arns) || arns.length === 0 || arns.some((a) => typeof a !== 'string')) {
      throw reason(
        'When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.',
      );
    }
    if (arns.length > 10) throw reason('The maximum number of source queue ARNs you can specify is 10.');
  } else if (arns !== undefined) {
    throw sqsError.invalidParameterValue(
      `Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. To specify one or more source queue ARNs, you must set redrivePermission to byQueue.`,
    );
  }
  return { redrivePermission: permission, sourceQueueArns: arns as string[] | undefined };
}

/**
 * Validates attributes for CreateQueue or SetQueueAttributes and returns them
 * normalised as AWS stores them.
 */
export function validateAttributes(
  input: Record<string, string>,
  fifo: boolean,
  creating: boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input)) {
    if (!SETTABLE.has(name)) throw sqsError.invalidAttributeName(`Unknown Attribute ${name}.`);
    const value = String(raw);
    if (!fifo) checkNotFifoOnly(name);
    const range = RANGES[name];
    if (range) {
      if (!/^\d+$/.test(value.trim()) || Number(value) < range.min || Number(value) > range.max)
        throw invalid(name);
      out[name] = String(Number(value));
      continue;
    }
    switch (name) {
      case 'FifoQueue':
        // The queue type is fixed at creation: a FIFO queue may only restate it.
        if (!creating && value !== 'true') {
          throw sqsError.invalidAttributeValue(
            'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
          );
        }
        if (!creating) continue;
        break;
      case 'ContentBasedDeduplication':
      case 'SqsManagedSseEnabled':
        if (value !== 'true' && value !== 'false') throw invalid(name);
        break;
      case 'DeduplicationScope':
        if (value !== 'queue' && value !== 'messageGroup') throw invalid(name);
        break;
      case 'FifoThroughputLimit':
        if (value !== 'perQueue' && value !== 'perMessageGroupId') throw invalid(name);
        break;
      case 'Policy':
        if (value !== '') {
          try {
            parsePolicy(value);
          } catch (err) {
            // AWS gives no reason; the parser's detail is for our log only.
            if (!(err instanceof PolicyError)) throw err;
            throw invalid('Policy');
          }
        }
        break;
      case 'RedrivePolicy':
        if (value !== '') parseRedrivePolicy(value);
        break;
      case 'RedriveAllowPolicy':
        if (value !== '') parseRedriveAllowPolicy(value);
        break;
    }
    out[name] = value;
  }
  if (out.KmsMasterKeyId && out.SqsManagedSseEnabled === 'true') {
    throw sqsError.invalidAttributeName(
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  }
  return out;
}

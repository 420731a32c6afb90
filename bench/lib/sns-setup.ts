import type { SignedHeaders } from './sigv4.js';
import { type SnsWire, xmlValue } from './sns-wire.js';
import type { SqsWire } from './sqs-wire.js';

/** One server as the SNS phases see it: both wires, and the pid whose CPU they read. */
export interface SnsTarget {
  sns: SnsWire;
  /** Setup calls (CreateQueue and the like); receivers get pools of their own. */
  sqs: SqsWire;
  /** For the receivers' pool: one connection per queue, so no long poll waits for a socket. */
  sqsAuth: SignedHeaders;
  pid: number;
  origin: string;
  concurrency: number;
  /** The bare server answers `{}` to everything: no setup, nothing to check in its answers. */
  synthetic: boolean;
}

export interface FanoutQueue {
  url: string;
  arn: string;
}

/** A topic with `queues.length` SQS subscriptions, all enveloped (the default) or all raw. */
export interface Fanout {
  topicArn: string;
  queues: FanoutQueue[];
}

// A copy must not come back while its receiver is still deleting it: within a phase a second
// copy of one message can then only mean the server delivered it twice.
const QUEUE_ATTRIBUTES = { VisibilityTimeout: '600' };

/**
 * The statement AWS requires before SNS may send to a queue, even within one account (SNS guide,
 * "Subscribing an Amazon SQS queue to an Amazon SNS topic", step 2). Tideway drops deliveries to
 * a queue without it, as AWS does; fauxqs ignores it.
 */
export function snsQueuePolicy(queueArn: string, topicArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  });
}

function required(xml: string, tag: string, action: string): string {
  const value = xmlValue(xml, tag);
  if (!value) throw new Error(`${action}: no ${tag} in ${xml.slice(0, 300)}`);
  return value;
}

async function subscribedQueue(
  target: SnsTarget,
  topicArn: string,
  name: string,
  raw: boolean,
): Promise<FanoutQueue> {
  const created = await target.sqs.call<{ QueueUrl?: string }>('CreateQueue', {
    QueueName: name,
    Attributes: QUEUE_ATTRIBUTES,
  });
  const url = created.QueueUrl;
  if (!url) throw new Error(`CreateQueue ${name}: no QueueUrl`);
  const got = await target.sqs.call<{ Attributes?: { QueueArn?: string } }>('GetQueueAttributes', {
    QueueUrl: url,
    AttributeNames: ['QueueArn'],
  });
  const arn = got.Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes ${name}: no QueueArn`);
  await target.sqs.call('SetQueueAttributes', {
    QueueUrl: url,
    Attributes: { Policy: snsQueuePolicy(arn, topicArn) },
  });
  const rawDelivery: Record<string, string> = raw
    ? { 'Attributes.entry.1.key': 'RawMessageDelivery', 'Attributes.entry.1.value': 'true' }
    : {};
  const xml = await target.sns.call('Subscribe', {
    TopicArn: topicArn,
    Protocol: 'sqs',
    Endpoint: arn,
    ...rawDelivery,
  });
  const subscription = required(xml, 'SubscriptionArn', 'Subscribe');
  // Same-account queues need no confirmation on AWS; one still pending would receive nothing.
  if (!subscription.startsWith('arn:')) throw new Error(`Subscribe ${name}: ${subscription}`);
  return { url, arn };
}

/** A fresh topic and `count` fresh queues named after it, each subscribed with its policy set. */
export async function createFanout(
  target: SnsTarget,
  name: string,
  count: number,
  raw = false,
): Promise<Fanout> {
  if (target.synthetic) return { topicArn: `arn:aws:sns:us-east-1:000000000000:${name}`, queues: [] };
  const topicArn = required(await target.sns.call('CreateTopic', { Name: name }), 'TopicArn', 'CreateTopic');
  const queues = await Promise.all(
    Array.from({ length: count }, (_, i) => subscribedQueue(target, topicArn, `${name}-q${i}`, raw)),
  );
  return { topicArn, queues };
}

/**
 * Topic first (it takes its subscriptions along), then the queues and every copy still in them,
 * so neither the next phase nor "after load" memory carries this phase's messages.
 */
export async function deleteFanout(target: SnsTarget, fanout: Fanout): Promise<void> {
  if (target.synthetic) return;
  await target.sns.call('DeleteTopic', { TopicArn: fanout.topicArn });
  await Promise.all(fanout.queues.map((q) => target.sqs.call('DeleteQueue', { QueueUrl: q.url })));
}

import { SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { credentials } from './tideway.js';

/** An SDK v3 SNS client (awsQuery, the only protocol SNS speaks), for a chosen access key (hence account). */
export function snsClient(endpoint: string, accessKeyId = 'test', region = 'us-east-1'): SNSClient {
  return new SNSClient({
    endpoint,
    region,
    credentials: accessKeyId === 'test' ? credentials : { accessKeyId, secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

/** The queue policy every SNS subscription needs in AWS: sns.amazonaws.com may send, from this topic. */
export function snsMayDeliver(queueArn: string, topicArn: string): string {
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

/** A queue ready to subscribe: its URL and ARN, with a policy letting `topicArn` deliver when given. */
export async function subscribableQueue(
  sqs: SQSClient,
  name: string,
  topicArn?: string,
  attributes: Record<string, string> = {},
): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes!.QueueArn!;
  if (topicArn) {
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: snsMayDeliver(arn, topicArn) } }),
    );
  }
  return { url: QueueUrl!, arn };
}

/** One message SNS handed to an endpoint it cannot reach from here (email, SMS, mobile push, Lambda). */
export interface OutboxEntry {
  type: string;
  protocol: string;
  endpoint: string;
  message: string;
  token?: string;
  subscribeUrl?: string;
  subject?: string;
}

/** The SNS outbox through the admin API, filtered by a query such as `protocol=sms&endpoint=…`. */
export async function snsOutbox(endpoint: string, query: string): Promise<OutboxEntry[]> {
  const res = await fetch(`${endpoint}/_tideway/sns/outbox?${query}`);
  if (res.status !== 200) throw new Error(`the SNS outbox answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { messages: OutboxEntry[] }).messages;
}

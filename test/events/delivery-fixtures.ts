import assert from 'node:assert/strict';
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { uniqueName } from '../support/tideway.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

/** A queue policy letting EventBridge send, from `ruleArn` only when given. */
export function eventsMaySend(queueArn: string, ruleArn?: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'events',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        ...(ruleArn ? { Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } } : {}),
      },
    ],
  });
}

export interface TestQueue {
  url: string;
  arn: string;
}

/** A queue; `allowEvents` sets a policy letting EventBridge send (from any rule, or the one named). */
export async function eventQueue(
  sqs: SQSClient,
  options: { allowEvents?: boolean | string; fifo?: boolean; attributes?: Record<string, string> } = {},
): Promise<TestQueue> {
  const name = uniqueName('eb') + (options.fifo ? '.fifo' : '');
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { ...(options.fifo ? { FifoQueue: 'true' } : {}), ...options.attributes },
    }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes!.QueueArn!;
  if (options.allowEvents) {
    const ruleArn = typeof options.allowEvents === 'string' ? options.allowEvents : undefined;
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: eventsMaySend(arn, ruleArn) } }),
    );
  }
  return { url: QueueUrl!, arn };
}

/** A rule on `bus` (the default bus unless named) with a pattern and these targets; returns its ARN. */
export async function ruleWithTargets(
  events: EventBridgeClient,
  pattern: object,
  targets: Target[],
  options: { name?: string; bus?: string; state?: 'ENABLED' | 'DISABLED' } = {},
): Promise<{ name: string; arn: string }> {
  const name = options.name ?? uniqueName('rule');
  const { RuleArn } = await events.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: options.bus,
      EventPattern: JSON.stringify(pattern),
      State: options.state,
    }),
  );
  if (targets.length > 0) {
    await events.send(new PutTargetsCommand({ Rule: name, EventBusName: options.bus, Targets: targets }));
  }
  return { name, arn: RuleArn! };
}

/** One entry of source `source`, detail-type `Happened`, and a detail. */
export function entry(source: string, detail: object = { n: 1 }, extra: Partial<PutEventsRequestEntry> = {}) {
  return { Source: source, DetailType: 'Happened', Detail: JSON.stringify(detail), ...extra };
}

export async function putOne(events: EventBridgeClient, item: PutEventsRequestEntry): Promise<string> {
  const out = await events.send(new PutEventsCommand({ Entries: [item] }));
  assert.equal(out.FailedEntryCount, 0, JSON.stringify(out.Entries));
  return out.Entries![0].EventId!;
}

/** Waits (a few real seconds at most) until the queue holds `count` messages, takes and deletes them. */
export async function drain(sqs: SQSClient, url: string, count = 1, seconds = 5): Promise<Message[]> {
  const got: Message[] = [];
  const deadline = Date.now() + seconds * 1000;
  while (got.length < count && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    for (const m of Messages) {
      got.push(m);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return got;
}

/** Asserts the queue stays empty for a short while (deliveries are asynchronous but quick). */
export async function assertEmpty(sqs: SQSClient, url: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 150));
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
  assert.deepEqual(
    Messages.map((m) => m.Body),
    [],
  );
}

export async function adminJson<T>(endpoint: string, path: string): Promise<T> {
  const res = await fetch(`${endpoint}/_tideway/${path}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as T;
}

/** The string message attributes of a dead-letter message, by name. */
export function stringAttributes(message: Message): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    assert.equal(value.DataType, 'String', name);
    out[name] = value.StringValue!;
  }
  return out;
}

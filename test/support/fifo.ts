import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type RunningTideway, receive, uniqueName } from './tideway.js';

// Helpers shared by test/sqs/fifo.test.ts, fair-queues.test.ts and dead-letter.test.ts.

export interface TestQueue {
  url: string;
  name: string;
  arn: string;
}

/** Creates a queue with a fresh name (FIFO when `fifo` is set) and returns its URL and ARN. */
export async function makeQueue(
  sqs: SQSClient,
  attributes: Record<string, string> = {},
  options: { fifo?: boolean; prefix?: string } = {},
): Promise<TestQueue> {
  const name = `${uniqueName(options.prefix ?? 'fq')}${options.fifo ? '.fifo' : ''}`;
  const all = options.fifo ? { FifoQueue: 'true', ...attributes } : attributes;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: all }));
  assert.ok(QueueUrl, 'CreateQueue returned no QueueUrl');
  return { url: QueueUrl, name, arn: await arnOf(sqs, QueueUrl) };
}

export async function arnOf(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  assert.ok(Attributes?.QueueArn, 'GetQueueAttributes returned no QueueArn');
  return Attributes.QueueArn;
}

export async function queueAttribute(sqs: SQSClient, url: string, name: string): Promise<string | undefined> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [name as 'All'] }),
  );
  return (Attributes as Record<string, string> | undefined)?.[name];
}

export function bodies(messages: Message[]): string[] {
  return messages.map((m) => m.Body ?? '');
}

/** Receives and deletes until the queue answers empty; returns the bodies in the order received. */
export async function drain(sqs: SQSClient, url: string, max = 10): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const got = await receive(sqs, url, { MaxNumberOfMessages: max, MessageSystemAttributeNames: ['All'] });
    if (got.length === 0) return out;
    for (const m of got) {
      out.push(m);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}

/** Sends entries in batches of ten (ids are assigned here). */
export async function sendAll(
  sqs: SQSClient,
  url: string,
  entries: Array<Omit<SendMessageBatchRequestEntry, 'Id'>>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < entries.length; i += 10) {
    const chunk = entries.slice(i, i + 10).map((e, j) => ({ Id: `e${i + j}`, ...e }));
    const { Successful = [], Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: chunk }),
    );
    assert.deepEqual(Failed, [], 'batch entries failed');
    const byId = new Map(Successful.map((s) => [s.Id, s.MessageId ?? '']));
    for (const e of chunk) ids.push(byId.get(e.Id) ?? '');
  }
  return ids;
}

/** The server's clock in epoch milliseconds. */
export async function serverNow(server: RunningTideway): Promise<number> {
  const res = await fetch(`${server.endpoint}/_tideway/clock`);
  assert.equal(res.status, 200);
  const { now } = (await res.json()) as { now: number };
  return now;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export { assertAwsError, type ExpectedError, receive } from './tideway.js';

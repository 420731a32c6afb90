import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type RunningTideway, uniqueName } from './tideway.js';

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

/** One ReceiveMessage call; an empty answer comes back as []. */
export async function receive(
  sqs: SQSClient,
  url: string,
  input: Omit<ReceiveMessageCommandInput, 'QueueUrl'> = {},
): Promise<Message[]> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, ...input }));
  return Messages ?? [];
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

export interface ExpectedError {
  /** The awsQuery code; the SDK reports it as both `name` and `Code` over either protocol. */
  code: string;
  status: number;
  /** Exact text, or a pattern where AWS's exact wording is not on record. */
  message: string | RegExp;
}

/** Checks an SDK error against what AWS answers: code, HTTP status, fault and text. */
export function assertAwsError(err: any, expected: ExpectedError): void {
  assert.equal(err?.name, expected.code, `error name (message: ${err?.message})`);
  assert.equal(err.Code, expected.code, 'awsQuery error code');
  assert.equal(err.$metadata?.httpStatusCode, expected.status, 'HTTP status');
  assert.equal(err.$fault, expected.status >= 500 ? 'server' : 'client', 'fault');
  if (typeof expected.message === 'string') assert.equal(err.message, expected.message);
  else assert.match(err.message, expected.message);
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

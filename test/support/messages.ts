import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { uniqueName } from './tideway.js';

// Helpers shared by test/sqs/messages.test.ts, visibility.test.ts and batches.test.ts.

export interface CreatedQueue {
  url: string;
  name: string;
}

/** Creates a standard queue with a fresh name and the given attributes. */
export async function createQueue(
  sqs: SQSClient,
  attributes: Record<string, string> = {},
  prefix = 'msg',
): Promise<CreatedQueue> {
  const name = uniqueName(prefix);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  assert.ok(QueueUrl, 'CreateQueue returned no QueueUrl');
  return { url: QueueUrl, name };
}

export interface QueueCounts {
  visible: number;
  notVisible: number;
  delayed: number;
}

/** The three ApproximateNumberOfMessages* counters, as numbers. */
export async function counts(sqs: SQSClient, url: string): Promise<QueueCounts> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    notVisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
}

/** Tracks whether a promise has settled, without swallowing its outcome. */
export function track<T>(promise: Promise<T>): { promise: Promise<T>; readonly settled: boolean } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  // Avoid an unhandled rejection while nobody awaits yet; awaiting `promise` still sees it.
  tracked.catch(() => undefined);
  return {
    promise: tracked,
    get settled() {
      return settled;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Awaits `promise`, failing when it has not settled within `ms` of real time (a guard, not a measure). */
export async function within<T>(promise: Promise<T>, ms = 1000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms of real time`)), ms);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export type GuideAttribute = [name: string, dataType: string, transport: 1 | 2, value: Uint8Array];

/**
 * The attribute digest written out from the SQS Developer Guide ("Calculating the MD5 message
 * digest for message attributes"), independently of src/: for each attribute, in the order the
 * caller gives (the guide sorts by name), 4-byte big-endian length + UTF-8 name, length + data
 * type, one transport byte (1 String/Number, 2 Binary), length + value bytes.
 */
export function guideDigest(attributes: GuideAttribute[]): string {
  const parts: Uint8Array[] = [];
  const field = (bytes: Uint8Array) => {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.byteLength);
    parts.push(length, bytes);
  };
  for (const [name, dataType, transport, value] of attributes) {
    field(utf8(name));
    field(utf8(dataType));
    parts.push(Uint8Array.of(transport));
    field(value);
  }
  return md5Hex(Buffer.concat(parts));
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export { assertAwsError, type ExpectedError, receive } from './tideway.js';

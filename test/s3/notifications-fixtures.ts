import assert from 'node:assert/strict';
import { S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { credentials, receive, uniqueName } from '../support/tideway.js';

// What the S3 notification suites share: clients, destinations with the policies AWS asks for,
// and reading what reached a queue.

export const ACCOUNT = '000000000000';

/** A path-style S3 client: `<bucket>.localhost` does not resolve everywhere. */
export function s3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
}

/** A statement letting `service` send into `resourceArn`, from the bucket or rule when given. */
export function allowing(
  service: string,
  action: string,
  resourceArn: string,
  condition?: Record<string, unknown>,
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: action,
        Resource: resourceArn,
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
}

/** The condition AWS documents for S3 destinations: the bucket and its owner. */
export function fromBucket(bucket: string, account = ACCOUNT): Record<string, unknown> {
  return {
    ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${bucket}` },
    StringEquals: { 'aws:SourceAccount': account },
  };
}

export interface TestQueue {
  url: string;
  arn: string;
}

/** A queue, with `policy(arn)` as its policy when given. */
export async function queue(sqs: SQSClient, policy?: (arn: string) => string): Promise<TestQueue> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('s3n') }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes!.QueueArn!;
  if (policy)
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: policy(arn) } }));
  return { url: QueueUrl!, arn };
}

/** Exactly `count` messages from the queue (deleted once read), failing if fewer arrive. */
export async function take(sqs: SQSClient, url: string, count: number): Promise<Message[]> {
  const got: Message[] = [];
  for (let attempt = 0; attempt < 10 && got.length < count; attempt++) {
    const batch = await receive(sqs, url, { MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
    got.push(...batch);
    if (batch.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  }
  assert.equal(got.length, count, `expected ${count} messages, got ${got.length}`);
  return got;
}

/** Nothing (more) in the queue. */
export async function none(sqs: SQSClient, url: string): Promise<void> {
  assert.deepEqual(await receive(sqs, url, { WaitTimeSeconds: 0 }), []);
}

/** The single record of an S3 notification body. */
export function recordOf(body: string | undefined): any {
  const parsed = JSON.parse(body ?? '');
  assert.equal(parsed.Records.length, 1);
  return parsed.Records[0];
}

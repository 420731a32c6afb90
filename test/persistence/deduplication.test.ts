import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, DeleteTopicCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import Database from 'better-sqlite3';
import { snsClient } from '../support/sns.js';
import { advance, type RunningTideway, receive, sqsClient, startServer } from '../support/tideway.js';

// SQS Developer Guide, "Exactly-once processing": a FIFO message sent again with a deduplication
// id used in the last five minutes is accepted and not delivered, even once the first is deleted.
// With --data-dir that holds across a restart: the ids are journaled with the send. The same goes
// for SNS FIFO topics.
describe('FIFO deduplication across restarts', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-dedup-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  function savedIds(table = 'sqsDeduplication'): number {
    const db = new Database(path.join(dir, 'tideway.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM resources WHERE tbl = ?').get(table) as { n: number }).n;
    } finally {
      db.close();
    }
  }

  const send = (sqs: SQSClient, url: string, body: string) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: body,
        MessageGroupId: 'g',
        MessageDeduplicationId: 'd1',
      }),
    );

  it('refuses a repeat of a deleted message’s id after a restart, within the window only', async () => {
    let server: RunningTideway = await startServer({ dataDir: dir });
    let sqs = sqsClient(server.endpoint);
    try {
      const { QueueUrl: url } = await sqs.send(
        new CreateQueueCommand({ QueueName: 'dedup.fifo', Attributes: { FifoQueue: 'true' } }),
      );
      const first = await send(sqs, url!, 'first');
      const [got] = await receive(sqs, url!, { MaxNumberOfMessages: 10 });
      assert.equal(got.Body, 'first');
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: got.ReceiptHandle }));

      await server.stop();
      server = await startServer({ dataDir: dir });
      sqs = sqsClient(server.endpoint);
      const repeat = await send(sqs, url!, 'again');
      assert.equal(repeat.MessageId, first.MessageId);
      assert.equal(repeat.SequenceNumber, first.SequenceNumber);
      assert.deepEqual(await receive(sqs, url!, { MaxNumberOfMessages: 10 }), []);

      // Five minutes on, the id is new again.
      await advance(server, 300);
      const later = await send(sqs, url!, 'later');
      assert.notEqual(later.MessageId, first.MessageId);
      assert.ok(BigInt(later.SequenceNumber!) > BigInt(first.SequenceNumber!));
      const [fresh] = await receive(sqs, url!, { MaxNumberOfMessages: 10 });
      assert.equal(fresh.Body, 'later');

      // A deleted queue leaves none of its ids behind.
      await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    } finally {
      await server.stop();
    }
    assert.equal(savedIds(), 0);
  });

  // SNS Developer Guide, "Message deduplication for FIFO topics": five minutes, and sequence
  // numbers that only rise.
  it('keeps a FIFO topic’s ids and sequence numbers across a restart', async () => {
    let server: RunningTideway = await startServer({ dataDir: dir });
    let sns: SNSClient = snsClient(server.endpoint);
    const publish = (id: string) =>
      sns.send(
        new PublishCommand({ TopicArn: arn, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: id }),
      );
    let arn = '';
    try {
      ({ TopicArn: arn = '' } = await sns.send(
        new CreateTopicCommand({ Name: 'dedup.fifo', Attributes: { FifoTopic: 'true' } }),
      ));
      const first = await publish('a');
      const second = await publish('b');
      assert.ok(BigInt(second.SequenceNumber!) > BigInt(first.SequenceNumber!));

      await server.stop();
      server = await startServer({ dataDir: dir });
      sns = snsClient(server.endpoint);
      const repeat = await publish('a');
      assert.equal(repeat.MessageId, first.MessageId);
      assert.equal(repeat.SequenceNumber, first.SequenceNumber);
      const third = await publish('c');
      assert.ok(BigInt(third.SequenceNumber!) > BigInt(second.SequenceNumber!));

      await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    } finally {
      await server.stop();
    }
    assert.equal(savedIds('snsFifo'), 0);
  });
});

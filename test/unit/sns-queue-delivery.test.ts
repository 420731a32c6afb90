import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/core/logger.js';
import { QueueDelivery } from '../../src/services/sns/queue-delivery.js';
import { QueueDeliveries } from '../../src/services/sqs/deliveries.js';
import type { NewMessage, QueueRecord, QueueStorage } from '../../src/storage/types.js';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:orders';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:inbox';
const sender = {
  topicArn: TOPIC,
  topicAccount: '000000000000',
  subscriptionArn: `${TOPIC}:s1`,
  fifoTopic: false,
};

function allowFrom(sourceArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: QUEUE,
        Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } },
      },
    ],
  });
}

/** SQS's front door over a one-queue storage that answers at once (in memory) or later (journaled). */
function frontDoor(answers: 'at once' | 'later', policy?: string) {
  const queue: QueueRecord = {
    id: 'q1',
    account: '000000000000',
    region: 'us-east-1',
    name: 'inbox',
    arn: QUEUE,
    fifo: false,
    attributes: policy ? { Policy: policy } : {},
    tags: {},
    createdAt: 0,
    modifiedAt: 0,
  };
  const sent: NewMessage[] = [];
  const take = (_q: QueueRecord, messages: NewMessage[]) => {
    sent.push(...messages);
    return messages.map((_, i) => ({ messageId: `m${sent.length - messages.length + i}` }));
  };
  const storage = {
    getQueueByArn: async (arn: string) => (arn === QUEUE ? queue : undefined),
    send: async (q: QueueRecord, messages: NewMessage[]) => take(q, messages),
    ...(answers === 'at once'
      ? {
          getQueueNow: (account: string, region: string, name: string) =>
            account === queue.account && region === queue.region && name === queue.name ? queue : undefined,
          sendNow: take,
        }
      : {}),
  } as unknown as QueueStorage;
  return { queue, sent, deliveries: new QueueDeliveries(storage) };
}

describe('SNS hands raw deliveries to SQS through its front door', () => {
  for (const answers of ['at once', 'later'] as const) {
    it(`delivers with SQS's digest and the queue policy's decision when storage answers ${answers}`, async () => {
      const door = frontDoor(answers, allowFrom(TOPIC));
      const queues = new QueueDelivery(door.deliveries, createLogger('silent'), false);
      const outcome = queues.send(QUEUE, { body: 'order 42 shipped' }, sender);
      assert.equal(outcome instanceof Promise, answers === 'later');
      assert.deepEqual(await outcome, { kind: 'delivered', messageId: 'm0' });
      assert.equal(door.sent[0].md5OfBody, createHash('md5').update('order 42 shipped').digest('hex'));
      assert.equal(door.sent[0].senderId, 'AIDAIT2UOQQY3AUEKVGXU');
    });
  }

  it('digests each body for itself when deliveries of different bodies alternate', async () => {
    const door = frontDoor('at once', allowFrom(TOPIC));
    const queues = new QueueDelivery(door.deliveries, createLogger('silent'), false);
    const bodies = ['a', 'b', 'a', 'a', 'ä'];
    for (const body of bodies) await queues.send(QUEUE, { body }, sender);
    assert.deepEqual(
      door.sent.map((m) => m.md5OfBody),
      bodies.map((b) => createHash('md5').update(b, 'utf8').digest('hex')),
    );
  });

  it('still refuses a body SQS would refuse, after a valid one of the same fan-out', async () => {
    const door = frontDoor('at once', allowFrom(TOPIC));
    const queues = new QueueDelivery(door.deliveries, createLogger('silent'), false);
    assert.equal((await queues.send(QUEUE, { body: 'fine' }, sender)).kind, 'delivered');
    const refused = await queues.send(QUEUE, { body: 'bad \u0001' }, sender);
    assert.deepEqual(refused, {
      kind: 'rejected',
      reason:
        "the queue refuses the message (InvalidMessageContents: Invalid binary character '#x1' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].)",
    });
    assert.equal(door.sent.length, 1);
  });

  it('decides again when the queue policy changes or another topic sends', async () => {
    const door = frontDoor('at once', allowFrom(TOPIC));
    const queues = new QueueDelivery(door.deliveries, createLogger('silent'), false);
    assert.equal((await queues.send(QUEUE, { body: 'x' }, sender)).kind, 'delivered');
    const other = { ...sender, topicArn: 'arn:aws:sns:us-east-1:000000000000:other' };
    assert.equal((await queues.send(QUEUE, { body: 'x' }, other)).kind, 'denied');
    door.queue.attributes = { Policy: allowFrom(other.topicArn) };
    assert.equal((await queues.send(QUEUE, { body: 'x' }, sender)).kind, 'denied');
    assert.equal((await queues.send(QUEUE, { body: 'x' }, other)).kind, 'delivered');
  });

  it('answers missing for a queue that does not exist, on either path', async () => {
    for (const answers of ['at once', 'later'] as const) {
      const door = frontDoor(answers, allowFrom(TOPIC));
      const queues = new QueueDelivery(door.deliveries, createLogger('silent'), false);
      assert.deepEqual(await queues.send(`${QUEUE}-gone`, { body: 'x' }, sender), { kind: 'missing' });
    }
  });

  it("drops a FIFO topic's group id for a standard queue", async () => {
    const door = frontDoor('at once', allowFrom(TOPIC));
    const queues = new QueueDelivery(door.deliveries, createLogger('silent'), false);
    await queues.send(
      QUEUE,
      { body: 'x', groupId: 'g', deduplicationId: 'd' },
      { ...sender, fifoTopic: true },
    );
    assert.equal(door.sent[0].groupId, undefined);
    assert.equal(door.sent[0].deduplicationId, undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/core/logger.js';
import type { RequestContext } from '../../src/protocols/service.js';
import { TopicArchive } from '../../src/services/sns/archive.js';
import type { NotificationSigner } from '../../src/services/sns/envelope.js';
import { FanOut } from '../../src/services/sns/fan-out.js';
import { SubscriptionFilters } from '../../src/services/sns/filters.js';
import type { HttpDelivery, HttpPost } from '../../src/services/sns/http-delivery.js';
import { Outbox } from '../../src/services/sns/outbox.js';
import type { Publication } from '../../src/services/sns/publication.js';
import type { QueueDelivery, QueueMessage } from '../../src/services/sns/queue-delivery.js';
import type { SignableMessage } from '../../src/services/sns/signing.js';
import { EmbeddedTopics } from '../../src/storage/embedded/topics.js';
import type { TopicRecord } from '../../src/storage/types.js';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:orders';

/** Fan-out with recording stand-ins for the queues, the HTTP poster and the signer. */
async function fanOutOf(subscriptions: Array<{ protocol: string; raw: boolean }>) {
  const topics = new EmbeddedTopics();
  const topic: TopicRecord = {
    arn: TOPIC,
    account: '000000000000',
    region: 'us-east-1',
    name: 'orders',
    fifo: false,
    attributes: {},
    tags: {},
    createdAt: 0,
  };
  await topics.putTopic(topic);
  for (const [i, s] of subscriptions.entries()) {
    await topics.putSubscription({
      arn: `${TOPIC}:sub-${i}`,
      topicArn: TOPIC,
      owner: topic.account,
      protocol: s.protocol,
      endpoint: s.protocol === 'sqs' ? `arn:aws:sqs:us-east-1:000000000000:q${i}` : `http://127.0.0.1/h${i}`,
      attributes: s.raw ? { RawMessageDelivery: 'true' } : {},
      confirmed: true,
      createdAt: i,
    });
  }
  const queued: QueueMessage[] = [];
  const posted: HttpPost[] = [];
  const signed: SignableMessage[] = [];
  const queues = {
    send: async (_arn: string, message: QueueMessage) => {
      queued.push(message);
      return { kind: 'delivered', messageId: 'm' };
    },
  } as unknown as QueueDelivery;
  const http = { deliver: (post: HttpPost) => posted.push(post) } as unknown as HttpDelivery;
  let signersMade = 0;
  const signer = (): NotificationSigner => {
    signersMade++;
    return {
      sign: (message) => {
        signed.push(message);
        return 'c2lnbmF0dXJl';
      },
    };
  };
  const fanOut = new FanOut({
    topics,
    queues,
    http,
    outbox: new Outbox(),
    filters: new SubscriptionFilters(),
    archive: new TopicArchive<Publication>(),
    signer,
  });
  const publication: Publication = {
    topic,
    messageId: '6d1fbb36-0b7a-4d3c-9b34-1e0f4b7c2a11',
    message: 'order 42 shipped',
    attributes: { kind: { DataType: 'String', StringValue: 'shipment' } },
    timestamp: '2026-12-07T12:00:00.000Z',
    publishedAt: 0,
    baseUrl: 'http://localhost:4566',
  };
  const ctx = { log: createLogger('silent') } as unknown as RequestContext;
  await fanOut.fanOut(publication, ctx);
  return { publication, queued, posted, signed, signersMade: () => signersMade };
}

// SNS guide, "Amazon SNS raw message delivery": a raw subscriber gets the message as published,
// with no JSON envelope, so nothing of the envelope (its signature included) needs computing.
describe('SNS fan-out builds envelopes only for subscribers that get one', () => {
  it('signs nothing and builds no envelope when every subscription is raw', async () => {
    const run = await fanOutOf([
      ...Array.from({ length: 10 }, () => ({ protocol: 'sqs', raw: true })),
      { protocol: 'http', raw: true },
    ]);
    assert.equal(run.signersMade(), 0);
    assert.deepEqual(run.signed, []);
    assert.equal(run.publication.envelopes, undefined);
    assert.deepEqual(
      run.queued.map((m) => m.body),
      Array(10).fill('order 42 shipped'),
    );
    assert.deepEqual(run.queued[0].attributes, { kind: { DataType: 'String', StringValue: 'shipment' } });
    assert.deepEqual(
      run.posted.map((p) => p.body),
      ['order 42 shipped'],
    );
  });

  it('signs once for all the enveloped subscribers of a publication, and leaves the raw ones bare', async () => {
    const run = await fanOutOf([
      { protocol: 'sqs', raw: true },
      { protocol: 'sqs', raw: false },
      { protocol: 'http', raw: false },
      { protocol: 'sqs', raw: false },
    ]);
    assert.equal(run.signed.length, 1);
    assert.equal(run.signed[0].Type, 'Notification');
    assert.equal(run.queued[0].body, 'order 42 shipped');
    const envelopes = [
      { body: run.queued[1].body, sub: 1 },
      { body: run.posted[0].body, sub: 2 },
      { body: run.queued[2].body, sub: 3 },
    ];
    for (const { body, sub } of envelopes) {
      const doc = JSON.parse(body);
      assert.equal(doc.Signature, 'c2lnbmF0dXJl');
      assert.equal(doc.Message, 'order 42 shipped');
      // Only the UnsubscribeURL differs between subscribers.
      assert.equal(
        doc.UnsubscribeURL,
        `http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:sub-${sub}`,
      );
    }
  });
});

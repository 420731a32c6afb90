import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeleteMessageCommand, type Message, SendMessageCommand } from '@aws-sdk/client-sqs';
import { bodies, makeQueue, receive, sendAll } from '../support/fifo.js';
import { advance, type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

// Fair queues are standard queues whose messages carry a MessageGroupId (SQS Developer Guide,
// "Amazon SQS fair queues" and "How Amazon SQS fair queues work"):
// - each MessageGroupId is a tenant; each message without one is a tenant of its own;
// - a tenant is noisy when it "accounts for more than 10% of in-flight messages in the queue and
//   has at least 30 of its own messages in flight";
// - "Whenever quiet tenant messages are available, consumer instances polling for messages receive
//   messages from quiet tenants"; noisy messages are not dropped and are delivered when no quiet
//   tenant message waits;
// - or when its "recent share of total consumer processing time exceeds 10%";
// - a tenant stops being noisy when "the tenant's backlog is fully drained" or it "has not sent
//   any messages for 5 consecutive minutes".

const HIDE = 900; // a visibility timeout long enough to keep received messages in flight throughout

for (const protocol of ['json', 'query'] as const) {
  describe(`SQS fair queues over ${protocol}`, () => {
    let server: RunningTideway;
    let sqs: ReturnType<typeof sqsClient>;
    before(async () => {
      server = await startServer();
      sqs = sqsClient(server.endpoint, protocol);
    });
    after(() => server.stop());

    const groupOf = (m: Message) => m.Attributes?.MessageGroupId;

    /** Sends `count` messages of one group, bodies `<group>-<i>`. */
    const flood = (url: string, group: string | undefined, count: number, from = 0) =>
      sendAll(
        sqs,
        url,
        Array.from({ length: count }, (_, i) => ({
          MessageBody: `${group ?? 'solo'}-${from + i}`,
          ...(group === undefined ? {} : { MessageGroupId: group }),
        })),
      );

    /** Receives `count` messages without deleting them, so they stay in flight. */
    const hold = async (url: string, count: number): Promise<Message[]> => {
      const out: Message[] = [];
      while (out.length < count) {
        const got = await receive(sqs, url, {
          MaxNumberOfMessages: Math.min(10, count - out.length),
          VisibilityTimeout: HIDE,
          MessageSystemAttributeNames: ['MessageGroupId'],
        });
        assert.ok(got.length > 0, `ran out after ${out.length} of ${count}`);
        out.push(...got);
      }
      return out;
    };

    const next = (url: string, max: number) =>
      receive(sqs, url, {
        MaxNumberOfMessages: max,
        VisibilityTimeout: HIDE,
        MessageSystemAttributeNames: ['All'],
      });

    it('serves a quiet group ahead of a noisy group backlog', async () => {
      const q = await makeQueue(sqs);
      await flood(q.url, 'noisy', 200);
      const held = await hold(q.url, 40); // 40 of 40 in flight: > 10% and >= 30
      assert.ok(held.every((m) => groupOf(m) === 'noisy'));
      await flood(q.url, 'quiet', 3);

      const quiet = await next(q.url, 3);
      assert.deepEqual(bodies(quiet), ['quiet-0', 'quiet-1', 'quiet-2']);
      assert.ok(quiet.every((m) => groupOf(m) === 'quiet'));
      // No quiet message waits any more: the noisy backlog is delivered as usual.
      const rest = await next(q.url, 10);
      assert.equal(rest.length, 10);
      assert.ok(rest.every((m) => groupOf(m) === 'noisy'));
    });

    it('treats each message without a MessageGroupId as a quiet tenant', async () => {
      const q = await makeQueue(sqs);
      await flood(q.url, 'noisy', 100);
      await hold(q.url, 40);
      await flood(q.url, undefined, 2);
      const got = await next(q.url, 2);
      assert.deepEqual(bodies(got), ['solo-0', 'solo-1']);
      assert.ok(got.every((m) => m.Attributes?.MessageGroupId === undefined));
    });

    it('keeps arrival order while the busy group has fewer than 30 messages in flight', async () => {
      const q = await makeQueue(sqs);
      await flood(q.url, 'busy', 200);
      await hold(q.url, 20); // 100% of in-flight messages, but only 20 of them
      await flood(q.url, 'quiet', 3);
      const got = await next(q.url, 3);
      assert.ok(
        got.length > 0 && got.every((m) => groupOf(m) === 'busy'),
        `older messages first, got ${bodies(got)}`,
      );
    });

    it('keeps arrival order while the busy group holds no more than 10% of in-flight messages', async () => {
      const q = await makeQueue(sqs);
      await flood(q.url, undefined, 300);
      await hold(q.url, 300); // 300 single-message tenants in flight
      await flood(q.url, 'busy', 100);
      await hold(q.url, 30); // 30 of 330 in flight: about 9%
      await flood(q.url, 'quiet', 3);
      const got = await next(q.url, 3);
      assert.ok(
        got.length > 0 && got.every((m) => groupOf(m) === 'busy'),
        `older messages first, got ${bodies(got)}`,
      );
    });

    it('deprioritises a group above 10% of in-flight messages', async () => {
      const q = await makeQueue(sqs);
      await flood(q.url, undefined, 200);
      await hold(q.url, 200);
      await flood(q.url, 'busy', 100);
      await hold(q.url, 30); // 30 of 230 in flight: about 13%
      await flood(q.url, 'quiet', 3);
      assert.deepEqual(bodies(await next(q.url, 3)), ['quiet-0', 'quiet-1', 'quiet-2']);
    });

    it('stops deprioritising a group once its backlog is drained', async () => {
      const q = await makeQueue(sqs);
      await flood(q.url, 'noisy', 60);
      const held = await hold(q.url, 40);
      await flood(q.url, 'quiet', 1);
      assert.deepEqual(bodies(await next(q.url, 1)), ['quiet-0'], 'noisy to begin with');

      // The consumer works through the whole noisy backlog.
      const backlog = await hold(q.url, 20);
      for (const m of [...held, ...backlog]) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
      }
      await flood(q.url, 'noisy', 1, 60);
      await flood(q.url, 'quiet', 1, 1);
      assert.deepEqual(bodies(await next(q.url, 2)), ['noisy-60', 'quiet-1']);
    });

    // The processing-time measure: a tenant with few messages in flight but slow to process
    // ("How Amazon SQS fair queues work": it "takes up a large amount of consumer time").
    it('deprioritises a group that takes most of the consumer processing time', async () => {
      const q = await makeQueue(sqs);
      await flood(q.url, 'slow', 5);
      const [first] = await hold(q.url, 1);
      assert.equal(first.Body, 'slow-0');
      await advance(server, 120); // the consumer spends two minutes on one message
      await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle }));
      await flood(q.url, 'quiet', 1);
      assert.deepEqual(bodies(await next(q.url, 1)), ['quiet-0'], 'the quiet tenant goes first');
      assert.deepEqual(
        bodies(await next(q.url, 2)),
        ['slow-1', 'slow-2'],
        'the slow backlog is still served',
      );
    });

    it('stops deprioritising a group that has sent nothing for 5 minutes', async () => {
      const q = await makeQueue(sqs);
      await flood(q.url, 'noisy', 200);
      await hold(q.url, 40);
      await flood(q.url, 'quiet', 1);
      assert.deepEqual(bodies(await next(q.url, 1)), ['quiet-0'], 'noisy to begin with');

      await advance(server, 301); // the 40 stay in flight (900 s visibility timeout)
      await flood(q.url, 'quiet', 1, 1);
      const got = await next(q.url, 1);
      assert.equal(groupOf(got[0]), 'noisy', `the older noisy backlog comes first again, got ${bodies(got)}`);
    });

    // ReceiveMessage API reference, MessageSystemAttributeNames: MessageGroupId "Returns the
    // value provided by the producer that calls the SendMessage action" (standard queues too since
    // fair queues).
    it('returns MessageGroupId as a system attribute on a standard queue', async () => {
      const q = await makeQueue(sqs);
      await sqs.send(
        new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'with', MessageGroupId: 'tenant-7' }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'without' }));
      const got = await receive(sqs, q.url, {
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId'],
      });
      assert.deepEqual(got.map((m) => [m.Body, m.Attributes?.MessageGroupId]).sort(), [
        ['with', 'tenant-7'],
        ['without', undefined],
      ]);
    });
  });
}

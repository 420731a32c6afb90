import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteMessageCommand,
  SendMessageCommand,
  type SendMessageCommandInput,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { assertAwsError, bodies, drain, makeQueue, receive, sha256Hex } from '../support/fifo.js';
import { advance, errorOf, type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

for (const protocol of ['json', 'query'] as const) {
  describe(`SQS FIFO queues over ${protocol}`, () => {
    let server: RunningTideway;
    let sqs: ReturnType<typeof sqsClient>;
    before(async () => {
      server = await startServer();
      sqs = sqsClient(server.endpoint, protocol);
    });
    after(() => server.stop());

    const fifo = (attributes: Record<string, string> = {}) =>
      makeQueue(sqs, { ContentBasedDeduplication: 'true', ...attributes }, { fifo: true });
    const send = (input: SendMessageCommandInput) => sqs.send(new SendMessageCommand(input));

    // SQS Developer Guide, "Amazon SQS FIFO queue key terms" / "Message ordering": messages that
    // share a MessageGroupId are delivered strictly in the order sent; while a message of a group
    // is in flight no later message of that group is returned, other groups are still served.
    describe('ordering within message groups', () => {
      it('delivers each group in the order its messages were sent', async () => {
        const q = await fifo();
        const sent: Record<string, string[]> = { a: [], b: [] };
        for (let i = 0; i < 6; i++) {
          for (const group of ['a', 'b']) {
            const body = `${group}-${i}`;
            sent[group].push(body);
            await send({ QueueUrl: q.url, MessageBody: body, MessageGroupId: group });
          }
        }
        const got = await drain(sqs, q.url);
        for (const group of ['a', 'b']) {
          assert.deepEqual(
            got.filter((m) => m.Attributes?.MessageGroupId === group).map((m) => m.Body),
            sent[group],
          );
        }
        assert.equal(got.length, 12);
      });

      it('holds a group while one of its messages is in flight and still serves other groups', async () => {
        const q = await fifo();
        await send({ QueueUrl: q.url, MessageBody: 'g-1', MessageGroupId: 'g' });
        await send({ QueueUrl: q.url, MessageBody: 'g-2', MessageGroupId: 'g' });
        const [first] = await receive(sqs, q.url, { MaxNumberOfMessages: 1 });
        assert.equal(first.Body, 'g-1');
        await send({ QueueUrl: q.url, MessageBody: 'h-1', MessageGroupId: 'h' });
        // g-2 waits behind the in-flight g-1; group h is not held.
        assert.deepEqual(bodies(await receive(sqs, q.url, { MaxNumberOfMessages: 10 })), ['h-1']);
        assert.deepEqual(await receive(sqs, q.url, { MaxNumberOfMessages: 10 }), []);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle }));
        assert.deepEqual(bodies(await receive(sqs, q.url, { MaxNumberOfMessages: 10 })), ['g-2']);
      });

      it('returns the in-flight message first once its visibility timeout expires', async () => {
        const q = await fifo({ VisibilityTimeout: '30' });
        for (const body of ['m-1', 'm-2', 'm-3']) {
          await send({ QueueUrl: q.url, MessageBody: body, MessageGroupId: 'g' });
        }
        const [first] = await receive(sqs, q.url, { MaxNumberOfMessages: 1 });
        assert.equal(first.Body, 'm-1');
        assert.deepEqual(await receive(sqs, q.url, { MaxNumberOfMessages: 10 }), []);
        await advance(server, 31);
        const again = await receive(sqs, q.url, {
          MaxNumberOfMessages: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        });
        assert.equal(again[0]?.Body, 'm-1');
        assert.equal(again[0].MessageId, first.MessageId);
        assert.equal(again[0].Attributes?.ApproximateReceiveCount, '2');
      });
    });

    // SendMessage API reference, MessageGroupId: "You must associate a non-empty MessageGroupId
    // with a message. If you don't provide a MessageGroupId, the action fails." Recorded AWS
    // answers (e.g. aws/aws-sdk-js-v3#5031, uecode/qpush-bundle#116 XML body):
    // MissingParameter "The request must contain the parameter MessageGroupId."
    describe('send validation', () => {
      it('rejects a message without MessageGroupId', async () => {
        const q = await fifo();
        const err = await errorOf(() => send({ QueueUrl: q.url, MessageBody: 'x' }));
        assertAwsError(err, {
          code: 'MissingParameter',
          status: 400,
          message: 'The request must contain the parameter MessageGroupId.',
        });
      });

      // SendMessage API reference, MessageDeduplicationId: "If you don't provide a
      // MessageDeduplicationId and the queue doesn't have ContentBasedDeduplication set, the
      // action fails with an error."
      it('rejects a message without a deduplication id when ContentBasedDeduplication is off', async () => {
        const q = await makeQueue(sqs, {}, { fifo: true });
        const err = await errorOf(() => send({ QueueUrl: q.url, MessageBody: 'x', MessageGroupId: 'g' }));
        assertAwsError(err, {
          code: 'InvalidParameterValue',
          status: 400,
          message:
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        });
      });

      // SendMessage API reference, DelaySeconds: "When you set FifoQueue, you can't set
      // DelaySeconds per message. You can set this parameter only on a queue level."
      it('rejects a per-message DelaySeconds', async () => {
        const q = await fifo();
        const err = await errorOf(() =>
          send({ QueueUrl: q.url, MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 2 }),
        );
        assertAwsError(err, {
          code: 'InvalidParameterValue',
          status: 400,
          message:
            'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
        });
      });

      // SendMessage API reference: MessageDeduplicationId "applies only to FIFO queues"; AWS
      // answers the same "not valid for this queue type" reason for FIFO-only parameters on a
      // standard queue (recorded in localstack/localstack#5374 for MessageGroupId before fair queues).
      it('rejects MessageDeduplicationId on a standard queue', async () => {
        const q = await makeQueue(sqs);
        const err = await errorOf(() =>
          send({ QueueUrl: q.url, MessageBody: 'x', MessageDeduplicationId: 'd-1' }),
        );
        assertAwsError(err, {
          code: 'InvalidParameterValue',
          status: 400,
          message:
            'Value d-1 for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.',
        });
      });
    });

    // SendMessage API reference, MessageDeduplicationId, and Developer Guide "Exactly-once
    // processing": a duplicate within the 5-minute deduplication interval is accepted but not
    // delivered, and SQS "continues to keep track of the message deduplication ID even after the
    // message is received and deleted".
    describe('deduplication', () => {
      it('accepts a duplicate within 5 minutes without delivering it, and a new copy after', async () => {
        const q = await makeQueue(sqs, {}, { fifo: true });
        const input = {
          QueueUrl: q.url,
          MessageBody: 'once',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'd-1',
        };
        const first = await send(input);
        const dup = await send({ ...input, MessageBody: 'twice' });
        assert.equal(dup.MessageId, first.MessageId);
        const got = await receive(sqs, q.url, { MaxNumberOfMessages: 10 });
        assert.deepEqual(bodies(got), ['once']);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: got[0].ReceiptHandle }));

        await advance(server, 120);
        const afterDelete = await send(input);
        assert.equal(afterDelete.MessageId, first.MessageId, 'still a duplicate after the delete');
        assert.deepEqual(await receive(sqs, q.url, { MaxNumberOfMessages: 10 }), []);

        await advance(server, 181);
        const fresh = await send(input);
        assert.notEqual(fresh.MessageId, first.MessageId);
        const later = await receive(sqs, q.url, { MaxNumberOfMessages: 10 });
        assert.deepEqual(
          later.map((m) => [m.MessageId, m.Body]),
          [[fresh.MessageId, 'once']],
        );
      });

      // ContentBasedDeduplication: SQS "uses a SHA-256 hash to generate the MessageDeduplicationId
      // using the body of the message (but not the attributes)"; an explicit id overrides the
      // generated one; an explicit id equal to the generated one is a duplicate; "The
      // MessageDeduplicationId is available to the consumer of the message".
      it('derives the deduplication id from the SHA-256 of the body', async () => {
        const q = await fifo();
        const first = await send({
          QueueUrl: q.url,
          MessageBody: 'payload',
          MessageGroupId: 'g',
          MessageAttributes: { n: { DataType: 'String', StringValue: '1' } },
        });
        const sameBody = await send({
          QueueUrl: q.url,
          MessageBody: 'payload',
          MessageGroupId: 'g',
          MessageAttributes: { n: { DataType: 'String', StringValue: '2' } },
        });
        assert.equal(sameBody.MessageId, first.MessageId, 'attributes do not count');
        const byHash = await send({
          QueueUrl: q.url,
          MessageBody: 'other body',
          MessageGroupId: 'g',
          MessageDeduplicationId: sha256Hex('payload'),
        });
        assert.equal(byHash.MessageId, first.MessageId, 'explicit id equal to the generated one');
        const overridden = await send({
          QueueUrl: q.url,
          MessageBody: 'payload',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'explicit',
        });
        assert.notEqual(overridden.MessageId, first.MessageId, 'explicit id overrides the generated one');

        const got = await drain(sqs, q.url);
        assert.deepEqual(
          got.map((m) => [m.Body, m.Attributes?.MessageDeduplicationId]),
          [
            ['payload', sha256Hex('payload')],
            ['payload', 'explicit'],
          ],
        );
      });

      // CreateQueue API reference, DeduplicationScope: "messageGroup" scopes deduplication to the
      // message group, so the same id in two groups is two messages.
      it('deduplicates per message group with DeduplicationScope messageGroup', async () => {
        const q = await makeQueue(sqs, { DeduplicationScope: 'messageGroup' }, { fifo: true });
        const a = await send({
          QueueUrl: q.url,
          MessageBody: 'a',
          MessageGroupId: 'ga',
          MessageDeduplicationId: 'same',
        });
        const b = await send({
          QueueUrl: q.url,
          MessageBody: 'b',
          MessageGroupId: 'gb',
          MessageDeduplicationId: 'same',
        });
        const a2 = await send({
          QueueUrl: q.url,
          MessageBody: 'a2',
          MessageGroupId: 'ga',
          MessageDeduplicationId: 'same',
        });
        assert.notEqual(a.MessageId, b.MessageId);
        assert.equal(a2.MessageId, a.MessageId, 'still deduplicated within the group');
        assert.deepEqual(bodies(await drain(sqs, q.url)).sort(), ['a', 'b']);
      });

      it('deduplicates across groups with the default queue scope', async () => {
        const q = await makeQueue(sqs, {}, { fifo: true });
        const a = await send({
          QueueUrl: q.url,
          MessageBody: 'a',
          MessageGroupId: 'ga',
          MessageDeduplicationId: 'same',
        });
        const b = await send({
          QueueUrl: q.url,
          MessageBody: 'b',
          MessageGroupId: 'gb',
          MessageDeduplicationId: 'same',
        });
        assert.equal(b.MessageId, a.MessageId);
        assert.deepEqual(bodies(await drain(sqs, q.url)), ['a']);
      });
    });

    // SendMessage API reference, SequenceNumber: "The large, non-consecutive number that Amazon
    // SQS assigns to each message. The length of SequenceNumber is 128 bits. SequenceNumber
    // continues to increase for a particular MessageGroupId." ReceiveMessage returns it, with
    // MessageGroupId and MessageDeduplicationId, as system attributes when asked for.
    describe('system attributes', () => {
      it('assigns increasing numeric sequence numbers and returns them on receive', async () => {
        const q = await fifo();
        const sent = [];
        for (let i = 0; i < 5; i++) {
          sent.push(
            await send({
              QueueUrl: q.url,
              MessageBody: `b-${i}`,
              MessageGroupId: i % 2 === 0 ? 'even' : 'odd',
              MessageDeduplicationId: `d-${i}`,
            }),
          );
        }
        const numbers = sent.map((s) => s.SequenceNumber ?? '');
        for (const n of numbers) assert.match(n, /^\d+$/);
        for (let i = 1; i < numbers.length; i++) {
          assert.ok(BigInt(numbers[i]) > BigInt(numbers[i - 1]), `${numbers[i]} > ${numbers[i - 1]}`);
        }
        const got = await drain(sqs, q.url);
        const byId = new Map(got.map((m) => [m.MessageId, m]));
        sent.forEach((s, i) => {
          const m = byId.get(s.MessageId);
          assert.ok(m, `message ${i} received`);
          assert.equal(m.Attributes?.SequenceNumber, s.SequenceNumber);
          assert.equal(m.Attributes?.MessageGroupId, i % 2 === 0 ? 'even' : 'odd');
          assert.equal(m.Attributes?.MessageDeduplicationId, `d-${i}`);
        });
      });

      it('returns FIFO system attributes only when they are requested', async () => {
        const q = await fifo();
        await send({ QueueUrl: q.url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' });
        const [plain] = await receive(sqs, q.url, { VisibilityTimeout: 0 });
        assert.equal(plain.Attributes, undefined);
        const [some] = await receive(sqs, q.url, {
          VisibilityTimeout: 0,
          MessageSystemAttributeNames: ['MessageGroupId', 'SequenceNumber'],
        });
        assert.deepEqual(Object.keys(some.Attributes ?? {}).sort(), ['MessageGroupId', 'SequenceNumber']);
        assert.equal(some.Attributes?.MessageGroupId, 'g');
      });
    });

    // ReceiveMessage API reference, ReceiveRequestAttemptId: "During a visibility timeout,
    // subsequent calls with the same ReceiveRequestAttemptId return the same messages and receipt
    // handles. If a retry occurs within the deduplication interval, it resets the visibility timeout."
    describe('ReceiveRequestAttemptId', () => {
      it('returns the same messages and receipt handles to a retried receive', async () => {
        const q = await fifo({ VisibilityTimeout: '30' });
        for (const body of ['r-1', 'r-2'])
          await send({ QueueUrl: q.url, MessageBody: body, MessageGroupId: 'g' });
        const first = await receive(sqs, q.url, {
          MaxNumberOfMessages: 10,
          ReceiveRequestAttemptId: 'attempt-1',
        });
        assert.deepEqual(bodies(first), ['r-1', 'r-2']);
        await advance(server, 5);
        const retry = await receive(sqs, q.url, {
          MaxNumberOfMessages: 10,
          ReceiveRequestAttemptId: 'attempt-1',
        });
        assert.deepEqual(
          retry.map((m) => [m.MessageId, m.ReceiptHandle]),
          first.map((m) => [m.MessageId, m.ReceiptHandle]),
        );
        assert.deepEqual(
          await receive(sqs, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'attempt-2' }),
          [],
        );
        for (const m of retry) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
        }
        assert.deepEqual(await receive(sqs, q.url, { MaxNumberOfMessages: 10 }), []);
      });

      it('resets the visibility timeout when the retry comes within the interval', async () => {
        const q = await fifo({ VisibilityTimeout: '30' });
        await send({ QueueUrl: q.url, MessageBody: 'r', MessageGroupId: 'g' });
        const [first] = await receive(sqs, q.url, { ReceiveRequestAttemptId: 'attempt-v' });
        assert.equal(first.Body, 'r');
        await advance(server, 20);
        const [retry] = await receive(sqs, q.url, { ReceiveRequestAttemptId: 'attempt-v' });
        assert.equal(retry?.ReceiptHandle, first.ReceiptHandle);
        // 40 s after the first receive but only 20 s after the retry: still invisible.
        await advance(server, 20);
        assert.deepEqual(await receive(sqs, q.url), [], 'the retry restarted the 30 s visibility timeout');
        await advance(server, 11);
        assert.deepEqual(bodies(await receive(sqs, q.url)), ['r']);
      });
    });

    // DeleteMessage on a FIFO queue after the visibility timeout has lapsed: AWS refuses the stale
    // handle (aws/aws-sdk-js#1279, "The receipt handle has expired"), as InvalidParameterValue.
    it('rejects deleting with a receipt handle whose visibility timeout expired', async () => {
      const q = await fifo();
      await send({ QueueUrl: q.url, MessageBody: 'x', MessageGroupId: 'g' });
      const [m] = await receive(sqs, q.url, { VisibilityTimeout: 5 });
      await advance(server, 6);
      const err = await errorOf(() =>
        sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle })),
      );
      assertAwsError(err, {
        code: 'InvalidParameterValue',
        status: 400,
        message: `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
      });
      assert.deepEqual(bodies(await receive(sqs, q.url)), ['x'], 'the message was not deleted');
    });

    // Developer Guide, "Amazon SQS delay queues": "For FIFO queues, the per-queue delay setting is
    // retroactive—changing the setting affects the delay of messages already in the queue." For
    // standard queues it is not.
    describe('queue DelaySeconds changes', () => {
      it('applies a changed DelaySeconds to messages already queued on a FIFO queue', async () => {
        const q = await fifo({ DelaySeconds: '120' });
        await send({ QueueUrl: q.url, MessageBody: 'late', MessageGroupId: 'g' });
        assert.deepEqual(await receive(sqs, q.url), []);
        await sqs.send(
          new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { DelaySeconds: '10' } }),
        );
        await advance(server, 11);
        assert.deepEqual(bodies(await receive(sqs, q.url)), ['late']);
      });

      it('does not change the delay of messages already queued on a standard queue', async () => {
        const q = await makeQueue(sqs, { DelaySeconds: '120' });
        await send({ QueueUrl: q.url, MessageBody: 'late' });
        await sqs.send(
          new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { DelaySeconds: '10' } }),
        );
        await advance(server, 11);
        assert.deepEqual(await receive(sqs, q.url), []);
        await advance(server, 110);
        assert.deepEqual(bodies(await receive(sqs, q.url)), ['late']);
      });
    });
  });
}

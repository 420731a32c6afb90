import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { assertAwsError, counts, createQueue, receive } from '../support/messages.js';
import { advance, errorOf, type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

// Developer Guide, "Amazon SQS visibility timeout"; API_ReceiveMessage (VisibilityTimeout,
// ApproximateReceiveCount), API_ChangeMessageVisibility (timeout counts from the call; at most 12
// hours from the receive), API_DeleteMessage (receipt handles).

const receiveCount = ['ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'] as const;

for (const protocol of ['json', 'query'] as const) {
  describe(`SQS visibility timeout over ${protocol}`, () => {
    let server: RunningTideway;
    const sqs = () => sqsClient(server.endpoint, protocol);
    before(async () => {
      server = await startServer();
    });
    after(() => server.stop());

    async function sendOne(url: string, body = 'payload'): Promise<void> {
      await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    }

    it('hides a received message for the queue VisibilityTimeout', async () => {
      const client = sqs();
      const { url } = await createQueue(client, { VisibilityTimeout: '30' });
      await sendOne(url);
      const [first] = await receive(client, url, { MessageSystemAttributeNames: [...receiveCount] });
      assert.equal(first.Attributes?.ApproximateReceiveCount, '1');
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 1, delayed: 0 });
      assert.deepEqual(await receive(client, url), []);

      await advance(server, 20);
      assert.deepEqual(await receive(client, url), [], 'still hidden 20 s into a 30 s timeout');
      await advance(server, 10);
      assert.deepEqual(await counts(client, url), { visible: 1, notVisible: 0, delayed: 0 });

      const [second] = await receive(client, url, { MessageSystemAttributeNames: [...receiveCount] });
      assert.equal(second.MessageId, first.MessageId);
      assert.equal(second.Attributes?.ApproximateReceiveCount, '2');
      assert.equal(
        second.Attributes?.ApproximateFirstReceiveTimestamp,
        first.Attributes?.ApproximateFirstReceiveTimestamp,
        'the first receive time does not move',
      );
      assert.notEqual(second.ReceiptHandle, first.ReceiptHandle, 'every receive gets a new receipt handle');
    });

    it("uses the receive's VisibilityTimeout over the queue's", async () => {
      const client = sqs();
      const { url } = await createQueue(client, { VisibilityTimeout: '300' });
      await sendOne(url);
      const handles = new Set<string>();
      const [first] = await receive(client, url, { VisibilityTimeout: 5 });
      handles.add(first.ReceiptHandle!);
      assert.deepEqual(await receive(client, url), []);
      await advance(server, 5);
      // Received again with the queue's default this time: 300 s.
      const [second] = await receive(client, url, { AttributeNames: ['All'] });
      handles.add(second.ReceiptHandle!);
      assert.equal(second.Attributes?.ApproximateReceiveCount, '2');
      await advance(server, 200);
      assert.deepEqual(await receive(client, url), [], 'the queue default of 300 s applies');
      await advance(server, 100);
      const [third] = await receive(client, url, { AttributeNames: ['All'], VisibilityTimeout: 0 });
      handles.add(third.ReceiptHandle!);
      assert.equal(third.Attributes?.ApproximateReceiveCount, '3');
      // VisibilityTimeout 0 leaves it receivable straight away.
      const [fourth] = await receive(client, url, { AttributeNames: ['All'] });
      handles.add(fourth.ReceiptHandle!);
      assert.equal(fourth.Attributes?.ApproximateReceiveCount, '4');
      assert.equal(handles.size, 4);
    });

    it('makes a message visible at once with ChangeMessageVisibility 0', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      await sendOne(url);
      const [m] = await receive(client, url, { VisibilityTimeout: 600 });
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      assert.deepEqual(await counts(client, url), { visible: 1, notVisible: 0, delayed: 0 });
      const [again] = await receive(client, url);
      assert.equal(again.MessageId, m.MessageId);
    });

    it('counts a changed timeout from the ChangeMessageVisibility call', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      await sendOne(url);
      const [m] = await receive(client, url, { VisibilityTimeout: 10 });
      await advance(server, 5);
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 60,
        }),
      );
      await advance(server, 30);
      assert.deepEqual(await receive(client, url), [], 'hidden past the original 10 s');
      await advance(server, 29);
      assert.deepEqual(await receive(client, url), [], 'hidden until 60 s after the change');
      await advance(server, 1);
      assert.equal((await receive(client, url))[0]?.MessageId, m.MessageId);
    });

    it('refuses to extend the timeout beyond 12 hours from the receive', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      await sendOne(url);
      const [m] = await receive(client, url, { VisibilityTimeout: 43_200 });
      await advance(server, 100);
      const err = await errorOf(() =>
        client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: url,
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: 43_200,
          }),
        ),
      );
      assertAwsError(err, {
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message:
          'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
      });
      // Up to the limit is fine: 100 s elapsed + 43,000 s.
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 43_000,
        }),
      );
      await advance(server, 42_990);
      assert.deepEqual(await receive(client, url), []);
      await advance(server, 10);
      assert.equal((await receive(client, url)).length, 1);
    });

    it('refuses ChangeMessageVisibility on a deleted message', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      await sendOne(url);
      const [m] = await receive(client, url);
      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      const err = await errorOf(() =>
        client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: url,
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: 10,
          }),
        ),
      );
      assertAwsError(err, {
        name: 'InvalidParameterValue',
        code: 'InvalidParameterValue',
        status: 400,
        message: `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      });
    });

    it('answers ReceiptHandleIsInvalid (404) for a malformed receipt handle', async () => {
      // ballerina tests (testDeleteMessageWithInvalidReceiptHandle), run against AWS: 404
      // ReceiptHandleIsInvalid; text as moto's AWS-checked DeleteMessageBatch test quotes it.
      const client = sqs();
      const { url } = await createQueue(client);
      for (const handle of ['InvalidReceiptHandle123', 'not a handle!']) {
        const expected = {
          name: 'ReceiptHandleIsInvalid',
          code: 'ReceiptHandleIsInvalid',
          status: 404,
          message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
        };
        assertAwsError(
          await errorOf(() =>
            client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle })),
          ),
          expected,
        );
        assertAwsError(
          await errorOf(() =>
            client.send(
              new ChangeMessageVisibilityCommand({
                QueueUrl: url,
                ReceiptHandle: handle,
                VisibilityTimeout: 5,
              }),
            ),
          ),
          expected,
        );
      }
    });

    it('deletes with a lapsed handle when the message was not received again', async () => {
      // API_DeleteMessage: only the most recent receipt handle is sure to delete.
      const client = sqs();
      const { url } = await createQueue(client);
      await sendOne(url);
      const [m] = await receive(client, url, { VisibilityTimeout: 5 });
      await advance(server, 6);
      assert.deepEqual(await counts(client, url), { visible: 1, notVisible: 0, delayed: 0 });
      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 0, delayed: 0 });
      assert.deepEqual(await receive(client, url), []);
    });

    it('accepts but ignores a stale handle once the message was received again', async () => {
      // API_DeleteMessage: "If you use an old ReceiptHandle, the request will succeed, but the
      // message might not be deleted."
      const client = sqs();
      const { url } = await createQueue(client);
      await sendOne(url);
      const [first] = await receive(client, url, { VisibilityTimeout: 5 });
      await advance(server, 6);
      const [second] = await receive(client, url, { VisibilityTimeout: 60 });
      assert.equal(second.MessageId, first.MessageId);

      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle }));
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 1, delayed: 0 });

      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle }));
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 0, delayed: 0 });
      await advance(server, 60);
      assert.deepEqual(await receive(client, url), []);
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { errorOf, type RunningTideway, sqsClient, startServer, uniqueName } from '../support/tideway.js';

for (const protocol of ['json', 'query'] as const) {
  describe(`SQS basics over ${protocol}`, () => {
    let server: RunningTideway;
    before(async () => {
      server = await startServer();
    });
    after(() => server.stop());

    it('creates a queue, sends, receives and deletes a message', async () => {
      const sqs = sqsClient(server.endpoint, protocol);
      const name = uniqueName();
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      assert.equal(QueueUrl, `${server.endpoint}/000000000000/${name}`);
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
      // The SDK itself checks MD5OfMessageBody; 'hello' digests to this (RFC 1321).
      assert.equal(sent.MD5OfMessageBody, '5d41402abc4b2a76b9719d911017c592');
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(got.Messages?.length, 1);
      assert.equal(got.Messages?.[0].Body, 'hello');
      assert.equal(got.Messages?.[0].MessageId, sent.MessageId);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got.Messages![0].ReceiptHandle }));
      const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(empty.Messages, undefined);
    });

    it('answers QueueDoesNotExist with both codes', async () => {
      const sqs = sqsClient(server.endpoint, protocol);
      const err = await errorOf(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
      assert.equal(err.name, 'QueueDoesNotExist');
      assert.equal(err.$metadata.httpStatusCode, 400);
      if (protocol === 'json') {
        // SQS JSON API: the legacy code travels in x-amzn-query-error.
        assert.equal(err.Code, 'AWS.SimpleQueueService.NonExistentQueue');
        assert.equal(err.message, 'The specified queue does not exist.');
      } else {
        assert.equal(err.message, 'The specified queue does not exist for this wsdl version.');
      }
    });

    it('lists queues by prefix', async () => {
      const sqs = sqsClient(server.endpoint, protocol);
      const prefix = uniqueName('list');
      for (const n of ['a', 'b', 'c'])
        await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${n}` }));
      const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
      assert.deepEqual(
        listed.QueueUrls,
        ['a', 'b', 'c'].map((n) => `${server.endpoint}/000000000000/${prefix}-${n}`),
      );
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type BatchResultErrorEntry,
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  assertAwsError,
  counts,
  createQueue,
  guideDigest,
  md5Hex,
  receive,
  utf8,
} from '../support/messages.js';
import { advance, errorOf, type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

// API_SendMessageBatch, API_DeleteMessageBatch, API_ChangeMessageVisibilityBatch: up to 10
// entries with distinct ids (alphanumerics, hyphens, underscores, at most 80), at most 1 MiB of
// message payload in all; each entry succeeds or fails on its own ("check for batch errors even
// when the call returns an HTTP status code of 200"). Batch-level texts as recorded from AWS in
// ballerina-platform/module-ballerinax-aws.sqs ballerina/tests/test.bal and in moto's
// test_send_message_batch_errors.

const MiB = 1_048_576;

type BatchOperation = 'send' | 'delete' | 'change';

const ENTRY_TYPE: Record<BatchOperation, string> = {
  send: 'SendMessageBatchRequestEntry',
  delete: 'DeleteMessageBatchRequestEntry',
  change: 'ChangeMessageVisibilityBatchRequestEntry',
};

/** Runs one batch call of `operation` with entries built from the given ids. */
function batchCall(client: SQSClient, url: string, operation: BatchOperation, ids: string[]) {
  switch (operation) {
    case 'send':
      return client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: ids.map((Id) => ({ Id, MessageBody: `body-${Id}` })),
        }),
      );
    case 'delete':
      return client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: ids.map((Id) => ({ Id, ReceiptHandle: `handle-${Id}` })),
        }),
      );
    case 'change':
      return client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: ids.map((Id) => ({ Id, ReceiptHandle: `handle-${Id}`, VisibilityTimeout: 10 })),
        }),
      );
  }
}

const byId = (a: { Id?: string }, b: { Id?: string }) => (a.Id! < b.Id! ? -1 : 1);

for (const protocol of ['json', 'query'] as const) {
  describe(`SQS batches over ${protocol}`, () => {
    let server: RunningTideway;
    const sqs = () => sqsClient(server.endpoint, protocol);
    before(async () => {
      server = await startServer();
    });
    after(() => server.stop());

    // ---- batch-level validation, for all three operations ------------------------------------

    for (const operation of ['send', 'delete', 'change'] as const) {
      it(`${operation}: rejects an empty batch`, async () => {
        const client = sqs();
        const { url } = await createQueue(client);
        const err = await errorOf(() => batchCall(client, url, operation, []));
        assertAwsError(err, {
          name: 'EmptyBatchRequest',
          code: 'AWS.SimpleQueueService.EmptyBatchRequest',
          status: 400,
          message: `There should be at least one ${ENTRY_TYPE[operation]} in the request.`,
        });
      });

      it(`${operation}: rejects more than 10 entries`, async () => {
        const client = sqs();
        const { url } = await createQueue(client);
        const ids = Array.from({ length: 11 }, (_, i) => `id${i}`);
        const err = await errorOf(() => batchCall(client, url, operation, ids));
        assertAwsError(err, {
          name: 'TooManyEntriesInBatchRequest',
          code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
          status: 400,
          message: 'Maximum number of entries per request are 10. You have sent 11.',
        });
      });

      it(`${operation}: rejects repeated entry ids, naming the first repeat`, async () => {
        const client = sqs();
        const { url } = await createQueue(client);
        const err = await errorOf(() => batchCall(client, url, operation, ['id_1', 'id_2', 'id_2', 'id_1']));
        assertAwsError(err, {
          name: 'BatchEntryIdsNotDistinct',
          code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
          status: 400,
          message: 'Id id_2 repeated.',
        });
      });

      it(`${operation}: rejects entry ids that are not 1..80 alphanumerics, hyphens or underscores`, async () => {
        const client = sqs();
        const { url } = await createQueue(client);
        for (const bad of ['bad id!', 'dot.ted', 'i'.repeat(81)]) {
          const err = await errorOf(() => batchCall(client, url, operation, ['fine', bad]));
          assertAwsError(err, {
            name: 'InvalidBatchEntryId',
            code: 'AWS.SimpleQueueService.InvalidBatchEntryId',
            status: 400,
            message:
              'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
          });
        }
      });
    }

    // ---- SendMessageBatch ----------------------------------------------------------------------

    it('sends a batch and answers per-entry ids and digests', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
      const entries: SendMessageBatchRequestEntry[] = [
        { Id: 'foo', MessageBody: 'foo' }, // aws/aws-sdk-js test/services/sqs.spec.js
        { Id: 'bar', MessageBody: 'bar' },
        {
          Id: 'with-attrs',
          MessageBody: 'Body', // aws-sdk-java-v2 MessageMD5ChecksumInterceptorTest
          // ydb-platform/ydb attributes_md5_ut.cpp (AmazonSampleWithString)
          MessageAttributes: {
            test_attribute_name_2: { DataType: 'String', StringValue: 'test_attribute_value_2' },
            test_attribute_name_1: { DataType: 'String', StringValue: 'test_attribute_value_1' },
          },
        },
        {
          Id: 'traced',
          MessageBody: 'Bar', // aws-sdk-php SqsClientTest testValidatesMd5OfBody
          MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } },
        },
      ];
      const res = await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
      assert.equal(res.Failed?.length ?? 0, 0);
      const ok = new Map((res.Successful ?? []).map((e) => [e.Id, e]));
      assert.deepEqual([...ok.keys()].sort(), ['bar', 'foo', 'traced', 'with-attrs']);
      assert.equal(ok.get('foo')?.MD5OfMessageBody, 'acbd18db4cc2f85cedef654fccc4a4d8');
      assert.equal(ok.get('bar')?.MD5OfMessageBody, '37b51d194a7513e45b56f6524f2d51f2');
      assert.equal(ok.get('with-attrs')?.MD5OfMessageBody, 'ac101b32dda4448cf13a93fe283dddd8');
      assert.equal(ok.get('with-attrs')?.MD5OfMessageAttributes, 'd53f3b558fe951154770f25cb63dbba9');
      assert.equal(ok.get('traced')?.MD5OfMessageBody, 'ddc35f88fa71b6ef142ae61f35364653');
      assert.equal(
        ok.get('traced')?.MD5OfMessageSystemAttributes,
        guideDigest([['AWSTraceHeader', 'String', 1, utf8(trace)]]),
      );
      assert.equal(ok.get('foo')?.MD5OfMessageAttributes, undefined);
      const messageIds = [...ok.values()].map((e) => e.MessageId);
      assert.equal(new Set(messageIds).size, 4, 'each entry gets its own MessageId');

      const received = await receive(client, url, {
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      });
      assert.deepEqual(received.map((m) => m.MessageId).sort(), [...messageIds].sort());
      const withAttrs = received.find((m) => m.MessageId === ok.get('with-attrs')?.MessageId);
      assert.equal(withAttrs?.MD5OfMessageAttributes, 'd53f3b558fe951154770f25cb63dbba9');
    });

    it('fails bad entries on their own while the rest are sent', async () => {
      const client = sqs();
      const { url } = await createQueue(client, { MaximumMessageSize: '1024' });
      const res = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'ok1', MessageBody: 'first' },
            { Id: 'badChars', MessageBody: 'nul\u0000' },
            { Id: 'badDelay', MessageBody: 'x', DelaySeconds: 901 },
            { Id: 'tooBig', MessageBody: 'b'.repeat(1025) },
            {
              Id: 'emptyAttr',
              MessageBody: 'x',
              MessageAttributes: { x: { DataType: 'String', StringValue: '' } },
            },
            { Id: 'ok2', MessageBody: 'second' },
          ],
        }),
      );
      assert.deepEqual(
        (res.Successful ?? []).map((e) => e.Id),
        ['ok1', 'ok2'],
      );
      const failed = [...(res.Failed ?? [])].sort(byId);
      assert.deepEqual(
        failed.map((f) => f.Id),
        ['badChars', 'badDelay', 'emptyAttr', 'tooBig'],
      );
      for (const f of failed) assert.equal(f.SenderFault, true, f.Id);
      const entry = (id: string) => failed.find((f) => f.Id === id) as BatchResultErrorEntry;
      assert.equal(entry('badChars').Code, 'InvalidMessageContents');
      assert.deepEqual(entry('badDelay'), {
        Id: 'badDelay',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message:
          'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
      });
      assert.deepEqual(entry('tooBig'), {
        Id: 'tooBig',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        // test_send_batch_message_size (AWS-recorded): a batch entry's wording differs from SendMessage's.
        Message:
          'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
      });
      assert.deepEqual(entry('emptyAttr'), {
        Id: 'emptyAttr',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: "Message (user) attribute 'x' must contain a non-empty value of type 'String'.",
      });
      assert.deepEqual((await receive(client, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body).sort(), [
        'first',
        'second',
      ]);
    });

    it('fails an entry with an empty body as EmptyValue', async () => {
      // ballerina tests (testSendMessageBatchPartialFailure), run against AWS: code EmptyValue,
      // sender fault, the other entry sent.
      const client = sqs();
      const { url } = await createQueue(client);
      const res = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: '1', MessageBody: 'Valid message' },
            { Id: '2', MessageBody: '' },
          ],
        }),
      );
      assert.deepEqual(
        (res.Successful ?? []).map((e) => e.Id),
        ['1'],
      );
      assert.equal(res.Failed?.length, 1);
      assert.equal(res.Failed?.[0].Id, '2');
      assert.equal(res.Failed?.[0].Code, 'EmptyValue');
      assert.equal(res.Failed?.[0].SenderFault, true);
    });

    it('rejects a batch over 1,048,576 bytes in all, and accepts exactly that much', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      // ballerina tests (testSendMessageBatchExceedsTotalSizeLimit), run against AWS: ten bodies
      // of 104,858 bytes.
      const body = 'A'.repeat(104_858);
      const err = await errorOf(() =>
        client.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `msg${j + 1}`, MessageBody: body })),
          }),
        ),
      );
      assertAwsError(err, {
        name: 'BatchRequestTooLong',
        code: 'AWS.SimpleQueueService.BatchRequestTooLong',
        status: 400,
        message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048580 bytes.',
      });
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 0, delayed: 0 });

      const eighth = 'B'.repeat(MiB / 8);
      const res = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 8 }, (_, j) => ({ Id: `part${j}`, MessageBody: eighth })),
        }),
      );
      assert.equal(res.Successful?.length, 8);
      for (const e of res.Successful ?? []) assert.equal(e.MD5OfMessageBody, md5Hex(eighth));
    });

    // ---- DeleteMessageBatch --------------------------------------------------------------------

    it('deletes a batch, failing only the invalid receipt handles', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: ['a', 'b', 'c'].map((b) => ({ Id: b, MessageBody: b })),
        }),
      );
      const got = await receive(client, url, { MaxNumberOfMessages: 10 });
      assert.equal(got.length, 3);
      const [keep, ...remove] = got;
      // moto test_delete_message_batch_with_invalid_receipt_id (the text AWS answers).
      const res = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'fake-receipt-handle-1', ReceiptHandle: 'fake-receipt-handle-1' },
            { Id: 'real1', ReceiptHandle: remove[0].ReceiptHandle },
            { Id: 'real2', ReceiptHandle: remove[1].ReceiptHandle },
          ],
        }),
      );
      assert.deepEqual((res.Successful ?? []).map((e) => e.Id).sort(), ['real1', 'real2']);
      assert.deepEqual(res.Failed, [
        {
          Id: 'fake-receipt-handle-1',
          SenderFault: true,
          Code: 'ReceiptHandleIsInvalid',
          Message: 'The input receipt handle "fake-receipt-handle-1" is not a valid receipt handle.',
        },
      ]);
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 1, delayed: 0 });
      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: keep.ReceiptHandle }));
      assert.deepEqual(await counts(client, url), { visible: 0, notVisible: 0, delayed: 0 });
    });

    // ---- ChangeMessageVisibilityBatch ----------------------------------------------------------

    it('changes visibility per entry, failing deleted messages and malformed handles', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: ['now', 'later', 'gone'].map((b) => ({ Id: b, MessageBody: b })),
        }),
      );
      const got = await receive(client, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 600 });
      const handle = (body: string) => got.find((m) => m.Body === body)?.ReceiptHandle as string;
      assert.equal(got.length, 3);
      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle('gone') }));

      const res = await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'now', ReceiptHandle: handle('now'), VisibilityTimeout: 0 },
            { Id: 'later', ReceiptHandle: handle('later'), VisibilityTimeout: 100 },
            { Id: 'gone', ReceiptHandle: handle('gone'), VisibilityTimeout: 10 },
            { Id: 'junk', ReceiptHandle: 'junk-handle', VisibilityTimeout: 10 },
          ],
        }),
      );
      assert.deepEqual((res.Successful ?? []).map((e) => e.Id).sort(), ['later', 'now']);
      assert.deepEqual([...(res.Failed ?? [])].sort(byId), [
        {
          Id: 'gone',
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message: `Value ${handle('gone')} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
        },
        {
          Id: 'junk',
          SenderFault: true,
          Code: 'ReceiptHandleIsInvalid',
          Message: 'The input receipt handle "junk-handle" is not a valid receipt handle.',
        },
      ]);

      assert.deepEqual(await counts(client, url), { visible: 1, notVisible: 1, delayed: 0 });
      assert.deepEqual(
        (await receive(client, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 600 })).map((m) => m.Body),
        ['now'],
      );
      await advance(server, 100);
      assert.deepEqual(
        (await receive(client, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body),
        ['later'],
      );
    });

    it('fails a batch entry that would extend visibility beyond 12 hours', async () => {
      const client = sqs();
      const { url } = await createQueue(client);
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: ['x', 'y'].map((b) => ({ Id: b, MessageBody: b })),
        }),
      );
      const got = await receive(client, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 43_200 });
      assert.equal(got.length, 2);
      await advance(server, 100);
      const res = await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'over', ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 43_200 },
            { Id: 'within', ReceiptHandle: got[1].ReceiptHandle, VisibilityTimeout: 43_000 },
          ],
        }),
      );
      assert.deepEqual(
        (res.Successful ?? []).map((e) => e.Id),
        ['within'],
      );
      assert.deepEqual(res.Failed, [
        {
          Id: 'over',
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message:
            'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
        },
      ]);
    });
  });
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { jsonRequest, queryRequest, xmlText } from '../support/server.js';
import {
  advance,
  errorOf,
  type RunningTideway,
  receive,
  startServer,
  uniqueName,
} from '../support/tideway.js';
import { assertWireError, type RecordingHandler, recordingSqsClient } from '../support/wire.js';

// Each case is AWS's answer as recorded over both wire protocols (LocalStack's AWS-validated
// tests/aws/services/sqs/test_sqs.snapshot.json and test_sqs_move_task.snapshot.json, unless a
// comment names another record): the JSON `__type` with `x-amzn-query-error`, and the XML Code.

const CORAL = 'com.amazon.coral.service#';
const invalidParameterValue = (message: string) => ({
  type: `${CORAL}InvalidParameterValueException`,
  queryCode: 'InvalidParameterValue',
  message,
});
const invalidAttributeName = (message: string) => ({
  type: 'com.amazonaws.sqs#InvalidAttributeName',
  queryCode: 'InvalidAttributeName',
  message,
});

for (const protocol of ['json', 'query'] as const) {
  describe(`SQS error fidelity over ${protocol}`, () => {
    let server: RunningTideway;
    let sqs: SQSClient;
    let wire: RecordingHandler;
    before(async () => {
      server = await startServer();
      ({ sqs, wire } = recordingSqsClient(server.endpoint, protocol));
    });
    after(() => server.stop());

    const create = async (name: string, Attributes?: Record<string, string>) =>
      (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
    const fifoQueue = (attributes: Record<string, string> = {}) =>
      create(uniqueName('f').concat('.fifo'), { FifoQueue: 'true', ...attributes });

    describe('FIFO send parameters', () => {
      // test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay: a per-message
      // DelaySeconds of 0 is accepted and the queue's own delay still applies.
      it('accepts DelaySeconds 0 on a FIFO queue, keeping the queue delay', async () => {
        const QueueUrl = await fifoQueue({ ContentBasedDeduplication: 'true', DelaySeconds: '2' });
        const sent = await sqs.send(
          new SendMessageCommand({
            QueueUrl,
            MessageBody: 'message-1',
            MessageGroupId: '1',
            DelaySeconds: 0,
          }),
        );
        assert.ok(sent.SequenceNumber);
        assert.deepEqual(await receive(sqs, QueueUrl), []);
        await advance(server, 3);
        assert.deepEqual(
          (await receive(sqs, QueueUrl)).map((m) => m.Body),
          ['message-1'],
        );
      });

      it('accepts DelaySeconds 0 on a FIFO batch entry', async () => {
        const QueueUrl = await fifoQueue({ ContentBasedDeduplication: 'true' });
        const sent = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: [{ Id: 'a', MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 0 }],
          }),
        );
        assert.deepEqual(
          sent.Successful?.map((s) => s.Id),
          ['a'],
        );
        assert.equal(sent.Failed?.length ?? 0, 0);
      });

      // test_fifo_queue_send_message_with_delay_seconds_fails.
      it('refuses a non-zero DelaySeconds on a FIFO queue', async () => {
        const QueueUrl = await fifoQueue({ ContentBasedDeduplication: 'true' });
        await errorOf(() =>
          sqs.send(
            new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 2 }),
          ),
        );
        assertWireError(
          wire,
          protocol,
          invalidParameterValue(
            'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
          ),
        );
      });

      // test_posting_to_fifo_requires_deduplicationid_group_id: SendMessage says MissingParameter.
      it('answers MissingParameter for SendMessage without MessageGroupId', async () => {
        const QueueUrl = await fifoQueue({ ContentBasedDeduplication: 'true' });
        await errorOf(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })));
        assertWireError(wire, protocol, {
          type: `${CORAL}MissingRequiredParameterException`,
          queryCode: 'MissingParameter',
          message: 'The request must contain the parameter MessageGroupId.',
        });
      });

      // test_send_batch_missing_message_group_id_for_fifo_queue and
      // test_send_batch_missing_deduplication_id_for_fifo_queue: in a batch the whole request fails,
      // as InvalidParameterValue, even when other entries are fine.
      it('fails a FIFO batch as a whole for an entry without MessageGroupId', async () => {
        const QueueUrl = await fifoQueue({ ContentBasedDeduplication: 'false' });
        await errorOf(() =>
          sqs.send(
            new SendMessageBatchCommand({
              QueueUrl,
              Entries: [
                { Id: 'a', MessageBody: 'b', MessageGroupId: 'g', MessageDeduplicationId: 'd-1' },
                { Id: 'b', MessageBody: 'b', MessageDeduplicationId: 'd-2' },
              ],
            }),
          ),
        );
        assertWireError(
          wire,
          protocol,
          invalidParameterValue('The request must contain the parameter MessageGroupId.'),
        );
        assert.deepEqual(await receive(sqs, QueueUrl), [], 'nothing of the batch was sent');
      });

      it('fails a FIFO batch as a whole for an entry without a deduplication id', async () => {
        const QueueUrl = await fifoQueue({ ContentBasedDeduplication: 'false' });
        await errorOf(() =>
          sqs.send(
            new SendMessageBatchCommand({
              QueueUrl,
              Entries: [
                { Id: 'a', MessageBody: 'b', MessageGroupId: 'g', MessageDeduplicationId: 'd-1' },
                { Id: 'b', MessageBody: 'b', MessageGroupId: 'g' },
              ],
            }),
          ),
        );
        assertWireError(
          wire,
          protocol,
          invalidParameterValue(
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          ),
        );
      });
    });

    // test_send_batch_message_size: a batch entry over MaximumMessageSize fails on its own, worded
    // "cannot be validated" where SendMessage says "are invalid".
    it('words an oversized batch entry as AWS does', async () => {
      const QueueUrl = await create(uniqueName('small'), { MaximumMessageSize: '1024' });
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'fits', MessageBody: 'a'.repeat(1024) },
            { Id: 'big', MessageBody: 'a'.repeat(1025) },
          ],
        }),
      );
      assert.deepEqual(
        sent.Successful?.map((s) => s.Id),
        ['fits'],
      );
      assert.deepEqual(sent.Failed, [
        {
          Id: 'big',
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message:
            'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
        },
      ]);
    });

    describe('FIFO-only attributes', () => {
      // test_create_standard_queue_with_fifo_attribute_raises_error.
      it('refuses each FIFO attribute on a standard queue with its own text', async () => {
        const cases: Array<[string, string, string]> = [
          ['FifoQueue', 'false', 'Unknown Attribute FifoQueue.'],
          ['ContentBasedDeduplication', 'false', 'Unknown Attribute ContentBasedDeduplication.'],
          [
            'DeduplicationScope',
            'queue',
            'You can specify the DeduplicationScope only when FifoQueue is set to true.',
          ],
          [
            'FifoThroughputLimit',
            'perQueue',
            'You can specify the FifoThroughputLimit only when FifoQueue is set to true.',
          ],
        ];
        for (const [attribute, value, message] of cases) {
          await errorOf(() => create(uniqueName('std'), { [attribute]: value }));
          assertWireError(wire, protocol, invalidAttributeName(message));
        }
        const QueueUrl = await create(uniqueName('std'));
        for (const [attribute, value, message] of cases) {
          await errorOf(() =>
            sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { [attribute]: value } })),
          );
          assertWireError(wire, protocol, invalidAttributeName(message));
        }
      });

      // test_set_unsupported_attribute_fifo: a FIFO queue may restate FifoQueue=true, not change it.
      it('lets a FIFO queue restate FifoQueue but not change its type', async () => {
        const QueueUrl = await fifoQueue();
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: 'true' } }));
        await errorOf(() =>
          sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: 'false' } })),
        );
        assertWireError(wire, protocol, {
          type: 'com.amazonaws.sqs#InvalidAttributeValue',
          queryCode: 'InvalidAttributeValue',
          message:
            'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
        });
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['FifoQueue'] }),
        );
        assert.equal(Attributes?.FifoQueue, 'true');
      });
    });

    // AWS's answers quoted in public reports (ansible-collections/community.aws#2321 for "{}",
    // rubyonjets/jets#101 for keys in the wrong case): maxReceiveCount is named first.
    it('names the mandatory RedrivePolicy attribute that is missing', async () => {
      const QueueUrl = await create(uniqueName('src'));
      const cases: Array<[string, string]> = [
        ['{}', 'maxReceiveCount'],
        [
          '{"MaxReceiveCount":"4","DeadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:x"}',
          'maxReceiveCount',
        ],
        ['{"maxReceiveCount":"4"}', 'deadLetterTargetArn'],
      ];
      for (const [RedrivePolicy, missing] of cases) {
        await errorOf(() =>
          sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy } })),
        );
        assertWireError(
          wire,
          protocol,
          invalidParameterValue(
            `Value ${RedrivePolicy} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: ${missing}.`,
          ),
        );
      }
    });

    describe('CancelMessageMoveTask', () => {
      // test_cancel_with_invalid_task_handle.
      it('refuses a handle that is not a task handle', async () => {
        await errorOf(() => sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'not-a-handle' })));
        assertWireError(wire, protocol, invalidParameterValue('Value for parameter TaskHandle is invalid.'));
      });

      // test_cancel_with_invalid_source_arn_in_task_handle: the handle's source queue is looked up first.
      it('answers ResourceNotFoundException for a handle whose source queue does not exist', async () => {
        const TaskHandle = Buffer.from(
          JSON.stringify({
            taskId: randomUUID(),
            sourceArn: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue',
          }),
        ).toString('base64');
        await errorOf(() => sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })));
        assertWireError(wire, protocol, {
          type: 'com.amazonaws.sqs#ResourceNotFoundException',
          queryCode: 'ResourceNotFoundException',
          status: 404,
          message: "The resource that you specified for the SourceArn parameter doesn't exist.",
        });
      });
    });

    // Forms that are already right and must stay right: an undeclared error answers coral's
    // InvalidParameterValueException with the query code InvalidParameterValue.
    it('answers an undeclared error in coral form (test_send_receive_max_number_of_messages)', async () => {
      const QueueUrl = await create(uniqueName('q'));
      await errorOf(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })));
      assertWireError(
        wire,
        protocol,
        invalidParameterValue(
          'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
        ),
      );
    });
  });
}

describe('SQS unknown operations and hostile input', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  // A queue URL with a broken percent-escape names no queue: AWS's QueueDoesNotExist, never a 500.
  it('answers QueueDoesNotExist for a queue URL with a malformed escape, on both protocols', async () => {
    const QueueUrl = 'http://localhost/000000000000/%E0%A4%A';
    const json = await jsonRequest(server.endpoint, 'GetQueueAttributes', JSON.stringify({ QueueUrl }));
    assert.equal(json.status, 400);
    assert.equal(JSON.parse(json.body).__type, 'com.amazonaws.sqs#QueueDoesNotExist');
    assert.equal(json.headers['x-amzn-query-error'], 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    const query = await queryRequest(server.endpoint, {
      Action: 'GetQueueAttributes',
      Version: '2012-11-05',
      QueueUrl,
    });
    assert.equal(query.status, 400);
    assert.equal(xmlText(query.body, 'Code'), 'AWS.SimpleQueueService.NonExistentQueue');
  });

  // Fuzzed queue URLs and receipt handles on every queue operation: each answer is an AWS error
  // from the sender side (4xx) in the protocol's own error form, never an InternalFailure.
  it('answers malformed queue URLs and receipt handles with sender errors on both protocols', async () => {
    const created = await jsonRequest(server.endpoint, 'CreateQueue', JSON.stringify({ QueueName: 'fuzz' }));
    const url = JSON.parse(created.body).QueueUrl as string;
    const weird = [
      '',
      '%',
      '%zz',
      '//',
      'http://x/000000000000/',
      'http://x/000000000000/%E0%A4%A',
      'a'.repeat(3000),
      '../..',
      'http://[::1',
      `${url}/extra`,
      'http://x/abc/fuzz',
      '\ud800',
    ];
    const operations = [
      'SendMessage',
      'ReceiveMessage',
      'DeleteMessage',
      'ChangeMessageVisibility',
      'GetQueueAttributes',
      'SetQueueAttributes',
      'PurgeQueue',
      'ListQueueTags',
      'DeleteMessageBatch',
      'ChangeMessageVisibilityBatch',
      'ListDeadLetterSourceQueues',
    ];
    for (const operation of operations) {
      for (const value of weird) {
        for (const [QueueUrl, ReceiptHandle] of [
          [value, 'handle'],
          [url, value],
        ]) {
          const input = {
            QueueUrl,
            ReceiptHandle,
            MessageBody: 'x',
            VisibilityTimeout: 1,
            Attributes: { VisibilityTimeout: '1' },
            Entries: [{ Id: 'a', ReceiptHandle, VisibilityTimeout: 1 }],
          };
          const json = await jsonRequest(server.endpoint, operation, JSON.stringify(input));
          const seen = `${operation} ${JSON.stringify(input).slice(0, 80)}: ${json.body.slice(0, 200)}`;
          assert.ok(json.status < 500, seen);
          if (json.status >= 400) assert.ok(JSON.parse(json.body).__type, seen);
          const query = await queryRequest(server.endpoint, {
            Action: operation,
            Version: '2012-11-05',
            QueueUrl,
            ReceiptHandle,
            MessageBody: 'x',
            VisibilityTimeout: '1',
            'Attribute.1.Name': 'VisibilityTimeout',
            'Attribute.1.Value': '1',
          });
          assert.ok(query.status < 500, `${operation} (query): ${query.body.slice(0, 200)}`);
          if (query.status >= 400) assert.equal(xmlText(query.body, 'Type'), 'Sender', query.body);
        }
      }
    }
  });

  it('answers UnknownOperationException over awsJson', async () => {
    const res = await jsonRequest(server.endpoint, 'NoSuchOperation', '{}');
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.body).__type, `${CORAL}UnknownOperationException`);
  });

  it('answers InvalidAction over awsQuery', async () => {
    const res = await queryRequest(server.endpoint, { Action: 'NoSuchOperation', Version: '2012-11-05' });
    assert.equal(res.status, 400);
    assert.equal(xmlText(res.body, 'Code'), 'InvalidAction');
    assert.equal(xmlText(res.body, 'Message'), 'The action NoSuchOperation is not valid for this endpoint.');
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import {
  assertAwsError,
  bodies,
  makeQueue,
  queueAttribute,
  receive,
  serverNow,
  type TestQueue,
} from '../support/fifo.js';
import {
  advance,
  errorOf,
  type RunningTideway,
  sqsClient,
  startServer,
  uniqueName,
} from '../support/tideway.js';

const redrive = (dlq: TestQueue, maxReceiveCount: number) =>
  JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount });

for (const protocol of ['json', 'query'] as const) {
  describe(`SQS dead-letter queues over ${protocol}`, () => {
    let server: RunningTideway;
    let sqs: ReturnType<typeof sqsClient>;
    before(async () => {
      server = await startServer();
      sqs = sqsClient(server.endpoint, protocol);
    });
    after(() => server.stop());

    const visible = async (q: TestQueue) =>
      Number(await queueAttribute(sqs, q.url, 'ApproximateNumberOfMessages'));

    /** A standard DLQ with `sources` queues redriving into it after one receive. */
    const dlqWithSources = async (sources: number) => {
      const dlq = await makeQueue(sqs, {}, { prefix: 'dlq' });
      const from: TestQueue[] = [];
      for (let i = 0; i < sources; i++) {
        from.push(await makeQueue(sqs, { RedrivePolicy: redrive(dlq, 1) }, { prefix: 'src' }));
      }
      return { dlq, sources: from };
    };

    /** Sends the bodies to a source with maxReceiveCount 1, then receives twice so they move to its DLQ. */
    const deadLetter = async (source: TestQueue, messages: string[]) => {
      for (const body of messages)
        await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: body }));
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < messages.length; i += 10) {
          await receive(sqs, source.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
        }
      }
      assert.equal(await visible(source), 0, 'every message moved to the DLQ');
    };

    // Developer Guide, "Using dead-letter queues in Amazon SQS": when the ReceiveCount for a
    // message exceeds the maxReceiveCount, SQS moves the message to the dead-letter queue (with
    // its original message ID, goaws#263 records AWS's "received exactly N times"). The moved
    // message carries the DeadLetterQueueSourceArn system attribute (ReceiveMessage API reference,
    // MessageSystemAttributeNames).
    describe('redrive on receive', () => {
      it('moves a standard message on the receive after its count exceeds maxReceiveCount', async () => {
        const dlq = await makeQueue(sqs, {}, { prefix: 'dlq' });
        const source = await makeQueue(sqs, { RedrivePolicy: redrive(dlq, 3), VisibilityTimeout: '30' });
        const sent = await sqs.send(
          new SendMessageCommand({
            QueueUrl: source.url,
            MessageBody: 'poison',
            MessageAttributes: {
              kind: { DataType: 'String', StringValue: 'order' },
              blob: { DataType: 'Binary', BinaryValue: Uint8Array.of(1, 2, 3) },
            },
          }),
        );
        for (let n = 1; n <= 3; n++) {
          const got = await receive(sqs, source.url, {
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          });
          assert.equal(got[0]?.MessageId, sent.MessageId, `receive ${n} returns the message`);
          assert.equal(got[0].Attributes?.ApproximateReceiveCount, String(n));
          await advance(server, 31);
        }
        assert.deepEqual(
          await receive(sqs, source.url, { MaxNumberOfMessages: 10 }),
          [],
          'receive 4 moves it',
        );

        const [moved] = await receive(sqs, dlq.url, {
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'],
        });
        assert.ok(moved, 'the message is in the DLQ');
        assert.equal(moved.MessageId, sent.MessageId);
        assert.equal(moved.Body, 'poison');
        assert.equal(moved.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
        assert.deepEqual(moved.MessageAttributes, {
          kind: { DataType: 'String', StringValue: 'order' },
          blob: { DataType: 'Binary', BinaryValue: Uint8Array.of(1, 2, 3) },
        });
        assert.equal(moved.Attributes?.DeadLetterQueueSourceArn, source.arn);
      });

      it('moves a FIFO message to a FIFO DLQ keeping its group', async () => {
        const dlq = await makeQueue(
          sqs,
          { ContentBasedDeduplication: 'true' },
          { fifo: true, prefix: 'dlq' },
        );
        const source = await makeQueue(
          sqs,
          { ContentBasedDeduplication: 'true', RedrivePolicy: redrive(dlq, 2), VisibilityTimeout: '30' },
          { fifo: true },
        );
        const sent = await sqs.send(
          new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'f', MessageGroupId: 'g' }),
        );
        for (let n = 1; n <= 2; n++) {
          assert.deepEqual(bodies(await receive(sqs, source.url)), ['f'], `receive ${n}`);
          await advance(server, 31);
        }
        assert.deepEqual(await receive(sqs, source.url), []);
        const [moved] = await receive(sqs, dlq.url, { MessageSystemAttributeNames: ['All'] });
        assert.equal(moved?.MessageId, sent.MessageId);
        assert.equal(moved.Body, 'f');
        assert.equal(moved.Attributes?.MessageGroupId, 'g');
        assert.equal(moved.Attributes?.DeadLetterQueueSourceArn, source.arn);
      });
    });

    // Developer Guide, "Setting-up dead-letter queue retention in Amazon SQS": "For standard
    // queues, the expiration of a message is always based on its original enqueue timestamp. When
    // a message is moved to a dead-letter queue, the enqueue timestamp is unchanged." "For FIFO
    // queues, the enqueue timestamp resets when the message is moved to a dead-letter queue."
    describe('retention in the DLQ', () => {
      it('expires a message in a standard DLQ relative to its original send time', async () => {
        const dlq = await makeQueue(sqs, { MessageRetentionPeriod: '60' }, { prefix: 'dlq' });
        const source = await makeQueue(sqs, { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: '40' });
        await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'old' }));
        assert.deepEqual(bodies(await receive(sqs, source.url)), ['old']);
        await advance(server, 41);
        assert.deepEqual(await receive(sqs, source.url), [], 'moved 41 s after the send');
        assert.deepEqual(bodies(await receive(sqs, dlq.url, { VisibilityTimeout: 0 })), ['old']);
        await advance(server, 20); // 61 s after the send, 20 s after the move
        assert.deepEqual(await receive(sqs, dlq.url), [], 'expired 60 s after it was first sent');
      });

      it('restarts retention when a FIFO message moves to its DLQ', async () => {
        const dlq = await makeQueue(
          sqs,
          { MessageRetentionPeriod: '60', ContentBasedDeduplication: 'true' },
          { fifo: true, prefix: 'dlq' },
        );
        const source = await makeQueue(
          sqs,
          { ContentBasedDeduplication: 'true', RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: '40' },
          { fifo: true },
        );
        await sqs.send(
          new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'old', MessageGroupId: 'g' }),
        );
        assert.deepEqual(bodies(await receive(sqs, source.url)), ['old']);
        await advance(server, 41);
        assert.deepEqual(await receive(sqs, source.url), [], 'moved 41 s after the send');
        await advance(server, 20); // 61 s after the send, 20 s after the move
        assert.deepEqual(bodies(await receive(sqs, dlq.url, { VisibilityTimeout: 0 })), ['old']);
        await advance(server, 41); // 61 s after the move
        assert.deepEqual(await receive(sqs, dlq.url), [], 'expired 60 s after the move');
      });
    });

    // Developer Guide, "Configure a dead-letter queue": "the queue type must match the source queue
    // type—a FIFO queue can only use a FIFO DLQ, and a standard queue can only use a standard DLQ".
    // AWS's answer as recorded through the JSON protocol (Terraform, aws-sdk-go-v2, 2025):
    // "api error InvalidParameterValue: Value {...} for parameter RedrivePolicy is invalid. Reason:
    // Dead-letter queue must be same type of queue as the source.." (sic, two periods), HTTP 400.
    describe('queue type of the DLQ', () => {
      const mismatch = (policy: string) =>
        `Value ${policy} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source..`;

      it('rejects a standard DLQ for a FIFO source queue', async () => {
        const dlq = await makeQueue(sqs, {}, { prefix: 'dlq' });
        const policy = redrive(dlq, 3);
        const err = await errorOf(() =>
          sqs.send(
            new CreateQueueCommand({
              QueueName: `${uniqueName('src')}.fifo`,
              Attributes: { FifoQueue: 'true', RedrivePolicy: policy },
            }),
          ),
        );
        assertAwsError(err, { code: 'InvalidParameterValue', status: 400, message: mismatch(policy) });
      });

      it('rejects a FIFO DLQ for a standard source queue', async () => {
        const dlq = await makeQueue(sqs, {}, { fifo: true, prefix: 'dlq' });
        const source = await makeQueue(sqs);
        const policy = redrive(dlq, 3);
        const err = await errorOf(() =>
          sqs.send(
            new SetQueueAttributesCommand({ QueueUrl: source.url, Attributes: { RedrivePolicy: policy } }),
          ),
        );
        assertAwsError(err, { code: 'InvalidParameterValue', status: 400, message: mismatch(policy) });
        assert.equal(await queueAttribute(sqs, source.url, 'RedrivePolicy'), undefined);
      });
    });

    // SetQueueAttributes API reference, RedriveAllowPolicy: "denyAll – No source queues can specify
    // this queue as the dead-letter queue"; "byQueue – Only queues specified by the sourceQueueArns
    // parameter can specify this queue as the dead-letter queue." AWS's exact reason text for this
    // refusal is not on record: the pattern checks the RedrivePolicy rejection form and code that
    // every recorded AWS RedrivePolicy refusal uses (InvalidParameterValue, "Value <policy> for
    // parameter RedrivePolicy is invalid. Reason: ...").
    describe('RedriveAllowPolicy', () => {
      const refused = (err: any, policy: string) =>
        assertAwsError(err, {
          code: 'InvalidParameterValue',
          status: 400,
          message: new RegExp(
            `^Value ${policy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} for parameter RedrivePolicy is invalid\\. Reason: .+`,
          ),
        });

      it('keeps every queue from using a denyAll DLQ', async () => {
        const dlq = await makeQueue(sqs, {
          RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }),
        });
        const policy = redrive(dlq, 3);
        const onCreate = await errorOf(() =>
          sqs.send(
            new CreateQueueCommand({ QueueName: uniqueName('src'), Attributes: { RedrivePolicy: policy } }),
          ),
        );
        refused(onCreate, policy);
        const source = await makeQueue(sqs);
        const onSet = await errorOf(() =>
          sqs.send(
            new SetQueueAttributesCommand({ QueueUrl: source.url, Attributes: { RedrivePolicy: policy } }),
          ),
        );
        refused(onSet, policy);
        assert.equal(await queueAttribute(sqs, source.url, 'RedrivePolicy'), undefined);
      });

      it('lets only the listed queues use a byQueue DLQ', async () => {
        const allowed = await makeQueue(sqs);
        const other = await makeQueue(sqs);
        const dlq = await makeQueue(sqs, {
          RedriveAllowPolicy: JSON.stringify({
            redrivePermission: 'byQueue',
            sourceQueueArns: [allowed.arn],
          }),
        });
        const policy = redrive(dlq, 3);
        await sqs.send(
          new SetQueueAttributesCommand({ QueueUrl: allowed.url, Attributes: { RedrivePolicy: policy } }),
        );
        assert.deepEqual(JSON.parse((await queueAttribute(sqs, allowed.url, 'RedrivePolicy')) ?? '{}'), {
          deadLetterTargetArn: dlq.arn,
          maxReceiveCount: 3,
        });
        const err = await errorOf(() =>
          sqs.send(
            new SetQueueAttributesCommand({ QueueUrl: other.url, Attributes: { RedrivePolicy: policy } }),
          ),
        );
        refused(err, policy);
      });
    });

    // ListDeadLetterSourceQueues API reference: returns the queueUrls whose RedrivePolicy names
    // this queue; with MaxResults it pages with NextToken, without it returns up to 1,000.
    it('lists the source queues of a DLQ, page by page', async () => {
      const { dlq, sources } = await dlqWithSources(3);
      await makeQueue(sqs); // not a source
      const all = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }));
      assert.deepEqual([...(all.queueUrls ?? [])].sort(), sources.map((s) => s.url).sort());
      assert.equal(all.NextToken, undefined);

      const first = await sqs.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url, MaxResults: 2 }),
      );
      assert.equal(first.queueUrls?.length, 2);
      assert.ok(first.NextToken, 'a token for the next page');
      const second = await sqs.send(
        new ListDeadLetterSourceQueuesCommand({
          QueueUrl: dlq.url,
          MaxResults: 2,
          NextToken: first.NextToken,
        }),
      );
      assert.equal(second.queueUrls?.length, 1);
      assert.equal(second.NextToken, undefined);
      assert.deepEqual(
        [...(first.queueUrls ?? []), ...(second.queueUrls ?? [])].sort(),
        sources.map((s) => s.url).sort(),
      );
    });

    // StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask API references and
    // Developer Guide "Configure a dead-letter queue redrive": the source is a DLQ; without
    // DestinationArn "the messages will be redriven back to their respective original source
    // queues"; at most one active task per source queue.
    describe('message move tasks', () => {
      const tasks = async (source: TestQueue, max = 1): Promise<ListMessageMoveTasksResultEntry[]> =>
        (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: source.arn, MaxResults: max })))
          .Results ?? [];

      it('moves each message back to its own source queue without a DestinationArn', async () => {
        const { dlq, sources } = await dlqWithSources(2);
        await deadLetter(sources[0], ['a-1', 'a-2']);
        await deadLetter(sources[1], ['b-1']);
        assert.equal(await visible(dlq), 3);

        const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
        assert.ok(TaskHandle);
        await advance(server, 1);
        assert.equal(await visible(sources[0]), 2);
        assert.equal(await visible(sources[1]), 1);
        assert.equal(await visible(dlq), 0);
        const [task] = await tasks(dlq);
        assert.equal(task.Status, 'COMPLETED');
        assert.equal(task.SourceArn, dlq.arn);
        assert.equal(task.ApproximateNumberOfMessagesMoved, 3);
        assert.equal(task.DestinationArn, undefined, 'NULL when none was given');
        assert.equal(task.MaxNumberOfMessagesPerSecond, undefined, 'NULL when none was given');
      });

      it('moves messages to an explicit DestinationArn', async () => {
        const { dlq, sources } = await dlqWithSources(1);
        const destination = await makeQueue(sqs, {}, { prefix: 'dest' });
        await deadLetter(sources[0], ['m-1', 'm-2']);
        await sqs.send(
          new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn }),
        );
        await advance(server, 1);
        assert.equal(await visible(destination), 2);
        assert.equal(await visible(sources[0]), 0);
        assert.equal(await visible(dlq), 0);
        assert.deepEqual(bodies(await receive(sqs, destination.url, { MaxNumberOfMessages: 10 })).sort(), [
          'm-1',
          'm-2',
        ]);
        const [task] = await tasks(dlq);
        assert.equal(task.Status, 'COMPLETED');
        assert.equal(task.DestinationArn, destination.arn);
      });

      // A redriven message starts afresh in its source queue: its receive count restarts, so a
      // source with maxReceiveCount 1 delivers it once more instead of bouncing it straight back
      // (observed against AWS in floci-io/floci#900; moto's SQS move-task tests, getmoto/moto#10265,
      // expect ApproximateReceiveCount "1" on the first receive after the move).
      it('lets a redriven message be received again from its source queue', async () => {
        const { dlq, sources } = await dlqWithSources(1);
        await deadLetter(sources[0], ['again']);
        await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
        await advance(server, 1);
        const got = await receive(sqs, sources[0].url, {
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        });
        assert.deepEqual(bodies(got), ['again']);
        assert.equal(got[0].Attributes?.ApproximateReceiveCount, '1');
      });

      // ListMessageMoveTasksResultEntry: TaskHandle "is only populated for tasks that are in RUNNING
      // status"; ApproximateNumberOfMessagesToMove "is obtained at the time of starting the message
      // movement task and is only included after the message movement task is selected to start";
      // MaxNumberOfMessagesPerSecond is returned when it was given; StartedTimestamp is epoch ms.
      it('reports a rate-limited task as RUNNING, then COMPLETED, moving about one message a second', async () => {
        const { dlq, sources } = await dlqWithSources(1);
        const destination = await makeQueue(sqs, {}, { prefix: 'dest' });
        await deadLetter(sources[0], ['1', '2', '3', '4', '5']);
        const before = await serverNow(server);
        const { TaskHandle } = await sqs.send(
          new StartMessageMoveTaskCommand({
            SourceArn: dlq.arn,
            DestinationArn: destination.arn,
            MaxNumberOfMessagesPerSecond: 1,
          }),
        );
        const afterStart = await serverNow(server);
        const [running] = await tasks(dlq);
        assert.equal(running.Status, 'RUNNING');
        assert.equal(running.TaskHandle, TaskHandle);
        assert.equal(running.SourceArn, dlq.arn);
        assert.equal(running.DestinationArn, destination.arn);
        assert.equal(running.MaxNumberOfMessagesPerSecond, 1);
        assert.equal(running.ApproximateNumberOfMessagesToMove, 5);
        assert.ok((running.ApproximateNumberOfMessagesMoved ?? 0) <= 1);
        assert.equal(typeof running.StartedTimestamp, 'number');
        assert.ok(
          running.StartedTimestamp! >= before && running.StartedTimestamp! <= afterStart,
          `StartedTimestamp ${running.StartedTimestamp} in [${before}, ${afterStart}]`,
        );

        let previous = 0;
        let last: ListMessageMoveTasksResultEntry = running;
        for (let second = 1; second <= 8 && last.Status === 'RUNNING'; second++) {
          await advance(server, 1);
          [last] = await tasks(dlq);
          const moved = last.ApproximateNumberOfMessagesMoved ?? 0;
          assert.ok(moved >= previous, 'never goes back');
          assert.ok(moved <= second + 1, `${moved} moved after ${second} s at 1 message/s`);
          assert.ok(moved >= Math.min(5, second - 1), `${moved} moved after ${second} s at 1 message/s`);
          assert.equal(await visible(destination), moved);
          previous = moved;
        }
        assert.equal(last.Status, 'COMPLETED');
        assert.equal(last.ApproximateNumberOfMessagesMoved, 5);
        assert.equal(last.TaskHandle, undefined, 'only RUNNING tasks carry their handle');
        assert.equal(last.StartedTimestamp, running.StartedTimestamp);
        assert.equal(await visible(dlq), 0);
        assert.equal(last.ApproximateNumberOfMessagesToMove, 5, 'still included once the task has finished');
      });

      it('allows only one active task per source queue', async () => {
        const { dlq, sources } = await dlqWithSources(1);
        await deadLetter(sources[0], ['1', '2', '3']);
        await sqs.send(
          new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 1 }),
        );
        const err = await errorOf(() => sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn })));
        // Recorded AWS text (getmoto/moto#10265 and localstack's provider, both checked against AWS).
        assertAwsError(err, {
          code: 'InvalidParameterValue',
          status: 400,
          message:
            'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
        });
      });

      it('refuses a source queue that is no dead-letter queue', async () => {
        const { sources } = await dlqWithSources(1);
        const err = await errorOf(() =>
          sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sources[0].arn })),
        );
        assertAwsError(err, {
          code: 'InvalidParameterValue',
          status: 400,
          message: 'Source queue must be configured as a Dead Letter Queue.',
        });
      });

      // ResourceNotFoundException is modeled with HTTP 404 (SQS API reference, errors of
      // StartMessageMoveTask: "One or more specified resources don't exist.").
      it('answers ResourceNotFoundException for an unknown source queue', async () => {
        const missing = `arn:aws:sqs:us-east-1:000000000000:${uniqueName('missing')}`;
        const message = "The resource that you specified for the SourceArn parameter doesn't exist.";
        const onStart = await errorOf(() =>
          sqs.send(new StartMessageMoveTaskCommand({ SourceArn: missing })),
        );
        assertAwsError(onStart, { code: 'ResourceNotFoundException', status: 404, message });
        const onList = await errorOf(() => sqs.send(new ListMessageMoveTasksCommand({ SourceArn: missing })));
        assertAwsError(onList, { code: 'ResourceNotFoundException', status: 404, message });
      });

      // CancelMessageMoveTask API reference: only a RUNNING task can be cancelled; messages already
      // moved stay moved; the answer carries ApproximateNumberOfMessagesMoved.
      it('cancels a running task and stops moving messages', async () => {
        const { dlq, sources } = await dlqWithSources(1);
        const destination = await makeQueue(sqs, {}, { prefix: 'dest' });
        await deadLetter(sources[0], ['1', '2', '3', '4', '5', '6']);
        const { TaskHandle } = await sqs.send(
          new StartMessageMoveTaskCommand({
            SourceArn: dlq.arn,
            DestinationArn: destination.arn,
            MaxNumberOfMessagesPerSecond: 1,
          }),
        );
        await advance(server, 1);
        const [running] = await tasks(dlq);
        assert.equal(running.Status, 'RUNNING');
        const cancelled = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
        const moved = cancelled.ApproximateNumberOfMessagesMoved ?? -1;
        assert.ok(moved >= (running.ApproximateNumberOfMessagesMoved ?? 0) && moved < 6, `moved ${moved}`);

        await advance(server, 1);
        const [task] = await tasks(dlq);
        assert.equal(task.Status, 'CANCELLED');
        assert.equal(task.ApproximateNumberOfMessagesMoved, moved);
        await advance(server, 10);
        assert.equal(await visible(destination), moved, 'nothing moves after the cancel');
        assert.equal(await visible(dlq), 6 - moved);
      });

      it('answers ResourceNotFoundException for an unknown task handle', async () => {
        const { dlq } = await dlqWithSources(1);
        // Shaped like AWS's handles (base64 of {"taskId","sourceArn"}), for a task that never existed.
        const handle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: dlq.arn })).toString(
          'base64',
        );
        const err = await errorOf(() => sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle })));
        assertAwsError(err, {
          code: 'ResourceNotFoundException',
          status: 404,
          message: 'Task does not exist.',
        });
      });
    });
  });
}

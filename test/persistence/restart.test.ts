import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CreatePlatformApplicationCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListPlatformApplicationsCommand,
  ListTagsForResourceCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import Database from 'better-sqlite3';
import { counts } from '../support/messages.js';
import { queueArn } from '../support/queues.js';
import { snsClient, subscribableQueue } from '../support/sns.js';
import {
  advance,
  errorOf,
  type RunningTideway,
  receive,
  sqsClient,
  startServer,
} from '../support/tideway.js';

// What every change leaves in the journal once the server restarts (README, "Persistence"): deletes,
// receives, visibility changes, dead-letter moves, move tasks, purges, deleted queues and resets
// come back exactly as they were acknowledged, and what is gone leaves nothing in the file.
describe('persistence across restarts', () => {
  let root: string;
  let dir: string;
  let runs = 0;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tideway-restart-'));
  });
  // Each test owns a fresh data folder.
  beforeEach(() => {
    dir = path.join(root, String(++runs));
  });
  after(() => rm(root, { recursive: true, force: true }));

  async function restart(server: RunningTideway): Promise<{ server: RunningTideway; sqs: SQSClient }> {
    await server.stop();
    const next = await startServer({ dataDir: dir });
    return { server: next, sqs: sqsClient(next.endpoint) };
  }

  async function urlOf(sqs: SQSClient, name: string): Promise<string> {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  }

  async function bodies(sqs: SQSClient, url: string): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const got = await receive(sqs, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 600 });
      if (got.length === 0) return out.sort();
      out.push(...got.map((m) => m.Body!));
    }
  }

  it('replays deletes, receives, dead-letter moves, purges and dropped queues', async () => {
    let server = await startServer({ dataDir: dir });
    let sqs = sqsClient(server.endpoint);
    try {
      // Standard queue: ten messages, three deleted (one alone, two in a batch), one kept in flight
      // for a long time, one received twice (its receive count must survive).
      const work = (await sqs.send(new CreateQueueCommand({ QueueName: 'work' }))).QueueUrl!;
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: work,
          Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `w${i}` })),
        }),
      );
      const got = await receive(sqs, work, { MaxNumberOfMessages: 5, VisibilityTimeout: 0 });
      assert.equal(got.length, 5);
      const [gone, batchA, batchB, held, twice] = got;
      await sqs.send(new DeleteMessageCommand({ QueueUrl: work, ReceiptHandle: gone.ReceiptHandle }));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: work,
          Entries: [
            { Id: 'a', ReceiptHandle: batchA.ReceiptHandle },
            { Id: 'b', ReceiptHandle: batchB.ReceiptHandle },
          ],
        }),
      );
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: work,
          ReceiptHandle: held.ReceiptHandle,
          VisibilityTimeout: 3600,
        }),
      );

      // Dead-letter queue: after two receives the third moves the message over.
      const dlqArn = queueArn('dlq');
      await sqs.send(new CreateQueueCommand({ QueueName: 'dlq' }));
      const source = (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: 'source',
            Attributes: {
              RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
            },
          }),
        )
      ).QueueUrl!;
      await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'doomed' }));
      await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'survivor' }));
      for (let i = 0; i < 2; i++) {
        const r = await receive(sqs, source, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
        assert.equal(r.length, 2);
      }
      // The third receive moves both to the dead-letter queue; one then goes back by a move task.
      assert.deepEqual(await receive(sqs, source, { MaxNumberOfMessages: 10 }), []);

      // Purged and deleted queues.
      const purged = (await sqs.send(new CreateQueueCommand({ QueueName: 'purged' }))).QueueUrl!;
      await sqs.send(new SendMessageCommand({ QueueUrl: purged, MessageBody: 'purge me' }));
      await sqs.send(new PurgeQueueCommand({ QueueUrl: purged }));
      await sqs.send(new SendMessageCommand({ QueueUrl: purged, MessageBody: 'after the purge' }));
      const dropped = (await sqs.send(new CreateQueueCommand({ QueueName: 'dropped' }))).QueueUrl!;
      await sqs.send(new SendMessageCommand({ QueueUrl: dropped, MessageBody: 'lost with its queue' }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl: dropped }));

      ({ server, sqs } = await restart(server));

      const workUrl = await urlOf(sqs, 'work');
      assert.deepEqual(await counts(sqs, workUrl), { visible: 6, notVisible: 1, delayed: 0 });
      // `twice` was received once before; receiving it again counts 2.
      const again = await receive(sqs, workUrl, {
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      });
      assert.equal(again.length, 6);
      assert.ok(!again.some((m) => [gone, batchA, batchB, held].some((d) => d.Body === m.Body)));
      assert.equal(again.find((m) => m.Body === twice.Body)?.Attributes?.ApproximateReceiveCount, '2');

      const dlqUrl = await urlOf(sqs, 'dlq');
      assert.deepEqual(await counts(sqs, await urlOf(sqs, 'source')), {
        visible: 0,
        notVisible: 0,
        delayed: 0,
      });
      const dead = await receive(sqs, dlqUrl, {
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'],
      });
      assert.deepEqual(dead.map((m) => m.Body).sort(), ['doomed', 'survivor']);
      assert.ok(dead.every((m) => m.Attributes?.DeadLetterQueueSourceArn === queueArn('source')));

      // A purge is remembered: the 60-second rule still holds after the restart.
      const purgedUrl = await urlOf(sqs, 'purged');
      assert.deepEqual(await bodies(sqs, purgedUrl), ['after the purge']);
      const err = await errorOf(() => sqs.send(new PurgeQueueCommand({ QueueUrl: purgedUrl })));
      assert.equal(err.name, 'PurgeQueueInProgress');

      const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
      assert.ok(!QueueUrls?.some((u) => u.endsWith('/dropped')));

      // The dead letters go home by a move task, which is replayed as a delete plus a new record.
      await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queueArn('dlq') }));
      await advance(server, 5);
      ({ server, sqs } = await restart(server));
      assert.deepEqual(await counts(sqs, await urlOf(sqs, 'dlq')), { visible: 0, notVisible: 0, delayed: 0 });
      assert.deepEqual(await bodies(sqs, await urlOf(sqs, 'source')), ['doomed', 'survivor']);
    } finally {
      await server.stop();
    }
  });

  it('leaves no log behind once every message is gone, and nothing at all after a reset', async () => {
    let server = await startServer({ dataDir: dir });
    let sqs = sqsClient(server.endpoint);
    try {
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'drained' }))).QueueUrl!;
      // Sends spread over many commits, then drained in other commits, in another order.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: url,
              Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `m${j}`, MessageBody: `b${i}-${j}` })),
            }),
          ),
        ),
      );
      for (;;) {
        const got = await receive(sqs, url, { MaxNumberOfMessages: 7, VisibilityTimeout: 600 });
        if (got.length === 0) break;
        for (const m of got.reverse()) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
        }
      }
      await server.stop();
      assert.equal(logRows(), 0);

      server = await startServer({ dataDir: dir });
      sqs = sqsClient(server.endpoint);
      const kept = await urlOf(sqs, 'drained');
      await sqs.send(new SendMessageCommand({ QueueUrl: kept, MessageBody: 'reset away' }));
      const reset = await fetch(`${server.endpoint}/_tideway/reset`, { method: 'POST' });
      assert.equal(reset.status, 200);
      ({ server, sqs } = await restart(server));
      const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
      assert.equal(QueueUrls, undefined);
    } finally {
      await server.stop();
    }
    assert.equal(logRows(), 0);
  });

  it('keeps SNS topics, subscriptions and platform endpoints', async () => {
    let server = await startServer({ dataDir: dir });
    try {
      let sns = snsClient(server.endpoint);
      let sqs = sqsClient(server.endpoint);
      const { TopicArn } = await sns.send(
        new CreateTopicCommand({
          Name: 'kept',
          Attributes: { DisplayName: 'Kept' },
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      );
      const queue = await subscribableQueue(sqs, 'kept-q', TopicArn);
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: queue.arn,
          Attributes: { RawMessageDelivery: 'true' },
        }),
      );
      const { PlatformApplicationArn } = await sns.send(
        new CreatePlatformApplicationCommand({
          Name: 'app',
          Platform: 'GCM',
          Attributes: { PlatformCredential: 'k' },
        }),
      );
      await server.stop();
      server = await startServer({ dataDir: dir });
      sns = snsClient(server.endpoint);
      sqs = sqsClient(server.endpoint);
      const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
      assert.equal(Attributes?.DisplayName, 'Kept');
      assert.equal(Attributes?.SubscriptionsConfirmed, '1');
      const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
      assert.deepEqual(Tags, [{ Key: 'k', Value: 'v' }]);
      const sub = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      assert.equal(sub.Attributes?.RawMessageDelivery, 'true');
      await sns.send(new PublishCommand({ TopicArn, Message: 'after restart' }));
      const [m] = await receive(sqs, await urlOf(sqs, 'kept-q'));
      assert.equal(m.Body, 'after restart');
      const apps = await sns.send(new ListPlatformApplicationsCommand({}));
      assert.deepEqual(
        apps.PlatformApplications?.map((a) => a.PlatformApplicationArn),
        [PlatformApplicationArn],
      );
    } finally {
      await server.stop();
    }
  });

  function logRows(): number {
    const db = new Database(path.join(dir, 'tideway.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM log').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
});

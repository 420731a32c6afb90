import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { sqsClient, startServer } from '../support/tideway.js';

// Two servers writing one journal would each overwrite the other's state: a data folder has one owner.
describe('a data folder in use', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-lock-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('refuses a second server and serves the first one on', async () => {
    const first = await startServer({ dataDir: dir });
    try {
      const sqs = sqsClient(first.endpoint);
      await sqs.send(new CreateQueueCommand({ QueueName: 'owned' }));
      await assert.rejects(startServer({ dataDir: dir }), /in use by another Tideway/);
      const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
      assert.deepEqual(QueueUrls, [`${first.endpoint}/000000000000/owned`]);
    } finally {
      await first.stop();
    }
    // Once the owner stops, the folder opens again with its queues.
    const second = await startServer({ dataDir: dir });
    try {
      const { QueueUrls } = await sqsClient(second.endpoint).send(new ListQueuesCommand({}));
      assert.deepEqual(QueueUrls, [`${second.endpoint}/000000000000/owned`]);
    } finally {
      await second.stop();
    }
  });
});

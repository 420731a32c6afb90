import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Journal } from '../../src/storage/embedded/journal.js';
import { EmbeddedTopics } from '../../src/storage/embedded/topics.js';

// With --data-dir a FIFO topic's deduplication id becomes durable only once its message reached
// the subscriptions: a kill -9 between numbering and delivery must not leave an id that refuses
// the publisher's retry of a message nobody got. The counter is durable at once, so no number
// handed out is handed out again.
describe('SNS FIFO deduplication ids with a journal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-sns-fifo-'));
  const arn = 'arn:aws:sns:us-east-1:000000000000:t.fifo';
  const window = 300_000;
  const t0 = 1_800_000_000_000;
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A run of the server on the data dir, cut off as kill -9 would leave it: only commits count. */
  async function run(body: (topics: EmbeddedTopics) => Promise<void>): Promise<void> {
    const journal = new Journal(dir);
    try {
      await body(new EmbeddedTopics(journal));
    } finally {
      journal.close();
    }
  }

  it('forgets an id whose delivery a crash cut off, and keeps its number taken', async () => {
    await run(async (topics) => {
      const got = await topics.sequencePublication(arn, 'a', 'm1', t0, window);
      assert.deepEqual(got, { duplicate: false, messageId: 'm1', sequence: 1n });
    });
    await run(async (topics) => {
      const retry = await topics.sequencePublication(arn, 'a', 'm2', t0 + 1000, window);
      assert.deepEqual(retry, { duplicate: false, messageId: 'm2', sequence: 2n });
      await topics.confirmPublication(arn, 'a', t0 + 1000);
    });
    await run(async (topics) => {
      const repeat = await topics.sequencePublication(arn, 'a', 'm3', t0 + 2000, window);
      assert.deepEqual(repeat, { duplicate: true, messageId: 'm2', sequence: 2n });
      const next = await topics.sequencePublication(arn, 'b', 'm4', t0 + 2000, window);
      assert.deepEqual(next, { duplicate: false, messageId: 'm4', sequence: 3n });
    });
  });

  it('keeps no id of a topic deleted while its message was being delivered', async () => {
    const other = 'arn:aws:sns:us-east-1:000000000000:gone.fifo';
    await run(async (topics) => {
      await topics.sequencePublication(other, 'a', 'm1', t0, window);
      await topics.deleteTopic(other);
      await topics.confirmPublication(other, 'a', t0);
    });
    await run(async (topics) => {
      const again = await topics.sequencePublication(other, 'a', 'm2', t0 + 1, window);
      assert.deepEqual(again, { duplicate: false, messageId: 'm2', sequence: 1n });
    });
  });
});

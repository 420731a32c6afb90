import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { hashKeyOf } from '../../src/core/hash-keys.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { Journal } from '../../src/storage/embedded/journal.js';
import { EmbeddedStreams } from '../../src/storage/embedded/streams.js';

// With --data-dir a record is readable only once it is in the journal: a reader that saw it
// before the commit could, after a kill -9, meet another record under its sequence number.
describe('Kinesis records with a journal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-durable-'));
  const clock = new Clock();
  const scheduler = new Scheduler(clock);
  const journal = new Journal(dir);
  const streams = new EmbeddedStreams(clock, scheduler, createLogger('silent'), journal);
  after(() => {
    scheduler.stop();
    journal.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are read only once their commit is written', async () => {
    const arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/durable';
    await streams.createStream(
      {
        arn,
        name: 'durable',
        account: '000000000000',
        region: 'us-east-1',
        mode: 'PROVISIONED',
        retentionHours: 24,
        createdAt: clock.now(),
        tags: {},
        maxRecordSizeKiB: 1024,
        shardLevelMetrics: [],
      },
      1,
    );
    const shard = 'shardId-000000000000';
    const put = streams.append(arn, [{ data: Buffer.from('x'), partitionKey: 'k', hashKey: hashKeyOf(1n) }]);
    assert.deepEqual(streams.read(arn, shard, 0n, 10, 1 << 20), []);
    assert.equal(streams.lastSequence(arn, shard), undefined);
    const [written] = await put;
    assert.deepEqual(
      streams.read(arn, shard, 0n, 10, 1 << 20).map((r) => r.sequenceNumber),
      [written.sequenceNumber],
    );
    assert.equal(streams.lastSequence(arn, shard), BigInt(written.sequenceNumber));
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { Journal } from '../../src/storage/embedded/journal.js';
import { createKafkaLogStorage } from '../../src/storage/embedded/kafka-log.js';
import { scratchDataDir } from '../support/engine.js';

// An acknowledged append survives kill -9: a child process appends and prints each offset once
// the append resolves; after SIGKILL every printed batch is back, byte for byte.

const here = (p: string) => new URL(p, import.meta.url).href;

const CHILD = `
import { Clock } from '${here('../../src/core/clock.js')}';
import { createLogger } from '${here('../../src/core/logger.js')}';
import { Scheduler } from '${here('../../src/core/scheduler.js')}';
import { Journal } from '${here('../../src/storage/embedded/journal.js')}';
import { createKafkaLogStorage } from '${here('../../src/storage/embedded/kafka-log.js')}';
import { makeBatch } from '${here('../support/kafka-log-batch.js')}';
const clock = new Clock();
const store = createKafkaLogStorage({ clock, scheduler: new Scheduler(clock), log: createLogger('silent'),
  journal: new Journal(process.argv[1]) });
await store.createTopic({ cluster: 'default', name: 't', topicId: 'x'.repeat(22), partitions: 1,
  replicationFactor: 1, configs: { 'retention.ms': '-1' }, createdAt: 0 });
for (let i = 0; ; i++) {
  const batches = [makeBatch({ records: 3, valueBytes: 500, fill: i % 251 }), makeBatch({ fill: i % 251 })];
  const { baseOffset } = await store.append('default', 't', 0, batches);
  process.stdout.write(baseOffset + '\\n');
}
`;

describe('Kafka log: kill -9', () => {
  const dir = scratchDataDir();
  after(() => dir.remove());

  it('keeps every acknowledged batch', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, dir.dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acked = -1n;
    let lines = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      acked = BigInt(line);
      if (++lines === 300) {
        child.kill('SIGKILL');
        break;
      }
    }
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(acked, 299n * 4n);

    const clock = new Clock();
    const scheduler = new Scheduler(clock);
    const journal = new Journal(dir.dataDir);
    try {
      const store = createKafkaLogStorage({ clock, scheduler, log: createLogger('silent'), journal });
      const { highWatermark } = store.offsets('default', 't', 0);
      assert.ok(highWatermark >= acked + 4n, `high watermark ${highWatermark} covers ${acked + 4n}`);
      let next = 0n;
      for (;;) {
        const got = store.read('default', 't', 0, next, 1 << 20);
        if (got.length === 0) break;
        for (const b of got) {
          assert.equal(b.readBigInt64BE(0), next);
          const i = Number(next / 4n) % 251;
          assert.equal(b[b.length - 2], i, `batch at ${next} holds what was sent`);
          next += BigInt(b.readInt32BE(23)) + 1n;
        }
      }
      assert.equal(next, highWatermark);
    } finally {
      scheduler.stop();
      journal.close();
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTopics, topicOffsets, withKafkaServer } from '../support/kafka-suite.js';
import { kafkajs, kcatConsume, kcatProduce } from '../support/kafka-tools.js';
import { uniqueName } from '../support/tideway.js';

/** Kafka's log.retention.check.interval.ms: how often the broker looks for expired data. */
const CHECK_INTERVAL_MS = 300_000;

/** Retention runs on timers of the clock; polls briefly for the pass the advance set off. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 50 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 20));
    value = await read();
  }
  return value;
}

describe('retention on the clock, seen through real clients', () => {
  const suite = withKafkaServer();

  it('drops data older than retention.ms once the clock passes it, and offsets go on', async () => {
    const topic = uniqueName('retention');
    await createTopics(suite.bootstrap, [
      { topic, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '60000' }] },
    ]);
    for (const partition of [0, 1]) {
      await kcatProduce(
        suite.bootstrap,
        topic,
        Array.from({ length: 5 }, (_, i) => ({ value: `old-${partition}-${i}` })),
        { partition },
      );
    }
    assert.deepEqual(await topicOffsets(suite.bootstrap, topic), [
      { partition: 0, low: 0, high: 5 },
      { partition: 1, low: 0, high: 5 },
    ]);

    // Within retention nothing goes.
    suite.server.clock.advance(30_000);
    assert.equal((await kcatConsume(suite.bootstrap, topic)).length, 10);

    suite.server.clock.advance(60_000 + CHECK_INTERVAL_MS);
    const after = await eventually(
      () => topicOffsets(suite.bootstrap, topic),
      (offsets) => offsets.every((o) => o.low === 5),
    );
    assert.deepEqual(after, [
      { partition: 0, low: 5, high: 5 },
      { partition: 1, low: 5, high: 5 },
    ]);
    assert.deepEqual(await kcatConsume(suite.bootstrap, topic), []);

    // Clients stamp records with their own wall clock (CreateTime), which now lies behind the
    // advanced server clock by more than retention.ms: such a record is expired on arrival, as
    // Kafka would expire it. A record stamped with the server's time stays.
    const producer = kafkajs(suite.bootstrap).producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [{ value: 'new', partition: 1, timestamp: String(suite.server.clock.now()) }],
    });
    await producer.disconnect();
    const [fresh] = await kcatConsume(suite.bootstrap, topic);
    assert.equal(fresh?.value?.toString(), 'new');
    assert.equal(fresh?.offset, 5, 'offsets continue past the deleted data');
  });

  it('keeps data of a topic without a time limit (retention.ms -1)', async () => {
    const topic = uniqueName('retention-forever');
    await createTopics(suite.bootstrap, [{ topic, configEntries: [{ name: 'retention.ms', value: '-1' }] }]);
    await kcatProduce(suite.bootstrap, topic, [{ value: 'kept' }]);
    suite.server.clock.advance(365 * 24 * 3600_000);
    // A retention pass has run by now; a second check after it must still see the message.
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await topicOffsets(suite.bootstrap, topic), [{ partition: 0, low: 0, high: 1 }]);
    assert.equal((await kcatConsume(suite.bootstrap, topic)).length, 1);
  });
});

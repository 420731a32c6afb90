import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Consumer, EachMessagePayload } from 'kafkajs';
import { createTopics, withKafkaServer } from '../support/kafka-suite.js';
import { kafkajs } from '../support/kafka-tools.js';
import { uniqueName } from '../support/tideway.js';

/** Resolves when `check` holds, polling every 25 ms; fails after `ms` with `what`. */
async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A member's partitions of `topic` after each join, from KafkaJS's GROUP_JOIN events. */
function watchAssignments(consumer: Consumer, topic: string): { latest: () => number[] | undefined } {
  let latest: number[] | undefined;
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    latest = [...(event.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
  });
  return { latest: () => latest };
}

describe('KafkaJS 2.2 end to end', () => {
  const suite = withKafkaServer();

  it('produces with keys and headers and consumes them back in a group', async () => {
    const topic = uniqueName('kjs');
    const kafka = kafkajs(suite.bootstrap);
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 3 }]);
    const producer = kafka.producer();
    await producer.connect();
    const sent = await producer.send({
      topic,
      messages: Array.from({ length: 30 }, (_, i) => ({
        key: `key-${i % 5}`,
        value: `value-${i}`,
        headers: { index: String(i) },
      })),
    });
    await producer.disconnect();
    assert.ok(sent.every((r) => r.errorCode === 0));

    const consumer = kafka.consumer({ groupId: uniqueName('kjs-group'), heartbeatInterval: 500 });
    const seen: EachMessagePayload[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async (payload) => {
        seen.push(payload);
      },
    });
    try {
      await until('30 messages', () => seen.length >= 30);
    } finally {
      await consumer.disconnect();
    }
    assert.equal(seen.length, 30);
    const byValue = new Map(seen.map((p) => [p.message.value?.toString(), p]));
    for (let i = 0; i < 30; i++) {
      const payload = byValue.get(`value-${i}`);
      assert.ok(payload, `value-${i} consumed`);
      assert.equal(payload.message.key?.toString(), `key-${i % 5}`);
      assert.equal(payload.message.headers?.index?.toString(), String(i));
    }
    // One key, one partition: KafkaJS's default partitioner is murmur2, as the Java client's.
    for (let k = 0; k < 5; k++) {
      const partitions = new Set(
        seen.filter((p) => p.message.key?.toString() === `key-${k}`).map((p) => p.partition),
      );
      assert.equal(partitions.size, 1);
    }
  });

  it('a group of two shares the partitions and rebalances when one member leaves', async () => {
    const topic = uniqueName('kjs-rebalance');
    const groupId = uniqueName('kjs-rebalance');
    const kafka = kafkajs(suite.bootstrap);
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 4 }]);
    const options = { groupId, heartbeatInterval: 300, sessionTimeout: 10_000, rebalanceTimeout: 10_000 };
    const a = kafka.consumer(options);
    const b = kafka.consumer(options);
    const seenByA: string[] = [];
    const seenByB: string[] = [];
    const assignedA = watchAssignments(a, topic);
    const assignedB = watchAssignments(b, topic);
    try {
      for (const [consumer, seen] of [
        [a, seenByA],
        [b, seenByB],
      ] as const) {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value?.toString() ?? '');
          },
        });
      }
      await until(
        'both members to hold two partitions each',
        () => assignedA.latest()?.length === 2 && assignedB.latest()?.length === 2,
      );
      assert.deepEqual([...(assignedA.latest() ?? []), ...(assignedB.latest() ?? [])].sort(), [0, 1, 2, 3]);

      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic,
        messages: [0, 1, 2, 3].map((partition) => ({ partition, value: `before-${partition}` })),
      });
      await until('the first messages', () => seenByA.length + seenByB.length === 4);
      assert.equal(seenByA.length, 2);
      assert.equal(seenByB.length, 2);

      await b.disconnect();
      await until('the remaining member to take every partition', () => assignedA.latest()?.length === 4);
      await producer.send({
        topic,
        messages: [0, 1, 2, 3].map((partition) => ({ partition, value: `after-${partition}` })),
      });
      await producer.disconnect();
      await until(
        'the messages after the rebalance',
        () => seenByA.filter((v) => v.startsWith('after')).length === 4,
      );
      // Committed offsets carried over: nothing consumed before the rebalance comes again.
      assert.equal(seenByA.length + seenByB.length, 8);
    } finally {
      await a.disconnect();
      await b.disconnect();
    }
  });
});

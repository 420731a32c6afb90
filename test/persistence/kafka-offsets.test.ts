// Consumer groups' committed offsets across a restart with --data-dir: a new consumer of the group
// on the restarted server goes on from where the last one committed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { type RunningTideway, startServer } from '../support/tideway.js';

function client(server: RunningTideway): Kafka {
  return new Kafka({
    clientId: 'offsets-restart',
    brokers: [server.kafka?.bootstrap as string],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 50 },
  });
}

/** Reads `count` messages as a member of the group, then leaves (committing them). */
async function consume(kafka: Kafka, groupId: string, topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${seen.length} of ${count}`)), 30000);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          seen.push(message.value?.toString() ?? '');
          if (seen.length === count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return seen;
}

async function produce(kafka: Kafka, topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value, i) => ({ value, partition: i % 2 })) });
  await producer.disconnect();
}

describe('Kafka committed offsets across a restart', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-kafka-offsets-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('resumes a group from its committed offsets after the server restarts on the same data dir', async () => {
    const topic = 'orders';
    const groupId = 'billing';
    let server = await startServer({ dataDir: dir, kafkaPort: 0 });
    let kafka = client(server);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    await produce(kafka, topic, ['a', 'b', 'c', 'd']);
    assert.deepEqual((await consume(kafka, groupId, topic, 4)).sort(), ['a', 'b', 'c', 'd']);
    await server.stop();

    server = await startServer({ dataDir: dir, kafkaPort: 0 });
    try {
      kafka = client(server);
      const restarted = kafka.admin();
      await restarted.connect();
      const offsets = await restarted.fetchOffsets({ groupId, topics: [topic] });
      assert.deepEqual(offsets[0].partitions.map((p) => [p.partition, p.offset]).sort(), [
        [0, '2'],
        [1, '2'],
      ]);
      // Only the offsets were kept: the group comes back Empty, as Kafka loads a group without members.
      const listed = await restarted.listGroups();
      assert.ok(listed.groups.some((g) => g.groupId === groupId));
      const described = await restarted.describeGroups([groupId]);
      assert.equal(described.groups[0].state, 'Empty');
      await restarted.disconnect();

      await produce(kafka, topic, ['e', 'f']);
      assert.deepEqual((await consume(kafka, groupId, topic, 2)).sort(), ['e', 'f']);
    } finally {
      await server.stop();
    }
  });
});

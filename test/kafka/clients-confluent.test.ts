import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scratchDataDir } from '../support/engine.js';
import { createTopics, topicOffsets, withKafkaServer } from '../support/kafka-suite.js';
import {
  compressions,
  confluentKafka,
  type PythonMessage,
  pythonKey,
  pythonValue,
} from '../support/kafka-tools.js';
import { startServer, uniqueName } from '../support/tideway.js';

interface ProduceResult {
  reports: Array<{ error: string | null; partition: number; offset: number }>;
  undelivered: number;
}

interface ConsumeResult {
  messages: PythonMessage[];
  errors: string[];
  committed: Record<string, number> | null;
}

describe('confluent_kafka (librdkafka 2.0) against the default cluster', () => {
  const suite = withKafkaServer();

  it('produces and consumes with each compression', async () => {
    const topic = uniqueName('ck-compression');
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 1 }]);
    let expected: string[] = [];
    for (const codec of compressions) {
      const values = Array.from({ length: 30 }, (_, i) => `${codec} ${i} ${'x'.repeat(i * 40)}`);
      const produced = await confluentKafka<ProduceResult>('produce', {
        bootstrap: suite.bootstrap,
        topic,
        config: { 'compression.type': codec, 'linger.ms': 50 },
        messages: values.map((value, i) => ({ key: `${codec}-${i}`, value, headers: { codec } })),
      });
      assert.equal(produced.undelivered, 0);
      assert.deepEqual(
        produced.reports.map((r) => r.error),
        values.map(() => null),
      );
      expected = [...expected, ...values];
    }
    const consumed = await confluentKafka<ConsumeResult>('consume', {
      bootstrap: suite.bootstrap,
      topic,
      partitions: [0],
      count: expected.length,
    });
    assert.deepEqual(consumed.errors, []);
    assert.deepEqual(consumed.messages.map(pythonValue), expected);
    assert.deepEqual(
      consumed.messages.map((m) => m.offset),
      expected.map((_, i) => i),
    );
    assert.equal(pythonKey(consumed.messages[31] as PythonMessage), 'gzip-1');
    assert.deepEqual(consumed.messages[31]?.headers, { codec: 'gzip' });
  });

  it('an idempotent producer writes every message once, in order per partition', async () => {
    const topic = uniqueName('ck-idempotent');
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 3 }]);
    const produced = await confluentKafka<ProduceResult>('produce', {
      bootstrap: suite.bootstrap,
      topic,
      config: { 'enable.idempotence': true, acks: 'all', 'linger.ms': 5, 'batch.num.messages': 7 },
      messages: Array.from({ length: 300 }, (_, i) => ({ key: `key-${i % 17}`, value: `m${i}` })),
    });
    assert.equal(produced.undelivered, 0);
    assert.ok(produced.reports.every((r) => r.error === null));
    const offsets = await topicOffsets(suite.bootstrap, topic);
    assert.equal(
      offsets.reduce((sum, o) => sum + o.high, 0),
      300,
      'no duplicates',
    );
    const consumed = await confluentKafka<ConsumeResult>('consume', {
      bootstrap: suite.bootstrap,
      topic,
      partitions: [0, 1, 2],
      count: 300,
    });
    const values = consumed.messages.map(pythonValue);
    assert.equal(new Set(values).size, 300);
    // The same key always lands on the same partition, in the order produced.
    for (const partition of [0, 1, 2]) {
      const mine = consumed.messages.filter((m) => m.partition === partition);
      const numbers = mine.map((m) => Number(pythonValue(m)?.slice(1)));
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => a - b),
      );
    }
  });

  it('a consumer group commits and a new member resumes where it stopped', async () => {
    const topic = uniqueName('ck-group');
    const group = uniqueName('ck-group');
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 1 }]);
    await confluentKafka('produce', {
      bootstrap: suite.bootstrap,
      topic,
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })),
    });
    const first = await confluentKafka<ConsumeResult>('consume', {
      bootstrap: suite.bootstrap,
      topic,
      group,
      count: 4,
      commit: true,
    });
    assert.deepEqual(first.messages.map(pythonValue), ['m0', 'm1', 'm2', 'm3']);
    assert.deepEqual(first.committed, { '0': 4 });
    const second = await confluentKafka<ConsumeResult>('consume', {
      bootstrap: suite.bootstrap,
      topic,
      group,
      count: 6,
    });
    assert.deepEqual(second.messages.map(pythonValue), ['m4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  });
});

describe("confluent_kafka: librdkafka's assignors through the group coordinator", () => {
  const suite = withKafkaServer();

  interface Rebalance {
    shared: boolean;
    before: [number[], number[]];
    alone: boolean;
    after: number[];
  }

  // cooperative-sticky rebalances incrementally (KIP-429): the broker only carries its
  // subscriptions and assignments, but a wrong generation or member id breaks it first.
  for (const strategy of ['range', 'roundrobin', 'cooperative-sticky']) {
    it(`${strategy}: two members share four partitions, and one takes all when the other leaves`, async () => {
      const topic = uniqueName(`ck-${strategy}`);
      await createTopics(suite.bootstrap, [{ topic, numPartitions: 4 }]);
      const result = await confluentKafka<Rebalance>('rebalance', {
        bootstrap: suite.bootstrap,
        topic,
        group: uniqueName(`ck-${strategy}`),
        strategy,
        partitions: 4,
      });
      assert.ok(result.shared, `members never shared the partitions: ${JSON.stringify(result.before)}`);
      assert.deepEqual([...result.before[0], ...result.before[1]].sort(), [0, 1, 2, 3]);
      assert.equal(result.before[0].length, 2);
      assert.ok(result.alone, `the remaining member holds ${JSON.stringify(result.after)}`);
      assert.deepEqual(result.after, [0, 1, 2, 3]);
    });
  }
});

describe('confluent_kafka: committed offsets across a restart with --data-dir', () => {
  it('resumes from the committed offset after the server restarts on the same folder', async () => {
    const { dataDir, remove } = scratchDataDir();
    const topic = uniqueName('ck-restart');
    const group = uniqueName('ck-restart');
    try {
      let server = await startServer({ dataDir, kafkaPort: 0 });
      try {
        const bootstrap = server.kafka!.bootstrap;
        await createTopics(bootstrap, [{ topic }]);
        await confluentKafka('produce', {
          bootstrap,
          topic,
          messages: Array.from({ length: 6 }, (_, i) => ({ value: `m${i}` })),
        });
        const first = await confluentKafka<ConsumeResult>('consume', {
          bootstrap,
          topic,
          group,
          count: 2,
          commit: true,
        });
        assert.deepEqual(first.committed, { '0': 2 });
      } finally {
        await server.stop();
      }
      server = await startServer({ dataDir, kafkaPort: 0 });
      try {
        const resumed = await confluentKafka<ConsumeResult>('consume', {
          bootstrap: server.kafka!.bootstrap,
          topic,
          group,
          count: 4,
        });
        assert.deepEqual(resumed.messages.map(pythonValue), ['m2', 'm3', 'm4', 'm5']);
      } finally {
        await server.stop();
      }
    } finally {
      remove();
    }
  });
});

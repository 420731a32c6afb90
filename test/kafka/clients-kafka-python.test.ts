import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTopics, withKafkaServer } from '../support/kafka-suite.js';
import { kafkaPython, type PythonMessage, pythonKey, pythonValue } from '../support/kafka-tools.js';
import { uniqueName } from '../support/tideway.js';

interface ProduceResult {
  reports: Array<{ error: string | null; partition: number | null; offset: number | null }>;
}

interface ConsumeResult {
  messages: PythonMessage[];
  committed: Record<string, number> | null;
}

describe('kafka-python 2.0 against the default cluster', () => {
  const suite = withKafkaServer();

  for (const compression of [null, 'gzip'] as const) {
    it(`produces and consumes by partition (compression ${compression ?? 'none'})`, async () => {
      const topic = uniqueName('kp');
      await createTopics(suite.bootstrap, [{ topic, numPartitions: 2 }]);
      const produced = await kafkaPython<ProduceResult>('produce', {
        bootstrap: suite.bootstrap,
        topic,
        config: compression ? { compression_type: compression } : {},
        messages: Array.from({ length: 20 }, (_, i) => ({
          key: `k${i}`,
          value: `v${i}`,
          partition: i % 2,
          headers: { n: String(i) },
        })),
      });
      assert.deepEqual(
        produced.reports.map((r) => [r.error, r.partition, r.offset]),
        Array.from({ length: 20 }, (_, i) => [null, i % 2, Math.floor(i / 2)]),
      );
      const consumed = await kafkaPython<ConsumeResult>('consume', {
        bootstrap: suite.bootstrap,
        topic,
        partitions: [0, 1],
        count: 20,
      });
      const sorted = [...consumed.messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
      assert.deepEqual(
        sorted.map((m) => [m.partition, m.offset, pythonKey(m), pythonValue(m), m.headers.n]),
        [0, 1].flatMap((p) =>
          Array.from({ length: 10 }, (_, j) => {
            const i = j * 2 + p;
            return [p, j, `k${i}`, `v${i}`, String(i)];
          }),
        ),
      );
    });
  }

  it('a consumer group commits and a later member resumes from the commit', async () => {
    const topic = uniqueName('kp-group');
    const group = uniqueName('kp-group');
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 1 }]);
    await kafkaPython('produce', {
      bootstrap: suite.bootstrap,
      topic,
      messages: Array.from({ length: 8 }, (_, i) => ({ value: `m${i}` })),
    });
    const first = await kafkaPython<ConsumeResult>('consume', {
      bootstrap: suite.bootstrap,
      topic,
      group,
      count: 3,
      commit: true,
      config: { max_poll_records: 3 },
    });
    assert.deepEqual(first.messages.map(pythonValue), ['m0', 'm1', 'm2']);
    assert.deepEqual(first.committed, { '0': 3 });
    const second = await kafkaPython<ConsumeResult>('consume', {
      bootstrap: suite.bootstrap,
      topic,
      group,
      count: 5,
    });
    assert.deepEqual(second.messages.map(pythonValue), ['m3', 'm4', 'm5', 'm6', 'm7']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTopics, withKafkaServer } from '../support/kafka-suite.js';
import {
  compressions,
  type KcatMessageIn,
  kcatConsume,
  kcatConsumeJson,
  kcatMetadata,
  kcatProduce,
} from '../support/kafka-tools.js';
import { uniqueName } from '../support/tideway.js';

/** Messages that catch any byte a codec or a batch boundary could lose or change. */
function awkwardMessages(): KcatMessageIn[] {
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const compressible = Buffer.alloc(100 * 1024, 'tideway ');
  const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
  return [
    { key: 'k-0', value: 'plain text' },
    { value: everyByte },
    { key: Buffer.from([0, 10, 13, 255]), value: 'binary key' },
    { key: 'compressible', value: compressible },
    { key: 'noise', value: random },
    { key: 'empty value', value: '' },
    { value: 'line one\nline two\r\n\ttabbed' },
    ...Array.from({ length: 50 }, (_, i) => ({ key: `many-${i}`, value: `value ${i} `.repeat(i + 1) })),
  ];
}

describe('kcat (librdkafka 2.0) against the default cluster', () => {
  const suite = withKafkaServer();

  for (const compression of compressions) {
    it(`produces and consumes byte for byte with compression ${compression}`, async () => {
      const topic = uniqueName(`kcat-${compression}`);
      await createTopics(suite.bootstrap, [{ topic, numPartitions: 1 }]);
      const sent = awkwardMessages();
      await kcatProduce(suite.bootstrap, topic, sent, { compression, partition: 0 });
      const got = await kcatConsume(suite.bootstrap, topic);
      assert.equal(got.length, sent.length);
      got.forEach((message, i) => {
        const expected = sent[i] as KcatMessageIn;
        assert.equal(message.partition, 0);
        assert.equal(message.offset, i, 'offsets are dense from 0');
        assert.deepEqual(message.value, Buffer.from(expected.value), `value of message ${i}`);
        assert.deepEqual(
          message.key,
          expected.key === undefined ? null : Buffer.from(expected.key),
          `key ${i}`,
        );
      });
    });
  }

  it('keeps per-partition order and offsets over several partitions', async () => {
    const topic = uniqueName('kcat-parts');
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 3 }]);
    for (const partition of [0, 1, 2]) {
      const messages = Array.from({ length: 20 }, (_, i) => ({
        key: `p${partition}`,
        value: `p${partition}-m${i}`,
      }));
      await kcatProduce(suite.bootstrap, topic, messages, { partition, compression: 'lz4' });
    }
    const got = await kcatConsume(suite.bootstrap, topic);
    assert.equal(got.length, 60);
    for (const partition of [0, 1, 2]) {
      const mine = got.filter((m) => m.partition === partition);
      assert.deepEqual(
        mine.map((m) => m.value?.toString()),
        Array.from({ length: 20 }, (_, i) => `p${partition}-m${i}`),
      );
      assert.deepEqual(
        mine.map((m) => m.offset),
        Array.from({ length: 20 }, (_, i) => i),
      );
    }
  });

  it('carries headers and null values (-Z)', async () => {
    const topic = uniqueName('kcat-headers');
    await createTopics(suite.bootstrap, [{ topic }]);
    await kcatProduce(suite.bootstrap, topic, [{ key: 'h', value: 'with headers' }], {
      headers: { trace: 'abc-123', empty: '' },
    });
    await kcatProduce(suite.bootstrap, topic, [{ key: 'tombstone', value: '' }], { emptyAsNull: true });
    const got = await kcatConsumeJson(suite.bootstrap, topic);
    assert.equal(got.length, 2);
    assert.equal(got[0].payload, 'with headers');
    assert.deepEqual(got[0].headers, ['trace', 'abc-123', 'empty', '']);
    assert.equal(got[1].key, 'tombstone');
    assert.equal(got[1].payload, null);
    const [raw] = await kcatConsume(suite.bootstrap, topic, { offset: 1 });
    assert.equal(raw?.value, null);
  });

  it('starts from the end, from an offset and from a relative offset', async () => {
    const topic = uniqueName('kcat-offsets');
    await createTopics(suite.bootstrap, [{ topic }]);
    await kcatProduce(
      suite.bootstrap,
      topic,
      Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })),
    );
    const values = (messages: { value: Buffer | null }[]) => messages.map((m) => m.value?.toString());
    assert.deepEqual(values(await kcatConsume(suite.bootstrap, topic, { offset: 7 })), ['m7', 'm8', 'm9']);
    assert.deepEqual(values(await kcatConsume(suite.bootstrap, topic, { offset: -2 })), ['m8', 'm9']);
    assert.deepEqual(values(await kcatConsume(suite.bootstrap, topic, { offset: 'end' })), []);
  });

  it("lists the cluster's metadata with the listener's own address", async () => {
    const topic = uniqueName('kcat-meta');
    await createTopics(suite.bootstrap, [{ topic, numPartitions: 4 }]);
    const metadata = await kcatMetadata(suite.bootstrap, topic);
    const [host, port] = suite.bootstrap.split(':');
    assert.deepEqual(
      metadata.brokers.map((b: { name: string }) => b.name),
      [`${host}:${port}`],
    );
    const listed = metadata.topics.find((t: { topic: string }) => t.topic === topic);
    assert.equal(listed.partitions.length, 4);
  });

  it('takes SASL PLAIN with any user on the default cluster, as clients configured for it expect', async () => {
    const topic = uniqueName('kcat-plain');
    await createTopics(suite.bootstrap, [{ topic }]);
    const config = {
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanisms': 'PLAIN',
      'sasl.username': 'anyone',
      'sasl.password': 'anything',
    };
    await kcatProduce(suite.bootstrap, topic, [{ key: 'k', value: 'over SASL' }], { config });
    const [message] = await kcatConsume(suite.bootstrap, topic, { config });
    assert.equal(message?.value?.toString(), 'over SASL');
  });
});

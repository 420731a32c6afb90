// Producers over the wire: KafkaJS (acks 0, 1, -1, idempotent), confluent_kafka's idempotent
// producer (librdkafka), and a raw client retrying a batch and skipping a sequence.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { decodeResponse, encodeRequest } from '../../src/protocols/kafka/codec.js';
import { errorCode } from '../../src/protocols/kafka/error-codes.js';
import { FrameReader } from '../../src/protocols/kafka/frames.js';
import { decodeRecords, encodeBatch, readBatchHeader } from '../../src/protocols/kafka/record-batch.js';
import { type MiniBroker, startMiniBroker } from './data-mini-broker.js';

function storedValues(broker: MiniBroker, topic: string, partition = 0): string[] {
  const batches = broker.fake.log.partitions.get(`${topic}/${partition}`)?.batches ?? [];
  return batches.flatMap((b) => decodeRecords(b)).map((r) => r.value?.toString() ?? '');
}

/** A client speaking the codec: one request at a time. */
async function rawClient(bootstrap: string) {
  const [host, port] = bootstrap.split(':');
  const socket = net.connect(Number(port), host);
  await new Promise((resolve) => socket.once('connect', resolve));
  const reader = new FrameReader();
  const frames: Buffer[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk) => {
    frames.push(...reader.push(chunk));
    wake?.();
  });
  let correlation = 0;
  return {
    async call(apiKey: number, version: number, body: Record<string, unknown>) {
      for (const c of encodeRequest(apiKey, version, ++correlation, 'raw', body)) socket.write(c);
      while (frames.length === 0) await new Promise<void>((r) => (wake = r));
      return decodeResponse(apiKey, version, frames.shift() as Buffer).body;
    },
    close: () => socket.destroy(),
  };
}

describe('producers through the data path', () => {
  let broker: MiniBroker;
  before(async () => {
    broker = await startMiniBroker();
  });
  after(() => broker.close());

  it('takes KafkaJS sends with acks 0, 1 and -1, and from an idempotent producer', async () => {
    broker.fake.log.addTopic('kjs', 1);
    const kafka = new Kafka({
      brokers: [broker.bootstrap],
      clientId: 'data-test',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    for (const acks of [1, -1, 0]) {
      await producer.send({
        topic: 'kjs',
        acks,
        messages: [{ key: `k${acks}`, value: `acks ${acks}`, headers: { h: 'v' } }],
      });
    }
    const [answer] = await producer.send({ topic: 'kjs', messages: [{ value: 'last' }] });
    assert.equal(answer?.baseOffset, '3');
    await producer.disconnect();
    assert.deepEqual(storedValues(broker, 'kjs'), ['acks 1', 'acks -1', 'acks 0', 'last']);

    broker.fake.log.addTopic('kjs-idem', 1);
    const idem = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await idem.connect();
    for (let i = 0; i < 3; i++) {
      await idem.send({ topic: 'kjs-idem', messages: [{ value: `i${i}a` }, { value: `i${i}b` }] });
    }
    await idem.disconnect();
    const batches = broker.fake.log.partitions.get('kjs-idem/0')?.batches ?? [];
    assert.deepEqual(
      batches.map((b) => readBatchHeader(b).baseSequence),
      [0, 2, 4],
    );
    assert.ok(batches.every((b) => readBatchHeader(b).producerId >= 0n));
  });

  it("takes confluent_kafka's idempotent producer (librdkafka)", async () => {
    broker.fake.log.addTopic('py-idem', 2);
    const script = `
import sys
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'enable.idempotence': True, 'linger.ms': 5})
errors = []
for i in range(200):
    p.produce('py-idem', value=b'm%d' % i, key=b'k%d' % (i % 7), on_delivery=lambda e, m: e and errors.append(str(e)))
left = p.flush(15)
print(left, len(errors), errors[:1])
`;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        '/usr/bin/python3',
        ['-c', script, broker.bootstrap],
        { timeout: 30_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    assert.equal(out.trim(), '0 0 []');
    const values = [...storedValues(broker, 'py-idem', 0), ...storedValues(broker, 'py-idem', 1)];
    assert.equal(values.length, 200);
    assert.equal(new Set(values).size, 200);
  });

  it('appends a retried batch once and refuses a sequence gap', async () => {
    broker.fake.log.addTopic('raw', 1);
    const client = await rawClient(broker.bootstrap);
    try {
      const init = await client.call(22, 4, {
        transactionalId: null,
        transactionTimeoutMs: 60000,
        producerId: -1n,
        producerEpoch: -1,
      });
      assert.equal(init.errorCode, 0);
      const produce = (batch: Buffer) =>
        client.call(0, 9, {
          transactionalId: null,
          acks: -1,
          timeoutMs: 5000,
          topicData: [{ name: 'raw', partitionData: [{ index: 0, records: batch }] }],
        });
      const batch = (sequence: number) =>
        encodeBatch([{ value: `s${sequence}` }, { value: `s${sequence + 1}` }], {
          producerId: init.producerId,
          producerEpoch: init.producerEpoch,
          baseSequence: sequence,
        });
      const first = (await produce(batch(0))).responses[0].partitionResponses[0];
      const again = (await produce(batch(0))).responses[0].partitionResponses[0];
      assert.deepEqual([first.errorCode, first.baseOffset], [0, 0n]);
      assert.deepEqual([again.errorCode, again.baseOffset], [0, 0n]);
      const gap = (await produce(batch(5))).responses[0].partitionResponses[0];
      assert.equal(gap.errorCode, errorCode('OUT_OF_ORDER_SEQUENCE_NUMBER'));
      assert.deepEqual(storedValues(broker, 'raw'), ['s0', 's1']);

      const waiting = client.call(1, 12, {
        replicaId: -1,
        maxWaitMs: 20_000,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          { topic: 'raw', partitions: [{ partition: 0, fetchOffset: 2n, partitionMaxBytes: 1 << 20 }] },
        ],
        forgottenTopicsData: [],
        rackId: '',
      });
      const other = await rawClient(broker.bootstrap);
      await other.call(0, 9, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 5000,
        topicData: [
          { name: 'raw', partitionData: [{ index: 0, records: encodeBatch([{ value: 'woke' }]) }] },
        ],
      });
      other.close();
      const fetched = (await waiting).responses[0].partitions[0];
      assert.equal(fetched.highWatermark, 3n);
      assert.deepEqual(
        decodeRecords(fetched.records).map((r) => r.value?.toString()),
        ['woke'],
      );
    } finally {
      client.close();
    }
  });
});

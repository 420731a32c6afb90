// Producers over the wire to a Tideway's default cluster: KafkaJS (acks 0, 1, -1, idempotent),
// confluent_kafka's idempotent producer (librdkafka), and a raw client retrying a batch, skipping
// a sequence, overflowing max.message.bytes and long polling.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { decodeResponse, encodeRequest } from '../../src/protocols/kafka/codec.js';
import { errorCode } from '../../src/protocols/kafka/error-codes.js';
import { FrameReader } from '../../src/protocols/kafka/frames.js';
import {
  decodeRecords,
  encodeBatch,
  readBatchHeader,
  splitBatches,
} from '../../src/protocols/kafka/record-batch.js';
import { uniqueName } from '../support/tideway.js';
import { withKafkaServer } from './broker-support.js';

function fetchBody(topic: string, partition: number, fetchOffset: bigint, maxWaitMs = 0) {
  return {
    replicaId: -1,
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1 << 24,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition, fetchOffset, partitionMaxBytes: 1 << 24 }] }],
    forgottenTopicsData: [],
    rackId: '',
  };
}

/** Every batch of a partition, read back with Fetch. */
async function storedBatches(bootstrap: string, topic: string, partition = 0): Promise<Buffer[]> {
  const client = await rawClient(bootstrap);
  try {
    const body = await client.call(1, 12, fetchBody(topic, partition, 0n));
    const p = body.responses[0].partitions[0];
    assert.equal(p.errorCode, 0);
    return p.records ? splitBatches(p.records) : [];
  } finally {
    client.close();
  }
}

async function storedValues(bootstrap: string, topic: string, partition = 0): Promise<string[]> {
  const batches = await storedBatches(bootstrap, topic, partition);
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
  const suite = withKafkaServer();
  async function topic(partitions = 1, configs: Record<string, string> = {}): Promise<string> {
    const name = uniqueName('data');
    const admin = await suite.admin();
    await admin.createTopics({
      topics: [
        {
          topic: name,
          numPartitions: partitions,
          configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    return name;
  }

  it('takes KafkaJS sends with acks 0, 1 and -1, and from an idempotent producer', async () => {
    const kjs = await topic();
    const kafka = new Kafka({
      brokers: [suite.bootstrap],
      clientId: 'data-test',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    for (const acks of [1, -1, 0]) {
      await producer.send({
        topic: kjs,
        acks,
        messages: [{ key: `k${acks}`, value: `acks ${acks}`, headers: { h: 'v' } }],
      });
    }
    const [answer] = await producer.send({ topic: kjs, messages: [{ value: 'last' }] });
    assert.equal(answer?.baseOffset, '3');
    await producer.disconnect();
    assert.deepEqual(await storedValues(suite.bootstrap, kjs), ['acks 1', 'acks -1', 'acks 0', 'last']);

    const kjsIdem = await topic();
    const idem = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await idem.connect();
    for (let i = 0; i < 3; i++) {
      await idem.send({ topic: kjsIdem, messages: [{ value: `i${i}a` }, { value: `i${i}b` }] });
    }
    await idem.disconnect();
    const batches = await storedBatches(suite.bootstrap, kjsIdem);
    assert.deepEqual(
      batches.map((b) => readBatchHeader(b).baseSequence),
      [0, 2, 4],
    );
    assert.ok(batches.every((b) => readBatchHeader(b).producerId >= 0n));
  });

  it("takes confluent_kafka's idempotent producer (librdkafka)", async () => {
    const py = await topic(2);
    const script = `
import sys
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'enable.idempotence': True, 'linger.ms': 5})
errors = []
for i in range(200):
    p.produce(sys.argv[2], value=b'm%d' % i, key=b'k%d' % (i % 7), on_delivery=lambda e, m: e and errors.append(str(e)))
left = p.flush(15)
print(left, len(errors), errors[:1])
`;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        '/usr/bin/python3',
        ['-c', script, suite.bootstrap, py],
        { timeout: 30_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    assert.equal(out.trim(), '0 0 []');
    const values = [
      ...(await storedValues(suite.bootstrap, py, 0)),
      ...(await storedValues(suite.bootstrap, py, 1)),
    ];
    assert.equal(values.length, 200);
    assert.equal(new Set(values).size, 200);
  });

  it('appends a retried batch once and refuses a sequence gap', async () => {
    const raw = await topic(1, { 'max.message.bytes': '1000' });
    const client = await rawClient(suite.bootstrap);
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
          topicData: [{ name: raw, partitionData: [{ index: 0, records: batch }] }],
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
      assert.deepEqual(await storedValues(suite.bootstrap, raw), ['s0', 's1']);
      const big = (await produce(encodeBatch([{ value: Buffer.alloc(2000, 1) }]))).responses[0]
        .partitionResponses[0];
      assert.equal(big.errorCode, errorCode('MESSAGE_TOO_LARGE'));

      const waiting = client.call(1, 12, fetchBody(raw, 0, 2n, 20_000));
      const other = await rawClient(suite.bootstrap);
      await other.call(0, 9, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 5000,
        topicData: [{ name: raw, partitionData: [{ index: 0, records: encodeBatch([{ value: 'woke' }]) }] }],
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

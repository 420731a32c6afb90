// The data path's handlers against an in-memory log: Kafka's answers for Produce, Fetch,
// ListOffsets and InitProducerId, error by error (the wire tests drive the same through clients).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode } from '../../src/protocols/kafka/error-codes.js';
import {
  batchIsValid,
  encodeBatch,
  readBatchHeader,
  writeBatchCrc,
} from '../../src/protocols/kafka/record-batch.js';
import { handleFetch } from '../../src/services/kafka/broker/fetch.js';
import { handleListOffsets } from '../../src/services/kafka/broker/list-offsets.js';
import { handleProduce } from '../../src/services/kafka/broker/produce.js';
import { handleInitProducerId } from '../../src/services/kafka/broker/producer-ids.js';
import { KafkaProtocolError } from '../../src/services/kafka/broker/types.js';
import { type FakeCluster, fakeCluster } from './data-fake-cluster.js';

type Body = Record<string, any>;

async function produce(
  f: FakeCluster,
  records: Buffer | null,
  options: { topic?: string; partition?: number; acks?: number; version?: number } = {},
) {
  const ctx = f.ctx(0, options.version ?? 9);
  const body = (await handleProduce(ctx, {
    transactionalId: null,
    acks: options.acks ?? -1,
    timeoutMs: 1000,
    topicData: [{ name: options.topic ?? 't', partitionData: [{ index: options.partition ?? 0, records }] }],
  })) as Body | null;
  return { part: body?.responses[0].partitionResponses[0], body, closed: ctx.closed() };
}

function fetchRequest(offset: bigint, extra: Body = {}, partition: Body = {}): Body {
  return {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 0x7fffffff,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: 't',
        partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20, ...partition }],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
    ...extra,
  };
}

const code = errorCode;

describe('Kafka Produce', () => {
  it('appends a batch and answers its base offset and the log start', async () => {
    const f = fakeCluster();
    f.log.addTopic('t');
    const first = await produce(f, encodeBatch([{ value: 'a' }, { value: 'b' }]));
    assert.deepEqual([first.part.errorCode, first.part.baseOffset, first.part.logStartOffset], [0, 0n, 0n]);
    assert.equal(first.part.logAppendTimeMs, -1n);
    const second = await produce(f, encodeBatch([{ value: 'c' }]), { acks: 1 });
    assert.equal(second.part.baseOffset, 2n);
    assert.equal(f.log.storage().offsets('default', 't', 0).highWatermark, 3n);
    const stored = f.log.partitions.get('t/0')?.batches[1];
    assert.equal(stored && readBatchHeader(stored).partitionLeaderEpoch, 0);
  });

  it('answers nothing for acks=0, and closes the connection when the produce failed', async () => {
    const f = fakeCluster();
    f.log.addTopic('t');
    const ok = await produce(f, encodeBatch([{ value: 'a' }]), { acks: 0 });
    assert.equal(ok.body, null);
    assert.equal(ok.closed, false);
    assert.equal(f.log.appends, 1);
    const bad = await produce(f, encodeBatch([{ value: 'a' }]), { acks: 0, topic: 'missing' });
    assert.equal(bad.body, null);
    assert.equal(bad.closed, true);
  });

  it('refuses acks other than 0, 1 and -1, unknown partitions, and malformed records', async () => {
    const f = fakeCluster();
    f.log.addTopic('t', 2);
    const batch = encodeBatch([{ value: 'a' }]);
    assert.equal((await produce(f, batch, { acks: 2 })).part.errorCode, code('INVALID_REQUIRED_ACKS'));
    assert.equal(
      (await produce(f, batch, { topic: 'nope' })).part.errorCode,
      code('UNKNOWN_TOPIC_OR_PARTITION'),
    );
    assert.equal(
      (await produce(f, batch, { partition: 2 })).part.errorCode,
      code('UNKNOWN_TOPIC_OR_PARTITION'),
    );
    assert.equal((await produce(f, null)).part.errorCode, code('INVALID_RECORD'));
    assert.equal((await produce(f, Buffer.concat([batch, batch]))).part.errorCode, code('INVALID_RECORD'));
    const v1 = Buffer.from(batch);
    v1.writeInt8(1, 16);
    assert.equal((await produce(f, v1)).part.errorCode, code('INVALID_RECORD'));
    const corrupt = Buffer.from(batch);
    corrupt[corrupt.length - 1] ^= 0xff;
    const failed = await produce(f, corrupt);
    assert.deepEqual([failed.part.errorCode, failed.part.baseOffset], [code('CORRUPT_MESSAGE'), -1n]);
    const zstd = Buffer.from(batch);
    zstd.writeInt16BE(4, 21);
    writeBatchCrc(zstd);
    assert.equal(
      (await produce(f, zstd, { version: 6 })).part.errorCode,
      code('UNSUPPORTED_COMPRESSION_TYPE'),
    );
    const control = Buffer.from(batch);
    control.writeInt16BE(0x20, 21);
    writeBatchCrc(control);
    assert.equal((await produce(f, control)).part.errorCode, code('INVALID_RECORD'));
    assert.equal(f.log.appends, 0);
  });

  it('refuses a batch over max.message.bytes (the topic config, else message.max.bytes)', async () => {
    const f = fakeCluster();
    f.log.addTopic('small', 1, { 'max.message.bytes': '200' });
    f.log.addTopic('t');
    const big = encodeBatch([{ value: Buffer.alloc(300) }]);
    assert.equal((await produce(f, big, { topic: 'small' })).part.errorCode, code('MESSAGE_TOO_LARGE'));
    assert.equal((await produce(f, big)).part.errorCode, 0);
    f.config.set('message.max.bytes', '100');
    assert.equal((await produce(f, big)).part.errorCode, code('MESSAGE_TOO_LARGE'));
  });

  it('stamps LogAppendTime topics with the clock and answers logAppendTimeMs', async () => {
    const f = fakeCluster();
    f.log.addTopic('t', 1, { 'message.timestamp.type': 'LogAppendTime' });
    const now = BigInt(f.clock.now());
    const { part } = await produce(f, encodeBatch([{ value: 'a', timestamp: 5n }]));
    assert.equal(part.logAppendTimeMs, now);
    const stored = f.log.partitions.get('t/0')?.batches[0];
    assert.ok(stored && batchIsValid(stored));
    assert.equal(stored && readBatchHeader(stored).maxTimestamp, now);
  });

  it('closes the connection on Produce v0–2, advertised only for librdkafka as Kafka 4.0 does', async () => {
    const f = fakeCluster();
    f.log.addTopic('t');
    await assert.rejects(produce(f, encodeBatch([{ value: 'a' }]), { version: 2 }), KafkaProtocolError);
    assert.equal(f.log.appends, 0);
  });

  it('refuses transactional batches as a broker granting no transactional id', async () => {
    const f = fakeCluster();
    f.log.addTopic('t');
    const batch = encodeBatch([{ value: 'a' }], {
      producerId: 1n,
      producerEpoch: 0,
      baseSequence: 0,
      transactional: true,
    });
    const { part } = await produce(f, batch);
    assert.equal(part.errorCode, code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'));
  });
});

describe('Kafka idempotent producers', () => {
  const idem = (sequence: number, epoch = 0, count = 1) =>
    encodeBatch(
      Array.from({ length: count }, (_, i) => ({ value: `v${sequence + i}` })),
      { producerId: 9n, producerEpoch: epoch, baseSequence: sequence },
    );

  it('answers a retried batch with its first offsets and appends it once', async () => {
    const f = fakeCluster();
    f.log.addTopic('t');
    assert.equal((await produce(f, idem(0, 0, 2))).part.baseOffset, 0n);
    assert.equal((await produce(f, idem(2, 0, 3))).part.baseOffset, 2n);
    const retry = await produce(f, idem(0, 0, 2));
    assert.deepEqual([retry.part.errorCode, retry.part.baseOffset], [0, 0n]);
    assert.equal(f.log.appends, 2);
    assert.equal(f.log.storage().offsets('default', 't', 0).highWatermark, 5n);
  });

  it('refuses a sequence gap, an older epoch, and a new epoch not starting at 0', async () => {
    const f = fakeCluster();
    f.log.addTopic('t');
    await produce(f, idem(0, 1));
    assert.equal((await produce(f, idem(2, 1))).part.errorCode, code('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    assert.equal((await produce(f, idem(1, 0))).part.errorCode, code('INVALID_PRODUCER_EPOCH'));
    assert.equal((await produce(f, idem(5, 2))).part.errorCode, code('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    assert.equal((await produce(f, idem(0, 2))).part.errorCode, 0);
    assert.equal((await produce(f, idem(1, 2))).part.errorCode, 0);
  });

  it('takes any sequence from a producer the partition has not seen, as current Kafka does', async () => {
    const f = fakeCluster();
    f.log.addTopic('t');
    assert.equal((await produce(f, idem(42))).part.errorCode, 0);
  });

  it('checks and appends concurrent batches of one partition one at a time', async () => {
    const f = fakeCluster();
    f.log.addTopic('t');
    const results = await Promise.all([produce(f, idem(0)), produce(f, idem(0)), produce(f, idem(1))]);
    assert.deepEqual(
      results.map((r) => [r.part.errorCode, r.part.baseOffset]),
      [
        [0, 0n],
        [0, 0n],
        [0, 1n],
      ],
    );
    assert.equal(f.log.appends, 2);
  });

  it('hands out producer ids at epoch 0, and refuses transactional ids', async () => {
    const f = fakeCluster();
    const init = (body: Body, version = 4) => handleInitProducerId(f.ctx(22, version), body) as Promise<Body>;
    const a = await init({
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: -1n,
      producerEpoch: -1,
    });
    const b = await init({
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: a.producerId,
      producerEpoch: 0,
    });
    assert.equal(a.errorCode, 0);
    assert.equal(a.producerEpoch, 0);
    assert.notEqual(b.producerId, a.producerId);
    const half = await init({
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: 5n,
      producerEpoch: -1,
    });
    assert.equal(half.errorCode, code('INVALID_REQUEST'));
    const txn = await init({
      transactionalId: 'tx',
      transactionTimeoutMs: 60000,
      producerId: -1n,
      producerEpoch: -1,
    });
    assert.deepEqual([txn.errorCode, txn.producerId], [code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'), -1n]);
  });
});

describe('Kafka Fetch', () => {
  async function filled(count: number, size = 10): Promise<FakeCluster> {
    const f = fakeCluster();
    f.log.addTopic('t');
    for (let i = 0; i < count; i++) await produce(f, encodeBatch([{ value: Buffer.alloc(size, i) }]));
    return f;
  }

  it('answers stored batches from the fetch offset, with the watermarks', async () => {
    const f = await filled(3);
    const body = (await handleFetch(f.ctx(1, 11), fetchRequest(1n))) as Body;
    const p = body.responses[0].partitions[0];
    assert.equal(body.sessionId, 0);
    assert.deepEqual([p.errorCode, p.highWatermark, p.lastStableOffset, p.logStartOffset], [0, 3n, 3n, 0n]);
    assert.equal(p.records.length, 2);
    assert.equal(p.abortedTransactions, null);
    assert.equal(p.preferredReadReplica, -1);
    const committed = (await handleFetch(f.ctx(1, 11), fetchRequest(0n, { isolationLevel: 1 }))) as Body;
    assert.deepEqual(committed.responses[0].partitions[0].abortedTransactions, []);
  });

  it('answers OFFSET_OUT_OF_RANGE below the log start and past the end', async () => {
    const f = await filled(2);
    f.log.dropOldest('t', 0);
    for (const offset of [0n, 3n]) {
      const body = (await handleFetch(f.ctx(1, 11), fetchRequest(offset, { maxWaitMs: 500 }))) as Body;
      const p = body.responses[0].partitions[0];
      assert.deepEqual([p.errorCode, p.highWatermark], [code('OFFSET_OUT_OF_RANGE'), -1n]);
    }
  });

  it('gives the first batch whatever its size, then keeps within maxBytes and partitionMaxBytes', async () => {
    const f = await filled(3, 500);
    const one = (await handleFetch(f.ctx(1, 11), fetchRequest(0n, { maxBytes: 10 }))) as Body;
    assert.equal(one.responses[0].partitions[0].records.length, 1);
    const perPartition = (await handleFetch(
      f.ctx(1, 11),
      fetchRequest(0n, {}, { partitionMaxBytes: 1200 }),
    )) as Body;
    assert.equal(perPartition.responses[0].partitions[0].records.length, 2);
  });

  it('waits for records until maxWaitMs on the clock, woken by a produce', async () => {
    const f = await filled(1);
    const waiting = handleFetch(f.ctx(1, 11), fetchRequest(1n, { maxWaitMs: 10_000 })) as Promise<Body>;
    let settled = false;
    void waiting.then(() => {
      settled = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false);
    await produce(f, encodeBatch([{ value: 'late' }]));
    const body = await waiting;
    assert.equal(body.responses[0].partitions[0].records.length, 1);
    assert.equal(body.responses[0].partitions[0].highWatermark, 2n);

    const empty = handleFetch(f.ctx(1, 11), fetchRequest(2n, { maxWaitMs: 10_000 })) as Promise<Body>;
    f.clock.advance(10_000);
    const timedOut = await empty;
    assert.deepEqual(timedOut.responses[0].partitions[0].records, []);
  });

  it('keeps waiting until minBytes are there, and gives up when the connection goes', async () => {
    const f = await filled(0);
    const ctx = f.ctx(1, 11);
    const waiting = handleFetch(ctx, fetchRequest(0n, { maxWaitMs: 10_000, minBytes: 150 })) as Promise<Body>;
    await produce(f, encodeBatch([{ value: 'x' }]));
    await produce(f, encodeBatch([{ value: Buffer.alloc(100) }]));
    const body = await waiting;
    assert.equal(body.responses[0].partitions[0].records.length, 2);
    const abandoned = f.ctx(1, 11);
    const gone = handleFetch(abandoned, fetchRequest(2n, { maxWaitMs: 10_000 }));
    abandoned.abort();
    assert.equal(await gone, null);
    assert.equal(f.log.watchers.get('t')?.size ?? 0, 0);
  });

  it('declines fetch sessions: incremental fetches are refused as of unknown sessions', async () => {
    const f = await filled(1);
    const unknown = (await handleFetch(
      f.ctx(1, 11),
      fetchRequest(0n, { sessionId: 7, sessionEpoch: 3 }),
    )) as Body;
    assert.equal(unknown.errorCode, code('FETCH_SESSION_ID_NOT_FOUND'));
    const full = (await handleFetch(f.ctx(1, 11), fetchRequest(0n, { sessionEpoch: 0 }))) as Body;
    assert.deepEqual([full.errorCode, full.sessionId], [0, 0]);
  });

  it('answers unknown partitions and stale leader epochs per partition', async () => {
    const f = await filled(1);
    const body = (await handleFetch(
      f.ctx(1, 11),
      fetchRequest(0n, {
        topics: [
          { topic: 'nope', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 100 }] },
          {
            topic: 't',
            partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 100, currentLeaderEpoch: 3 }],
          },
        ],
      }),
    )) as Body;
    assert.equal(body.responses[0].partitions[0].errorCode, code('UNKNOWN_TOPIC_OR_PARTITION'));
    assert.equal(body.responses[1].partitions[0].errorCode, code('UNKNOWN_LEADER_EPOCH'));
  });
});

describe('Kafka ListOffsets', () => {
  const list = (f: FakeCluster, timestamp: bigint, version = 7) =>
    handleListOffsets(f.ctx(2, version), {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }],
    }).topics as Body[];

  it('answers earliest, latest, by time and the largest timestamp', async () => {
    const f = fakeCluster();
    f.log.addTopic('t');
    await produce(
      f,
      encodeBatch([
        { value: 'a', timestamp: 1000n },
        { value: 'b', timestamp: 2000n },
      ]),
    );
    await produce(
      f,
      encodeBatch([
        { value: 'c', timestamp: 5000n },
        { value: 'd', timestamp: 3000n },
      ]),
    );
    const at = (ts: bigint, version?: number) => {
      const p = list(f, ts, version)[0].partitions[0];
      return [p.errorCode, p.offset, p.timestamp];
    };
    assert.deepEqual(at(-2n), [0, 0n, -1n]);
    assert.deepEqual(at(-1n), [0, 4n, -1n]);
    assert.deepEqual(at(1500n), [0, 1n, 2000n]);
    assert.deepEqual(at(2500n), [0, 2n, 5000n]);
    assert.deepEqual(at(9000n), [0, -1n, -1n]);
    assert.deepEqual(at(-3n), [0, 2n, 5000n]);
    assert.deepEqual(at(-3n, 6), [code('UNSUPPORTED_VERSION'), -1n, -1n]);
    assert.deepEqual(at(-7n), [code('UNSUPPORTED_VERSION'), -1n, -1n]);
  });

  it('answers an unknown partition and an empty log', async () => {
    const f = fakeCluster();
    assert.equal(list(f, -1n)[0].partitions[0].errorCode, code('UNKNOWN_TOPIC_OR_PARTITION'));
    f.log.addTopic('t');
    assert.deepEqual([list(f, -3n)[0].partitions[0].offset, list(f, -1n)[0].partitions[0].offset], [-1n, 0n]);
  });
});

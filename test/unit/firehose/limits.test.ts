// The records API's limits and answers, with the delivery pipeline replaced by a recorder.
// Sources: Firehose API Reference, PutRecordBatch (500 records, 4 MiB in all, RequestResponses in
// request order, FailedPutCount) and the Firehose developer guide, "Quota" (1,000 KiB per record).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { StreamEncryption } from '../../../src/services/firehose/encryption.js';
import type { DeliveryStreamRecord, IngestedRecord } from '../../../src/services/firehose/model.js';
import {
  checkBatchSize,
  MAX_BATCH_BYTES,
  MAX_RECORD_BYTES,
  newRecordId,
  RecordsApi,
} from '../../../src/services/firehose/records-api.js';
import { DeliveryStreams, deliveryStreamArn } from '../../../src/services/firehose/streams.js';

const ACCOUNT = '000000000000';
const ctx = { caller: { account: ACCOUNT, region: 'us-east-1' } };

function stream(name: string, type: DeliveryStreamRecord['type'] = 'DirectPut'): DeliveryStreamRecord {
  return {
    name,
    arn: deliveryStreamArn('us-east-1', ACCOUNT, name),
    account: ACCOUNT,
    region: 'us-east-1',
    status: 'ACTIVE',
    type,
    versionId: '1',
    created: 0,
    tags: [],
    destination: { id: 'destinationId-000000000001' },
  };
}

async function setup(fail = false) {
  const streams = new DeliveryStreams(undefined);
  await streams.put(stream('direct'));
  await streams.put(stream('sourced', 'KinesisStreamAsSource'));
  const clock = new Clock();
  clock.freeze();
  const ingested: { stream: string; records: IngestedRecord[] }[] = [];
  const api = new RecordsApi(
    streams,
    clock,
    new StreamEncryption(undefined),
    async (s, records) => {
      if (fail) throw new Error('buffer full');
      ingested.push({ stream: s.name, records: [...records] });
    },
    createLogger('silent'),
  );
  return { api, ingested, clock };
}

const origin = {
  principal: 'sns.amazonaws.com',
  sourceArn: `arn:aws:sns:us-east-1:${ACCOUNT}:topic`,
  sourceAccount: ACCOUNT,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/sns-to-firehose`,
};

describe('Firehose record limits', () => {
  it('counts a batch up to 4 MiB', () => {
    assert.doesNotThrow(() => checkBatchSize([MAX_BATCH_BYTES - 1, 1]));
    assert.throws(() => checkBatchSize([MAX_BATCH_BYTES, 1]), {
      name: 'InvalidArgumentException',
      message: /exceeds the limit of 4194304 bytes/,
    });
  });

  it('hands out distinct 224-character base64 record ids', () => {
    const ids = new Set(Array.from({ length: 100 }, newRecordId));
    assert.equal(ids.size, 100);
    for (const id of ids) assert.match(id, /^[A-Za-z0-9+/]{224}$/);
  });

  it('hands every record to the pipeline with its arrival time, and answers in order', async () => {
    const { api, ingested, clock } = await setup();
    const out = await api.putRecordBatch(
      { DeliveryStreamName: 'direct', Records: [{ Data: Buffer.from('a') }, { Data: Buffer.from('b') }] },
      ctx,
    );
    assert.equal(out.FailedPutCount, 0);
    assert.equal(out.RequestResponses!.length, 2);
    assert.deepEqual(
      ingested.map((i) => ({ stream: i.stream, data: i.records.map((r) => Buffer.from(r.data).toString()) })),
      [{ stream: 'direct', data: ['a', 'b'] }],
    );
    assert.equal(ingested[0]!.records[0]!.arrival, clock.now());
  });

  it('answers every record failed when the pipeline cannot take them', async () => {
    const { api } = await setup(true);
    const out = await api.putRecordBatch(
      { DeliveryStreamName: 'direct', Records: [{ Data: Buffer.from('a') }, { Data: Buffer.from('b') }] },
      ctx,
    );
    assert.equal(out.FailedPutCount, 2);
    assert.deepEqual(out.RequestResponses, [
      { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' },
      { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' },
    ]);
    await assert.rejects(
      api.putRecord({ DeliveryStreamName: 'direct', Record: { Data: Buffer.from('a') } }, ctx),
      {
        name: 'ServiceUnavailableException',
      },
    );
  });
});

describe('Firehose front door', () => {
  const arn = (name: string, account = ACCOUNT) => deliveryStreamArn('us-east-1', account, name);

  it('takes records for a DirectPut stream of the role account, failing oversized ones alone', async () => {
    const { api, ingested } = await setup();
    const big = new Uint8Array(MAX_RECORD_BYTES + 1);
    const out = await api.frontDoor.put(arn('direct'), [Buffer.from('x\n'), big, Buffer.from('y\n')], origin);
    assert.deepEqual(out.failed, [
      {
        index: 1,
        errorCode: 'InvalidArgumentException',
        errorMessage: `Record size exceeds the limit of ${MAX_RECORD_BYTES} bytes.`,
      },
    ]);
    assert.deepEqual(
      ingested[0]!.records.map((r) => Buffer.from(r.data).toString()),
      ['x\n', 'y\n'],
    );
  });

  it('refuses a stream of another account, a missing one and a sourced one', async () => {
    const { api, ingested } = await setup();
    await assert.rejects(api.frontDoor.put(arn('direct', '111122223333'), [Buffer.from('x')], origin), {
      name: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::000000000000:assumed-role/sns-to-firehose/sns.amazonaws.com is not authorized to perform: firehose:PutRecordBatch on resource: arn:aws:firehose:us-east-1:111122223333:deliverystream/direct',
    });
    await assert.rejects(api.frontDoor.put(arn('gone'), [Buffer.from('x')], origin), {
      name: 'ResourceNotFoundException',
      message: 'Firehose gone under account 000000000000 not found.',
    });
    await assert.rejects(api.frontDoor.put(arn('sourced'), [Buffer.from('x')], origin), {
      name: 'InvalidArgumentException',
      message: 'This operation is not permitted on KinesisStreamAsSource delivery stream type.',
    });
    await assert.rejects(
      api.frontDoor.put('arn:aws:sqs:us-east-1:000000000000:q', [Buffer.from('x')], origin),
      {
        name: 'InvalidArgumentException',
      },
    );
    assert.equal(ingested.length, 0);
  });

  it('uses the source account when no role is given', async () => {
    const { api } = await setup();
    const out = await api.frontDoor.put(arn('direct'), [Buffer.from('x')], { ...origin, roleArn: undefined });
    assert.deepEqual(out.failed, []);
  });
});

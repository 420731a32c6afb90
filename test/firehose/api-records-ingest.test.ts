// PutRecord and PutRecordBatch answers for records that go in (Firehose API Reference: RecordId,
// Encrypted, FailedPutCount, RequestResponses in request order). These run through the real
// delivery pipeline: the records are handed to the stream's buffer before the answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  StartDeliveryStreamEncryptionCommand,
} from '@aws-sdk/client-firehose';
import { uniqueName } from '../support/tideway.js';
import { BUCKET, ROLE, withFirehoseServer } from './api-helpers.js';

const suite = withFirehoseServer();
const RECORD_ID = /^[A-Za-z0-9+/]{224}$/;

async function newStream(): Promise<string> {
  const name = uniqueName('fh');
  await suite.firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET },
    }),
  );
  return name;
}

describe('PutRecord and PutRecordBatch answers', () => {
  it('answers a record id and whether the stream encrypts', async () => {
    const name = await newStream();
    const plain = await suite.firehose.send(
      new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('one\n') } }),
    );
    assert.match(plain.RecordId!, RECORD_ID);
    assert.equal(plain.Encrypted, false);
    await suite.firehose.send(
      new StartDeliveryStreamEncryptionCommand({
        DeliveryStreamName: name,
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      }),
    );
    const sealed = await suite.firehose.send(
      new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('two\n') } }),
    );
    assert.equal(sealed.Encrypted, true);
    assert.notEqual(sealed.RecordId, plain.RecordId);
  });

  it('answers one entry per record, in order, with no failures', async () => {
    const name = await newStream();
    const records = Array.from({ length: 500 }, (_, i) => ({ Data: Buffer.from(`record ${i}\n`) }));
    const out = await suite.firehose.send(
      new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records }),
    );
    assert.equal(out.FailedPutCount, 0);
    assert.equal(out.Encrypted, false);
    assert.equal(out.RequestResponses!.length, 500);
    for (const entry of out.RequestResponses!) {
      assert.match(entry.RecordId!, RECORD_ID);
      assert.equal(entry.ErrorCode, undefined);
    }
    assert.equal(new Set(out.RequestResponses!.map((e) => e.RecordId)).size, 500);
  });
});

// PutRecord and PutRecordBatch: what is refused before a record reaches the stream's buffer.
// Sources:
// - Firehose API Reference, PutRecord / PutRecordBatch: Data is at most 1,000 KiB (the model's
//   1,024,000 bytes), a batch holds 1 to 500 records and at most 4 MiB; ResourceNotFoundException,
//   InvalidArgumentException, InvalidKMSResourceException.
// - A put to a stream with a source of its own is refused with "This operation is not permitted on
//   KinesisStreamAsSource delivery stream type." (AWS's InvalidArgumentException).
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
} from '@aws-sdk/client-firehose';
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { kmsClient } from '../support/kms.js';
import { uniqueName } from '../support/tideway.js';
import { BUCKET, firehoseRejects, kinesisSourceStream, ROLE, withFirehoseServer } from './api-helpers.js';

const suite = withFirehoseServer();

async function newStream(extra: object = {}): Promise<string> {
  const name = uniqueName('fh');
  await suite.firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET },
      ...extra,
    }),
  );
  return name;
}

const bytes = (n: number) => new Uint8Array(n).fill(0x61);

describe('PutRecord and PutRecordBatch refusals', () => {
  it('answers ResourceNotFoundException for an unknown stream', async () => {
    await firehoseRejects(
      suite.firehose.send(
        new PutRecordCommand({ DeliveryStreamName: 'missing', Record: { Data: bytes(1) } }),
      ),
      'ResourceNotFoundException',
      'Firehose missing under account 000000000000 not found.',
    );
    await firehoseRejects(
      suite.firehose.send(
        new PutRecordBatchCommand({ DeliveryStreamName: 'missing', Records: [{ Data: bytes(1) }] }),
      ),
      'ResourceNotFoundException',
      'Firehose missing under account 000000000000 not found.',
    );
  });

  it('refuses puts to a KinesisStreamAsSource stream', async () => {
    const name = await newStream({
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: {
        KinesisStreamARN: await kinesisSourceStream(suite.server.endpoint),
        RoleARN: ROLE,
      },
    });
    const text = 'This operation is not permitted on KinesisStreamAsSource delivery stream type.';
    await firehoseRejects(
      suite.firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: bytes(1) } })),
      'InvalidArgumentException',
      text,
    );
    await firehoseRejects(
      suite.firehose.send(
        new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: bytes(1) }] }),
      ),
      'InvalidArgumentException',
      text,
    );
  });

  it('holds records to 1,000 KiB and batches to 500 records', async () => {
    const name = await newStream();
    await firehoseRejects(
      suite.firehose.send(
        new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: bytes(1_024_001) } }),
      ),
      'ValidationException',
      /at 'record\.data' failed to satisfy constraint: Member must have length less than or equal to 1024000/,
    );
    await firehoseRejects(
      suite.firehose.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: name,
          Records: Array.from({ length: 501 }, () => ({ Data: bytes(1) })),
        }),
      ),
      'ValidationException',
      /at 'records' failed to satisfy constraint: Member must have length less than or equal to 500/,
    );
    await firehoseRejects(
      suite.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [] })),
      'ValidationException',
      /Member must have length greater than or equal to 1/,
    );
  });

  it('holds a batch to 4 MiB in all', async () => {
    const name = await newStream();
    await firehoseRejects(
      suite.firehose.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: name,
          Records: Array.from({ length: 5 }, () => ({ Data: bytes(1_000_000) })),
        }),
      ),
      'InvalidArgumentException',
      /exceeds the limit of 4194304 bytes/,
    );
  });

  it('refuses puts once the stream customer key is disabled', async () => {
    const kms = kmsClient(suite.server.endpoint);
    try {
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const name = await newStream({
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: key.Arn },
      });
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      await firehoseRejects(
        suite.firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: bytes(1) } })),
        'InvalidKMSResourceException',
        /is disabled/,
      );
    } finally {
      kms.destroy();
    }
  });
});

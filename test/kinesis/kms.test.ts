import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  StartStreamEncryptionCommand,
  SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';
import {
  CreateKeyCommand,
  DisableKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { assertKinesisError, withKinesisServer } from '../support/kinesis.js';
import { advance, credentials, errorOf, type RunningTideway, uniqueName } from '../support/tideway.js';

// StartStreamEncryption names a real key, and the key is met again by every write and read.
describe('Kinesis streams encrypted with a KMS key', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  let kms: KMSClient;
  withKinesisServer((s, k) => {
    server = s;
    kinesis = k;
    kms = new KMSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });

  async function stream(): Promise<string> {
    const name = uniqueName('s');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    return name;
  }

  async function newKey(): Promise<{ id: string; arn: string }> {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    return { id: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
  }

  const start = (name: string, keyId: string) =>
    kinesis.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: keyId }));

  it('refuses a key that does not exist (KMSNotFoundException) and leaves the stream unencrypted', async () => {
    const name = await stream();
    assertKinesisError(await errorOf(() => start(name, 'alias/missing')), 'KMSNotFoundException');
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    assert.equal(StreamDescriptionSummary?.EncryptionType, 'NONE');
  });

  it('refuses a disabled key (KMSDisabledException) and one pending deletion (KMSInvalidStateException)', async () => {
    const name = await stream();
    const disabled = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: disabled.id }));
    assertKinesisError(
      await errorOf(() => start(name, disabled.arn)),
      'KMSDisabledException',
      `${disabled.arn} is disabled.`,
    );
    const leaving = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: leaving.id, PendingWindowInDays: 7 }));
    assertKinesisError(
      await errorOf(() => start(name, leaving.id)),
      'KMSInvalidStateException',
      `${leaving.arn} is pending deletion.`,
    );
  });

  it('encrypts with alias/aws/kinesis and shows the key as given', async () => {
    const name = await stream();
    await start(name, 'alias/aws/kinesis');
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    assert.equal(StreamDescription?.EncryptionType, 'KMS');
    assert.equal(StreamDescription?.KeyId, 'alias/aws/kinesis');
    const put = await kinesis.send(
      new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('managed') }),
    );
    assert.equal(put.EncryptionType, 'KMS');
  });

  it('fails writes and reads with KMSDisabledException once the key is disabled', async () => {
    const name = await stream();
    const key = await newKey();
    await start(name, key.id);
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('a') }));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    const text = `${key.arn} is disabled.`;
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('b') })),
      ),
      'KMSDisabledException',
      text,
    );
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(
          new PutRecordsCommand({
            StreamName: name,
            Records: [{ PartitionKey: 'k', Data: Buffer.from('c') }],
          }),
        ),
      ),
      'KMSDisabledException',
      text,
    );
    assertKinesisError(
      await errorOf(() => kinesis.send(new GetRecordsCommand({ ShardIterator }))),
      'KMSDisabledException',
      text,
    );
  });

  // AWS words a refused read itself: "KMSAccessDeniedException: User … is not authorized to decrypt
  // records in stream …" (a KCL consumer's log, quoted in spring-cloud-stream-binder-aws-kinesis#188).
  it('refuses GetRecords in its own words when the key policy allows writes but not kms:Decrypt', async () => {
    const name = await stream();
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::000000000000:root' },
              Action: ['kms:Describe*', 'kms:Get*', 'kms:Put*', 'kms:GenerateDataKey*'],
              Resource: '*',
            },
          ],
        }),
      }),
    );
    await start(name, KeyMetadata!.Arn!);
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('a') }));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: name,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    assertKinesisError(
      await errorOf(() => kinesis.send(new GetRecordsCommand({ ShardIterator }))),
      'KMSAccessDeniedException',
      `User arn:aws:iam::000000000000:root is not authorized to decrypt records in stream ${name}`,
    );
  });

  it('passes the stream ARN as the encryption context, so a key policy can hold the key to one stream', async () => {
    const allowed = await stream();
    const other = await stream();
    const arnOf = async (name: string) =>
      (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!
        .StreamARN!;
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::000000000000:root' },
              Action: ['kms:Describe*', 'kms:Get*', 'kms:Put*'],
              Resource: '*',
            },
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::000000000000:root' },
              Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
              Resource: '*',
              Condition: { StringEquals: { 'kms:EncryptionContext:aws:kinesis:arn': await arnOf(allowed) } },
            },
          ],
        }),
      }),
    );
    await start(allowed, KeyMetadata!.Arn!);
    await kinesis.send(
      new PutRecordCommand({ StreamName: allowed, PartitionKey: 'k', Data: Buffer.from('a') }),
    );
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: allowed,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    assert.equal(Buffer.from(Records![0]!.Data!).toString(), 'a');
    const refused = await errorOf(() => start(other, KeyMetadata!.Arn!));
    assert.equal(refused.name, 'KMSAccessDeniedException');
  });

  it('ends a SubscribeToShard event stream with KMSDisabledException once the key is disabled', async () => {
    const name = await stream();
    const key = await newKey();
    await start(name, key.id);
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    const { Consumer } = await kinesis.send(
      new RegisterStreamConsumerCommand({ StreamARN: StreamDescription!.StreamARN!, ConsumerName: 'reader' }),
    );
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('a') }));
    const { EventStream } = await kinesis.send(
      new SubscribeToShardCommand({
        ConsumerARN: Consumer!.ConsumerARN!,
        ShardId: 'shardId-000000000000',
        StartingPosition: { Type: 'TRIM_HORIZON' },
      }),
    );
    const events = EventStream![Symbol.asyncIterator]();
    const first = await events.next();
    assert.equal(first.value?.SubscribeToShardEvent?.Records?.length, 1);
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    // The next heartbeat reads again, and meets the disabled key.
    await advance(server, 6);
    const err = await errorOf(async () => {
      for (let i = 0; i < 10; i++) if ((await events.next()).done) return;
    });
    assert.equal(err.name, 'KMSDisabledException');
    assert.equal(err.message, `${key.arn} is disabled.`);
  });
});

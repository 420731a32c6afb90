// Tags and server-side encryption of delivery streams. Sources:
// - Firehose API Reference: TagDeliveryStream ("up to 50 tags"; a key given again replaces its value),
//   UntagDeliveryStream, ListTagsForDeliveryStream (Limit 1–50, ExclusiveStartTagKey, HasMoreTags),
//   StartDeliveryStreamEncryption / StopDeliveryStreamEncryption (KeyType AWS_OWNED_CMK or
//   CUSTOMER_MANAGED_CMK with KeyARN; InvalidKMSResourceException for a key KMS refuses),
//   DeliveryStreamEncryptionConfiguration (Status ENABLED, DISABLED, …).
// - Firehose developer guide, "Server-side encryption": only for DirectPut streams.
// - An AWS-recorded tagging exchange (LocalStack tests/aws/services/firehose/test_firehose.snapshot.json,
//   test_resource_tagging): list-tags answers HasMoreTags false and the tags as given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  ListTagsForDeliveryStreamCommand,
  StartDeliveryStreamEncryptionCommand,
  StopDeliveryStreamEncryptionCommand,
  TagDeliveryStreamCommand,
  UntagDeliveryStreamCommand,
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

const listTags = (name: string, extra: object = {}) =>
  suite.firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name, ...extra }));

describe('Delivery stream tags', () => {
  it('keeps the tags given at creation, adds, replaces and removes', async () => {
    const name = await newStream({ Tags: [{ Key: 'subject', Value: 'taboo' }] });
    let out = await listTags(name);
    assert.deepEqual(out.Tags, [{ Key: 'subject', Value: 'taboo' }]);
    assert.equal(out.HasMoreTags, false);
    await suite.firehose.send(
      new UntagDeliveryStreamCommand({ DeliveryStreamName: name, TagKeys: ['subject'] }),
    );
    out = await listTags(name);
    assert.deepEqual(out.Tags, []);
    await suite.firehose.send(
      new TagDeliveryStreamCommand({
        DeliveryStreamName: name,
        Tags: [
          { Key: 'feeling', Value: 'uncomfortable' },
          { Key: 'team', Value: 'a' },
        ],
      }),
    );
    await suite.firehose.send(
      new TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: [{ Key: 'team', Value: 'b' }] }),
    );
    out = await listTags(name);
    assert.deepEqual(out.Tags, [
      { Key: 'feeling', Value: 'uncomfortable' },
      { Key: 'team', Value: 'b' },
    ]);
  });

  it('pages with Limit and ExclusiveStartTagKey', async () => {
    const tags = Array.from({ length: 5 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    const name = await newStream({ Tags: tags });
    const first = await listTags(name, { Limit: 2 });
    assert.deepEqual(first.Tags, tags.slice(0, 2));
    assert.equal(first.HasMoreTags, true);
    const rest = await listTags(name, { Limit: 3, ExclusiveStartTagKey: 'k1' });
    assert.deepEqual(rest.Tags, tags.slice(2));
    assert.equal(rest.HasMoreTags, false);
  });

  it('holds at most 50 tags', async () => {
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const name = await newStream({ Tags: tags });
    await firehoseRejects(
      suite.firehose.send(
        new TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: [{ Key: 'one-more', Value: 'v' }] }),
      ),
      'LimitExceededException',
      /at most 50 tags/,
    );
    // Replacing a value adds no tag.
    await suite.firehose.send(
      new TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: [{ Key: 'k0', Value: 'w' }] }),
    );
    assert.equal((await listTags(name)).Tags!.length, 50);
    await firehoseRejects(
      newStream({ Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }),
      'ValidationException',
      /Member must have length less than or equal to 50/,
    );
  });

  it('refuses keys in the aws: namespace and unknown streams', async () => {
    const name = await newStream();
    await firehoseRejects(
      suite.firehose.send(
        new TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: [{ Key: 'aws:x', Value: 'v' }] }),
      ),
      'ValidationException',
    );
    await firehoseRejects(
      listTags('no-such-stream'),
      'ResourceNotFoundException',
      'Firehose no-such-stream under account 000000000000 not found.',
    );
  });
});

describe('Delivery stream encryption', () => {
  const encryptionOf = async (name: string) =>
    (await suite.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })))
      .DeliveryStreamDescription!.DeliveryStreamEncryptionConfiguration;

  it('starts and stops with a Firehose-owned key', async () => {
    const name = await newStream();
    await suite.firehose.send(
      new StartDeliveryStreamEncryptionCommand({
        DeliveryStreamName: name,
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      }),
    );
    assert.deepEqual(await encryptionOf(name), { KeyType: 'AWS_OWNED_CMK', Status: 'ENABLED' });
    await suite.firehose.send(new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: name }));
    assert.deepEqual(await encryptionOf(name), { Status: 'DISABLED' });
  });

  it('checks a customer key in KMS', async () => {
    const kms = kmsClient(suite.server.endpoint);
    try {
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const name = await newStream({
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: key.Arn },
      });
      assert.deepEqual(await encryptionOf(name), {
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: key.Arn,
        Status: 'ENABLED',
      });
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      const other = await newStream();
      await firehoseRejects(
        suite.firehose.send(
          new StartDeliveryStreamEncryptionCommand({
            DeliveryStreamName: other,
            DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: key.Arn },
          }),
        ),
        'InvalidKMSResourceException',
        /is disabled/,
      );
      assert.deepEqual(await encryptionOf(other), { Status: 'DISABLED' });
      await firehoseRejects(
        suite.firehose.send(
          new StartDeliveryStreamEncryptionCommand({
            DeliveryStreamName: other,
            DeliveryStreamEncryptionConfigurationInput: {
              KeyType: 'CUSTOMER_MANAGED_CMK',
              KeyARN: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
            },
          }),
        ),
        'InvalidKMSResourceException',
        /not found|does not exist/,
      );
    } finally {
      kms.destroy();
    }
  });

  it('needs a KeyARN for a customer key and none for an owned one', async () => {
    const name = await newStream();
    await firehoseRejects(
      suite.firehose.send(
        new StartDeliveryStreamEncryptionCommand({
          DeliveryStreamName: name,
          DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' },
        }),
      ),
      'InvalidArgumentException',
      'KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.',
    );
    await firehoseRejects(
      suite.firehose.send(
        new StartDeliveryStreamEncryptionCommand({
          DeliveryStreamName: name,
          DeliveryStreamEncryptionConfigurationInput: {
            KeyType: 'AWS_OWNED_CMK',
            KeyARN: 'arn:aws:kms:us-east-1:000000000000:key/abc',
          },
        }),
      ),
      'InvalidArgumentException',
      'KeyARN must not be specified when KeyType is AWS_OWNED_CMK.',
    );
  });

  it('is for DirectPut streams only', async () => {
    const name = await newStream({
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: {
        KinesisStreamARN: await kinesisSourceStream(suite.server.endpoint),
        RoleARN: ROLE,
      },
    });
    await firehoseRejects(
      suite.firehose.send(
        new StartDeliveryStreamEncryptionCommand({
          DeliveryStreamName: name,
          DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
        }),
      ),
      'InvalidArgumentException',
      /DirectPut streams only/,
    );
  });
});

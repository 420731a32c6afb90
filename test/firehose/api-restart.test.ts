// With --data-dir a delivery stream survives a restart (README, "Persistence"): its description,
// version, tags and encryption come back as they were, and a deleted one stays deleted.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  type FirehoseClient,
  ListDeliveryStreamsCommand,
  ListTagsForDeliveryStreamCommand,
  StartDeliveryStreamEncryptionCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { type RunningTideway, startServer } from '../support/tideway.js';
import { BUCKET, firehoseClient, kinesisSourceStream, ROLE } from './api-helpers.js';

function withoutMetadata<T extends object>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _, ...rest } = output as T & { $metadata: unknown };
  return rest;
}

describe('Firehose streams across restarts', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-firehose-restart-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function start(): Promise<{ server: RunningTideway; firehose: FirehoseClient }> {
    const server = await startServer({ dataDir: dir });
    return { server, firehose: firehoseClient(server.endpoint) };
  }

  it('keeps streams, versions, tags and encryption', async () => {
    const first = await start();
    const describeStream = (f: FirehoseClient, name: string) =>
      f.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })).then(withoutMetadata);
    let described: Awaited<ReturnType<typeof describeStream>>[];
    try {
      await first.firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'kept',
          ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET, Prefix: 'a/' },
          Tags: [{ Key: 'team', Value: 'data' }],
        }),
      );
      await first.firehose.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: 'kept',
          CurrentDeliveryStreamVersionId: '1',
          DestinationId: 'destinationId-000000000001',
          ExtendedS3DestinationUpdate: { CompressionFormat: 'GZIP' },
        }),
      );
      await first.firehose.send(
        new StartDeliveryStreamEncryptionCommand({
          DeliveryStreamName: 'kept',
          DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
        }),
      );
      await first.firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'sourced',
          DeliveryStreamType: 'KinesisStreamAsSource',
          KinesisStreamSourceConfiguration: {
            KinesisStreamARN: await kinesisSourceStream(first.server.endpoint),
            RoleARN: ROLE,
          },
          ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET },
        }),
      );
      await first.firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'dropped',
          ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET },
        }),
      );
      await first.firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'dropped' }));
      described = [
        await describeStream(first.firehose, 'kept'),
        await describeStream(first.firehose, 'sourced'),
      ];
    } finally {
      first.firehose.destroy();
      await first.server.stop();
    }

    const second = await start();
    try {
      assert.deepEqual(await describeStream(second.firehose, 'kept'), described[0]);
      assert.deepEqual(await describeStream(second.firehose, 'sourced'), described[1]);
      const kept = described[0]!.DeliveryStreamDescription!;
      assert.equal(kept.VersionId, '2');
      assert.equal(kept.Destinations![0]!.ExtendedS3DestinationDescription!.CompressionFormat, 'GZIP');
      assert.equal(kept.DeliveryStreamEncryptionConfiguration!.Status, 'ENABLED');
      const tags = await second.firehose.send(
        new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'kept' }),
      );
      assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'data' }]);
      const list = await second.firehose.send(new ListDeliveryStreamsCommand({}));
      assert.deepEqual(list.DeliveryStreamNames, ['kept', 'sourced']);
    } finally {
      second.firehose.destroy();
      await second.server.stop();
    }
  });
});

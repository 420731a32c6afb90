// Firehose delivery streams through the SDK: create, describe (with AWS's defaults), list, update,
// delete. Sources:
// - Firehose API Reference: CreateDeliveryStream, DescribeDeliveryStream (DeliveryStreamDescription,
//   ExtendedS3DestinationDescription, S3DestinationDescription), ListDeliveryStreams (Limit default 10,
//   ExclusiveStartDeliveryStreamName, HasMoreDeliveryStreams), UpdateDestination
//   (CurrentDeliveryStreamVersionId, merge within a destination type), BufferingHints (SizeInMBs 1–128,
//   default 5; IntervalInSeconds 0–900, default 300).
// - An AWS-recorded description (LocalStack tests/aws/services/cloudformation/resources/
//   test_firehose.snapshot.json): defaults CompressionFormat UNCOMPRESSED, EncryptionConfiguration
//   NoEncryption, CloudWatchLoggingOptions Enabled false, S3BackupMode Disabled, dynamic partitioning
//   RetryOptions 300 s, both Extended S3 and S3 descriptions, DestinationId destinationId-000000000001.
// - Texts: "Firehose <name> under account <account> not found.", "Firehose <name> under accountId
//   <account> already exists", "Ths supplied prefix(es) do not satisfy the following constraint:
//   ErrorOutputPrefix cannot be null or empty when Prefix contains expressions" (AWS's, as quoted in
//   terraform-provider-aws#13416 and serverless#6015).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  type CreateDeliveryStreamCommandInput,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  type ExtendedS3DestinationConfiguration,
  ListDeliveryStreamsCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { uniqueName } from '../support/tideway.js';
import {
  BUCKET,
  firehoseClient,
  firehoseRejects,
  kinesisSourceStream,
  ROLE,
  withFirehoseServer,
} from './api-helpers.js';

const suite = withFirehoseServer();
const DESTINATION = 'destinationId-000000000001';

function s3Stream(
  name: string,
  extra: Partial<ExtendedS3DestinationConfiguration> = {},
): CreateDeliveryStreamCommandInput {
  return {
    DeliveryStreamName: name,
    ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET, ...extra },
  };
}

async function describeStream(name: string) {
  const out = await suite.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
  return out.DeliveryStreamDescription!;
}

describe('CreateDeliveryStream and DescribeDeliveryStream', () => {
  it('creates an ACTIVE DirectPut stream described with AWS defaults', async () => {
    const name = uniqueName('fh');
    const before = Date.now();
    const created = await suite.firehose.send(new CreateDeliveryStreamCommand(s3Stream(name)));
    assert.equal(created.DeliveryStreamARN, `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`);
    const d = await describeStream(name);
    assert.equal(d.DeliveryStreamName, name);
    assert.equal(d.DeliveryStreamARN, created.DeliveryStreamARN);
    assert.equal(d.DeliveryStreamStatus, 'ACTIVE');
    assert.equal(d.DeliveryStreamType, 'DirectPut');
    assert.equal(d.VersionId, '1');
    assert.equal(d.HasMoreDestinations, false);
    assert.deepEqual(d.DeliveryStreamEncryptionConfiguration, { Status: 'DISABLED' });
    assert.ok(d.CreateTimestamp instanceof Date && d.CreateTimestamp.getTime() >= before - 1000);
    assert.equal(d.LastUpdateTimestamp, undefined);
    assert.equal(d.Source, undefined);
    const common = {
      RoleARN: ROLE,
      BucketARN: BUCKET,
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      CompressionFormat: 'UNCOMPRESSED',
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      CloudWatchLoggingOptions: { Enabled: false },
    };
    assert.deepEqual(d.Destinations, [
      {
        DestinationId: DESTINATION,
        ExtendedS3DestinationDescription: { ...common, S3BackupMode: 'Disabled' },
        S3DestinationDescription: common,
      },
    ]);
  });

  it('describes what was given beside the defaults, with dynamic partitioning retry filled in', async () => {
    const name = uniqueName('fh');
    const processing = {
      Enabled: true,
      Processors: [
        {
          Type: 'MetadataExtraction' as const,
          Parameters: [
            { ParameterName: 'MetadataExtractionQuery' as const, ParameterValue: '{s3Prefix: .tableName}' },
            { ParameterName: 'JsonParsingEngine' as const, ParameterValue: 'JQ-1.6' },
          ],
        },
      ],
    };
    await suite.firehose.send(
      new CreateDeliveryStreamCommand(
        s3Stream(name, {
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 64 },
          ProcessingConfiguration: processing,
          DynamicPartitioningConfiguration: { Enabled: true },
          DataFormatConversionConfiguration: { Enabled: false },
          Prefix: 'firehoseTest/!{partitionKeyFromQuery:s3Prefix}',
          ErrorOutputPrefix: 'firehoseTest-errors/!{firehose:error-output-type}/',
          CompressionFormat: 'GZIP',
          FileExtension: '.json.gz',
        }),
      ),
    );
    const [dest] = (await describeStream(name)).Destinations!;
    const e = dest!.ExtendedS3DestinationDescription!;
    assert.deepEqual(e.BufferingHints, { IntervalInSeconds: 60, SizeInMBs: 64 });
    assert.deepEqual(e.DynamicPartitioningConfiguration, {
      Enabled: true,
      RetryOptions: { DurationInSeconds: 300 },
    });
    assert.deepEqual(e.DataFormatConversionConfiguration, { Enabled: false });
    assert.deepEqual(e.ProcessingConfiguration, processing);
    assert.equal(e.Prefix, 'firehoseTest/!{partitionKeyFromQuery:s3Prefix}');
    assert.equal(e.ErrorOutputPrefix, 'firehoseTest-errors/!{firehose:error-output-type}/');
    assert.equal(e.CompressionFormat, 'GZIP');
    assert.equal(e.FileExtension, '.json.gz');
    assert.equal(dest!.S3DestinationDescription!.Prefix, e.Prefix);
    assert.equal(dest!.S3DestinationDescription!.CompressionFormat, 'GZIP');
  });

  it('describes a stream made with the deprecated S3DestinationConfiguration as both S3 and Extended S3', async () => {
    const name = uniqueName('fh');
    await suite.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        S3DestinationConfiguration: {
          RoleARN: ROLE,
          BucketARN: BUCKET,
          Prefix: 'plain/',
          CompressionFormat: 'Snappy',
        },
      }),
    );
    const [dest] = (await describeStream(name)).Destinations!;
    assert.equal(dest!.S3DestinationDescription!.Prefix, 'plain/');
    assert.equal(dest!.S3DestinationDescription!.CompressionFormat, 'Snappy');
    assert.equal(dest!.ExtendedS3DestinationDescription!.Prefix, 'plain/');
    assert.equal(dest!.ExtendedS3DestinationDescription!.S3BackupMode, 'Disabled');
  });

  it('describes an HTTP endpoint destination without its access key', async () => {
    const name = uniqueName('fh');
    await suite.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: { Url: 'https://example.com/ingest', Name: 'sink', AccessKey: 'secret-key' },
          S3Configuration: { RoleARN: ROLE, BucketARN: BUCKET },
        },
      }),
    );
    const [dest] = (await describeStream(name)).Destinations!;
    const h = dest!.HttpEndpointDestinationDescription!;
    assert.deepEqual(h.EndpointConfiguration, { Url: 'https://example.com/ingest', Name: 'sink' });
    assert.deepEqual(h.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 300 });
    assert.deepEqual(h.RetryOptions, { DurationInSeconds: 300 });
    assert.deepEqual(h.RequestConfiguration, { ContentEncoding: 'NONE' });
    assert.equal(h.S3BackupMode, 'FailedDataOnly');
    assert.equal(h.S3DestinationDescription!.BucketARN, BUCKET);
    assert.equal(dest!.ExtendedS3DestinationDescription, undefined);
    assert.ok(!JSON.stringify(h).includes('secret-key'));
  });

  it('describes a KinesisStreamAsSource stream with its source', async () => {
    const name = uniqueName('fh');
    const streamArn = await kinesisSourceStream(suite.server.endpoint);
    await suite.firehose.send(
      new CreateDeliveryStreamCommand({
        ...s3Stream(name),
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn, RoleARN: ROLE },
      }),
    );
    const d = await describeStream(name);
    assert.equal(d.DeliveryStreamType, 'KinesisStreamAsSource');
    const source = d.Source!.KinesisStreamSourceDescription!;
    assert.equal(source.KinesisStreamARN, streamArn);
    assert.equal(source.RoleARN, ROLE);
    assert.ok(source.DeliveryStartTimestamp instanceof Date);
  });

  it('describes a DirectPut throughput hint as its source', async () => {
    const name = uniqueName('fh');
    await suite.firehose.send(
      new CreateDeliveryStreamCommand({
        ...s3Stream(name),
        DirectPutSourceConfiguration: { ThroughputHintInMBs: 5 },
      }),
    );
    assert.deepEqual((await describeStream(name)).Source, {
      DirectPutSourceDescription: { ThroughputHintInMBs: 5 },
    });
  });

  it('refuses a Kinesis source that does not exist', async () => {
    const name = uniqueName('fh');
    const missing = 'arn:aws:kinesis:us-east-1:000000000000:stream/no-such-source';
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand({
          ...s3Stream(name),
          DeliveryStreamType: 'KinesisStreamAsSource',
          KinesisStreamSourceConfiguration: { KinesisStreamARN: missing, RoleARN: ROLE },
        }),
      ),
      'InvalidArgumentException',
      `The source Kinesis stream ${missing} cannot be read: Stream no-such-source under account 000000000000 not found.`,
    );
    await firehoseRejects(
      suite.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })),
      'ResourceNotFoundException',
    );
  });

  it('refuses a name in use, in the account, with AWS text', async () => {
    const name = uniqueName('fh');
    await suite.firehose.send(new CreateDeliveryStreamCommand(s3Stream(name)));
    await firehoseRejects(
      suite.firehose.send(new CreateDeliveryStreamCommand(s3Stream(name))),
      'ResourceInUseException',
      `Firehose ${name} under accountId 000000000000 already exists`,
    );
    // Another account has a namespace of its own.
    const other = firehoseClient(suite.server.endpoint, '111122223333');
    try {
      const out = await other.send(new CreateDeliveryStreamCommand(s3Stream(name)));
      assert.equal(out.DeliveryStreamARN, `arn:aws:firehose:us-east-1:111122223333:deliverystream/${name}`);
    } finally {
      other.destroy();
    }
  });

  it('checks the input against the model before anything else', async () => {
    await firehoseRejects(
      suite.firehose.send(new CreateDeliveryStreamCommand(s3Stream('bad name'))),
      'ValidationException',
      /Value 'bad name' at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+/,
    );
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand(s3Stream(uniqueName('fh'), { BufferingHints: { SizeInMBs: 129 } })),
      ),
      'ValidationException',
      /at 'extendedS3DestinationConfiguration\.bufferingHints\.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 128/,
    );
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand(
          s3Stream(uniqueName('fh'), { BufferingHints: { IntervalInSeconds: 901 } }),
        ),
      ),
      'ValidationException',
      /bufferingHints\.intervalInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900/,
    );
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: uniqueName('fh'),
          ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::' },
        }),
      ),
      'ValidationException',
      /bucketARN/,
    );
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand(s3Stream(uniqueName('fh'), { CompressionFormat: 'LZ4' as 'GZIP' })),
      ),
      'ValidationException',
      /Member must satisfy enum value set: \[UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY\]/,
    );
  });

  it('needs an ErrorOutputPrefix when the Prefix has expressions', async () => {
    const name = uniqueName('fh');
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand(s3Stream(name, { Prefix: "logs/!{timestamp:yyyy'-'MM}/" })),
      ),
      'InvalidArgumentException',
      'Ths supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot be null or empty when Prefix contains expressions',
    );
    await suite.firehose.send(
      new CreateDeliveryStreamCommand(
        s3Stream(name, {
          Prefix: "logs/!{timestamp:yyyy'-'MM}/",
          ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy}/',
        }),
      ),
    );
    // A prefix without expressions needs none.
    await suite.firehose.send(
      new CreateDeliveryStreamCommand(s3Stream(uniqueName('fh'), { Prefix: 'plain/' })),
    );
  });

  it('refuses malformed prefix expressions', async () => {
    const refuse = (extra: Partial<ExtendedS3DestinationConfiguration>, pattern: RegExp) =>
      firehoseRejects(
        suite.firehose.send(
          new CreateDeliveryStreamCommand(s3Stream(uniqueName('fh'), { ErrorOutputPrefix: 'e/', ...extra })),
        ),
        'InvalidArgumentException',
        pattern,
      );
    await refuse(
      { Prefix: 'a/!{timestamp:yyyy/' },
      /^Ths supplied prefix\(es\) do not satisfy the following constraint: .*not closed/,
    );
    await refuse({ Prefix: 'a/!{nothing:x}/' }, /Unknown namespace 'nothing'/);
    await refuse(
      { Prefix: 'a/!{firehose:error-output-type}/' },
      /error-output-type expression is not allowed in Prefix/,
    );
    await refuse({ Prefix: 'a/!{partitionKeyFromQuery:k}/' }, /require dynamic partitioning/);
    await refuse(
      { Prefix: 'a/!{timestamp:yyyy}/', ErrorOutputPrefix: 'e/!{partitionKeyFromQuery:k}/' },
      /not allowed in ErrorOutputPrefix/,
    );
  });

  it('wants 64 MiB buffers with dynamic partitioning, in AWS words', async () => {
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand(
          s3Stream(uniqueName('fh'), {
            DynamicPartitioningConfiguration: { Enabled: true },
            Prefix: '!{partitionKeyFromQuery:k}/',
            ErrorOutputPrefix: 'e/',
          }),
        ),
      ),
      'InvalidArgumentException',
      'BufferingHints.SizeInMBs must be at least 64 when Dynamic Partitioning is enabled.',
    );
  });

  it('answers not-supported for destinations and sources Tideway does not run', async () => {
    const name = uniqueName('fh');
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          SplunkDestinationConfiguration: {
            HECEndpoint: 'https://splunk.example.com',
            HECEndpointType: 'Raw',
            S3Configuration: { RoleARN: ROLE, BucketARN: BUCKET },
          },
        }),
      ),
      'InvalidArgumentException',
      /Tideway does not support the Splunk destination/,
    );
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand(
          s3Stream(name, { DataFormatConversionConfiguration: { Enabled: true } }),
        ),
      ),
      'InvalidArgumentException',
      /Tideway does not support data format conversion/,
    );
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand({ ...s3Stream(name), DeliveryStreamType: 'DatabaseAsSource' }),
      ),
      'InvalidArgumentException',
      /Tideway does not support the DatabaseAsSource source/,
    );
    await firehoseRejects(
      suite.firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name })),
      'InvalidArgumentException',
      /Exactly one destination configuration/,
    );
    await firehoseRejects(
      suite.firehose.send(
        new CreateDeliveryStreamCommand({ ...s3Stream(name), DeliveryStreamType: 'KinesisStreamAsSource' }),
      ),
      'InvalidArgumentException',
      /KinesisStreamSourceConfiguration is required/,
    );
    // None of the refused ones exists.
    await firehoseRejects(
      suite.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })),
      'ResourceNotFoundException',
    );
  });

  it('answers AWS text for a stream that does not exist', async () => {
    await firehoseRejects(
      suite.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'never-made' })),
      'ResourceNotFoundException',
      'Firehose never-made under account 000000000000 not found.',
    );
  });
});

describe('ListDeliveryStreams', () => {
  it('pages by name with a type filter', async () => {
    const client = firehoseClient(suite.server.endpoint, '222233334444');
    try {
      const names = ['c-stream', 'a-stream', 'b-stream'];
      for (const n of names) await client.send(new CreateDeliveryStreamCommand(s3Stream(n)));
      await client.send(
        new CreateDeliveryStreamCommand({
          ...s3Stream('k-stream'),
          DeliveryStreamType: 'KinesisStreamAsSource',
          KinesisStreamSourceConfiguration: {
            KinesisStreamARN: await kinesisSourceStream(suite.server.endpoint, '222233334444'),
            RoleARN: 'arn:aws:iam::222233334444:role/r',
          },
        }),
      );
      const all = await client.send(new ListDeliveryStreamsCommand({}));
      assert.deepEqual(all.DeliveryStreamNames, ['a-stream', 'b-stream', 'c-stream', 'k-stream']);
      assert.equal(all.HasMoreDeliveryStreams, false);
      const first = await client.send(new ListDeliveryStreamsCommand({ Limit: 2 }));
      assert.deepEqual(first.DeliveryStreamNames, ['a-stream', 'b-stream']);
      assert.equal(first.HasMoreDeliveryStreams, true);
      const next = await client.send(
        new ListDeliveryStreamsCommand({ Limit: 2, ExclusiveStartDeliveryStreamName: 'b-stream' }),
      );
      assert.deepEqual(next.DeliveryStreamNames, ['c-stream', 'k-stream']);
      assert.equal(next.HasMoreDeliveryStreams, false);
      const direct = await client.send(new ListDeliveryStreamsCommand({ DeliveryStreamType: 'DirectPut' }));
      assert.deepEqual(direct.DeliveryStreamNames, ['a-stream', 'b-stream', 'c-stream']);
      const kinesis = await client.send(
        new ListDeliveryStreamsCommand({ DeliveryStreamType: 'KinesisStreamAsSource' }),
      );
      assert.deepEqual(kinesis.DeliveryStreamNames, ['k-stream']);
    } finally {
      client.destroy();
    }
  });

  it('lists ten by default', async () => {
    const client = firehoseClient(suite.server.endpoint, '333344445555');
    try {
      for (let i = 0; i < 12; i++) {
        await client.send(new CreateDeliveryStreamCommand(s3Stream(`s-${String(i).padStart(2, '0')}`)));
      }
      const out = await client.send(new ListDeliveryStreamsCommand({}));
      assert.equal(out.DeliveryStreamNames!.length, 10);
      assert.equal(out.HasMoreDeliveryStreams, true);
    } finally {
      client.destroy();
    }
  });
});

describe('UpdateDestination', () => {
  it('merges the given parameters and grows the version id', async () => {
    const name = uniqueName('fh');
    await suite.firehose.send(
      new CreateDeliveryStreamCommand(
        s3Stream(name, { BufferingHints: { SizeInMBs: 10, IntervalInSeconds: 120 }, Prefix: 'p/' }),
      ),
    );
    await suite.firehose.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: name,
        CurrentDeliveryStreamVersionId: '1',
        DestinationId: DESTINATION,
        ExtendedS3DestinationUpdate: { CompressionFormat: 'GZIP', BufferingHints: { IntervalInSeconds: 60 } },
      }),
    );
    const d = await describeStream(name);
    assert.equal(d.VersionId, '2');
    assert.ok(d.LastUpdateTimestamp instanceof Date);
    const e = d.Destinations![0]!.ExtendedS3DestinationDescription!;
    assert.equal(e.CompressionFormat, 'GZIP');
    assert.deepEqual(e.BufferingHints, { SizeInMBs: 10, IntervalInSeconds: 60 });
    assert.equal(e.Prefix, 'p/');
    assert.equal(e.RoleARN, ROLE);
  });

  it('refuses a stale version id with ConcurrentModificationException', async () => {
    const name = uniqueName('fh');
    await suite.firehose.send(new CreateDeliveryStreamCommand(s3Stream(name)));
    const update = (version: string) =>
      suite.firehose.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: name,
          CurrentDeliveryStreamVersionId: version,
          DestinationId: DESTINATION,
          S3DestinationUpdate: { Prefix: `v${version}/` },
        }),
      );
    await update('1');
    await firehoseRejects(
      update('1'),
      'ConcurrentModificationException',
      /current version id: 2 and specified version id: 1/,
    );
    await update('2');
    const d = await describeStream(name);
    assert.equal(d.VersionId, '3');
    assert.equal(d.Destinations![0]!.ExtendedS3DestinationDescription!.Prefix, 'v2/');
  });

  it('changes the destination type when given the whole new configuration', async () => {
    const name = uniqueName('fh');
    await suite.firehose.send(new CreateDeliveryStreamCommand(s3Stream(name)));
    await suite.firehose.send(
      new UpdateDestinationCommand({
        DeliveryStreamName: name,
        CurrentDeliveryStreamVersionId: '1',
        DestinationId: DESTINATION,
        HttpEndpointDestinationUpdate: {
          EndpointConfiguration: { Url: 'https://hooks.example.com/ingest' },
          S3Update: { RoleARN: ROLE, BucketARN: BUCKET },
        },
      }),
    );
    const [dest] = (await describeStream(name)).Destinations!;
    assert.equal(dest!.ExtendedS3DestinationDescription, undefined);
    assert.equal(
      dest!.HttpEndpointDestinationDescription!.EndpointConfiguration!.Url,
      'https://hooks.example.com/ingest',
    );
    // And back, where RoleARN and BucketARN are needed.
    await firehoseRejects(
      suite.firehose.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: name,
          CurrentDeliveryStreamVersionId: '2',
          DestinationId: DESTINATION,
          ExtendedS3DestinationUpdate: { CompressionFormat: 'GZIP' },
        }),
      ),
      'InvalidArgumentException',
      /RoleARN is required/,
    );
  });

  it('applies the creation rules to the merged destination', async () => {
    const name = uniqueName('fh');
    await suite.firehose.send(new CreateDeliveryStreamCommand(s3Stream(name)));
    await firehoseRejects(
      suite.firehose.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: name,
          CurrentDeliveryStreamVersionId: '1',
          DestinationId: DESTINATION,
          ExtendedS3DestinationUpdate: { Prefix: '!{timestamp:yyyy}/' },
        }),
      ),
      'InvalidArgumentException',
      /ErrorOutputPrefix cannot be null or empty when Prefix contains expressions/,
    );
    assert.equal((await describeStream(name)).VersionId, '1');
    await firehoseRejects(
      suite.firehose.send(
        new UpdateDestinationCommand({
          DeliveryStreamName: name,
          CurrentDeliveryStreamVersionId: '1',
          DestinationId: 'destinationId-000000000002',
          ExtendedS3DestinationUpdate: { Prefix: 'x/' },
        }),
      ),
      'InvalidArgumentException',
      /Destination destinationId-000000000002 does not exist/,
    );
  });
});

describe('DeleteDeliveryStream', () => {
  it('deletes the stream and its name can be used again', async () => {
    const name = uniqueName('fh');
    await suite.firehose.send(new CreateDeliveryStreamCommand(s3Stream(name)));
    await suite.firehose.send(
      new DeleteDeliveryStreamCommand({ DeliveryStreamName: name, AllowForceDelete: true }),
    );
    await firehoseRejects(
      suite.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })),
      'ResourceNotFoundException',
    );
    await firehoseRejects(
      suite.firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name })),
      'ResourceNotFoundException',
      `Firehose ${name} under account 000000000000 not found.`,
    );
    await suite.firehose.send(new CreateDeliveryStreamCommand(s3Stream(name)));
    assert.equal((await describeStream(name)).VersionId, '1');
  });
});

// Destination configuration: defaults, prefix rules and UpdateDestination merges, without a server.
// Sources: Firehose developer guide, "Custom prefixes for Amazon S3 objects" (namespaces timestamp,
// firehose (error-output-type, random-string), partitionKeyFromQuery, partitionKeyFromLambda; an
// ErrorOutputPrefix is needed when Prefix has expressions); API Reference, UpdateDestination (merge
// within a type, whole configuration on a change of type).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as F from '@aws-sdk/client-firehose';
import {
  applyDestinationUpdate,
  DESTINATION_ID,
  describeDestination,
  destinationFromCreate,
} from '../../../src/services/firehose/destination-config.js';
import { parsePrefix, prefixRuleViolation } from '../../../src/services/firehose/prefix-rules.js';

const ROLE = 'arn:aws:iam::000000000000:role/r';
const BUCKET = 'arn:aws:s3:::b';

function s3(extra: Partial<F.ExtendedS3DestinationConfiguration> = {}) {
  return destinationFromCreate({
    DeliveryStreamName: 'x',
    ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET, ...extra },
  });
}

function thrown(fn: () => unknown): { name: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

describe('prefix rules', () => {
  it('parses expressions in order', () => {
    assert.deepEqual(parsePrefix("a/!{timestamp:yyyy}/!{firehose:random-string}/b'"), {
      expressions: [
        { namespace: 'timestamp', value: 'yyyy' },
        { namespace: 'firehose', value: 'random-string' },
      ],
    });
    assert.deepEqual(parsePrefix('plain/'), { expressions: [] });
  });

  it('refuses unclosed, nested and namespace-less expressions', () => {
    assert.match((parsePrefix('a/!{timestamp:yyyy') as { error: string }).error, /not closed/);
    assert.match((parsePrefix('!{timestamp:!{x:y}}') as { error: string }).error, /nested/);
    assert.match((parsePrefix('!{yyyy}') as { error: string }).error, /namespace:value/);
  });

  it('accepts what the AWS guide shows', () => {
    assert.equal(
      prefixRuleViolation(
        'myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
        'myErrorPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/!{firehose:error-output-type}',
        false,
      ),
      undefined,
    );
    assert.equal(prefixRuleViolation("!{timestamp:yyyy'-'MM'-'dd}/", 'e/', false), undefined);
    assert.equal(
      prefixRuleViolation(
        'data/!{partitionKeyFromQuery:customer_id}/!{partitionKeyFromLambda:k}/',
        'errors/',
        true,
      ),
      undefined,
    );
    assert.equal(prefixRuleViolation(undefined, undefined, false), undefined);
  });

  it('keeps each namespace in its place', () => {
    assert.match(
      prefixRuleViolation('!{firehose:error-output-type}/', 'e/', false)!,
      /not allowed in Prefix/,
    );
    assert.match(prefixRuleViolation('!{firehose:other}/', 'e/', false)!, /Unknown value 'other'/);
    assert.match(
      prefixRuleViolation('p/', '!{partitionKeyFromLambda:k}/', false)!,
      /not allowed in ErrorOutputPrefix/,
    );
    assert.match(prefixRuleViolation('!{timestamp:yyyy-qq-jj}/', 'e/', false)!, /unknown pattern letter 'j'/);
    assert.match(prefixRuleViolation("!{timestamp:yyyy'x}/", 'e/', false)!, /unterminated quote/);
    assert.match(prefixRuleViolation('!{partitionKeyFromQuery:}/', 'e/', true)!, /requires a key name/);
    assert.match(prefixRuleViolation('plain/', 'e/', true)!, /at least one partitionKeyFromQuery/);
    assert.equal(
      prefixRuleViolation('!{timestamp:yyyy}/', '', false),
      'ErrorOutputPrefix cannot be null or empty when Prefix contains expressions',
    );
  });
});

describe('destination defaults', () => {
  it('fills an Extended S3 destination as DescribeDeliveryStream shows it', () => {
    const d = s3();
    assert.equal(d.id, DESTINATION_ID);
    assert.deepEqual(d.extendedS3, {
      RoleARN: ROLE,
      BucketARN: BUCKET,
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      CompressionFormat: 'UNCOMPRESSED',
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      CloudWatchLoggingOptions: { Enabled: false },
      S3BackupMode: 'Disabled',
    });
  });

  it('fills one buffering hint when the other is given', () => {
    assert.deepEqual(s3({ BufferingHints: { SizeInMBs: 1 } }).extendedS3!.BufferingHints, {
      SizeInMBs: 1,
      IntervalInSeconds: 300,
    });
    assert.deepEqual(s3({ BufferingHints: { IntervalInSeconds: 0 } }).extendedS3!.BufferingHints, {
      SizeInMBs: 5,
      IntervalInSeconds: 0,
    });
  });

  it('describes the backup destination with its own defaults', () => {
    const d = s3({
      S3BackupMode: 'Enabled',
      S3BackupConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::backup' },
    });
    assert.deepEqual(d.extendedS3!.S3BackupDescription, {
      RoleARN: ROLE,
      BucketARN: 'arn:aws:s3:::backup',
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      CompressionFormat: 'UNCOMPRESSED',
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      CloudWatchLoggingOptions: { Enabled: false },
    });
    assert.match(thrown(() => s3({ S3BackupMode: 'Enabled' })).message, /S3BackupConfiguration is required/);
  });

  it('keeps the HTTP endpoint access key out of the description', () => {
    const d = destinationFromCreate({
      DeliveryStreamName: 'x',
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: 'https://h.example.com', AccessKey: 'k' },
        S3Configuration: { RoleARN: ROLE, BucketARN: BUCKET },
      },
    });
    assert.equal(d.httpEndpointAccessKey, 'k');
    const described = describeDestination(d);
    assert.deepEqual(described.HttpEndpointDestinationDescription!.EndpointConfiguration, {
      Url: 'https://h.example.com',
    });
  });

  it('refuses two destinations at once', () => {
    const err = thrown(() =>
      destinationFromCreate({
        DeliveryStreamName: 'x',
        ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET },
        S3DestinationConfiguration: { RoleARN: ROLE, BucketARN: BUCKET },
      }),
    );
    assert.equal(err.name, 'InvalidArgumentException');
    assert.match(err.message, /Exactly one destination configuration/);
  });

  it('refuses parameters a processor does not take, and MetadataExtraction without partitioning', () => {
    const processing = (type: F.ProcessorType, name: F.ProcessorParameterName) => ({
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [{ Type: type, Parameters: [{ ParameterName: name, ParameterValue: 'x' }] }],
      },
    });
    assert.match(
      thrown(() => s3(processing('AppendDelimiterToRecord', 'LambdaArn'))).message,
      /Parameter LambdaArn is not supported for processor type AppendDelimiterToRecord/,
    );
    assert.match(
      thrown(() => s3(processing('MetadataExtraction', 'MetadataExtractionQuery'))).message,
      /requires dynamic partitioning/,
    );
    assert.equal(
      s3(processing('AppendDelimiterToRecord', 'Delimiter')).extendedS3!.ProcessingConfiguration!.Enabled,
      true,
    );
  });
});

describe('UpdateDestination merges', () => {
  const update = (before: ReturnType<typeof s3>, input: Partial<F.UpdateDestinationInput>) =>
    applyDestinationUpdate(before, {
      DeliveryStreamName: 'x',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: DESTINATION_ID,
      ...input,
    });

  it('keeps what is not given', () => {
    const before = s3({
      Prefix: 'p/',
      CompressionFormat: 'ZIP',
      BufferingHints: { SizeInMBs: 9, IntervalInSeconds: 99 },
    });
    const after = update(before, { ExtendedS3DestinationUpdate: { BufferingHints: { SizeInMBs: 20 } } });
    assert.equal(after.extendedS3!.Prefix, 'p/');
    assert.equal(after.extendedS3!.CompressionFormat, 'ZIP');
    assert.deepEqual(after.extendedS3!.BufferingHints, { SizeInMBs: 20, IntervalInSeconds: 99 });
  });

  it('adds a backup destination only when given whole', () => {
    assert.match(
      thrown(() =>
        update(s3(), { ExtendedS3DestinationUpdate: { S3BackupMode: 'Enabled', S3BackupUpdate: {} } }),
      ).message,
      /RoleARN is required to add an S3 backup/,
    );
    const after = update(s3(), {
      ExtendedS3DestinationUpdate: {
        S3BackupMode: 'Enabled',
        S3BackupUpdate: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::backup', Prefix: 'raw/' },
      },
    });
    assert.equal(after.extendedS3!.S3BackupMode, 'Enabled');
    assert.equal(after.extendedS3!.S3BackupDescription!.Prefix, 'raw/');
    assert.equal(after.extendedS3!.S3BackupDescription!.CompressionFormat, 'UNCOMPRESSED');
  });

  it('does not turn dynamic partitioning on for an existing stream', () => {
    assert.match(
      thrown(() =>
        update(s3(), {
          ExtendedS3DestinationUpdate: {
            DynamicPartitioningConfiguration: { Enabled: true },
            BufferingHints: { SizeInMBs: 64 },
            Prefix: '!{partitionKeyFromQuery:k}/',
            ErrorOutputPrefix: 'e/',
          },
        }),
      ).message,
      /only be enabled when the delivery stream is created/,
    );
  });

  it('answers not-supported for a destination Tideway does not run', () => {
    const err = thrown(() =>
      update(s3(), { SplunkDestinationUpdate: { HECEndpoint: 'https://s.example.com' } }),
    );
    assert.equal(err.name, 'InvalidArgumentException');
    assert.match(err.message, /Tideway does not support the Splunk destination/);
  });

  it('merges an HTTP endpoint update and keeps the access key unless the endpoint changes', () => {
    const before = destinationFromCreate({
      DeliveryStreamName: 'x',
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: 'https://h.example.com', AccessKey: 'k' },
        S3Configuration: { RoleARN: ROLE, BucketARN: BUCKET },
      },
    });
    const retried = update(before, {
      HttpEndpointDestinationUpdate: { RetryOptions: { DurationInSeconds: 60 } },
    });
    assert.deepEqual(retried.httpEndpoint!.RetryOptions, { DurationInSeconds: 60 });
    assert.equal(retried.httpEndpointAccessKey, 'k');
    const moved = update(retried, {
      HttpEndpointDestinationUpdate: {
        EndpointConfiguration: { Url: 'https://other.example.com', AccessKey: 'k2' },
      },
    });
    assert.equal(moved.httpEndpoint!.EndpointConfiguration!.Url, 'https://other.example.com');
    assert.equal(moved.httpEndpointAccessKey, 'k2');
    assert.deepEqual(moved.httpEndpoint!.RetryOptions, { DurationInSeconds: 60 });
  });
});

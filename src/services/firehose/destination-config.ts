import type * as F from '@aws-sdk/client-firehose';
import { firehoseError } from './errors.js';
import type { DestinationRecord } from './model.js';
import { prefixConstraintMessage, prefixRuleViolation } from './prefix-rules.js';

/** The one destination of a stream: AWS numbers it, and it never changes. */
export const DESTINATION_ID = 'destinationId-000000000001';

// Defaults as DescribeDeliveryStream shows them for a destination created without them (the
// ExtendedS3DestinationConfiguration reference and an AWS-recorded description).
const DEFAULT_SIZE_MB = 5;
const DEFAULT_INTERVAL_S = 300;
const DEFAULT_RETRY_S = 300;
/** With dynamic partitioning, AWS wants bigger buffers (ExtendedS3 BufferingHints docs). */
const DYNAMIC_PARTITIONING_MIN_SIZE_MB = 64;

/** The destinations Firehose has that need services Tideway does not run. */
const UNSUPPORTED_DESTINATIONS: ReadonlyArray<[keyof F.CreateDeliveryStreamInput, string]> = [
  ['RedshiftDestinationConfiguration', 'the Amazon Redshift destination'],
  ['ElasticsearchDestinationConfiguration', 'the Amazon Elasticsearch Service destination'],
  ['AmazonopensearchserviceDestinationConfiguration', 'the Amazon OpenSearch Service destination'],
  ['AmazonOpenSearchServerlessDestinationConfiguration', 'the Amazon OpenSearch Serverless destination'],
  ['SplunkDestinationConfiguration', 'the Splunk destination'],
  ['SnowflakeDestinationConfiguration', 'the Snowflake destination'],
  ['IcebergDestinationConfiguration', 'the Apache Iceberg Tables destination'],
];

const UNSUPPORTED_UPDATES: ReadonlyArray<[keyof F.UpdateDestinationInput, string]> = [
  ['RedshiftDestinationUpdate', 'the Amazon Redshift destination'],
  ['ElasticsearchDestinationUpdate', 'the Amazon Elasticsearch Service destination'],
  ['AmazonopensearchserviceDestinationUpdate', 'the Amazon OpenSearch Service destination'],
  ['AmazonOpenSearchServerlessDestinationUpdate', 'the Amazon OpenSearch Serverless destination'],
  ['SplunkDestinationUpdate', 'the Splunk destination'],
  ['SnowflakeDestinationUpdate', 'the Snowflake destination'],
  ['IcebergDestinationUpdate', 'the Apache Iceberg Tables destination'],
];

const SUPPORTED_CREATE = [
  'ExtendedS3DestinationConfiguration',
  'S3DestinationConfiguration',
  'HttpEndpointDestinationConfiguration',
] as const;

/** The destination a CreateDeliveryStream names, checked and described with its defaults. */
export function destinationFromCreate(input: F.CreateDeliveryStreamInput): DestinationRecord {
  const named = [...SUPPORTED_CREATE, ...UNSUPPORTED_DESTINATIONS.map(([key]) => key)].filter(
    (key) => input[key] !== undefined,
  );
  if (named.length === 0) {
    throw firehoseError.invalidArgument('Exactly one destination configuration must be specified.');
  }
  if (named.length > 1) {
    throw firehoseError.invalidArgument(
      `Exactly one destination configuration must be specified, got ${named.join(', ')}.`,
    );
  }
  const unsupported = UNSUPPORTED_DESTINATIONS.find(([key]) => key === named[0]);
  if (unsupported) throw firehoseError.notSupported(unsupported[1]);
  if (input.ExtendedS3DestinationConfiguration) {
    return { id: DESTINATION_ID, extendedS3: extendedS3(input.ExtendedS3DestinationConfiguration) };
  }
  if (input.S3DestinationConfiguration) {
    return { id: DESTINATION_ID, extendedS3: extendedS3(input.S3DestinationConfiguration) };
  }
  return httpEndpoint(input.HttpEndpointDestinationConfiguration!);
}

function bufferingHints(
  given: F.BufferingHints | F.HttpEndpointBufferingHints | undefined,
  before?: F.BufferingHints,
): F.BufferingHints {
  return {
    SizeInMBs: given?.SizeInMBs ?? before?.SizeInMBs ?? DEFAULT_SIZE_MB,
    IntervalInSeconds: given?.IntervalInSeconds ?? before?.IntervalInSeconds ?? DEFAULT_INTERVAL_S,
  };
}

function s3Description(
  config: F.S3DestinationConfiguration | F.ExtendedS3DestinationConfiguration,
): F.S3DestinationDescription {
  const out: F.S3DestinationDescription = {
    RoleARN: config.RoleARN,
    BucketARN: config.BucketARN,
    BufferingHints: bufferingHints(config.BufferingHints),
    CompressionFormat: config.CompressionFormat ?? 'UNCOMPRESSED',
    EncryptionConfiguration: config.EncryptionConfiguration ?? { NoEncryptionConfig: 'NoEncryption' },
    CloudWatchLoggingOptions: config.CloudWatchLoggingOptions ?? { Enabled: false },
  };
  if (config.Prefix !== undefined) out.Prefix = config.Prefix;
  if (config.ErrorOutputPrefix !== undefined) out.ErrorOutputPrefix = config.ErrorOutputPrefix;
  checkEncryption(out.EncryptionConfiguration!);
  return out;
}

function checkEncryption(encryption: F.EncryptionConfiguration): void {
  if (encryption.KMSEncryptionConfig && encryption.NoEncryptionConfig) {
    throw firehoseError.invalidArgument(
      'Only one of NoEncryptionConfig and KMSEncryptionConfig can be specified in EncryptionConfiguration.',
    );
  }
}

function extendedS3(
  config: F.ExtendedS3DestinationConfiguration | F.S3DestinationConfiguration,
): F.ExtendedS3DestinationDescription {
  const extended = config as F.ExtendedS3DestinationConfiguration;
  const out: F.ExtendedS3DestinationDescription = {
    ...s3Description(config),
    S3BackupMode: extended.S3BackupMode ?? 'Disabled',
  };
  if (extended.ProcessingConfiguration) out.ProcessingConfiguration = extended.ProcessingConfiguration;
  if (extended.S3BackupConfiguration) out.S3BackupDescription = s3Description(extended.S3BackupConfiguration);
  if (extended.DataFormatConversionConfiguration) {
    out.DataFormatConversionConfiguration = extended.DataFormatConversionConfiguration;
  }
  if (extended.DynamicPartitioningConfiguration) {
    out.DynamicPartitioningConfiguration = dynamicPartitioning(extended.DynamicPartitioningConfiguration);
  }
  if (extended.FileExtension !== undefined) out.FileExtension = extended.FileExtension;
  if (extended.CustomTimeZone !== undefined) out.CustomTimeZone = extended.CustomTimeZone;
  checkExtendedS3(out);
  return out;
}

function dynamicPartitioning(config: F.DynamicPartitioningConfiguration): F.DynamicPartitioningConfiguration {
  const enabled = config.Enabled ?? false;
  return {
    Enabled: enabled,
    ...(enabled || config.RetryOptions
      ? { RetryOptions: { DurationInSeconds: config.RetryOptions?.DurationInSeconds ?? DEFAULT_RETRY_S } }
      : {}),
  };
}

/** The checks AWS makes on a whole Extended S3 destination, in the order it reports them. */
function checkExtendedS3(d: F.ExtendedS3DestinationDescription): void {
  const partitioned = d.DynamicPartitioningConfiguration?.Enabled === true;
  const conversion = d.DataFormatConversionConfiguration;
  if (conversion && conversion.Enabled !== false) {
    throw firehoseError.notSupported('data format conversion (DataFormatConversionConfiguration)');
  }
  if (partitioned && (d.BufferingHints?.SizeInMBs ?? DEFAULT_SIZE_MB) < DYNAMIC_PARTITIONING_MIN_SIZE_MB) {
    throw firehoseError.invalidArgument(
      `BufferingHints.SizeInMBs must be at least ${DYNAMIC_PARTITIONING_MIN_SIZE_MB} when Dynamic Partitioning is enabled.`,
    );
  }
  const violation = prefixRuleViolation(d.Prefix, d.ErrorOutputPrefix, partitioned);
  if (violation) throw firehoseError.invalidArgument(prefixConstraintMessage(violation));
  if (d.S3BackupMode === 'Enabled' && !d.S3BackupDescription) {
    throw firehoseError.invalidArgument('S3BackupConfiguration is required when S3BackupMode is Enabled.');
  }
  if (d.S3BackupDescription) {
    const backup = d.S3BackupDescription;
    const backupViolation = prefixRuleViolation(backup.Prefix, backup.ErrorOutputPrefix, false);
    if (backupViolation) throw firehoseError.invalidArgument(prefixConstraintMessage(backupViolation));
  }
  checkProcessors(d.ProcessingConfiguration, partitioned);
}

const PROCESSOR_PARAMETERS: Record<string, readonly string[]> = {
  AppendDelimiterToRecord: ['Delimiter'],
  RecordDeAggregation: ['SubRecordType', 'Delimiter'],
  Decompression: ['CompressionFormat'],
  CloudWatchLogProcessing: ['DataMessageExtraction'],
  MetadataExtraction: ['MetadataExtractionQuery', 'JsonParsingEngine'],
  Lambda: ['LambdaArn', 'NumberOfRetries', 'RoleArn', 'BufferSizeInMBs', 'BufferIntervalInSeconds'],
};

function checkProcessors(config: F.ProcessingConfiguration | undefined, partitioned: boolean): void {
  for (const processor of config?.Processors ?? []) {
    const type = processor.Type ?? '';
    const allowed = PROCESSOR_PARAMETERS[type] ?? [];
    for (const p of processor.Parameters ?? []) {
      if (!allowed.includes(p.ParameterName ?? '')) {
        throw firehoseError.invalidArgument(
          `Parameter ${p.ParameterName} is not supported for processor type ${type}.`,
        );
      }
    }
    if (type === 'MetadataExtraction') {
      if (!partitioned) {
        throw firehoseError.invalidArgument(
          'MetadataExtraction processor requires dynamic partitioning to be enabled.',
        );
      }
      const names = new Set((processor.Parameters ?? []).map((p) => p.ParameterName));
      for (const required of ['MetadataExtractionQuery', 'JsonParsingEngine']) {
        if (!names.has(required as F.ProcessorParameterName)) {
          throw firehoseError.invalidArgument(
            `Parameter ${required} is required for processor type ${type}.`,
          );
        }
      }
    }
  }
}

function httpEndpoint(config: F.HttpEndpointDestinationConfiguration): DestinationRecord {
  const endpoint = config.EndpointConfiguration!;
  if (!/^https?:\/\//.test(endpoint.Url ?? '')) {
    throw firehoseError.invalidArgument('EndpointConfiguration.Url must be an http or https URL.');
  }
  if (config.SecretsManagerConfiguration?.Enabled) {
    throw firehoseError.notSupported(
      'HTTP endpoint keys kept in Secrets Manager (SecretsManagerConfiguration)',
    );
  }
  const s3 = config.S3Configuration!;
  const mode = config.S3BackupMode ?? 'FailedDataOnly';
  const description: F.HttpEndpointDestinationDescription = {
    EndpointConfiguration: {
      Url: endpoint.Url,
      ...(endpoint.Name !== undefined ? { Name: endpoint.Name } : {}),
    },
    BufferingHints: bufferingHints(config.BufferingHints),
    CloudWatchLoggingOptions: config.CloudWatchLoggingOptions ?? { Enabled: false },
    RequestConfiguration: {
      ContentEncoding: config.RequestConfiguration?.ContentEncoding ?? 'NONE',
      ...(config.RequestConfiguration?.CommonAttributes
        ? { CommonAttributes: config.RequestConfiguration.CommonAttributes }
        : {}),
    },
    RetryOptions: { DurationInSeconds: config.RetryOptions?.DurationInSeconds ?? DEFAULT_RETRY_S },
    S3BackupMode: mode,
    S3DestinationDescription: s3Description(s3),
  };
  if (config.RoleARN !== undefined) description.RoleARN = config.RoleARN;
  if (config.ProcessingConfiguration) {
    checkProcessors(config.ProcessingConfiguration, false);
    description.ProcessingConfiguration = config.ProcessingConfiguration;
  }
  if (config.SecretsManagerConfiguration)
    description.SecretsManagerConfiguration = config.SecretsManagerConfiguration;
  const violation = prefixRuleViolation(s3.Prefix, s3.ErrorOutputPrefix, false);
  if (violation) throw firehoseError.invalidArgument(prefixConstraintMessage(violation));
  return {
    id: DESTINATION_ID,
    httpEndpoint: description,
    ...(endpoint.AccessKey !== undefined ? { httpEndpointAccessKey: endpoint.AccessKey } : {}),
  };
}

/** DescribeDeliveryStream's view: an S3 destination is shown both as Extended S3 and as S3. */
export function describeDestination(d: DestinationRecord): F.DestinationDescription {
  if (d.extendedS3) {
    const e = d.extendedS3;
    const s3: F.S3DestinationDescription = {
      RoleARN: e.RoleARN,
      BucketARN: e.BucketARN,
      BufferingHints: e.BufferingHints,
      CompressionFormat: e.CompressionFormat,
      EncryptionConfiguration: e.EncryptionConfiguration,
      CloudWatchLoggingOptions: e.CloudWatchLoggingOptions,
    };
    if (e.Prefix !== undefined) s3.Prefix = e.Prefix;
    if (e.ErrorOutputPrefix !== undefined) s3.ErrorOutputPrefix = e.ErrorOutputPrefix;
    return { DestinationId: d.id, ExtendedS3DestinationDescription: e, S3DestinationDescription: s3 };
  }
  return { DestinationId: d.id, HttpEndpointDestinationDescription: d.httpEndpoint };
}

function given<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * UpdateDestination: within the same destination type the given parameters merge into what is
 * there (API reference, UpdateDestination); a change of type takes the new configuration whole.
 */
export function applyDestinationUpdate(
  before: DestinationRecord,
  input: F.UpdateDestinationInput,
): DestinationRecord {
  const unsupported = UNSUPPORTED_UPDATES.find(([key]) => input[key] !== undefined);
  if (unsupported) throw firehoseError.notSupported(unsupported[1]);
  const updates = (
    ['ExtendedS3DestinationUpdate', 'S3DestinationUpdate', 'HttpEndpointDestinationUpdate'] as const
  ).filter((key) => input[key] !== undefined);
  if (updates.length !== 1) {
    throw firehoseError.invalidArgument('Exactly one destination update must be specified.');
  }
  if (input.HttpEndpointDestinationUpdate)
    return updateHttpEndpoint(before, input.HttpEndpointDestinationUpdate);
  const update = (input.ExtendedS3DestinationUpdate ?? input.S3DestinationUpdate)!;
  return updateExtendedS3(before, update as F.ExtendedS3DestinationUpdate);
}

/** `when` finishes the sentence: "RoleARN is required <when>." */
function requireFields(config: object, when: string, fields: readonly string[]): void {
  for (const field of fields) {
    if ((config as Record<string, unknown>)[field] === undefined) {
      throw firehoseError.invalidArgument(`${field} is required ${when}.`);
    }
  }
}

function updateExtendedS3(
  before: DestinationRecord,
  update: F.ExtendedS3DestinationUpdate,
): DestinationRecord {
  const previous = before.extendedS3;
  if (!previous) {
    requireFields(update, 'when changing the destination to Amazon S3', ['RoleARN', 'BucketARN']);
    const { S3BackupUpdate, ...rest } = update;
    return {
      id: before.id,
      extendedS3: extendedS3({
        ...rest,
        S3BackupConfiguration: S3BackupUpdate,
      } as F.ExtendedS3DestinationConfiguration),
    };
  }
  const wasPartitioned = previous.DynamicPartitioningConfiguration?.Enabled === true;
  if (!wasPartitioned && update.DynamicPartitioningConfiguration?.Enabled === true) {
    throw firehoseError.invalidArgument(
      'Dynamic partitioning can only be enabled when the delivery stream is created.',
    );
  }
  const { S3BackupUpdate, BufferingHints, DynamicPartitioningConfiguration, ...rest } = given(update);
  const merged: F.ExtendedS3DestinationDescription = {
    ...previous,
    ...(rest as Partial<F.ExtendedS3DestinationDescription>),
    BufferingHints: bufferingHints(BufferingHints, previous.BufferingHints),
  };
  if (DynamicPartitioningConfiguration) {
    merged.DynamicPartitioningConfiguration = dynamicPartitioning({
      ...previous.DynamicPartitioningConfiguration,
      ...given(DynamicPartitioningConfiguration),
    });
  }
  if (S3BackupUpdate) {
    const backup = previous.S3BackupDescription;
    merged.S3BackupDescription = backup
      ? {
          ...backup,
          ...(given(S3BackupUpdate) as Partial<F.S3DestinationDescription>),
          BufferingHints: bufferingHints(S3BackupUpdate.BufferingHints, backup.BufferingHints),
        }
      : newBackup(S3BackupUpdate);
  }
  checkEncryption(merged.EncryptionConfiguration ?? {});
  checkExtendedS3(merged);
  return { id: before.id, extendedS3: merged };
}

/** A backup destination an update adds: it has no earlier values to merge into. */
function newBackup(update: F.S3DestinationUpdate): F.S3DestinationDescription {
  requireFields(update, 'to add an S3 backup', ['RoleARN', 'BucketARN']);
  return s3Description(update as F.S3DestinationConfiguration);
}

function updateHttpEndpoint(
  before: DestinationRecord,
  update: F.HttpEndpointDestinationUpdate,
): DestinationRecord {
  const previous = before.httpEndpoint;
  if (!previous) {
    requireFields(update, 'when changing the destination to an HTTP endpoint', [
      'EndpointConfiguration',
      'S3Update',
    ]);
    const { S3Update, ...rest } = update;
    return {
      ...httpEndpoint({ ...rest, S3Configuration: S3Update } as F.HttpEndpointDestinationConfiguration),
      id: before.id,
    };
  }
  const { S3Update, EndpointConfiguration, BufferingHints, RequestConfiguration, RetryOptions, ...rest } =
    given(update);
  const merged: F.HttpEndpointDestinationDescription = {
    ...previous,
    ...(rest as Partial<F.HttpEndpointDestinationDescription>),
    BufferingHints: bufferingHints(BufferingHints, previous.BufferingHints),
  };
  let accessKey = before.httpEndpointAccessKey;
  if (EndpointConfiguration) {
    if (!/^https?:\/\//.test(EndpointConfiguration.Url ?? '')) {
      throw firehoseError.invalidArgument('EndpointConfiguration.Url must be an http or https URL.');
    }
    merged.EndpointConfiguration = {
      Url: EndpointConfiguration.Url,
      ...(EndpointConfiguration.Name !== undefined ? { Name: EndpointConfiguration.Name } : {}),
    };
    accessKey = EndpointConfiguration.AccessKey;
  }
  if (RequestConfiguration)
    merged.RequestConfiguration = { ...previous.RequestConfiguration, ...given(RequestConfiguration) };
  if (RetryOptions) merged.RetryOptions = { ...previous.RetryOptions, ...given(RetryOptions) };
  if (S3Update) {
    const s3 = previous.S3DestinationDescription!;
    merged.S3DestinationDescription = {
      ...s3,
      ...(given(S3Update) as Partial<F.S3DestinationDescription>),
      BufferingHints: bufferingHints(S3Update.BufferingHints, s3.BufferingHints),
    };
  }
  if (merged.ProcessingConfiguration) checkProcessors(merged.ProcessingConfiguration, false);
  const s3 = merged.S3DestinationDescription;
  const violation = prefixRuleViolation(s3?.Prefix, s3?.ErrorOutputPrefix, false);
  if (violation) throw firehoseError.invalidArgument(prefixConstraintMessage(violation));
  return {
    id: before.id,
    httpEndpoint: merged,
    ...(accessKey !== undefined ? { httpEndpointAccessKey: accessKey } : {}),
  };
}

import type * as F from '@aws-sdk/client-firehose';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../protocols/service.js';
import { applyDestinationUpdate, describeDestination, destinationFromCreate } from './destination-config.js';
import { describeEncryption, type StreamEncryption } from './encryption.js';
import { firehoseError } from './errors.js';
import type { DeliveryStreamRecord } from './model.js';
import { type DeliveryStreams, deliveryStreamArn } from './streams.js';
import { tagPage, withoutTags, withTags } from './tags.js';

/** Delivery streams per account and region (Firehose developer guide, "Quota"). */
export const MAX_STREAMS_PER_REGION = 5000;
/** ListDeliveryStreams' page size when Limit is not given (API reference). */
const DEFAULT_LIST_LIMIT = 10;

/** What the lifecycle tells the rest of Firehose: the pipeline and the Kinesis sources. */
export interface StreamHooks {
  created(stream: DeliveryStreamRecord): Promise<void>;
  updated(before: DeliveryStreamRecord, after: DeliveryStreamRecord): Promise<void>;
  deleted(stream: DeliveryStreamRecord): Promise<void>;
  /**
   * Why a KinesisStreamAsSource stream's source cannot be read (it does not exist), or undefined
   * when it can; absent when Kinesis is not served.
   */
  sourceProblem?(stream: DeliveryStreamRecord): Promise<string | undefined>;
}

type Ctx = Pick<RequestContext, 'caller'>;

/**
 * Create, describe, list, update and delete delivery streams, their tags and their encryption.
 * A stream is ACTIVE as soon as CreateDeliveryStream answers (AWS takes seconds; Tideway's
 * Kinesis streams do the same with no status delay), so a client polling for ACTIVE sees it on
 * its first poll.
 */
export class StreamLifecycle {
  constructor(
    private readonly streams: DeliveryStreams,
    private readonly clock: Clock,
    private readonly encryption: StreamEncryption,
    private readonly hooks: StreamHooks,
  ) {}

  async create(input: F.CreateDeliveryStreamInput, ctx: Ctx): Promise<F.CreateDeliveryStreamOutput> {
    const { account, region } = ctx.caller;
    const name = input.DeliveryStreamName!;
    const type = input.DeliveryStreamType ?? 'DirectPut';
    const source = sourceOf(type, input, this.clock.now());
    const destination = destinationFromCreate(input);
    const arn = deliveryStreamArn(region, account, name);
    const now = this.clock.now();
    const stream: DeliveryStreamRecord = {
      name,
      arn,
      account,
      region,
      status: 'ACTIVE',
      type,
      versionId: '1',
      created: now,
      tags: withTags({ name, tags: [] }, input.Tags ?? []),
      destination,
      ...(source ? { source } : {}),
    };
    if (input.DeliveryStreamEncryptionConfigurationInput) {
      stream.encryption = this.encryption.configure(stream, input.DeliveryStreamEncryptionConfigurationInput);
    }
    if (stream.source?.KinesisStreamSourceDescription && this.hooks.sourceProblem) {
      const problem = await this.hooks.sourceProblem(stream);
      if (problem) throw firehoseError.invalidArgument(problem);
    }
    if (this.streams.get(arn)) throw firehoseError.streamExists(name, account);
    if (this.streams.inRegion(account, region).length >= MAX_STREAMS_PER_REGION) {
      throw firehoseError.limitExceeded(
        `You have already consumed your firehose quota of ${MAX_STREAMS_PER_REGION} hoses.`,
      );
    }
    await this.streams.put(stream);
    await this.hooks.created(stream);
    return { DeliveryStreamARN: arn };
  }

  describe(input: F.DescribeDeliveryStreamInput, ctx: Ctx): F.DescribeDeliveryStreamOutput {
    const stream = this.require(input.DeliveryStreamName!, ctx);
    const destinations =
      input.ExclusiveStartDestinationId === stream.destination.id
        ? []
        : [describeDestination(stream.destination)];
    const description: F.DeliveryStreamDescription = {
      DeliveryStreamName: stream.name,
      DeliveryStreamARN: stream.arn,
      DeliveryStreamStatus: stream.status,
      DeliveryStreamEncryptionConfiguration: describeEncryption(stream),
      DeliveryStreamType: stream.type,
      VersionId: stream.versionId,
      CreateTimestamp: new Date(stream.created),
      Destinations: destinations,
      HasMoreDestinations: false,
    };
    if (stream.lastUpdated !== undefined) description.LastUpdateTimestamp = new Date(stream.lastUpdated);
    if (stream.source) description.Source = describeSource(stream.source);
    return { DeliveryStreamDescription: description };
  }

  list(input: F.ListDeliveryStreamsInput, ctx: Ctx): F.ListDeliveryStreamsOutput {
    const start = input.ExclusiveStartDeliveryStreamName;
    const matching = this.streams
      .inRegion(ctx.caller.account, ctx.caller.region)
      .filter((s) => input.DeliveryStreamType === undefined || s.type === input.DeliveryStreamType)
      .filter((s) => start === undefined || s.name > start);
    const limit = input.Limit ?? DEFAULT_LIST_LIMIT;
    return {
      DeliveryStreamNames: matching.slice(0, limit).map((s) => s.name),
      HasMoreDeliveryStreams: matching.length > limit,
    };
  }

  async delete(input: F.DeleteDeliveryStreamInput, ctx: Ctx): Promise<F.DeleteDeliveryStreamOutput> {
    const stream = this.require(input.DeliveryStreamName!, ctx);
    // AllowForceDelete matters to AWS when a customer key cannot be retired; Tideway holds no
    // grants, so a deletion always completes.
    await this.streams.delete(stream);
    await this.hooks.deleted(stream);
    return {};
  }

  async updateDestination(input: F.UpdateDestinationInput, ctx: Ctx): Promise<F.UpdateDestinationOutput> {
    const stream = this.require(input.DeliveryStreamName!, ctx);
    if (input.CurrentDeliveryStreamVersionId !== stream.versionId) {
      throw firehoseError.concurrentModification(
        `Cannot update firehose: ${stream.name} since the current version id: ${stream.versionId} and specified version id: ${input.CurrentDeliveryStreamVersionId} do not match`,
      );
    }
    if (input.DestinationId !== stream.destination.id) {
      throw firehoseError.invalidArgument(
        `Destination ${input.DestinationId} does not exist in delivery stream ${stream.name}.`,
      );
    }
    const destination = applyDestinationUpdate(stream.destination, input);
    const after: DeliveryStreamRecord = {
      ...stream,
      destination,
      versionId: String(Number(stream.versionId) + 1),
      lastUpdated: this.clock.now(),
    };
    await this.streams.put(after);
    await this.hooks.updated(stream, after);
    return {};
  }

  async tag(input: F.TagDeliveryStreamInput, ctx: Ctx): Promise<F.TagDeliveryStreamOutput> {
    const stream = this.require(input.DeliveryStreamName!, ctx);
    await this.streams.put({ ...stream, tags: withTags(stream, input.Tags ?? []) });
    return {};
  }

  async untag(input: F.UntagDeliveryStreamInput, ctx: Ctx): Promise<F.UntagDeliveryStreamOutput> {
    const stream = this.require(input.DeliveryStreamName!, ctx);
    await this.streams.put({ ...stream, tags: withoutTags(stream, input.TagKeys ?? []) });
    return {};
  }

  listTags(input: F.ListTagsForDeliveryStreamInput, ctx: Ctx): F.ListTagsForDeliveryStreamOutput {
    const stream = this.require(input.DeliveryStreamName!, ctx);
    return tagPage(stream, input.ExclusiveStartTagKey, input.Limit);
  }

  async startEncryption(
    input: F.StartDeliveryStreamEncryptionInput,
    ctx: Ctx,
  ): Promise<F.StartDeliveryStreamEncryptionOutput> {
    const stream = this.require(input.DeliveryStreamName!, ctx);
    const encryption = this.encryption.configure(
      stream,
      input.DeliveryStreamEncryptionConfigurationInput ?? { KeyType: 'AWS_OWNED_CMK' },
    );
    await this.streams.put({ ...stream, encryption });
    return {};
  }

  async stopEncryption(
    input: F.StopDeliveryStreamEncryptionInput,
    ctx: Ctx,
  ): Promise<F.StopDeliveryStreamEncryptionOutput> {
    const stream = this.require(input.DeliveryStreamName!, ctx);
    if (stream.type !== 'DirectPut') {
      throw firehoseError.invalidArgument(
        `Server-side encryption is not supported for delivery streams of type ${stream.type}; encryption applies to DirectPut streams only.`,
      );
    }
    await this.streams.put({ ...stream, encryption: { Status: 'DISABLED' } });
    return {};
  }

  private require(name: string, ctx: Ctx): DeliveryStreamRecord {
    return this.streams.require(name, ctx.caller.account, ctx.caller.region);
  }
}

/** The source a stream reads from, checked against its type. */
function sourceOf(
  type: F.DeliveryStreamType,
  input: F.CreateDeliveryStreamInput,
  now: number,
): F.SourceDescription | undefined {
  if (type === 'DatabaseAsSource') throw firehoseError.notSupported('the DatabaseAsSource source');
  if (input.DatabaseSourceConfiguration) throw firehoseError.notSupported('the DatabaseAsSource source');
  const msk = mskSourceOf(type, input, now);
  if (msk) return msk;
  const kinesis = input.KinesisStreamSourceConfiguration;
  if (type === 'KinesisStreamAsSource') {
    if (!kinesis) {
      throw firehoseError.invalidArgument(
        'KinesisStreamSourceConfiguration is required when DeliveryStreamType is KinesisStreamAsSource.',
      );
    }
    if (input.DirectPutSourceConfiguration) {
      throw firehoseError.invalidArgument(
        'DirectPutSourceConfiguration is only allowed when DeliveryStreamType is DirectPut.',
      );
    }
    const match = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]+)$/.exec(
      kinesis.KinesisStreamARN ?? '',
    );
    if (!match) {
      throw firehoseError.invalidArgument(`Invalid Kinesis stream ARN: ${kinesis.KinesisStreamARN}`);
    }
    return {
      KinesisStreamSourceDescription: {
        KinesisStreamARN: kinesis.KinesisStreamARN,
        RoleARN: kinesis.RoleARN,
        DeliveryStartTimestamp: new Date(now),
      },
    };
  }
  if (kinesis) {
    throw firehoseError.invalidArgument(
      'KinesisStreamSourceConfiguration is only allowed when DeliveryStreamType is KinesisStreamAsSource.',
    );
  }
  // The throughput hint is for information only (API reference, DirectPutSourceConfiguration).
  const direct = input.DirectPutSourceConfiguration;
  return direct
    ? { DirectPutSourceDescription: { ThroughputHintInMBs: direct.ThroughputHintInMBs } }
    : undefined;
}

/** MSKAsSource's configuration, checked against the stream's type. */
function mskSourceOf(
  type: F.DeliveryStreamType,
  input: F.CreateDeliveryStreamInput,
  now: number,
): F.SourceDescription | undefined {
  const msk = input.MSKSourceConfiguration;
  if (type !== 'MSKAsSource') {
    if (msk) {
      throw firehoseError.invalidArgument(
        'MSKSourceConfiguration is only allowed when DeliveryStreamType is MSKAsSource.',
      );
    }
    return undefined;
  }
  if (!msk) {
    throw firehoseError.invalidArgument(
      'MSKSourceConfiguration is required when DeliveryStreamType is MSKAsSource.',
    );
  }
  if (input.DirectPutSourceConfiguration || input.KinesisStreamSourceConfiguration) {
    throw firehoseError.invalidArgument(
      'Only MSKSourceConfiguration is allowed when DeliveryStreamType is MSKAsSource.',
    );
  }
  if (!/^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster\/[^/]+\/[^/]+$/.test(msk.MSKClusterARN ?? '')) {
    throw firehoseError.invalidArgument(`Invalid MSK cluster ARN: ${msk.MSKClusterARN}`);
  }
  const start = new Date(now);
  return {
    MSKSourceDescription: {
      MSKClusterARN: msk.MSKClusterARN,
      TopicName: msk.TopicName,
      AuthenticationConfiguration: msk.AuthenticationConfiguration,
      DeliveryStartTimestamp: start,
      ReadFromTimestamp: msk.ReadFromTimestamp ?? start,
    },
  };
}

/** The stored source, whose timestamps come back from the journal as strings. */
function describeSource(source: F.SourceDescription): F.SourceDescription {
  const kinesis = source.KinesisStreamSourceDescription;
  const msk = source.MSKSourceDescription;
  if (kinesis) {
    return {
      KinesisStreamSourceDescription: {
        ...kinesis,
        DeliveryStartTimestamp: asDate(kinesis.DeliveryStartTimestamp),
      },
    };
  }
  if (msk) {
    return {
      MSKSourceDescription: {
        ...msk,
        DeliveryStartTimestamp: asDate(msk.DeliveryStartTimestamp),
        ReadFromTimestamp: asDate(msk.ReadFromTimestamp),
      },
    };
  }
  return source;
}

function asDate(value: Date | string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

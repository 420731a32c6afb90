import type * as K from '@aws-sdk/client-kinesis';
import type { Logger } from '../../core/logger.js';
import { ServiceError } from '../../protocols/errors.js';
import { KINESIS_OPERATIONS } from '../../protocols/models/kinesis.js';
import { findViolations, validationMessage } from '../../protocols/validate.js';
import type { NewStreamRecord, StreamRecord, StreamStorage } from '../../storage/types.js';
import { STREAM_ARN } from './arns.js';
import { kinesisError } from './errors.js';
import type { StreamRecords } from './records.js';
import { deliveryDenial } from './resource-policies.js';
import type { KinesisService } from './service.js';

/** Kinesis's entry for deliveries from other services (EventBridge targets, Firehose, Pipes). */
export interface StreamFrontDoor {
  /** Loads Kinesis's code on its first call, as a first Kinesis request would. */
  put(
    streamArn: string,
    records: readonly DeliveredRecord[],
    origin: StreamDeliveryOrigin,
  ): Promise<StreamDeliveryOutcome>;
  /**
   * The streams as stored, for readers in other services (Firehose's KinesisStreamAsSource): reading
   * needs none of Kinesis's API code, so it loads nothing.
   */
  readonly reader?: StreamReader;
}

/** What a reader in another service sees of the streams: shards, their records, and changes. */
export type StreamReader = Pick<StreamStorage, 'getStream' | 'shards' | 'read' | 'lastSequence' | 'watch'>;

/** Who delivers: an AWS service acting for one of its resources, through a role of its account. */
export interface StreamDeliveryOrigin {
  /** The service, e.g. `events.amazonaws.com`; named in logs and reasons. */
  principal: string;
  /** The resource that sends (`aws:SourceArn`), e.g. the rule. */
  sourceArn: string;
  /** Its owner (`aws:SourceAccount`). */
  sourceAccount: string;
  /** The role the service writes as (a target's RoleArn); the source account's root without one. */
  roleArn?: string;
  /** Deliver even where the stream's policy keeps the role out (`--lenient-policies`). */
  lenient?: boolean;
}

/** A record another service hands a stream, in PutRecord's terms. */
export interface DeliveredRecord {
  data: Uint8Array;
  partitionKey: string;
  explicitHashKey?: string;
}

/** Where each record went, in order, or why its shard refused it (PutRecordsResultEntry). */
export type DeliveredEntry =
  | { shardId: string; sequenceNumber: string }
  | { errorCode: string; errorMessage: string };

export type StreamDeliveryOutcome =
  | {
      kind: 'delivered';
      /** Records over their shard's quota (--kinesis-limits): the caller retries them, as with PutRecords. */
      failedRecordCount: number;
      records: DeliveredEntry[];
      /** Set when only `lenient` let the records in: why the policy would have kept them out. */
      lenientOver?: string;
    }
  | { kind: 'missing'; reason: string }
  | { kind: 'denied'; reason: string }
  | { kind: 'rejected'; reason: string };

/**
 * The one way other services put records into streams: the stream and its status, the stream's
 * resource policy for the delivering role, PutRecord's (one record) or PutRecords' (several)
 * validation, then the same append and throughput accounting as PutRecords. Nothing is thrown into
 * the caller: every refusal is an outcome with Kinesis's own reason.
 */
export class StreamDeliveries {
  constructor(
    private readonly kinesis: KinesisService,
    private readonly records: StreamRecords,
    private readonly log: Logger | undefined,
  ) {}

  async put(
    streamArn: string,
    records: readonly DeliveredRecord[],
    origin: StreamDeliveryOrigin,
  ): Promise<StreamDeliveryOutcome> {
    if (!this.kinesis.statuses.idle) await this.kinesis.statuses.settle();
    const found = this.find(streamArn);
    if (typeof found === 'string') return { kind: 'missing', reason: found };
    const stream = found;
    const status = this.kinesis.statuses.status(stream.arn);
    if (status !== 'ACTIVE' && status !== 'UPDATING') {
      return {
        kind: 'rejected',
        reason: `ResourceInUseException: Stream ${stream.name} under account ${stream.account} not ACTIVE, instead in state ${status}`,
      };
    }
    const action = records.length === 1 ? 'PutRecord' : 'PutRecords';
    const denial = deliveryDenial(stream, action, origin);
    if (denial) {
      this.log?.warn(
        { stream: stream.arn, principal: origin.principal, sourceArn: origin.sourceArn, reason: denial },
        origin.lenient ? 'delivered only because policies are lenient' : 'delivery denied by the stream',
      );
      if (!origin.lenient) return { kind: 'denied', reason: denial };
    }
    let prepared: NewStreamRecord[];
    try {
      prepared = this.prepare(stream, action, records);
      this.records.checkKey(stream);
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      return { kind: 'rejected', reason: `${err.code}: ${err.message}` };
    }
    const output = await this.records.appendAll(stream, prepared);
    return {
      kind: 'delivered',
      failedRecordCount: output.FailedRecordCount ?? 0,
      records: (output.Records ?? []).map(entry),
      lenientOver: denial,
    };
  }

  /** The stream the ARN names, or why there is none (a stream still CREATING is not found yet). */
  private find(streamArn: string): StreamRecord | string {
    const m = STREAM_ARN.exec(streamArn);
    if (!m) return `InvalidArgumentException: StreamARN ${streamArn} is invalid.`;
    const stream = this.kinesis.streams.getStream(streamArn);
    if (!stream || !this.kinesis.statuses.hasShards(stream.arn)) {
      return `ResourceNotFoundException: ${kinesisError.notFound(m[3], m[2]).message}`;
    }
    return stream;
  }

  /** The model's constraints with AWS's texts, then the stream's own checks, as the API runs them. */
  private prepare(
    stream: StreamRecord,
    action: 'PutRecord' | 'PutRecords',
    records: readonly DeliveredRecord[],
  ): NewStreamRecord[] {
    const entries: K.PutRecordsRequestEntry[] = records.map((r) => ({
      Data: r.data,
      PartitionKey: r.partitionKey,
      ExplicitHashKey: r.explicitHashKey,
    }));
    const input =
      action === 'PutRecord'
        ? { StreamARN: stream.arn, ...entries[0] }
        : { StreamARN: stream.arn, Records: entries };
    const violations = findViolations(KINESIS_OPERATIONS[action].input, input);
    if (violations.length > 0) throw kinesisError.validation(validationMessage(violations));
    return action === 'PutRecord'
      ? [this.records.prepareOne(stream, entries[0])]
      : this.records.prepare(stream, entries);
  }
}

function entry(e: K.PutRecordsResultEntry): DeliveredEntry {
  return e.ErrorCode
    ? { errorCode: e.ErrorCode, errorMessage: e.ErrorMessage ?? '' }
    : { shardId: e.ShardId!, sequenceNumber: e.SequenceNumber! };
}

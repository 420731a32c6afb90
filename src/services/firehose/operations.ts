import type * as F from '@aws-sdk/client-firehose';
import { FIREHOSE_OPERATIONS, type FirehoseOperationName } from '../../protocols/models/firehose.js';
import { type Operation, operationTable, type RequestContext } from '../../protocols/service.js';
import type { ServiceEnvironment } from '../registry.js';
import { StreamEncryption } from './encryption.js';
import type { FirehoseFrontDoor } from './front-door.js';
import { StreamLifecycle } from './lifecycle.js';
import type { DeliveryStreamRecord } from './model.js';
import { DeliveryPipeline, type PipelineDeps } from './pipeline.js';
import { RecordsApi } from './records-api.js';
import { clearKinesisSources, forgetKinesisSource, startKinesisSource } from './sources/kinesis.js';
import { startMskSource } from './sources/msk.js';
import { DeliveryStreams } from './streams.js';

/** Firehose once loaded: its operations, its front door, and its lifecycle. */
export interface FirehoseRuntime {
  operations: Record<string, Operation>;
  frontDoor: FirehoseFrontDoor;
  /** Every stored delivery stream, for doctor's inventory. */
  streams(): DeliveryStreamRecord[];
  reset(): Promise<void>;
  close(): void;
}

/**
 * Builds Firehose: the stored streams come back from the journal, their buffers are reopened by
 * the delivery pipeline and their Kinesis sources resume reading.
 */
export async function firehoseRuntime(env: ServiceEnvironment): Promise<FirehoseRuntime> {
  const { clock, scheduler, log, journal, frontDoors, hints } = env;
  const deps: PipelineDeps = { clock, scheduler, log, journal, frontDoors, hints };
  const pipeline = new DeliveryPipeline(deps);
  const streams = new DeliveryStreams(journal);
  const encryption = new StreamEncryption(frontDoors.kms);
  const ingest = (stream: DeliveryStreamRecord, records: Parameters<DeliveryPipeline['ingest']>[1]) =>
    pipeline.ingest(stream, records);
  const sources = new KinesisSources(deps, streams, ingest);

  // The API's change is durable before the pipeline hears of it: a pipeline that fails to follow
  // is the server's to log, not a failed UpdateDestination or DeleteDeliveryStream.
  const following = (what: string, arn: string, run: () => Promise<void>) =>
    Promise.resolve()
      .then(run)
      .catch((err) =>
        log.error({ err, stream: arn }, `firehose: the delivery pipeline could not follow ${what}`),
      );
  const lifecycle = new StreamLifecycle(streams, clock, encryption, {
    created: async (stream) => sources.start(stream),
    updated: (before, after) => following('the update', after.arn, () => pipeline.updated(before, after)),
    deleted: async (stream) => {
      sources.stop(stream.arn);
      await following('the deletion', stream.arn, () => forgetKinesisSource(stream.arn, deps));
      await following('the deletion', stream.arn, () => pipeline.deleted(stream));
    },
    sourceProblem: frontDoors.kinesis ? (stream) => kinesisSourceProblem(frontDoors, stream) : undefined,
  });
  const records = new RecordsApi(streams, clock, encryption, ingest, log);

  try {
    await pipeline.open(streams.all());
  } catch (err) {
    log.error({ err }, 'firehose: the delivery pipeline could not reopen the stored buffers');
  }
  for (const stream of streams.all()) sources.start(stream);

  type Handler = (input: any, ctx: RequestContext) => unknown;
  const handlers: Record<FirehoseOperationName, Handler> = {
    CreateDeliveryStream: (i: F.CreateDeliveryStreamInput, c) => lifecycle.create(i, c),
    DeleteDeliveryStream: (i: F.DeleteDeliveryStreamInput, c) => lifecycle.delete(i, c),
    DescribeDeliveryStream: (i: F.DescribeDeliveryStreamInput, c) => lifecycle.describe(i, c),
    ListDeliveryStreams: (i: F.ListDeliveryStreamsInput, c) => lifecycle.list(i, c),
    ListTagsForDeliveryStream: (i: F.ListTagsForDeliveryStreamInput, c) => lifecycle.listTags(i, c),
    PutRecord: (i: F.PutRecordInput, c) => records.putRecord(i, c),
    PutRecordBatch: (i: F.PutRecordBatchInput, c) => records.putRecordBatch(i, c),
    StartDeliveryStreamEncryption: (i: F.StartDeliveryStreamEncryptionInput, c) =>
      lifecycle.startEncryption(i, c),
    StopDeliveryStreamEncryption: (i: F.StopDeliveryStreamEncryptionInput, c) =>
      lifecycle.stopEncryption(i, c),
    TagDeliveryStream: (i: F.TagDeliveryStreamInput, c) => lifecycle.tag(i, c),
    UntagDeliveryStream: (i: F.UntagDeliveryStreamInput, c) => lifecycle.untag(i, c),
    UpdateDestination: (i: F.UpdateDestinationInput, c) => lifecycle.updateDestination(i, c),
  };

  return {
    operations: operationTable(FIREHOSE_OPERATIONS, handlers),
    frontDoor: records.frontDoor,
    streams: () => streams.all(),
    reset: async () => {
      sources.stopAll();
      await streams.clear();
      await following('the reset', '*', () => clearKinesisSources(deps));
      await following('the reset', '*', () => pipeline.clear());
    },
    close: () => {
      sources.stopAll();
      pipeline.close();
    },
  };
}

/** The readers of KinesisStreamAsSource and MSKAsSource streams, by delivery stream ARN. */
class KinesisSources {
  private readonly stops = new Map<string, () => void>();

  constructor(
    private readonly deps: PipelineDeps,
    private readonly streams: DeliveryStreams,
    private readonly ingest: (
      stream: DeliveryStreamRecord,
      records: Parameters<DeliveryPipeline['ingest']>[1],
    ) => Promise<void>,
  ) {}

  start(stream: DeliveryStreamRecord): void {
    if (this.stops.has(stream.arn)) return;
    const start =
      stream.type === 'KinesisStreamAsSource'
        ? startKinesisSource
        : stream.type === 'MSKAsSource'
          ? startMskSource
          : undefined;
    if (!start) return;
    try {
      // The reader hands records to the stream as it is now (UpdateDestination replaces it).
      const stop = start(stream, this.deps, (records) =>
        this.ingest(this.streams.get(stream.arn) ?? stream, records),
      );
      this.stops.set(stream.arn, stop);
    } catch (err) {
      this.deps.log.error({ err, stream: stream.arn }, 'firehose: the source could not start');
    }
  }

  stop(arn: string): void {
    this.stops.get(arn)?.();
    this.stops.delete(arn);
  }

  stopAll(): void {
    for (const arn of [...this.stops.keys()]) this.stop(arn);
  }
}

/**
 * Whether the source stream exists, asked the one way Kinesis answers other services: a delivery
 * of no records finds the stream (or says it is missing) and is then refused by PutRecords' own
 * rule of at least one record, so nothing is written.
 */
async function kinesisSourceProblem(
  frontDoors: ServiceEnvironment['frontDoors'],
  stream: DeliveryStreamRecord,
): Promise<string | undefined> {
  const source = stream.source?.KinesisStreamSourceDescription;
  if (!source?.KinesisStreamARN || !frontDoors.kinesis) return undefined;
  const outcome = await frontDoors.kinesis.put(source.KinesisStreamARN, [], {
    principal: 'firehose.amazonaws.com',
    sourceArn: stream.arn,
    sourceAccount: stream.account,
    roleArn: source.RoleARN,
    lenient: true,
  });
  if (outcome.kind !== 'missing') return undefined;
  return `The source Kinesis stream ${source.KinesisStreamARN} cannot be read: ${outcome.reason.replace(/^\w+: /, '')}`;
}

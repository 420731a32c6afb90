import { randomFillSync } from 'node:crypto';
import type * as F from '@aws-sdk/client-firehose';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { ServiceError } from '../../protocols/errors.js';
import type { StreamEncryption } from './encryption.js';
import { firehoseError } from './errors.js';
import type { FirehoseFrontDoor, RecordDeliveryOrigin } from './front-door.js';
import type { DeliveryStreamRecord, IngestedRecord } from './model.js';
import { DELIVERY_STREAM_ARN, type DeliveryStreams } from './streams.js';

// Firehose's limits on what goes in (Firehose developer guide, "Quota"): a record is at most
// 1,000 KiB before base64, a PutRecordBatch at most 500 records and 4 MiB in all.
export const MAX_RECORD_BYTES = 1_024_000;
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

const RECORD_ID_BYTES = 168;
// Random bytes drawn for 256 ids at once: a call to the generator costs about 2.5 µs whatever its
// size, so one per record was over a millisecond of a 500-record PutRecordBatch.
const idPool = Buffer.allocUnsafe(RECORD_ID_BYTES * 256);
let idPoolAt = idPool.length;

/**
 * A record id as Firehose hands them out: an opaque base64 string of 224 characters, unique per
 * record (AWS's are of that length and alphabet).
 */
export function newRecordId(): string {
  if (idPoolAt === idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  const id = idPool.toString('base64', idPoolAt, idPoolAt + RECORD_ID_BYTES);
  idPoolAt += RECORD_ID_BYTES;
  return id;
}

/**
 * `count` record ids at once: one draw of random bytes and one base64 encoding for a whole batch
 * (168 bytes encode to exactly 224 characters, so each id is a slice of the one string).
 */
export function newRecordIds(count: number): string[] {
  if (count <= 1) return count === 1 ? [newRecordId()] : [];
  const width = (RECORD_ID_BYTES / 3) * 4;
  const text = randomFillSync(Buffer.allocUnsafe(RECORD_ID_BYTES * count)).toString('base64');
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i++) ids[i] = text.slice(i * width, (i + 1) * width);
  return ids;
}

/** The total of a batch's records, refused whole past the request limit. */
export function checkBatchSize(sizes: readonly number[]): void {
  const total = sizes.reduce((n, s) => n + s, 0);
  if (total > MAX_BATCH_BYTES) {
    throw firehoseError.invalidArgument(
      `The total size of the records in a PutRecordBatch request (${total} bytes) exceeds the limit of ${MAX_BATCH_BYTES} bytes (4 MiB).`,
    );
  }
}

export type Ingest = (stream: DeliveryStreamRecord, records: readonly IngestedRecord[]) => Promise<void>;

/**
 * PutRecord and PutRecordBatch, and the front door other services deliver through: records go
 * to the stream's buffer (the delivery pipeline) and the answer says what went in. Tideway does
 * not throttle, so a record fails only when the pipeline cannot take it.
 */
export class RecordsApi {
  constructor(
    private readonly streams: DeliveryStreams,
    private readonly clock: Clock,
    private readonly encryption: StreamEncryption,
    private readonly ingest: Ingest,
    private readonly log: Logger,
  ) {}

  private writable(stream: DeliveryStreamRecord): void {
    if (stream.type !== 'DirectPut') throw firehoseError.notDirectPut(stream.type);
    this.encryption.checkPut(stream);
  }

  private encrypted(stream: DeliveryStreamRecord): boolean {
    return stream.encryption?.Status === 'ENABLED';
  }

  async putRecord(
    input: F.PutRecordInput,
    ctx: { caller: { account: string; region: string } },
  ): Promise<F.PutRecordOutput> {
    const stream = this.streams.require(input.DeliveryStreamName!, ctx.caller.account, ctx.caller.region);
    this.writable(stream);
    const data = input.Record?.Data ?? new Uint8Array();
    try {
      await this.ingest(stream, [{ data, arrival: this.clock.now() }]);
    } catch (err) {
      this.log.error({ err, stream: stream.arn }, 'firehose: the delivery pipeline refused a record');
      throw firehoseError.serviceUnavailable('Slow down.');
    }
    return { RecordId: newRecordId(), Encrypted: this.encrypted(stream) };
  }

  async putRecordBatch(
    input: F.PutRecordBatchInput,
    ctx: { caller: { account: string; region: string } },
  ): Promise<F.PutRecordBatchOutput> {
    const stream = this.streams.require(input.DeliveryStreamName!, ctx.caller.account, ctx.caller.region);
    this.writable(stream);
    const records = (input.Records ?? []).map((r) => r.Data ?? new Uint8Array());
    checkBatchSize(records.map((r) => r.length));
    const failures = await this.accept(stream, records);
    const ids = newRecordIds(records.length - failures.size);
    let next = 0;
    const responses: F.PutRecordBatchResponseEntry[] = records.map((_, i) => {
      const failure = failures.get(i);
      return failure
        ? { ErrorCode: failure.errorCode, ErrorMessage: failure.errorMessage }
        : { RecordId: ids[next++] };
    });
    return {
      FailedPutCount: failures.size,
      Encrypted: this.encrypted(stream),
      RequestResponses: responses,
    };
  }

  /** Hands the records to the pipeline; the ones it could not take, by index. */
  private async accept(
    stream: DeliveryStreamRecord,
    records: readonly Uint8Array[],
    tooLarge: ReadonlySet<number> = new Set(),
  ): Promise<Map<number, { errorCode: string; errorMessage: string }>> {
    const failures = new Map<number, { errorCode: string; errorMessage: string }>();
    for (const i of tooLarge) {
      failures.set(i, {
        errorCode: 'InvalidArgumentException',
        errorMessage: `Record size exceeds the limit of ${MAX_RECORD_BYTES} bytes.`,
      });
    }
    const arrival = this.clock.now();
    const taken =
      tooLarge.size === 0
        ? records.map((data) => ({ data, arrival }))
        : records.flatMap((data, i) => (tooLarge.has(i) ? [] : [{ data, arrival }]));
    if (taken.length === 0) return failures;
    try {
      await this.ingest(stream, taken);
    } catch (err) {
      this.log.error({ err, stream: stream.arn }, 'firehose: the delivery pipeline refused a batch');
      records.forEach((_, i) => {
        if (!tooLarge.has(i)) {
          failures.set(i, { errorCode: 'ServiceUnavailableException', errorMessage: 'Slow down.' });
        }
      });
    }
    return failures;
  }

  /**
   * The entry for SNS subscriptions, EventBridge targets and S3: PutRecordBatch as the origin's
   * role calls it. The role belongs to the origin's account, so a stream of another account is
   * refused as AWS refuses a role without rights there; a record over the limit fails alone.
   */
  readonly frontDoor: FirehoseFrontDoor = {
    describe: async (arn) => this.streams.get(arn),
    put: async (arn, records, origin) => {
      const match = DELIVERY_STREAM_ARN.exec(arn);
      if (!match) throw firehoseError.invalidArgument(`Invalid delivery stream ARN: ${arn}`);
      const [, region, account, name] = match as unknown as [string, string, string, string];
      const caller = callerOf(origin);
      const stream = this.streams.get(arn);
      if (caller.account !== account) throw deniedPut(caller.principal, arn);
      if (!stream) throw firehoseError.streamNotFound(name, account);
      if (stream.region !== region) throw firehoseError.streamNotFound(name, account);
      this.writable(stream);
      const tooLarge = new Set<number>();
      records.forEach((r, i) => {
        if (r.length > MAX_RECORD_BYTES) tooLarge.add(i);
      });
      const failures = await this.accept(stream, records, tooLarge);
      return {
        failed: [...failures].sort(([a], [b]) => a - b).map(([index, f]) => ({ index, ...f })),
      };
    },
  };
}

/** The principal a delivery runs as: the origin's role, else its account's root. */
function callerOf(origin: RecordDeliveryOrigin): { account: string; principal: string } {
  const role = origin.roleArn ? /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(origin.roleArn) : null;
  if (role) {
    const roleName = role[2]!.split('/').pop()!;
    return {
      account: role[1]!,
      principal: `arn:aws:sts::${role[1]}:assumed-role/${roleName}/${origin.principal}`,
    };
  }
  return { account: origin.sourceAccount, principal: `arn:aws:iam::${origin.sourceAccount}:root` };
}

function deniedPut(principal: string, arn: string): ServiceError {
  return firehoseError.accessDenied(
    `User: ${principal} is not authorized to perform: firehose:PutRecordBatch on resource: ${arn}`,
  );
}

import type * as F from '@aws-sdk/client-firehose';
import { Clock } from '../../../src/core/clock.js';
import type { Logger, LogLevel } from '../../../src/core/logger.js';
import { Scheduler } from '../../../src/core/scheduler.js';
import { ServiceError } from '../../../src/protocols/errors.js';
import type { DeliveryStreamRecord } from '../../../src/services/firehose/model.js';
import { DeliveryPipeline } from '../../../src/services/firehose/pipeline.js';
import type {
  DeliveredObject,
  ObjectDeliveryOrigin,
  S3FrontDoor,
} from '../../../src/services/s3/front-door.js';
import type { Journal } from '../../../src/storage/embedded/journal.js';

/** S3's front door as a list: what Firehose wrote, and as whom; it refuses while `refusals` lasts. */
export class RecordingS3 implements S3FrontDoor {
  readonly objects: { object: DeliveredObject; origin: ObjectDeliveryOrigin }[] = [];
  attempts = 0;
  refusals = 0;

  async putObject(object: DeliveredObject, origin: ObjectDeliveryOrigin): Promise<{ etag: string }> {
    this.attempts++;
    if (this.refusals > 0) {
      this.refusals--;
      throw new ServiceError('NoSuchBucket', 'The specified bucket does not exist', { status: 404 });
    }
    this.objects.push({ object, origin });
    return { etag: '"etag"' };
  }

  keys(): string[] {
    return this.objects.map((o) => o.object.key);
  }
}

/** A logger that keeps its lines, for the tests that check what Firehose says. */
export function recordingLogger(): Logger & { lines: { level: string; msg: string; obj: object }[] } {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const method =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      if (typeof obj === 'string') lines.push({ level, msg: obj, obj: {} });
      else lines.push({ level, msg: msg ?? '', obj });
    };
  return {
    level: 'trace' as LogLevel,
    isLevelEnabled: () => true,
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    lines,
  };
}

export const ACCOUNT = '000000000000';
export const STREAM_ARN = `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/orders`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/firehose`;

export function s3Stream(
  destination: Partial<F.ExtendedS3DestinationDescription> = {},
  record: Partial<DeliveryStreamRecord> = {},
): DeliveryStreamRecord {
  return {
    name: 'orders',
    arn: STREAM_ARN,
    account: ACCOUNT,
    region: 'us-east-1',
    status: 'ACTIVE',
    type: 'DirectPut',
    versionId: '1',
    created: 0,
    tags: [],
    destination: {
      id: 'destinationId-000000000001',
      extendedS3: {
        RoleARN: ROLE_ARN,
        BucketARN: 'arn:aws:s3:::lake',
        Prefix: '',
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
        CompressionFormat: 'UNCOMPRESSED',
        EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
        ...destination,
      },
    },
    ...record,
  };
}

export interface Harness {
  clock: Clock;
  scheduler: Scheduler;
  s3: RecordingS3;
  log: ReturnType<typeof recordingLogger>;
  pipeline: DeliveryPipeline;
  /** Moves the clock and waits for what it set off. */
  advance(ms: number): Promise<void>;
  put(stream: DeliveryStreamRecord, ...data: (string | Uint8Array)[]): Promise<void>;
  stop(): void;
}

/** A pipeline on a frozen clock, writing to a recording S3. The clock starts on 2030-05-06 07:08:09 UTC. */
export function harness(journal?: Journal, clock = new Clock(), s3 = new RecordingS3()): Harness {
  clock.freeze();
  const start = Date.UTC(2030, 4, 6, 7, 8, 9);
  if (clock.now() < start) clock.advance(start - clock.now());
  const scheduler = new Scheduler(clock);
  const log = recordingLogger();
  const pipeline = new DeliveryPipeline({ clock, scheduler, log, journal, frontDoors: { s3 } });
  return {
    clock,
    scheduler,
    s3,
    log,
    pipeline,
    async advance(ms) {
      clock.advance(ms);
      await pipeline.idle();
    },
    async put(stream, ...data) {
      await pipeline.ingest(
        stream,
        data.map((d) => ({ data: typeof d === 'string' ? Buffer.from(d) : d, arrival: clock.now() })),
      );
      await pipeline.idle();
    },
    stop() {
      pipeline.close();
      scheduler.stop();
    },
  };
}

export const body = (o: { object: DeliveredObject }) => Buffer.from(o.object.body).toString('utf8');

import type { Timer } from '../../../core/scheduler.js';
import type { DeliveryStreamRecord } from '../model.js';
import type { PipelineDeps } from '../pipeline.js';

/** Firehose retries a failed S3 write every 5 seconds for up to 24 hours (AWS's data delivery docs). */
export const S3_RETRY_INTERVAL_MS = 5_000;
export const S3_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

export const FIREHOSE_CONTENT_TYPE = 'application/octet-stream';

export interface ObjectWrite {
  bucketArn: string;
  key: string;
  body: Uint8Array;
  roleArn?: string;
}

export type WriteOutcome = 'delivered' | 'expired' | 'cancelled';

/**
 * Writes Firehose's objects through S3's front door as `firehose.amazonaws.com` for the stream,
 * with the destination's role, retrying on the clock while S3 refuses.
 */
export class ObjectWriter {
  /** Retries waiting on the clock, with how to settle each when they are called off. */
  private readonly waiting = new Map<Timer, () => void>();

  constructor(
    private readonly deps: PipelineDeps,
    /** Holds each attempt in flight, so the pipeline can tell when it is idle. */
    private readonly track: (work: Promise<unknown>) => void,
  ) {}

  write(stream: DeliveryStreamRecord, object: ObjectWrite, cancelled: () => boolean): Promise<WriteOutcome> {
    const started = this.deps.clock.now();
    let failures = 0;
    return new Promise<WriteOutcome>((resolve) => {
      const attempt = () => {
        if (cancelled()) {
          resolve('cancelled');
          return;
        }
        const run = this.putOnce(stream, object).then(
          () => resolve('delivered'),
          (err: unknown) => {
            failures++;
            const reason = describe(err);
            const now = this.deps.clock.now();
            if (now - started + S3_RETRY_INTERVAL_MS > S3_RETRY_WINDOW_MS) {
              this.deps.log.error(
                {
                  deliveryStream: stream.arn,
                  bucket: object.bucketArn,
                  key: object.key,
                  attempts: failures,
                  reason,
                },
                'Firehose gave up delivering an object to S3 after 24 hours of retries; its records are dropped',
              );
              resolve('expired');
              return;
            }
            // The first failure says why; the retries every 5 seconds would only repeat it.
            const level = failures === 1 ? 'warn' : 'debug';
            this.deps.log[level](
              {
                deliveryStream: stream.arn,
                bucket: object.bucketArn,
                key: object.key,
                attempts: failures,
                reason,
              },
              'Firehose could not deliver an object to S3; retrying every 5 seconds for up to 24 hours',
            );
            const timer = this.deps.scheduler.at(now + S3_RETRY_INTERVAL_MS, () => {
              this.waiting.delete(timer);
              attempt();
            });
            this.waiting.set(timer, () => resolve('cancelled'));
          },
        );
        this.track(run);
      };
      attempt();
    });
  }

  /** Calls off every retry waiting on the clock (server closing, reset). */
  cancelRetries(): void {
    for (const [timer, settle] of this.waiting) {
      this.deps.scheduler.cancel(timer);
      settle();
    }
    this.waiting.clear();
  }

  private async putOnce(stream: DeliveryStreamRecord, object: ObjectWrite): Promise<void> {
    const s3 = this.deps.frontDoors.s3;
    if (!s3) throw new Error('S3 is not running on this server');
    await s3.putObject(
      // Firehose's objects carry no Content-Encoding, GZIP or not, and this type (as their
      // readers find them on AWS), not S3's binary/octet-stream default.
      { bucket: object.bucketArn, key: object.key, body: object.body, contentType: FIREHOSE_CONTENT_TYPE },
      {
        principal: 'firehose.amazonaws.com',
        sourceArn: stream.arn,
        sourceAccount: stream.account,
        roleArn: object.roleArn,
      },
    );
  }
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; name?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
    return e.message ? `${code}: ${String(e.message)}` : code;
  }
  return String(err);
}

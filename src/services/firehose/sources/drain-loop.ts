import type { Timer } from '../../../core/scheduler.js';
import type { DeliveryStreamRecord } from '../model.js';
import type { PipelineDeps } from '../pipeline.js';

/** After a failed read or ingest, the next try (clock time). */
const RETRY_MS = 1_000;

/**
 * The reading loop of a source (a Kinesis stream, an MSK topic): woken by the source's watch,
 * one drain at a time (a wake-up during a drain makes it look again when done), retried on the
 * clock after a failure, warning once per kind of trouble.
 */
export abstract class DrainLoop {
  protected stopped = false;
  private draining = false;
  private again = false;
  private retry?: Timer;
  private readonly warned = new Set<string>();

  constructor(
    protected readonly stream: DeliveryStreamRecord,
    protected readonly deps: PipelineDeps,
    /** What the source is, for logs. */
    protected readonly sourceName: string | undefined,
    /** The kind of source, for logs: Kinesis, MSK. */
    private readonly kind: string,
  ) {}

  /** Hands on every record not yet handed on, until nothing is left. */
  protected abstract drain(): Promise<void>;

  /** Stops watching the source. */
  protected abstract unwatch(): void;

  stop(): void {
    this.stopped = true;
    this.unwatch();
    this.deps.scheduler.cancel(this.retry);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.drain();
      } while (this.again && !this.stopped);
    } catch (err) {
      this.deps.log.warn(
        { deliveryStream: this.stream.arn, source: this.sourceName, err: (err as Error).message },
        `reading the ${this.kind} source failed; retrying`,
      );
      this.retryLater();
    } finally {
      this.draining = false;
    }
  }

  protected retryLater(afterMs = RETRY_MS): void {
    if (this.stopped || this.deps.scheduler.isPending(this.retry)) return;
    this.retry = this.deps.scheduler.at(this.deps.clock.now() + afterMs, () => this.wake());
  }

  protected warnOnce(key: string, text: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.deps.log.warn({ deliveryStream: this.stream.arn, source: this.sourceName }, text);
  }
}

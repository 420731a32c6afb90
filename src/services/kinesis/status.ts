import type * as K from '@aws-sdk/client-kinesis';
import type { Clock } from '../../core/clock.js';
import type { Scheduler, Timer } from '../../core/scheduler.js';
import type { StreamPassage, StreamRecord, StreamStorage } from '../../storage/types.js';
import { kinesisError } from './errors.js';

/**
 * What an operation needs of a stream's status (Kinesis API Reference, StreamDescription and each
 * operation's ResourceInUseException):
 * - `change`: ACTIVE only. Resharding, mode, retention and encryption changes put the stream in
 *   UPDATING, and a second one while it is not ACTIVE is refused.
 * - `settings`: ACTIVE or UPDATING (tags, enhanced monitoring, the record size limit).
 * - `shards`: shards exist (not CREATING); ListShards answers ResourceInUseException otherwise.
 * - `records`: reads and writes, which "continue to work while the stream is in the UPDATING state"
 *   and may go on while DELETING; on a stream still CREATING, AWS answers that it is not found.
 * - `delete`: anything but DELETING (AWS lets a CREATING stream be deleted).
 */
export type StatusNeed = 'change' | 'settings' | 'shards' | 'records' | 'delete';

type Passing = StreamPassage['status'];

/** What completes a passage: kept by the node that began it, as it holds code, not data. */
interface Completion {
  complete: () => Promise<void> | void;
  timer?: Timer;
}

const SETTLED = Promise.resolve();

/**
 * Stream statuses in passing. A stream with no passage is ACTIVE. The passages themselves (status,
 * due time) live in the stream storage, shared by every node; what completes each one stays here.
 * With the default delay of 0 nothing is ever in passing: each change completes before its request
 * is answered, so the SDK waiters (which sleep 10 s after a poll that does not satisfy them)
 * succeed on their first poll. With a delay, a passage ends `delayMs` after it began on the
 * injectable clock: every Kinesis request first completes the ones that have fallen due, so
 * `clock.advance` moves them on deterministically, and the scheduler completes them on time when
 * nothing asks.
 */
export class StreamStatuses {
  private readonly completions = new Map<string, Completion>();

  constructor(
    private readonly streams: StreamStorage,
    private readonly clock: Clock,
    readonly delayMs = 0,
    private readonly scheduler?: Scheduler,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Whether no stream is in passing, so there is nothing to settle (always, with no delay). */
  get idle(): boolean {
    return !this.streams.anyInPassing;
  }

  status(arn: string): K.StreamStatus {
    return this.streams.passage(arn)?.status ?? 'ACTIVE';
  }

  /** Whether the stream shows its shards: not while it is being created, nor if it never was. */
  hasShards(arn: string): boolean {
    const p = this.streams.passage(arn);
    return !p || (p.status !== 'CREATING' && !p.neverActive);
  }

  /**
   * Puts a stream in `status` until the delay has passed, then runs `complete`. With no delay the
   * change completes before the request is answered, as durable as any other write.
   */
  async begin(arn: string, status: Passing, complete: () => Promise<void> | void = () => {}): Promise<void> {
    if (this.delayMs === 0) {
      await complete();
      return;
    }
    const previous = this.streams.passage(arn);
    // A delete replaces whatever was under way: the reshard or setting never lands.
    this.scheduler?.cancel(this.completions.get(arn)?.timer);
    const due = this.clock.now() + this.delayMs;
    const completion: Completion = { complete };
    if (this.scheduler) {
      completion.timer = this.scheduler.at(due, () => {
        this.settle().catch(this.onError);
      });
    }
    this.completions.set(arn, completion);
    this.streams.setPassage(arn, {
      status,
      due,
      neverActive: previous?.status === 'CREATING' || previous?.neverActive === true,
    });
  }

  /** Completes every passage whose time has come, in the order they fall due. */
  settle(): Promise<void> {
    if (!this.streams.anyInPassing) return SETTLED;
    const now = this.clock.now();
    const due = this.streams
      .passages()
      .filter(([, p]) => p.due <= now)
      .sort(([, a], [, b]) => a.due - b.due);
    if (due.length === 0) return SETTLED;
    const completions: Array<Promise<void>> = [];
    for (const [arn] of due) {
      this.streams.setPassage(arn, undefined);
      const completion = this.completions.get(arn);
      this.completions.delete(arn);
      // A passage with nothing here to complete it (begun by a node that is gone) just ends.
      if (!completion) continue;
      this.scheduler?.cancel(completion.timer);
      // Run now (an async function runs up to its first await), so the change is in place for
      // whoever looks next; a failure is the server's to log, not the request's that happened by.
      const run = async () => completion.complete();
      completions.push(run().catch(this.onError));
    }
    return Promise.all(completions).then(() => undefined);
  }

  /** Throws AWS's error when the stream's status does not allow what the operation needs. */
  require(stream: StreamRecord, need: StatusNeed): void {
    const status = this.status(stream.arn);
    const notActive = () =>
      kinesisError.inUse(
        `Stream ${stream.name} under account ${stream.account} not ACTIVE, instead in state ${status}`,
      );
    switch (need) {
      case 'change':
        if (status !== 'ACTIVE') throw notActive();
        return;
      case 'settings':
        if (status !== 'ACTIVE' && status !== 'UPDATING') throw notActive();
        return;
      case 'shards':
        if (!this.hasShards(stream.arn)) throw notActive();
        return;
      case 'records':
        if (!this.hasShards(stream.arn)) throw kinesisError.notFound(stream.name, stream.account);
        return;
      case 'delete':
        if (status === 'DELETING') throw notActive();
        return;
    }
  }

  /** Forgets the passages' completions; the storage's own reset drops the passages. */
  reset(): void {
    for (const c of this.completions.values()) this.scheduler?.cancel(c.timer);
    this.completions.clear();
  }
}

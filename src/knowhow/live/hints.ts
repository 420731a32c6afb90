import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler } from '../../core/scheduler.js';
import { type LiveSource, matches, type Scope } from './sources.js';

/** How often (clock time) the hints only a state shows are looked for, to log them as they happen. */
export const STATE_HINTS_EVERY_MS = 60_000;

/**
 * What only a running Tideway shows: hints recorded by the services as requests show a mistake,
 * served at `GET /_tideway/doctor/hints` and read by `tideway doctor`.
 */
export type HintKind =
  /** Deliveries dropped because a target's or DLQ's policy did not allow the service. */
  | 'dropped-deliveries'
  /** ReceiveMessage asked for system attributes (AWSTraceHeader, SentTimestamp…) in MessageAttributeNames. */
  | 'system-attribute-as-message-attribute'
  /** Short-polling receives on an empty queue, over and over. */
  | 'short-polling-empty-receives'
  /** A Kinesis consumer whose iterator age keeps growing. */
  | 'consumer-falling-behind'
  /** A queue whose oldest message nears the retention period. */
  | 'retention-nearing'
  /** SNS newline-delimits what it puts into a delivery stream whose AppendDelimiterToRecord adds another. */
  | 'sns-firehose-double-newline';

export interface RuntimeHint {
  kind: HintKind;
  account: string;
  region: string;
  /** ARN of the resource the hint is about. */
  resource: string;
  /** How many times it was seen since start. */
  count: number;
  /** Clock time (ms) of the first and latest occurrence. */
  firstSeen: number;
  lastSeen: number;
  message: string;
  fix: string;
}

export interface HintInput {
  kind: HintKind;
  /** ARN of the resource; its account and region are read from it. */
  resource: string;
  message: string;
  fix: string;
}

/**
 * Empty short-poll receives on one queue within SHORT_POLL_WINDOW_MS that make a hint: a consumer
 * polling in a loop reaches it in seconds, one that polls now and then never does.
 */
export const SHORT_POLL_EMPTY_THRESHOLD = 10;
export const SHORT_POLL_WINDOW_MS = 60_000;
/** A Kinesis reader this far behind the tip of its shard, and not catching up, is falling behind. */
export const FALLING_BEHIND_MS = 60_000;
/** The share of MessageRetentionPeriod past which a queue's oldest message makes a hint. */
export const RETENTION_NEARING_SHARE = 0.8;

/** Names SQS only returns as system attributes (MessageSystemAttributeNames / AttributeNames). */
export const SYSTEM_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  'AWSTraceHeader',
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'DeadLetterQueueSourceArn',
]);

interface ShortPollWindow {
  start: number;
  empty: number;
}

/** Splits `arn:aws:service:region:account:…`; empty strings when the ARN has no such parts. */
export function arnScope(arn: string): { account: string; region: string } {
  const parts = arn.split(':');
  return { region: parts[3] ?? '', account: parts[4] ?? '' };
}

/**
 * The server's record of runtime hints. Services call it on their request paths, so each call is
 * a map update at most; each hint is logged at warn level once per resource and kind, with its
 * fix, and only counted after that.
 */
export class HintRecorder {
  private readonly hints = new Map<string, RuntimeHint>();
  private readonly shortPolls = new Map<string, ShortPollWindow>();
  /** Reader ARN → shard id → its latest MillisBehindLatest (0 for any value under the bar). */
  private readonly lags = new Map<string, Map<string, number>>();
  private readonly announced = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * Counts one occurrence. `logged`: the service already warns about it in its own words (SNS's
   * drops), so the hint adds no second warning.
   */
  record(input: HintInput, logged = false): void {
    const key = `${input.kind}\n${input.resource}`;
    const now = this.clock.now();
    const known = this.hints.get(key);
    if (known) {
      known.count++;
      known.lastSeen = now;
      // The latest occurrence speaks for the hint: its message and its fix name the same things.
      known.message = input.message;
      known.fix = input.fix;
      return;
    }
    const { account, region } = arnScope(input.resource);
    const hint = { ...input, account, region, count: 1, firstSeen: now, lastSeen: now };
    this.hints.set(key, hint);
    if (logged) this.announced.add(key);
    else this.announce(hint);
  }

  /** Logs a hint at warn level with its fix, the first time its kind is seen on its resource. */
  announce(hint: HintInput): void {
    const key = `${hint.kind}\n${hint.resource}`;
    if (this.announced.has(key)) return;
    this.announced.add(key);
    this.log.warn(
      { hint: hint.kind, resource: hint.resource, fix: hint.fix },
      `${hint.message} Fix: ${hint.fix} (not logged again for this resource: tideway doctor lists it)`,
    );
  }

  /** A ReceiveMessage as SQS answered it: system attribute names asked as message attributes, empty short polls. */
  receive(
    queueArn: string,
    messageAttributeNames: readonly string[] | undefined,
    waitSeconds: number,
    empty: boolean,
  ): void {
    if (messageAttributeNames && messageAttributeNames.length > 0)
      this.systemNames(queueArn, messageAttributeNames);
    if (waitSeconds === 0) this.shortPoll(queueArn, empty);
  }

  private systemNames(queueArn: string, names: readonly string[]): void {
    // Every receive that names attributes passes here: the loop allocates nothing unless one is misplaced.
    let found = false;
    for (const name of names) {
      if (SYSTEM_ATTRIBUTE_NAMES.has(name)) {
        found = true;
        break;
      }
    }
    if (!found) return;
    const misplaced = names.filter((name) => SYSTEM_ATTRIBUTE_NAMES.has(name));
    this.record({
      kind: 'system-attribute-as-message-attribute',
      resource: queueArn,
      message: `ReceiveMessage on ${queueArn} asked for ${misplaced.join(', ')} in MessageAttributeNames, where system attributes never appear.`,
      fix: `Ask for ${misplaced.join(', ')} in MessageSystemAttributeNames (AttributeNames in older SDKs) instead of MessageAttributeNames.`,
    });
  }

  private shortPoll(queueArn: string, empty: boolean): void {
    if (!empty) {
      // A receive that got messages, the common case, costs a size check while no queue is counting.
      if (this.shortPolls.size > 0) this.shortPolls.delete(queueArn);
      return;
    }
    const now = this.clock.now();
    let window = this.shortPolls.get(queueArn);
    if (!window || now - window.start > SHORT_POLL_WINDOW_MS) {
      window = { start: now, empty: 0 };
      this.shortPolls.set(queueArn, window);
    }
    window.empty++;
    if (window.empty < SHORT_POLL_EMPTY_THRESHOLD) return;
    this.record({
      kind: 'short-polling-empty-receives',
      resource: queueArn,
      // The count doctor prints is of such receives; the window only says when they start to count.
      message: `Short-polling receives (WaitTimeSeconds 0) on ${queueArn} keep coming back empty (${SHORT_POLL_EMPTY_THRESHOLD} or more within ${SHORT_POLL_WINDOW_MS / 1000} seconds): each one is a billed request, and short polling samples only some of SQS's servers.`,
      fix: 'Long-poll: set the queue attribute ReceiveMessageWaitTimeSeconds to 20, or pass WaitTimeSeconds 20 to ReceiveMessage.',
    });
  }

  /**
   * A Kinesis read's MillisBehindLatest for one reader of one shard (`reader` is the stream ARN for
   * GetRecords, the consumer ARN for SubscribeToShard): a hint when it is past FALLING_BEHIND_MS
   * and did not shrink since the reader's previous read.
   */
  kinesisLag(streamArn: string, reader: string, shardId: string, millisBehind: number): void {
    // Called on every GetRecords and every SubscribeToShard batch: nested maps keyed by the strings
    // at hand, so the common case (a reader near the tip) builds no key and writes nothing.
    let shards = this.lags.get(reader);
    if (shards === undefined) {
      shards = new Map();
      this.lags.set(reader, shards);
    }
    const previous = shards.get(shardId);
    if (millisBehind <= FALLING_BEHIND_MS) {
      // Any later read past the bar has grown from a value under it, so the exact value is moot.
      if (previous === undefined || previous > FALLING_BEHIND_MS) shards.set(shardId, 0);
      return;
    }
    shards.set(shardId, millisBehind);
    if (previous === undefined || millisBehind < previous) return;
    const seconds = Math.round(millisBehind / 1000);
    this.record({
      kind: 'consumer-falling-behind',
      resource: streamArn,
      message: `A consumer of ${streamArn} (shard ${shardId}${reader === streamArn ? '' : `, consumer ${reader}`}) is ${seconds} seconds behind the latest record and not catching up: records expire at the end of the retention period before it reads them.`,
      fix: 'Read faster: more consumer instances (one per shard), bigger batches (Limit), enhanced fan-out (SubscribeToShard) for several readers, or more shards; alarm on GetRecords.IteratorAgeMilliseconds.',
    });
  }

  list(filter: Partial<Scope> = {}): RuntimeHint[] {
    return [...this.hints.values()].filter((h) => matches(h, filter)).map((h) => ({ ...h }));
  }

  /**
   * Logs the hints that no request shows but a state does (a queue's oldest message nearing its
   * retention period) as they happen: the sources are asked once a minute of clock time, which
   * costs a look at each queue's oldest message and nothing on any request.
   */
  watch(sources: () => readonly LiveSource[], scheduler: Scheduler): void {
    const tick = () => {
      this.lookAt(sources(), this.clock.now()).catch((err) =>
        this.log.debug({ err }, 'could not look for state hints'),
      );
      scheduler.at(this.clock.now() + STATE_HINTS_EVERY_MS, tick);
    };
    scheduler.at(this.clock.now() + STATE_HINTS_EVERY_MS, tick);
  }

  /**
   * The hints the sources' state shows now, each logged the first time unless its service warns
   * about it in its own words (`hintsLogged`).
   */
  async lookAt(sources: readonly LiveSource[], now: number): Promise<RuntimeHint[]> {
    const computed: RuntimeHint[] = [];
    for (const source of sources) {
      const found = (await source.hints?.(now)) ?? [];
      if (!source.hintsLogged) for (const hint of found) this.announce(hint);
      computed.push(...found);
    }
    return computed;
  }

  clear(): void {
    this.hints.clear();
    this.announced.clear();
    this.shortPolls.clear();
    this.lags.clear();
  }
}

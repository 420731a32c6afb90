import type * as K from '@aws-sdk/client-kinesis';
import type { Clock } from '../../core/clock.js';
import type { Scheduler, Timer } from '../../core/scheduler.js';
import type { HintRecorder } from '../../knowhow/live/hints.js';
import { EventStreamOutput, type StreamedEvent } from '../../protocols/event-stream.js';
import type { RequestContext } from '../../protocols/service.js';
import type { StreamRecord, StreamStorage } from '../../storage/types.js';
import { consumerStatus, type StreamConsumers } from './consumers.js';
import { kinesisError } from './errors.js';
import { readBatch, shardOf, startAfter } from './shard-reader.js';

// SubscribeToShard: records pushed over an event stream as they arrive. AWS ends a subscription
// after 5 minutes; a second one for the same consumer and shard is refused for its first 5
// seconds and takes over after that; an idle shard still gets an event every 5 seconds, whose
// ContinuationSequenceNumber lets the consumer checkpoint without data.

const SUBSCRIPTION_MS = 5 * 60_000;
const TAKEOVER_AFTER_MS = 5_000;
const HEARTBEAT_MS = 5_000;
const MAX_EVENT_RECORDS = 10_000;
const MAX_EVENT_BYTES = 2 * 1024 * 1024;

interface Subscription {
  startedAt: number;
  /** Ends the subscription's event stream at its next step. */
  end(): void;
}

export class ShardSubscriptions {
  private readonly active = new Map<string, Subscription>();

  constructor(
    private readonly streams: StreamStorage,
    private readonly consumers: StreamConsumers,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    /** An encrypted stream's key must let each read in (throws Kinesis's KMS error). */
    private readonly checkRead: (stream: StreamRecord) => void = () => {},
    /** Readers falling behind, for `tideway doctor`. */
    private readonly hints?: HintRecorder,
  ) {}

  subscribe(input: K.SubscribeToShardInput, ctx: RequestContext): EventStreamOutput {
    const { stream, consumer } = this.consumers.find({ ConsumerARN: input.ConsumerARN }, ctx);
    const now = this.clock.now();
    if (consumerStatus(consumer, now) !== 'ACTIVE') {
      throw kinesisError.inUse(
        `Consumer ${consumer.name} with creation timestamp ${Math.floor(consumer.createdAt / 1000)} under stream: ${stream.name} , account ${stream.account} is not in ACTIVE status.`,
      );
    }
    const shard = shardOf(this.streams, stream, input.ShardId);
    const position = input.StartingPosition;
    let after = startAfter(
      this.streams,
      stream,
      shard.id,
      { type: position?.Type, sequenceNumber: position?.SequenceNumber, timestamp: position?.Timestamp },
      'startingPosition.type',
    );
    const key = `${consumer.arn} ${shard.id}`;
    const existing = this.active.get(key);
    if (existing && now - existing.startedAt < TAKEOVER_AFTER_MS) {
      throw kinesisError.inUse(
        `Another active subscription exists for this consumer: ${stream.account}:${stream.name}:${shard.id}:${consumer.name}`,
      );
    }
    if (input.DryRun) {
      throw kinesisError.dryRun();
    }
    existing?.end();

    // Everything that can wake the subscription ends up here: new records, a reshard, a change
    // to the consumer, a timer, the client going away.
    let wake: (() => void) | undefined;
    // Set by a nudge that came while the stream was busy sending, so it is not missed.
    let pending = false;
    const nudge = () => {
      pending = true;
      const w = wake;
      wake = undefined;
      w?.();
    };
    let ended = false;
    const subscription: Subscription = {
      startedAt: now,
      end: () => {
        ended = true;
        nudge();
      },
    };
    this.active.set(key, subscription);
    const signal = ctx.signal;
    const streams = this.streams;
    const clock = this.clock;
    const scheduler = this.scheduler;
    const release = () => {
      if (this.active.get(key) === subscription) this.active.delete(key);
    };
    // A client gone before the first event is pulled never runs the generator's cleanup.
    signal?.addEventListener('abort', release, { once: true });
    const startingSequence = BigInt(shard.startingSequenceNumber);
    const arn = stream.arn;
    const consumerArn = consumer.arn;
    const checkRead = this.checkRead;
    const hints = this.hints;

    async function* events(): AsyncGenerator<StreamedEvent> {
      const unwatch = streams.watch(arn, nudge);
      const onAbort = () => subscription.end();
      signal?.addEventListener('abort', onAbort);
      const endTimer = scheduler.at(now + SUBSCRIPTION_MS, () => subscription.end());
      let heartbeat: Timer | undefined;
      let first = true;
      try {
        while (!ended && !signal?.aborted) {
          pending = false;
          const current = streams.getStream(arn);
          if (!current) throw kinesisError.notFound(stream.name, stream.account);
          // A key disabled mid-subscription ends it with the KMS exception event, as GetRecords fails.
          checkRead(current);
          const mine = current.consumers?.find((c) => c.arn === consumerArn);
          if (!mine || consumerStatus(mine, clock.now()) !== 'ACTIVE') break;
          const batch = readBatch(
            streams,
            current,
            shard.id,
            after,
            MAX_EVENT_RECORDS,
            MAX_EVENT_BYTES,
            clock.now(),
          );
          const due = heartbeat === undefined || !scheduler.isPending(heartbeat);
          hints?.kinesisLag(arn, consumerArn, shard.id, batch.millisBehindLatest);
          if (first || due || batch.records.length > 0 || batch.childShards) {
            first = false;
            after = batch.last;
            const value: Record<string, unknown> = {
              Records: batch.records,
              MillisBehindLatest: batch.millisBehindLatest,
            };
            if (batch.childShards) {
              // The end of a closed shard: its children, and nothing to continue from.
              value.ChildShards = batch.childShards;
              yield { type: 'SubscribeToShardEvent', value };
              return;
            }
            value.ContinuationSequenceNumber = (
              after > startingSequence ? after : startingSequence
            ).toString();
            yield { type: 'SubscribeToShardEvent', value };
            scheduler.cancel(heartbeat);
            heartbeat = scheduler.at(clock.now() + HEARTBEAT_MS, nudge);
            if (batch.records.length > 0) continue;
          }
          if (!pending) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
        }
      } finally {
        unwatch();
        signal?.removeEventListener('abort', onAbort);
        signal?.removeEventListener('abort', release);
        scheduler.cancel(endTimer);
        scheduler.cancel(heartbeat);
        release();
      }
    }
    return new EventStreamOutput(events());
  }
}

import type * as K from '@aws-sdk/client-kinesis';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../protocols/service.js';
import type { StreamConsumer, StreamRecord, StreamStorage } from '../../storage/types.js';
import { CONSUMER_ARN, consumerArn } from './arns.js';
import { kinesisError } from './errors.js';
import { authorizeConsumerAccess } from './resource-policies.js';

// Enhanced fan-out consumers. A consumer's status is worked out from its timestamps rather than
// flipped by timers: CREATING until `activeAt`, ACTIVE after, DELETING from deregistration until
// `goneAt`. Nothing is lost when a timer would not fire (a restart with --data-dir), and the
// injectable clock moves every consumer along at once.

/**
 * AWS: at most 20 consumers per stream (50 in an account with the On-demand Advantage
 * commitment), and at most 5 of them CREATING at once.
 */
const MAX_CONSUMERS = 20;
const MAX_CONSUMERS_COMMITTED = 50;
const MAX_CREATING = 5;
const MAX_TAGS = 50;
/** Consumer operations take a ConsumerARN whose creation time has at most this many digits. */
const MAX_CREATION_DIGITS = 20;
const DEFAULT_PAGE = 100;

export type ConsumerStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export function consumerStatus(c: StreamConsumer, now: number): ConsumerStatus | undefined {
  if (c.goneAt !== undefined) return now < c.goneAt ? 'DELETING' : undefined;
  return now < c.activeAt ? 'CREATING' : 'ACTIVE';
}

/** A stream's consumers that still exist at `now` (deregistered ones linger until `goneAt`). */
export function liveConsumers(stream: StreamRecord, now: number): StreamConsumer[] {
  return (stream.consumers ?? []).filter((c) => consumerStatus(c, now) !== undefined);
}

export interface FoundConsumer {
  stream: StreamRecord;
  consumer: StreamConsumer;
}

export class StreamConsumers {
  constructor(
    private readonly streams: StreamStorage,
    private readonly clock: Clock,
    /** Finds a stream the caller may use, by name or ARN, with Kinesis's errors. */
    private readonly lookup: (input: { StreamARN?: string }, ctx: RequestContext) => StreamRecord,
    /** How long a consumer stays CREATING, and DELETING (the streams' status delay). */
    private readonly transitionMs: () => number,
    /** Whether the stream's account has the On-demand Advantage commitment. */
    private readonly committed: (stream: StreamRecord) => boolean,
  ) {}

  async register(
    input: K.RegisterStreamConsumerInput,
    ctx: RequestContext,
  ): Promise<K.RegisterStreamConsumerOutput> {
    const stream = this.lookup({ StreamARN: input.StreamARN }, ctx);
    // The model's constraints (length, pattern) were checked before the stream was looked up.
    const name = input.ConsumerName!;
    const tags = input.Tags ?? {};
    if (Object.keys(tags).length > MAX_TAGS) {
      throw kinesisError.invalidArgument(`A resource cannot have more than ${MAX_TAGS} tags.`);
    }
    const now = this.clock.now();
    const live = liveConsumers(stream, now);
    if (live.some((c) => c.name === name)) {
      throw kinesisError.inUse(
        `Consumer ${name} under stream ${stream.name} already exists for account ${stream.account}.`,
      );
    }
    const max = this.committed(stream) ? MAX_CONSUMERS_COMMITTED : MAX_CONSUMERS;
    if (live.length >= max) {
      throw kinesisError.limitExceeded(
        `Consumer limit of ${max} reached for stream ${stream.name} under account ${stream.account}.`,
      );
    }
    if (live.filter((c) => consumerStatus(c, now) === 'CREATING').length >= MAX_CREATING) {
      throw kinesisError.limitExceeded(
        `Stream ${stream.name} under account ${stream.account} already has ${MAX_CREATING} consumers in CREATING status. Wait for one to become ACTIVE.`,
      );
    }
    const consumer: StreamConsumer = {
      name,
      arn: consumerArn(stream.arn, name, now),
      createdAt: now,
      activeAt: now + this.transitionMs(),
      tags: { ...tags },
    };
    await this.streams.updateStream({ ...stream, consumers: [...live, consumer] });
    return { Consumer: this.view(consumer, now) };
  }

  describe(input: K.DescribeStreamConsumerInput, ctx: RequestContext): K.DescribeStreamConsumerOutput {
    const { stream, consumer } = this.find(input, ctx);
    return { ConsumerDescription: { ...this.view(consumer, this.clock.now()), StreamARN: stream.arn } };
  }

  list(input: K.ListStreamConsumersInput, ctx: RequestContext): K.ListStreamConsumersOutput {
    const stream = this.lookup({ StreamARN: input.StreamARN }, ctx);
    if (
      input.StreamCreationTimestamp !== undefined &&
      Math.floor(input.StreamCreationTimestamp.getTime() / 1000) !== Math.floor(stream.createdAt / 1000)
    ) {
      throw kinesisError.notFound(stream.name, stream.account);
    }
    const max = input.MaxResults ?? DEFAULT_PAGE;
    let from = 0;
    if (input.NextToken !== undefined) {
      const token = decodeToken(input.NextToken);
      if (!token || token.stream !== stream.arn) {
        throw kinesisError.invalidArgument(`Invalid NextToken: ${input.NextToken}`);
      }
      from = token.offset;
    }
    const now = this.clock.now();
    const live = liveConsumers(stream, now);
    const page = live.slice(from, from + max);
    const more = from + max < live.length;
    return {
      Consumers: page.map((c) => this.view(c, now)),
      NextToken: more ? encodeToken(stream.arn, from + max) : undefined,
    };
  }

  async deregister(input: K.DeregisterStreamConsumerInput, ctx: RequestContext): Promise<void> {
    const { stream, consumer } = this.find(input, ctx);
    const now = this.clock.now();
    if (consumerStatus(consumer, now) === 'DELETING') return;
    await this.replace(stream, consumer, { ...consumer, goneAt: now + this.transitionMs() });
  }

  // TagResource and friends on a consumer ARN (consumers take tags as streams do).

  async tag(arn: string, tags: Record<string, string>, ctx: RequestContext): Promise<void> {
    const { stream, consumer } = this.find({ ConsumerARN: arn }, ctx);
    const merged = { ...consumer.tags, ...tags };
    if (Object.keys(merged).length > MAX_TAGS) {
      throw kinesisError.invalidArgument(`A resource cannot have more than ${MAX_TAGS} tags.`);
    }
    await this.replace(stream, consumer, { ...consumer, tags: merged });
  }

  async untag(arn: string, keys: string[], ctx: RequestContext): Promise<void> {
    const { stream, consumer } = this.find({ ConsumerARN: arn }, ctx);
    const tags = { ...consumer.tags };
    for (const key of keys) delete tags[key];
    await this.replace(stream, consumer, { ...consumer, tags });
  }

  tags(arn: string, ctx: RequestContext): K.ListTagsForResourceOutput {
    const { consumer } = this.find({ ConsumerARN: arn }, ctx);
    return { Tags: Object.entries(consumer.tags).map(([Key, Value]) => ({ Key, Value })) };
  }

  private async replace(stream: StreamRecord, old: StreamConsumer, next: StreamConsumer): Promise<void> {
    await this.streams.updateStream({
      ...stream,
      consumers: (stream.consumers ?? []).map((c) => (c === old ? next : c)),
    });
  }

  /** A consumer named by ConsumerARN, or by StreamARN and ConsumerName. */
  find(
    input: { ConsumerARN?: string; StreamARN?: string; ConsumerName?: string },
    ctx: RequestContext,
  ): FoundConsumer {
    let streamArn = input.StreamARN;
    let name = input.ConsumerName;
    if (input.ConsumerARN !== undefined) {
      const m = CONSUMER_ARN.exec(input.ConsumerARN);
      if (!m || m[6].length > MAX_CREATION_DIGITS) {
        throw kinesisError.invalidArgument(`ConsumerARN ${input.ConsumerARN} is invalid.`);
      }
      streamArn = m[1];
      name = m[5];
    } else if (streamArn === undefined || name === undefined) {
      throw kinesisError.invalidArgument(
        'Either ConsumerARN or both ConsumerName and StreamARN must be provided.',
      );
    }
    const stream = this.lookup({ StreamARN: streamArn }, ctx);
    const now = this.clock.now();
    const consumer = liveConsumers(stream, now).find((c) =>
      input.ConsumerARN !== undefined ? c.arn === input.ConsumerARN : c.name === name,
    );
    if (!consumer) {
      throw kinesisError.notFoundText(
        `Consumer ${input.ConsumerARN ?? name} under stream ${stream.name} not found for account ${stream.account}.`,
      );
    }
    authorizeConsumerAccess(stream, consumer.arn, ctx);
    return { stream, consumer };
  }

  private view(c: StreamConsumer, now: number): K.Consumer {
    return {
      ConsumerName: c.name,
      ConsumerARN: c.arn,
      ConsumerStatus: consumerStatus(c, now),
      ConsumerCreationTimestamp: new Date(Math.floor(c.createdAt / 1000) * 1000),
    };
  }
}

function encodeToken(stream: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: stream, o: offset })).toString('base64url');
}

function decodeToken(token: string): { stream: string; offset: number } | undefined {
  try {
    const { s, o } = JSON.parse(Buffer.from(token, 'base64url').toString());
    return typeof s === 'string' && Number.isInteger(o) && o >= 0 ? { stream: s, offset: o } : undefined;
  } catch {
    return undefined;
  }
}

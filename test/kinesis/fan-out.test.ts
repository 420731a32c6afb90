import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListStreamConsumersCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SplitShardCommand,
  type StartingPosition,
  SubscribeToShardCommand,
  type SubscribeToShardEvent,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { assertKinesisError, withKinesisServer } from '../support/kinesis.js';
import { advance, errorOf, type RunningTideway, uniqueName } from '../support/tideway.js';

// Enhanced fan-out, after the Kinesis Data Streams API reference (RegisterStreamConsumer,
// DescribeStreamConsumer, ListStreamConsumers, DeregisterStreamConsumer, SubscribeToShard,
// SubscribeToShardEvent) and the developer guide's "Develop enhanced fan-out consumers with the
// Kinesis Data Streams API": events arrive over HTTP/2 as records are written, a subscription
// lasts 5 minutes, and ContinuationSequenceNumber is where the next one picks up.

type Events = AsyncIterator<SubscribeToShardEventStream>;

async function nextEvent(events: Events): Promise<SubscribeToShardEvent> {
  const { value, done } = await events.next();
  assert.equal(done, false, 'the event stream ended early');
  assert.ok(value.SubscribeToShardEvent, `expected a SubscribeToShardEvent, got ${JSON.stringify(value)}`);
  return value.SubscribeToShardEvent;
}

/** Events until `count` records have arrived (events without records are skipped). */
async function collect(events: Events, count: number): Promise<SubscribeToShardEvent[]> {
  const seen: SubscribeToShardEvent[] = [];
  let records = 0;
  while (records < count) {
    const event = await nextEvent(events);
    seen.push(event);
    records += event.Records?.length ?? 0;
  }
  return seen;
}

const text = (data: Uint8Array | undefined) => Buffer.from(data ?? []).toString();

/** Reads on until the stream ends, failing rather than hanging if it goes on (heartbeats due first). */
async function endOf(events: Events, most = 100): Promise<void> {
  for (let i = 0; i < most; i++) {
    if ((await events.next()).done) return;
  }
  assert.fail(`the event stream was still going after ${most} events`);
}

describe('Kinesis enhanced fan-out', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer((s, k) => {
    server = s;
    kinesis = k;
  });

  async function streamWithConsumer(
    shards = 1,
  ): Promise<{ name: string; streamArn: string; consumerArn: string }> {
    const name = uniqueName('efo');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    const streamArn = StreamDescriptionSummary!.StreamARN!;
    const { Consumer } = await kinesis.send(
      new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'reader' }),
    );
    return { name, streamArn, consumerArn: Consumer!.ConsumerARN! };
  }

  async function subscribe(
    consumerArn: string,
    shardId: string,
    position: StartingPosition,
  ): Promise<Events> {
    const { EventStream } = await kinesis.send(
      new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: position }),
    );
    assert.ok(EventStream);
    return EventStream[Symbol.asyncIterator]();
  }

  async function put(name: string, ...texts: string[]): Promise<string[]> {
    const { Records } = await kinesis.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: texts.map((t) => ({ Data: Buffer.from(t), PartitionKey: 'k' })),
      }),
    );
    return Records!.map((r) => r.SequenceNumber!);
  }

  it('registers, describes, lists and deregisters consumers', async () => {
    const { name, streamArn, consumerArn } = await streamWithConsumer();
    assert.match(consumerArn, new RegExp(`^${streamArn}/consumer/reader:\\d+$`));
    const { ConsumerDescription } = await kinesis.send(
      new DescribeStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'reader' }),
    );
    assert.equal(ConsumerDescription?.ConsumerARN, consumerArn);
    assert.equal(ConsumerDescription?.StreamARN, streamArn);
    assert.equal(ConsumerDescription?.ConsumerStatus, 'ACTIVE');
    assert.ok(ConsumerDescription?.ConsumerCreationTimestamp instanceof Date);

    await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'second' }));
    const first = await kinesis.send(new ListStreamConsumersCommand({ StreamARN: streamArn, MaxResults: 1 }));
    assert.deepEqual(
      first.Consumers?.map((c) => c.ConsumerName),
      ['reader'],
    );
    assert.ok(first.NextToken);
    const rest = await kinesis.send(
      new ListStreamConsumersCommand({ StreamARN: streamArn, NextToken: first.NextToken }),
    );
    assert.deepEqual(
      rest.Consumers?.map((c) => c.ConsumerName),
      ['second'],
    );
    assert.equal(rest.NextToken, undefined);
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    assert.equal(summary.StreamDescriptionSummary?.ConsumerCount, 2);

    assertKinesisError(
      await errorOf(() =>
        kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'reader' })),
      ),
      'ResourceInUseException',
    );

    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumerArn }));
    assertKinesisError(
      await errorOf(() => kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }))),
      'ResourceNotFoundException',
    );
    const after = await kinesis.send(new ListStreamConsumersCommand({ StreamARN: streamArn }));
    assert.deepEqual(
      after.Consumers?.map((c) => c.ConsumerName),
      ['second'],
    );
  });

  it('allows 20 consumers per stream', async () => {
    const { streamArn } = await streamWithConsumer();
    for (let i = 1; i < 20; i++) {
      await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: `c${i}` }));
    }
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(
          new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'one-too-many' }),
        ),
      ),
      'LimitExceededException',
    );
  });

  it('pushes stored records, then new ones as they are written', async () => {
    const { name, consumerArn } = await streamWithConsumer();
    const [firstSeq] = await put(name, 'one', 'two');
    const events = await subscribe(consumerArn, 'shardId-000000000000', { Type: 'TRIM_HORIZON' });
    const stored = await collect(events, 2);
    assert.deepEqual(
      stored.flatMap((e) => e.Records!.map((r) => text(r.Data))),
      ['one', 'two'],
    );
    assert.equal(stored[0].Records![0].SequenceNumber, firstSeq);
    assert.ok(stored[0].Records![0].ApproximateArrivalTimestamp instanceof Date);

    const [, lastSeq] = await put(name, 'three', 'four');
    const live = await collect(events, 2);
    assert.deepEqual(
      live.flatMap((e) => e.Records!.map((r) => text(r.Data))),
      ['three', 'four'],
    );
    const last = live[live.length - 1];
    assert.equal(last.ContinuationSequenceNumber, lastSeq);
    assert.equal(last.MillisBehindLatest, 0);
    await events.return?.();
  });

  it('starts at LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER and AT_TIMESTAMP', async () => {
    const { name, consumerArn } = await streamWithConsumer();
    const [a, b] = await put(name, 'a', 'b');
    const shard = 'shardId-000000000000';
    const read = async (position: StartingPosition, expected: string[]) => {
      const events = await subscribe(consumerArn, shard, position);
      // The first event comes at once, with whatever the position has to give.
      const first = await nextEvent(events);
      assert.deepEqual(
        first.Records!.map((r) => text(r.Data)),
        expected,
        JSON.stringify(position),
      );
      await events.return?.();
      // A second subscription to one consumer and shard is refused for 5 seconds: move past them.
      await advance(server, 6);
    };
    await read({ Type: 'AT_SEQUENCE_NUMBER', SequenceNumber: b }, ['b']);
    await read({ Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: a }, ['b']);
    await read({ Type: 'LATEST' }, []);
    await read({ Type: 'AT_TIMESTAMP', Timestamp: new Date(Date.now() - 3_600_000) }, ['a', 'b']);
  });

  it('sends an empty event every 5 seconds on an idle shard, and ends after 5 minutes', async () => {
    const { name, consumerArn } = await streamWithConsumer();
    const [seq] = await put(name, 'only');
    const events = await subscribe(consumerArn, 'shardId-000000000000', { Type: 'TRIM_HORIZON' });
    const first = await nextEvent(events);
    assert.equal(first.Records!.length, 1);
    await advance(server, 5);
    const idle = await nextEvent(events);
    assert.deepEqual(idle.Records, []);
    assert.equal(idle.ContinuationSequenceNumber, seq);
    assert.equal(idle.MillisBehindLatest, 0);
    await advance(server, 300);
    // Whatever heartbeats were due come first; then the stream ends.
    await endOf(events);
  });

  it('refuses a second subscription for 5 seconds, then lets it take over', async () => {
    const { consumerArn } = await streamWithConsumer();
    const shard = 'shardId-000000000000';
    const first = await subscribe(consumerArn, shard, { Type: 'LATEST' });
    await nextEvent(first);
    const refused = await errorOf(() => subscribe(consumerArn, shard, { Type: 'LATEST' }));
    assertKinesisError(refused, 'ResourceInUseException');
    assert.match(refused.message, /^Another active subscription exists for this consumer: /);
    await advance(server, 5);
    const second = await subscribe(consumerArn, shard, { Type: 'LATEST' });
    await nextEvent(second);
    // The first subscription ends once the second takes over (after any heartbeat it had due).
    await endOf(first);
    await second.return?.();
  });

  it('lets a consumer subscribe again at once after its connection closed', async () => {
    const { consumerArn } = await streamWithConsumer();
    const shard = 'shardId-000000000000';
    const hangUp = new AbortController();
    const { EventStream } = await kinesis.send(
      new SubscribeToShardCommand({
        ConsumerARN: consumerArn,
        ShardId: shard,
        StartingPosition: { Type: 'LATEST' },
      }),
      { abortSignal: hangUp.signal },
    );
    await nextEvent(EventStream![Symbol.asyncIterator]());
    hangUp.abort();
    // The 5-second refusal guards a subscription still open, not one whose client went away.
    for (let attempt = 0; ; attempt++) {
      const again = await subscribe(consumerArn, shard, { Type: 'LATEST' }).catch((err) => err);
      if (!(again instanceof Error)) {
        await nextEvent(again);
        break;
      }
      // The hang-up reaches the server a moment after abort() returns on the client.
      assertKinesisError(again, 'ResourceInUseException');
      assert.ok(attempt < 50, 'the closed subscription was never released');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('ends a closed shard with its children, then reads on from a child', async () => {
    const { name, consumerArn } = await streamWithConsumer();
    await put(name, 'before');
    const parent = await subscribe(consumerArn, 'shardId-000000000000', { Type: 'TRIM_HORIZON' });
    assert.deepEqual(
      (await nextEvent(parent)).Records!.map((r) => text(r.Data)),
      ['before'],
    );
    await kinesis.send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (1n << 127n).toString(),
      }),
    );
    const last = await nextEvent(parent);
    assert.deepEqual(last.Records, []);
    assert.equal(last.ContinuationSequenceNumber, undefined);
    assert.deepEqual(
      last.ChildShards?.map((c) => [c.ShardId, c.ParentShards]),
      [
        ['shardId-000000000001', ['shardId-000000000000']],
        ['shardId-000000000002', ['shardId-000000000000']],
      ],
    );
    assert.equal((await parent.next()).done, true);

    // 'k' hashes into the upper half, which shardId-000000000002 took over.
    const child = await subscribe(consumerArn, 'shardId-000000000002', { Type: 'TRIM_HORIZON' });
    await put(name, 'after');
    const events = await collect(child, 1);
    assert.deepEqual(
      events.flatMap((e) => e.Records!.map((r) => text(r.Data))),
      ['after'],
    );
    await child.return?.();
  });

  it('answers AWS errors for unknown consumers and shards, and bad starting positions', async () => {
    const { streamArn, consumerArn } = await streamWithConsumer();
    assertKinesisError(
      await errorOf(() =>
        subscribe(`${streamArn}/consumer/nobody:1`, 'shardId-000000000000', { Type: 'LATEST' }),
      ),
      'ResourceNotFoundException',
    );
    assertKinesisError(
      await errorOf(() => subscribe(consumerArn, 'shardId-000000000009', { Type: 'LATEST' })),
      'ResourceNotFoundException',
    );
    assertKinesisError(
      await errorOf(() => subscribe(consumerArn, 'shardId-000000000000', { Type: 'AT_SEQUENCE_NUMBER' })),
      'InvalidArgumentException',
    );
    // The ARN fails the model's pattern, which AWS checks before it looks for the consumer.
    assertKinesisError(
      await errorOf(() => subscribe('not-an-arn', 'shardId-000000000000', { Type: 'LATEST' })),
      'ValidationException',
      "1 validation error detected: Value 'not-an-arn' at 'consumerARN' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+",
    );
  });

  it('stops pushing when the consumer is deregistered', async () => {
    const { name, consumerArn } = await streamWithConsumer();
    const events = await subscribe(consumerArn, 'shardId-000000000000', { Type: 'LATEST' });
    await nextEvent(events);
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumerArn }));
    await kinesis.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('x'), PartitionKey: 'k' }));
    assert.equal((await events.next()).done, true);
  });
});

// RegisterStreamConsumer: "You can't have more than 5 consumers in a CREATING status at the same
// time"; SubscribeToShard needs the consumer ACTIVE. Both show only with a status delay.
describe('Kinesis consumers with a status delay', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer(
    (s, k) => {
      server = s;
      kinesis = k;
    },
    { kinesisStatusDelayMs: 10_000 },
  );

  it('keeps consumers CREATING, then ACTIVE; DELETING, then gone', async () => {
    const name = uniqueName('efo-delay');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await advance(server, 10);
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    const streamArn = summary.StreamDescriptionSummary!.StreamARN!;
    const registered: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { Consumer } = await kinesis.send(
        new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: `c${i}` }),
      );
      assert.equal(Consumer?.ConsumerStatus, 'CREATING');
      registered.push(Consumer!.ConsumerARN!);
    }
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'sixth' })),
      ),
      'LimitExceededException',
    );
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(
          new SubscribeToShardCommand({
            ConsumerARN: registered[0],
            ShardId: 'shardId-000000000000',
            StartingPosition: { Type: 'LATEST' },
          }),
        ),
      ),
      'ResourceInUseException',
      /is not in ACTIVE status\.$/,
    );
    await advance(server, 10);
    const { ConsumerDescription } = await kinesis.send(
      new DescribeStreamConsumerCommand({ ConsumerARN: registered[0] }),
    );
    assert.equal(ConsumerDescription?.ConsumerStatus, 'ACTIVE');
    await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'sixth' }));

    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: registered[0] }));
    const deleting = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: registered[0] }));
    assert.equal(deleting.ConsumerDescription?.ConsumerStatus, 'DELETING');
    await advance(server, 10);
    assertKinesisError(
      await errorOf(() => kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: registered[0] }))),
      'ResourceNotFoundException',
    );
  });

  it('refuses to delete a stream with consumers unless told to', async () => {
    const name = uniqueName('efo-delete');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await advance(server, 10);
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    await kinesis.send(
      new RegisterStreamConsumerCommand({
        StreamARN: summary.StreamDescriptionSummary!.StreamARN!,
        ConsumerName: 'keeps-it',
      }),
    );
    assertKinesisError(
      await errorOf(() => kinesis.send(new DeleteStreamCommand({ StreamName: name }))),
      'ResourceInUseException',
    );
    await kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
    await advance(server, 10);
    assertKinesisError(
      await errorOf(() => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))),
      'ResourceNotFoundException',
    );
  });
});

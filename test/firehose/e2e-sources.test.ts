// End to end from the other services into Firehose and on to S3: SNS firehose subscriptions,
// EventBridge targets and a Kinesis stream as source, each read back from the bucket.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { ruleWithTargets } from '../events/delivery-fixtures.js';
import { eventsClient } from '../support/events.js';
import { advance, credentials, uniqueName } from '../support/tideway.js';
import {
  directPutStream,
  gunzip,
  landed,
  parseKey,
  records,
  unblockHadoopSnappy,
  unframeSnappy,
} from './e2e-support.js';
import {
  ACCOUNT,
  active,
  appendNewline,
  bucket,
  hints,
  REGION,
  ROLE,
  withFirehoseServer,
} from './integrations-support.js';

const DOUBLE_NEWLINE = 'sns-firehose-double-newline';

describe('SNS → Firehose → S3 end to end', () => {
  const suite = withFirehoseServer();
  let sns: SNSClient;
  before(() => {
    sns = new SNSClient({ endpoint: suite.server.endpoint, region: REGION, credentials, maxAttempts: 1 });
  });
  after(() => sns.destroy());

  async function topicInto(streamArn: string, raw: boolean): Promise<string> {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('e2e-topic') }));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'firehose',
        Endpoint: streamArn,
        ReturnSubscriptionArn: true,
        Attributes: {
          SubscriptionRoleArn: `arn:aws:iam::${ACCOUNT}:role/sns-firehose`,
          ...(raw ? { RawMessageDelivery: 'true' } : {}),
        },
      }),
    );
    return TopicArn!;
  }

  it('archives notifications one JSON document a line, gzipped, in publish order', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, { CompressionFormat: 'GZIP' });
    const topicArn = await topicInto(stream.arn, false);
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const out = await sns.send(
        new PublishCommand({ TopicArn: topicArn, Subject: `s${n}`, Message: `m ${n}` }),
      );
      ids.push(out.MessageId!);
    }
    await advance(suite.server, 61);
    const [object, ...more] = await landed(suite, b.name);
    assert.deepEqual(more, []);
    parseKey(object!.key, stream.name, '.gz');
    const text = gunzip(object!.body).toString('utf8');
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), 'one newline after each notification');
    const docs = text
      .slice(0, -1)
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      docs.map((d) => [d.Type, d.MessageId, d.TopicArn, d.Subject, d.Message]),
      ids.map((id, n) => ['Notification', id, topicArn, `s${n}`, `m ${n}`]),
    );
    for (const d of docs) assert.match(d.Timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.deepEqual(await hintsFor(stream.arn), []);
  });

  it('archives raw messages newline-delimited, byte for byte', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn);
    const topicArn = await topicInto(stream.arn, true);
    const messages = ['{"order":1}', 'plain text', 'ünïcödé ✓', '{"order":2}'];
    for (const m of messages) await sns.send(new PublishCommand({ TopicArn: topicArn, Message: m }));
    await advance(suite.server, 61);
    const [object] = await landed(suite, b.name);
    assert.ok(object!.body.equals(Buffer.from(messages.map((m) => `${m}\n`).join(''), 'utf8')));
  });

  it('doubles the newline with AppendDelimiterToRecord, raw or not, and hints once per stream', async () => {
    const b = await bucket(suite.s3);
    const rawStream = await directPutStream(suite, b.arn, { ProcessingConfiguration: appendNewline });
    const jsonStream = await directPutStream(suite, b.arn, { ProcessingConfiguration: appendNewline });
    const rawTopic = await topicInto(rawStream.arn, true);
    const jsonTopic = await topicInto(jsonStream.arn, false);
    for (const m of ['one', 'two', 'three']) {
      await sns.send(new PublishCommand({ TopicArn: rawTopic, Message: m }));
      await sns.send(new PublishCommand({ TopicArn: jsonTopic, Message: m }));
    }
    await advance(suite.server, 61);
    const found = await landed(suite, b.name, 2);
    const raw = found.find((o) => o.key.includes(rawStream.name))!;
    const json = found.find((o) => o.key.includes(jsonStream.name))!;
    assert.equal(raw.body.toString('utf8'), 'one\n\ntwo\n\nthree\n\n');
    const jsonText = json.body.toString('utf8');
    const parts = jsonText.split('\n\n');
    assert.equal(parts.pop(), '');
    assert.deepEqual(
      parts.map((p) => JSON.parse(p).Message),
      ['one', 'two', 'three'],
    );
    assert.deepEqual(await hintsFor(rawStream.arn), [1]);
    assert.deepEqual(await hintsFor(jsonStream.arn), [1]);
  });

  async function hintsFor(streamArn: string): Promise<number[]> {
    return (await hints(suite.server))
      .filter((h) => h.kind === DOUBLE_NEWLINE && h.resource === streamArn)
      .map((h) => h.count);
  }
});

describe('EventBridge → Firehose → S3 end to end', () => {
  const suite = withFirehoseServer();
  let events: EventBridgeClient;
  before(() => {
    events = eventsClient(suite.server.endpoint);
  });
  after(() => events.destroy());

  it('writes each matched event as its JSON, concatenated, with a delimiter when the stream adds one', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, {
      CompressionFormat: 'Snappy',
      ProcessingConfiguration: appendNewline,
    });
    const rule = await ruleWithTargets(events, { source: ['e2e.orders'] }, [
      { Id: 'archive', Arn: stream.arn, RoleArn: ROLE },
    ]);
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'e2e.orders', DetailType: 'Placed', Detail: '{"order":1}' },
          { Source: 'e2e.other', DetailType: 'Placed', Detail: '{"order":2}' },
          { Source: 'e2e.orders', DetailType: 'Shipped', Detail: '{"order":3}' },
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 0);
    await advance(suite.server, 61);
    const [object] = await landed(suite, b.name);
    parseKey(object!.key, stream.name, '.snappy');
    const text = unframeSnappy(object!.body).toString('utf8');
    assert.ok(text.endsWith('}\n'));
    const docs = text
      .slice(0, -1)
      .split('\n')
      .map((l) => JSON.parse(l));
    const ids = out.Entries!.map((e) => e.EventId);
    assert.deepEqual(
      docs.map((d) => [d.id, d.source, d['detail-type'], d.detail, d.account, d.region, d.resources]),
      [
        [ids[0], 'e2e.orders', 'Placed', { order: 1 }, ACCOUNT, REGION, []],
        [ids[2], 'e2e.orders', 'Shipped', { order: 3 }, ACCOUNT, REGION, []],
      ],
    );
    assert.ok(rule.arn.endsWith(`rule/${rule.name}`));
  });
});

describe('Kinesis → Firehose → S3 end to end', () => {
  const suite = withFirehoseServer();
  let kinesis: KinesisClient;
  before(() => {
    kinesis = new KinesisClient({
      endpoint: suite.server.endpoint,
      region: REGION,
      credentials,
      maxAttempts: 1,
    });
  });
  after(() => kinesis.destroy());

  it('delivers the records of a one-shard stream in sequence order, Hadoop-snappy compressed', async () => {
    const name = uniqueName('e2e-src');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    for (let i = 0; i < 50; i++) {
      const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
      if (StreamDescription?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const source = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
    const b = await bucket(suite.s3);
    const streamName = uniqueName('e2e-from-kinesis');
    await suite.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: streamName,
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: { KinesisStreamARN: source, RoleARN: ROLE },
        ExtendedS3DestinationConfiguration: {
          BucketARN: b.arn,
          RoleARN: ROLE,
          CompressionFormat: 'HADOOP_SNAPPY',
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
        },
      }),
    );
    await active(suite, streamName);
    const data = records(400, 1024, 'k');
    for (let at = 0; at < data.length; at += 100) {
      const out = await kinesis.send(
        new PutRecordsCommand({
          StreamName: name,
          Records: data.slice(at, at + 100).map((Data, i) => ({ Data, PartitionKey: `p${at + i}` })),
        }),
      );
      assert.equal(out.FailedRecordCount, 0);
    }
    // Firehose reads the shard as it goes; the object waits for the buffering interval.
    await advance(suite.server, 61);
    let found = await landed(suite, b.name);
    if (found.length === 1 && unblockHadoopSnappy(found[0]!.body).length < 400 * 1024) {
      // Records read after the first flush start a second buffer.
      await advance(suite.server, 61);
      found = await landed(suite, b.name, 2);
    }
    const decoded = found
      .map((o) => ({ key: parseKey(o.key, streamName, '.hsnappy'), body: unblockHadoopSnappy(o.body) }))
      .sort((x, y) => x.key.time - y.key.time)
      .map((o) => o.body);
    assert.ok(Buffer.concat(decoded).equals(Buffer.concat(data)), 'the records, in order, byte for byte');
  });

  it('opens KPL-aggregated records into their user records', async () => {
    const name = uniqueName('e2e-kpl');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    for (let i = 0; i < 50; i++) {
      const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
      if (StreamDescription?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const b = await bucket(suite.s3);
    const streamName = uniqueName('e2e-from-kpl');
    await suite.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: streamName,
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: {
          KinesisStreamARN: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`,
          RoleARN: ROLE,
        },
        ExtendedS3DestinationConfiguration: {
          BucketARN: b.arn,
          RoleARN: ROLE,
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
          ProcessingConfiguration: appendNewline,
        },
      }),
    );
    await active(suite, streamName);
    const users = ['{"user":1}', '{"user":2}', 'three'];
    await kinesis.send(
      new PutRecordCommand({ StreamName: name, PartitionKey: 'agg', Data: kplAggregate(['a', 'b'], users) }),
    );
    await kinesis.send(
      new PutRecordCommand({ StreamName: name, PartitionKey: 'plain', Data: Buffer.from('plain') }),
    );
    await advance(suite.server, 61);
    const [object] = await landed(suite, b.name);
    assert.equal(object!.body.toString('utf8'), '{"user":1}\n{"user":2}\nthree\nplain\n');
  });
});

/** A protobuf varint. */
function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

const field = (no: number, bytes: Buffer) =>
  Buffer.concat([varint((no << 3) | 2), varint(bytes.length), bytes]);
const number = (no: number, n: number) => Buffer.concat([varint(no << 3), varint(n)]);

/**
 * The KPL's aggregated record: magic, the protobuf AggregatedRecord (partition key table, then
 * records of partition_key_index and data), and the MD5 of that message.
 */
function kplAggregate(keys: string[], data: string[]): Buffer {
  const message = Buffer.concat([
    ...keys.map((k) => field(1, Buffer.from(k))),
    ...data.map((d, i) => field(3, Buffer.concat([number(1, i % keys.length), field(3, Buffer.from(d))]))),
  ]);
  const md5 = createHash('md5').update(message).digest();
  return Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), message, md5]);
}

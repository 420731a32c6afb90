import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { runDoctor } from '../../src/knowhow/doctor.js';
import type { Finding } from '../../src/knowhow/findings.js';
import { fetchHints } from '../../src/knowhow/live/inventory.js';
import { eventsClient } from '../support/events.js';
import { kinesisClient } from '../support/kinesis.js';
import { captureLogger } from '../support/log-capture.js';
import { DEFAULT_ACCOUNT, queueArn } from '../support/queues.js';
import { snsClient } from '../support/sns.js';
import { type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

const FILE = `tideway://${DEFAULT_ACCOUNT}/us-east-1`;

function only(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// What only runtime shows (issue 13, "tideway doctor"). The AWS facts behind each hint:
// - SNS and EventBridge drop deliveries to a queue whose policy does not allow their principal
//   (SNS guide "Amazon SNS message delivery retries"; EventBridge guide "Using dead-letter queues");
// - system attributes come back only through MessageSystemAttributeNames / AttributeNames
//   (SQS API Reference, ReceiveMessage);
// - short polling samples a subset of servers and bills every empty answer (SQS guide, "Amazon SQS
//   short and long polling");
// - MillisBehindLatest is the consumer's lag behind the tip of the shard (Kinesis GetRecords);
// - SQS deletes messages older than MessageRetentionPeriod.
describe('doctor runtime hints', () => {
  let server: RunningTideway;
  let log: ReturnType<typeof captureLogger>;

  beforeEach(async () => {
    log = captureLogger();
    server = await startServer({ logger: log });
  });
  afterEach(() => server.stop());

  const hintWarnings = (kind: string) =>
    log.warnings.filter((w) => (w.fields as { hint?: string }).hint === kind);

  it('counts SNS deliveries dropped by a queue policy without sns.amazonaws.com, logged once', async () => {
    const sqs = sqsClient(server.endpoint);
    await sqs.send(new CreateQueueCommand({ QueueName: 'no-policy' }));
    const sns = snsClient(server.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'drops' }));
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queueArn('no-policy'),
        ReturnSubscriptionArn: true,
      }),
    );
    for (let i = 0; i < 3; i++) await sns.send(new PublishCommand({ TopicArn, Message: `m${i}` }));
    const { findings } = await runDoctor({ endpoint: server.endpoint, rules: [] });
    const drops = only(findings, 'dropped-deliveries');
    assert.equal(drops.length, 1);
    assert.equal(drops[0].severity, 'error');
    assert.equal(drops[0].resource, SubscriptionArn);
    assert.equal(drops[0].file, FILE);
    assert.match(drops[0].message, /seen 3 times since start/);
    assert.match(drops[0].message, /no-policy/);
    assert.match(drops[0].fix, /sns\.amazonaws\.com/);
    // SNS warns once per subscription in its own words; the hint adds no second warning.
    assert.equal(log.warnings.filter((w) => /dropped/.test(w.text)).length, 1);
    assert.equal(hintWarnings('dropped-deliveries').length, 0);
  });

  it('reports EventBridge drops to a target queue without a policy for events.amazonaws.com', async () => {
    const sqs = sqsClient(server.endpoint);
    await sqs.send(new CreateQueueCommand({ QueueName: 'eb-no-policy' }));
    const events = eventsClient(server.endpoint);
    const { RuleArn } = await events.send(
      new PutRuleCommand({ Name: 'to-closed-queue', EventPattern: JSON.stringify({ source: ['app'] }) }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'to-closed-queue',
        Targets: [{ Id: 'q', Arn: queueArn('eb-no-policy') }],
      }),
    );
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 't', Detail: '{}' }] }));
    const hint = await until(
      async () => (await fetchHints(server.endpoint)).find((h) => h.kind === 'dropped-deliveries'),
      'the drop',
    );
    assert.equal(hint.resource, RuleArn);
    const { findings } = await runDoctor({ endpoint: server.endpoint, rules: [] });
    const drops = only(findings, 'dropped-deliveries');
    assert.equal(drops.length, 1);
    assert.equal(drops[0].severity, 'error');
    assert.match(drops[0].message, /eb-no-policy/);
    assert.match(drops[0].fix, /events\.amazonaws\.com/);
  });

  it('counts EventBridge drops to a topic whose policy keeps events.amazonaws.com out, each side logging once', async () => {
    const sns = snsClient(server.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'eb-closed-topic' }));
    const events = eventsClient(server.endpoint);
    const { RuleArn } = await events.send(
      new PutRuleCommand({ Name: 'to-closed-topic', EventPattern: JSON.stringify({ source: ['app'] }) }),
    );
    await events.send(
      new PutTargetsCommand({ Rule: 'to-closed-topic', Targets: [{ Id: 't', Arn: TopicArn }] }),
    );
    for (let i = 0; i < 3; i++) {
      await events.send(
        new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 't', Detail: '{}' }] }),
      );
    }
    const hint = await until(
      async () =>
        (await fetchHints(server.endpoint)).find((h) => h.kind === 'dropped-deliveries' && h.count === 3),
      'three drops',
    );
    assert.equal(hint.resource, RuleArn);
    assert.match(hint.message, /eb-closed-topic/);
    // EventBridge warns once per target, SNS once per topic and source: three drops, two lines.
    const about = log.warnings.filter((w) => w.text.includes(TopicArn!));
    assert.equal(about.length, 2, JSON.stringify(about));
  });

  it('counts SNS deliveries refused by the queue key, and its fix names the key policy', async () => {
    const sns = snsClient(server.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-managed-key' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn('managed-key-queue'),
          Condition: { ArnEquals: { 'aws:SourceArn': TopicArn } },
        },
      ],
    };
    await sqsClient(server.endpoint).send(
      new CreateQueueCommand({
        QueueName: 'managed-key-queue',
        Attributes: { Policy: JSON.stringify(policy), KmsMasterKeyId: 'alias/aws/sqs' },
      }),
    );
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('managed-key-queue') }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'sealed' }));
    const [drop] = only(
      (await runDoctor({ endpoint: server.endpoint, rules: [] })).findings,
      'dropped-deliveries',
    );
    assert.match(drop.message, /alias\/aws\/sqs/);
    assert.match(drop.fix, /customer managed key/);
    assert.match(drop.fix, /kms:GenerateDataKey/);
  });

  it('no drop is reported when the queue policy lets SNS in', async () => {
    const sqs = sqsClient(server.endpoint);
    const sns = snsClient(server.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'open' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn('open-queue'),
          Condition: { ArnEquals: { 'aws:SourceArn': TopicArn } },
        },
      ],
    };
    await sqs.send(
      new CreateQueueCommand({ QueueName: 'open-queue', Attributes: { Policy: JSON.stringify(policy) } }),
    );
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('open-queue') }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'hello' }));
    const { findings } = await runDoctor({ endpoint: server.endpoint, rules: [] });
    assert.deepEqual(only(findings, 'dropped-deliveries'), []);
  });

  it('flags system attribute names asked in MessageAttributeNames, naming the right parameter', async () => {
    const sqs = sqsClient(server.endpoint);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'traced' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MessageAttributeNames: ['AWSTraceHeader', 'SentTimestamp', 'tenant'],
      }),
    );
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['SenderId'] }));
    const { findings } = await runDoctor({ endpoint: server.endpoint, rules: [] });
    const found = only(findings, 'system-attribute-as-message-attribute');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
    assert.equal(found[0].resource, queueArn('traced'));
    assert.match(found[0].message, /seen 2 times/);
    assert.match(found[0].fix, /MessageSystemAttributeNames/);
    // The latest receive speaks: its message and its fix name the same attribute.
    assert.match(found[0].message, /asked for SenderId in/);
    assert.match(found[0].fix, /^Ask for SenderId in/);
    assert.equal(hintWarnings('system-attribute-as-message-attribute').length, 1);
  });

  it('does not flag user attribute names, nor system names asked the right way', async () => {
    const sqs = sqsClient(server.endpoint);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'right-way' }));
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MessageAttributeNames: ['All', 'tenant'],
        MessageSystemAttributeNames: ['AWSTraceHeader', 'SentTimestamp'],
        WaitTimeSeconds: 1,
      }),
    );
    const hints = await fetchHints(server.endpoint);
    assert.deepEqual(hints, []);
  });

  it('flags short polling only from the tenth empty receive within a minute', async () => {
    const sqs = sqsClient(server.endpoint);
    const { QueueUrl: hammered } = await sqs.send(new CreateQueueCommand({ QueueName: 'hammered' }));
    const { QueueUrl: calm } = await sqs.send(new CreateQueueCommand({ QueueName: 'calm' }));
    for (let i = 0; i < 9; i++) await sqs.send(new ReceiveMessageCommand({ QueueUrl: calm }));
    server.clock.advance(61_000);
    for (let i = 0; i < 9; i++) await sqs.send(new ReceiveMessageCommand({ QueueUrl: calm }));
    for (let i = 0; i < 12; i++)
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: hammered, WaitTimeSeconds: 0 }));
    const found = only(
      (await runDoctor({ endpoint: server.endpoint, rules: [] })).findings,
      'short-polling-empty-receives',
    );
    assert.deepEqual(
      found.map((f) => f.resource),
      [queueArn('hammered')],
    );
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /seen 3 times/);
    assert.match(found[0].fix, /ReceiveMessageWaitTimeSeconds to 20/);
  });

  it('does not flag long polling, nor short polls that get messages', async () => {
    const sqs = sqsClient(server.endpoint);
    const { QueueUrl: busy } = await sqs.send(new CreateQueueCommand({ QueueName: 'busy' }));
    const { QueueUrl: long } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'long', Attributes: { ReceiveMessageWaitTimeSeconds: '20' } }),
    );
    for (let i = 0; i < 12; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: busy, MessageBody: `m${i}` }));
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: busy, VisibilityTimeout: 0 }));
      assert.equal(got.Messages?.length, 1);
    }
    await sqs.send(new SendMessageCommand({ QueueUrl: long, MessageBody: 'one' }));
    for (let i = 0; i < 12; i++)
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: long, VisibilityTimeout: 0 }));
    assert.deepEqual(await fetchHints(server.endpoint), []);
  });

  it('flags a Kinesis reader more than a minute behind and not catching up', async () => {
    const kinesis = kinesisClient(server.endpoint);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'lagging', ShardCount: 1 }));
    for (let i = 0; i < 4; i++) {
      await kinesis.send(
        new PutRecordCommand({ StreamName: 'lagging', PartitionKey: 'k', Data: Buffer.from(`r${i}`) }),
      );
      server.clock.advance(1_000);
    }
    server.clock.advance(120_000);
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'lagging',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const first = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
    assert.ok(first.MillisBehindLatest! > 60_000);
    assert.deepEqual(await fetchHints(server.endpoint), [], 'one read far behind is a reader starting late');
    server.clock.advance(10_000);
    const second = await kinesis.send(
      new GetRecordsCommand({ ShardIterator: first.NextShardIterator, Limit: 1 }),
    );
    assert.ok(second.MillisBehindLatest! >= first.MillisBehindLatest!);
    const found = only(
      (await runDoctor({ endpoint: server.endpoint, rules: [] })).findings,
      'consumer-falling-behind',
    );
    assert.equal(found.length, 1);
    assert.equal(found[0].resource, `arn:aws:kinesis:us-east-1:${DEFAULT_ACCOUNT}:stream/lagging`);
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /shard shardId-000000000000/);
  });

  it('does not flag a reader that keeps up', async () => {
    const kinesis = kinesisClient(server.endpoint);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'keeping-up', ShardCount: 1 }));
    let { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'keeping-up',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'LATEST',
      }),
    );
    for (let i = 0; i < 3; i++) {
      await kinesis.send(
        new PutRecordCommand({ StreamName: 'keeping-up', PartitionKey: 'k', Data: Buffer.from('r') }),
      );
      server.clock.advance(90_000);
      const read = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      assert.equal(read.MillisBehindLatest, 0);
      ShardIterator = read.NextShardIterator;
    }
    assert.deepEqual(await fetchHints(server.endpoint), []);
  });

  it('flags a queue whose oldest message is past 80% of its retention period', async () => {
    const sqs = sqsClient(server.endpoint);
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'ageing', Attributes: { MessageRetentionPeriod: '100' } }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'old' }));
    server.clock.advance(70_000);
    assert.deepEqual(await fetchHints(server.endpoint), [], '70% of the period');
    server.clock.advance(15_000);
    const found = only(
      (await runDoctor({ endpoint: server.endpoint, rules: [] })).findings,
      'retention-nearing',
    );
    assert.equal(found.length, 1);
    assert.equal(found[0].resource, queueArn('ageing'));
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /85 seconds old, 85% of its MessageRetentionPeriod \(100 seconds\)/);
    await runDoctor({ endpoint: server.endpoint, rules: [] });
    assert.equal(hintWarnings('retention-nearing').length, 1, 'logged once, however often doctor looks');
    server.clock.advance(20_000);
    const gone = only(
      (await runDoctor({ endpoint: server.endpoint, rules: [] })).findings,
      'retention-nearing',
    );
    assert.deepEqual(gone, [], 'the message expired: nothing is left to lose');
  });

  it('logs a queue nearing its retention period as it happens, without doctor asking', async () => {
    const sqs = sqsClient(server.endpoint);
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'ageing-unwatched',
        Attributes: { MessageRetentionPeriod: '1000' },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'old' }));
    const about = () =>
      hintWarnings('retention-nearing').filter(
        (w) => (w.fields as { resource?: string }).resource === queueArn('ageing-unwatched'),
      );
    server.clock.advance(700_000);
    assert.equal(about().length, 0, '70% of the period');
    // The server looks once a minute of clock time: by 900 s it has seen the message at 80%.
    server.clock.advance(200_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(about().length, 1);
    server.clock.advance(60_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(about().length, 1, 'logged once');
  });

  it('filters hints by account and region, honours --disable, and forgets them on reset', async () => {
    const sqs = sqsClient(server.endpoint);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'scoped' }));
    await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['SenderId'], WaitTimeSeconds: 1 }),
    );
    assert.equal(
      (await fetchHints(server.endpoint, { account: DEFAULT_ACCOUNT, region: 'us-east-1' })).length,
      1,
    );
    assert.deepEqual(await fetchHints(server.endpoint, { region: 'eu-west-1' }), []);
    assert.deepEqual(await fetchHints(server.endpoint, { account: '111122223333' }), []);
    const disabled = await runDoctor({
      endpoint: server.endpoint,
      rules: [],
      disable: ['system-attribute-as-message-attribute'],
    });
    assert.deepEqual(disabled.findings, []);
    await fetch(`${server.endpoint}/_tideway/reset`, { method: 'POST' });
    assert.deepEqual(await fetchHints(server.endpoint), []);
  });
});

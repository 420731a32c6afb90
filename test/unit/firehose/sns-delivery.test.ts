import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import { HintRecorder } from '../../../src/knowhow/live/hints.js';
import { ServiceError } from '../../../src/protocols/errors.js';
import type { RequestContext } from '../../../src/protocols/service.js';
import type { FirehoseFrontDoor, RecordDeliveryOrigin } from '../../../src/services/firehose/front-door.js';
import type { DeliveryStreamRecord } from '../../../src/services/firehose/model.js';
import type { FrontDoors } from '../../../src/services/registry.js';
import { TopicArchive } from '../../../src/services/sns/archive.js';
import { FanOut } from '../../../src/services/sns/fan-out.js';
import { SubscriptionFilters } from '../../../src/services/sns/filters.js';
import { appendsNewline, FirehoseDelivery } from '../../../src/services/sns/firehose-delivery.js';
import type { HttpDelivery } from '../../../src/services/sns/http-delivery.js';
import { Outbox } from '../../../src/services/sns/outbox.js';
import type { Publication } from '../../../src/services/sns/publication.js';
import type { QueueDelivery, QueueMessage } from '../../../src/services/sns/queue-delivery.js';
import { EmbeddedTopics } from '../../../src/storage/embedded/topics.js';
import type { TopicRecord } from '../../../src/storage/types.js';
import { captureLogger } from '../../support/log-capture.js';

const ACCOUNT = '000000000000';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:orders`;
const STREAM = `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/archive`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sns-to-firehose`;
const DLQ = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq`;

function streamRecord(processors?: DeliveryStreamRecord['destination']['extendedS3']): DeliveryStreamRecord {
  return {
    name: 'archive',
    arn: STREAM,
    account: ACCOUNT,
    region: 'us-east-1',
    status: 'ACTIVE',
    type: 'DirectPut',
    versionId: '1',
    created: 0,
    tags: [],
    destination: { id: 'destinationId-000000000001', extendedS3: processors },
  };
}

const withDelimiter = (enabled: boolean, delimiter?: string) =>
  streamRecord({
    BucketARN: 'arn:aws:s3:::archive',
    RoleARN: ROLE,
    BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
    CompressionFormat: 'UNCOMPRESSED',
    EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
    ProcessingConfiguration: {
      Enabled: enabled,
      Processors: [
        {
          Type: 'AppendDelimiterToRecord',
          Parameters:
            delimiter === undefined ? [] : [{ ParameterName: 'Delimiter', ParameterValue: delimiter }],
        },
      ],
    },
  });

interface Put {
  arn: string;
  records: string[];
  origin: RecordDeliveryOrigin;
}

/** SNS's fan-out over a recording Firehose front door (and a recording dead-letter queue). */
async function publishTo(
  options: {
    raw?: boolean;
    redrive?: boolean;
    stream?: DeliveryStreamRecord;
    refuse?: ServiceError;
    publication?: Partial<Publication>;
    times?: number;
  } = {},
) {
  const topics = new EmbeddedTopics();
  const topic: TopicRecord = {
    arn: TOPIC,
    account: ACCOUNT,
    region: 'us-east-1',
    name: 'orders',
    fifo: false,
    attributes: {},
    tags: {},
    createdAt: 0,
  };
  await topics.putTopic(topic);
  const attributes: Record<string, string> = { SubscriptionRoleArn: ROLE };
  if (options.raw) attributes.RawMessageDelivery = 'true';
  if (options.redrive) attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: DLQ });
  await topics.putSubscription({
    arn: `${TOPIC}:sub-1`,
    topicArn: TOPIC,
    owner: ACCOUNT,
    protocol: 'firehose',
    endpoint: STREAM,
    attributes,
    confirmed: true,
    createdAt: 0,
  });
  const puts: Put[] = [];
  const firehose: FirehoseFrontDoor = {
    put: async (arn, records, origin) => {
      if (options.refuse) throw options.refuse;
      puts.push({ arn, records: records.map((r) => Buffer.from(r).toString()), origin });
      return { failed: [] };
    },
    describe: async (arn) => (arn === STREAM ? (options.stream ?? streamRecord()) : undefined),
  };
  const frontDoors: FrontDoors = { firehose };
  const dead: Array<{ arn: string; message: QueueMessage }> = [];
  const queues = {
    send: async (arn: string, message: QueueMessage) => {
      dead.push({ arn, message });
      return { kind: 'delivered', messageId: 'm' };
    },
  } as unknown as QueueDelivery;
  const log = captureLogger();
  const hints = new HintRecorder(new Clock(), log);
  const outbox = new Outbox();
  const fanOut = new FanOut({
    topics,
    queues,
    http: {} as HttpDelivery,
    outbox,
    filters: new SubscriptionFilters(),
    archive: new TopicArchive<Publication>(),
    signer: () => {
      throw new Error('firehose records are not signed');
    },
    hints,
    firehose: new FirehoseDelivery(frontDoors, log, hints),
  });
  const ctx = { log } as unknown as RequestContext;
  for (let i = 0; i < (options.times ?? 1); i++) {
    await fanOut.fanOut(
      {
        topic,
        messageId: `6d1fbb36-0b7a-4d3c-9b34-1e0f4b7c2a1${i}`,
        message: `order ${i} shipped`,
        subject: 'Shipping',
        attributes: { kind: { DataType: 'String', StringValue: 'shipment' } },
        timestamp: '2026-12-07T12:00:00.000Z',
        publishedAt: 0,
        baseUrl: 'http://localhost:4566',
        ...options.publication,
      },
      ctx,
    );
  }
  return { puts, dead, log, hints, outbox };
}

describe('SNS firehose subscriptions', () => {
  it('put the one-line notification, newline-terminated, as the subscription role for the topic', async () => {
    const { puts, outbox } = await publishTo();
    assert.equal(puts.length, 1);
    const [put] = puts;
    assert.equal(put.arn, STREAM);
    assert.deepEqual(put.origin, {
      principal: 'sns.amazonaws.com',
      sourceArn: TOPIC,
      sourceAccount: ACCOUNT,
      roleArn: ROLE,
    });
    const [record] = put.records;
    assert.ok(record.endsWith('}\n'));
    assert.equal(record.indexOf('\n'), record.length - 1, 'one line per record');
    const doc = JSON.parse(record);
    assert.deepEqual(Object.keys(doc), [
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    assert.equal(doc.Type, 'Notification');
    assert.equal(doc.Message, 'order 0 shipped');
    assert.equal(
      doc.UnsubscribeURL,
      `http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:sub-1`,
    );
    assert.deepEqual(doc.MessageAttributes, { kind: { Type: 'String', Value: 'shipment' } });
    assert.equal(doc.Signature, undefined);
    assert.deepEqual(outbox.list({}), [], 'delivered, not parked in the outbox');
  });

  it('put the message itself with raw delivery, still newline-terminated', async () => {
    const { puts } = await publishTo({ raw: true });
    assert.deepEqual(puts[0].records, ['order 0 shipped\n']);
  });

  it("use the message's firehose text when MessageStructure is json, and carry no attributes then", async () => {
    const { puts } = await publishTo({
      publication: { structured: { default: 'plain', firehose: 'for the archive' } },
    });
    const doc = JSON.parse(puts[0].records[0]);
    assert.equal(doc.Message, 'for the archive');
    assert.equal(doc.MessageAttributes, undefined);
  });

  it('send what the stream refuses to the dead-letter queue, saying why', async () => {
    const refuse = new ServiceError(
      'ResourceNotFoundException',
      `Firehose archive under account ${ACCOUNT} not found.`,
      { status: 400 },
    );
    const { dead, log } = await publishTo({ redrive: true, refuse, raw: true });
    assert.equal(dead.length, 1);
    assert.equal(dead[0].arn, DLQ);
    assert.equal(dead[0].message.body, 'order 0 shipped');
    const none = await publishTo({ refuse });
    assert.equal(none.dead.length, 0);
    assert.ok(none.log.warnings.some((w) => w.text.includes('ResourceNotFoundException')));
    assert.equal(log.warnings.length, 0);
  });

  it('count a denied delivery without a dead-letter queue as a drop for doctor', async () => {
    const refuse = new ServiceError('AccessDeniedException', 'not allowed', { status: 400 });
    const { hints } = await publishTo({ refuse });
    const [drop] = hints.list();
    assert.equal(drop.kind, 'dropped-deliveries');
    assert.match(drop.fix, /DirectPut delivery stream/);
  });

  it('record the double-newline hint once per stream when the stream appends a newline too', async () => {
    const { hints, log } = await publishTo({ stream: withDelimiter(true), times: 3 });
    const found = hints.list().filter((h) => h.kind === 'sns-firehose-double-newline');
    assert.equal(found.length, 1);
    assert.equal(found[0].resource, STREAM);
    assert.equal(found[0].count, 1);
    assert.equal(log.warnings.filter((w) => w.text.includes('AppendDelimiterToRecord')).length, 1);
  });

  it('record no hint for a stream without the processor, with it disabled, or with another delimiter', async () => {
    for (const stream of [streamRecord(), withDelimiter(false), withDelimiter(true, ',')]) {
      const { hints } = await publishTo({ stream });
      assert.deepEqual(
        hints.list().map((h) => h.kind),
        [],
      );
    }
  });
});

describe('appendsNewline', () => {
  it('takes the default delimiter and an escaped or literal newline', () => {
    assert.equal(appendsNewline(withDelimiter(true)), true);
    assert.equal(appendsNewline(withDelimiter(true, '\\n')), true);
    assert.equal(appendsNewline(withDelimiter(true, '\n')), true);
    assert.equal(appendsNewline(withDelimiter(true, '|')), false);
  });
});

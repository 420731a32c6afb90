import assert from 'node:assert/strict';
import { createVerify, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  type PublishCommandOutput,
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { captureLogger } from '../support/log-capture.js';
import { snsClient, subscribableQueue } from '../support/sns.js';
import {
  errorOf,
  type RunningTideway,
  receive,
  sqsClient,
  startServer,
  uniqueName,
} from '../support/tideway.js';

async function topic(
  sns: SNSClient,
  attributes?: Record<string, string>,
  name = uniqueName('t'),
): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }))).TopicArn!;
}

async function subscribe(
  sns: SNSClient,
  topicArn: string,
  queueArn: string,
  attributes?: Record<string, string>,
) {
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: attributes }),
  );
  return SubscriptionArn!;
}

describe('SNS delivery to SQS', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  let sqs: SQSClient;
  const log = captureLogger();
  before(async () => {
    server = await startServer({ logger: log });
    sns = snsClient(server.endpoint);
    sqs = sqsClient(server.endpoint);
  });
  after(() => server.stop());

  // SNS guide, "Fanout to Amazon SQS queues" and "HTTP/HTTPS notification JSON format": the queue
  // receives the JSON envelope, signed (SignatureVersion 1 = SHA1withRSA over Key\nValue\n pairs).
  it('delivers the signed JSON envelope AWS writes', async () => {
    const topicArn = await topic(sns);
    const queue = await subscribableQueue(sqs, uniqueName('q'), topicArn);
    const subscriptionArn = await subscribe(sns, topicArn, queue.arn);
    assert.match(subscriptionArn, new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'hello "world"',
        Subject: 'greeting',
        MessageAttributes: {
          colour: { DataType: 'String', StringValue: 'blue' },
          size: { DataType: 'Number', StringValue: '3' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      }),
    );
    const [m] = await receive(sqs, queue.url);
    assert.ok(m, 'the queue received the notification');
    const body = m.Body!;
    assert.match(body, /^\{\n {2}"Type" : "Notification",\n {2}"MessageId" : "/);
    const n = JSON.parse(body);
    assert.deepEqual(Object.keys(n), [
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    assert.equal(n.MessageId, MessageId);
    assert.equal(n.TopicArn, topicArn);
    assert.equal(n.Subject, 'greeting');
    assert.equal(n.Message, 'hello "world"');
    assert.match(n.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(n.SignatureVersion, '1');
    assert.deepEqual(n.MessageAttributes, {
      colour: { Type: 'String', Value: 'blue' },
      size: { Type: 'Number', Value: '3' },
      blob: { Type: 'Binary', Value: 'AQID' },
    });
    // The ARN stands in the link as it is, colons and all, as in AWS's envelopes.
    assert.equal(
      n.UnsubscribeURL,
      `${server.endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
    );
    // The signature verifies with the certificate Tideway serves at SigningCertURL.
    const pem = await (await fetch(n.SigningCertURL)).text();
    const signed = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      .map((k) => `${k}\n${n[k]}\n`)
      .join('');
    const verifier = createVerify('RSA-SHA1');
    verifier.update(signed, 'utf8');
    assert.ok(verifier.verify(new X509Certificate(pem).publicKey, n.Signature, 'base64'));
  });

  // SNS guide, "Amazon SNS raw message delivery": the body alone, attributes as SQS message attributes.
  it('delivers raw messages with their attributes, none with MessageStructure=json', async () => {
    const topicArn = await topic(sns);
    const queue = await subscribableQueue(sqs, uniqueName('q'), topicArn);
    await subscribe(sns, topicArn, queue.arn, { RawMessageDelivery: 'true' });
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'plain',
        MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } },
      }),
    );
    const [raw] = await receive(sqs, queue.url, { MessageAttributeNames: ['All'] });
    assert.equal(raw.Body, 'plain');
    assert.deepEqual(raw.MessageAttributes, { colour: { DataType: 'String', StringValue: 'red' } });
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for all', sqs: 'for queues' }),
        MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } },
      }),
    );
    const [structured] = await receive(sqs, queue.url, {
      MessageAttributeNames: ['All'],
      VisibilityTimeout: 0,
    });
    const bodies = [structured.Body];
    assert.deepEqual(bodies, ['for queues']);
    assert.equal(structured.MessageAttributes, undefined);
  });

  it('discards a raw delivery with more than 10 attributes for that subscription only', async () => {
    const topicArn = await topic(sns);
    const rawQueue = await subscribableQueue(sqs, uniqueName('q'), topicArn);
    const wrappedQueue = await subscribableQueue(sqs, uniqueName('q'), topicArn);
    await subscribe(sns, topicArn, rawQueue.arn, { RawMessageDelivery: 'true' });
    await subscribe(sns, topicArn, wrappedQueue.arn);
    const attrs = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: String(i) }]),
    );
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'many', MessageAttributes: attrs }));
    assert.deepEqual(await receive(sqs, rawQueue.url), []);
    const [wrapped] = await receive(sqs, wrappedQueue.url);
    assert.equal(Object.keys(JSON.parse(wrapped.Body!).MessageAttributes).length, 11);
  });

  // The top "works locally, fails in AWS" mistake: SNS needs the queue policy even in one account.
  it('drops deliveries to a queue whose policy does not allow SNS, warning once per subscription', async () => {
    const topicArn = await topic(sns);
    const queue = await subscribableQueue(sqs, uniqueName('q'));
    const subscriptionArn = await subscribe(sns, topicArn, queue.arn);
    const before = log.warnings.length;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'one' }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'two' }));
    assert.deepEqual(await receive(sqs, queue.url), []);
    const warned = log.warnings.slice(before);
    assert.equal(warned.length, 1);
    assert.equal((warned[0].fields as { subscription: string }).subscription, subscriptionArn);
    assert.match(warned[0].text, /sns\.amazonaws\.com/);
    assert.match(warned[0].text, /sqs:SendMessage/);
  });

  it('delivers anyway with --lenient-policies, still warning', async () => {
    const lenientLog = captureLogger();
    const lenient = await startServer({ lenientPolicies: true, logger: lenientLog });
    try {
      const lsns = snsClient(lenient.endpoint);
      const lsqs = sqsClient(lenient.endpoint);
      const topicArn = await topic(lsns);
      const queue = await subscribableQueue(lsqs, uniqueName('q'));
      await subscribe(lsns, topicArn, queue.arn, { RawMessageDelivery: 'true' });
      await lsns.send(new PublishCommand({ TopicArn: topicArn, Message: 'let in' }));
      const [m] = await receive(lsqs, queue.url);
      assert.equal(m.Body, 'let in');
      assert.match(lenientLog.warnings.at(-1)!.text, /--lenient-policies/);
    } finally {
      await lenient.stop();
    }
  });

  // SNS guide, "Message ordering details for FIFO topics" and "Message deduplication for FIFO topics".
  it('keeps FIFO order and groups into FIFO queues, with sequence numbers and deduplication', async () => {
    const topicArn = await topic(sns, { FifoTopic: 'true' }, `${uniqueName('f')}.fifo`);
    const queue = await subscribableQueue(sqs, `${uniqueName('q')}.fifo`, topicArn, { FifoQueue: 'true' });
    await subscribe(sns, topicArn, queue.arn);
    const sent: PublishCommandOutput[] = [];
    for (let i = 0; i < 5; i++) {
      sent.push(
        await sns.send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: `m${i}`,
            MessageGroupId: 'g',
            MessageDeduplicationId: `d${i}`,
          }),
        ),
      );
    }
    const repeat = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'm0 again',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'd0',
      }),
    );
    assert.equal(repeat.MessageId, sent[0].MessageId);
    assert.equal(repeat.SequenceNumber, sent[0].SequenceNumber);
    assert.ok(
      sent.every((s, i) => i === 0 || BigInt(s.SequenceNumber!) > BigInt(sent[i - 1].SequenceNumber!)),
    );
    const got = await receive(sqs, queue.url, {
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['MessageGroupId'],
    });
    const notes = got.map((m) => JSON.parse(m.Body!));
    assert.deepEqual(
      notes.map((n) => n.Message),
      ['m0', 'm1', 'm2', 'm3', 'm4'],
    );
    assert.ok(got.every((m) => m.Attributes?.MessageGroupId === 'g'));
    assert.equal(notes[0].SequenceNumber, sent[0].SequenceNumber);
    assert.equal(notes[0].Signature, undefined);
    assert.equal(notes[0].SigningCertURL, undefined);
    const noGroup = await errorOf(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x' })));
    assert.equal(
      noGroup.message,
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    );
    const standard = await topic(sns);
    const fifoToStandard = await errorOf(() =>
      sns.send(new SubscribeCommand({ TopicArn: standard, Protocol: 'sqs', Endpoint: queue.arn })),
    );
    assert.equal(fifoToStandard.name, 'InvalidParameterException');
  });

  // SNS guide, "Amazon SNS dead-letter queues (DLQs)": undeliverable messages go to the DLQ only if
  // its policy lets SNS send; otherwise they are lost.
  it('sends undeliverable messages to the subscription dead-letter queue, if its policy allows', async () => {
    const topicArn = await topic(sns);
    const target = await subscribableQueue(sqs, uniqueName('q'), topicArn);
    const dlq = await subscribableQueue(sqs, uniqueName('dlq'), topicArn);
    const closedDlq = await subscribableQueue(sqs, uniqueName('dlq'));
    const open = await subscribe(sns, topicArn, target.arn, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
      RawMessageDelivery: 'true',
    });
    assert.ok(open);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: target.url }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'lost target' }));
    const [dead] = await receive(sqs, dlq.url);
    assert.equal(dead.Body, 'lost target');

    const topic2 = await topic(sns);
    const target2 = await subscribableQueue(sqs, uniqueName('q'), topic2);
    const sub2 = await subscribe(sns, topic2, target2.arn, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: closedDlq.arn }),
    });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: target2.url }));
    const before = log.warnings.length;
    await sns.send(new PublishCommand({ TopicArn: topic2, Message: 'nowhere' }));
    assert.deepEqual(await receive(sqs, closedDlq.url), []);
    const warning = log.warnings
      .slice(before)
      .find((w) => (w.fields as { subscription?: string }).subscription === sub2);
    assert.ok(warning, 'a warning names the subscription');
    assert.equal((warning.fields as { deadLetterQueue?: string }).deadLetterQueue, closedDlq.arn);
    assert.match(warning.text, /sns\.amazonaws\.com/);
  });

  it('answers duplicate subscriptions with the same ARN, and manages subscription attributes', async () => {
    const topicArn = await topic(sns);
    const queue = await subscribableQueue(sqs, uniqueName('q'), topicArn);
    const first = await subscribe(sns, topicArn, queue.arn);
    assert.equal(await subscribe(sns, topicArn, queue.arn), first);
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: first,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'true',
      }),
    );
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: first }));
    assert.equal(Attributes?.RawMessageDelivery, 'true');
    assert.equal(Attributes?.Protocol, 'sqs');
    assert.equal(Attributes?.Endpoint, queue.arn);
    assert.equal(Attributes?.PendingConfirmation, 'false');
    assert.equal(Attributes?.ConfirmationWasAuthenticated, 'true');
    assert.equal(Attributes?.Owner, '000000000000');
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    assert.deepEqual(Subscriptions, [
      {
        SubscriptionArn: first,
        Owner: '000000000000',
        Protocol: 'sqs',
        Endpoint: queue.arn,
        TopicArn: topicArn,
      },
    ]);
    const bad = await errorOf(() =>
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: first,
          AttributeName: 'Colour',
          AttributeValue: 'x',
        }),
      ),
    );
    assert.equal(bad.message, 'Invalid parameter: AttributeName');
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: first }));
    const gone = await errorOf(() =>
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: first })),
    );
    assert.equal(gone.name, 'NotFoundException');
  });

  // SNS API Reference, PublishBatch: entries are answered one by one; a malformed entry (its
  // attributes, a FIFO topic's group) fails the whole request, as AWS does.
  it('publishes batches with per-entry results, and refuses malformed ones whole', async () => {
    const topicArn = await topic(sns);
    const queue = await subscribableQueue(sqs, uniqueName('q'), topicArn);
    await subscribe(sns, topicArn, queue.arn, { RawMessageDelivery: 'true' });
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'first' },
          { Id: 'c', Message: 'third' },
        ],
      }),
    );
    assert.deepEqual(
      result.Successful?.map((s) => s.Id),
      ['a', 'c'],
    );
    assert.deepEqual(result.Failed, []);
    const got = await receive(sqs, queue.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(got.map((m) => m.Body).sort(), ['first', 'third']);
    const malformed = await errorOf(() =>
      sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: 'fine' },
            { Id: 'b', Message: 'bad', MessageAttributes: { n: { DataType: 'Number', StringValue: 'x' } } },
          ],
        }),
      ),
    );
    assert.equal(malformed.name, 'InvalidParameterValueException');
    assert.equal(malformed.message, "Could not cast message attribute 'n' value to number.");
    assert.deepEqual(await receive(sqs, queue.url), []);
    const empty = await errorOf(() =>
      sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [] })),
    );
    assert.equal(empty.name, 'EmptyBatchRequestException');
    const dup = await errorOf(() =>
      sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: [
            { Id: 'x', Message: '1' },
            { Id: 'x', Message: '2' },
          ],
        }),
      ),
    );
    assert.equal(dup.name, 'BatchEntryIdsNotDistinctException');
    const many = await errorOf(() =>
      sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'm' })),
        }),
      ),
    );
    assert.equal(many.name, 'TooManyEntriesInBatchRequestException');
  });
});

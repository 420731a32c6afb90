import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { captureLogger } from '../support/log-capture.js';
import { snsClient, subscribableQueue } from '../support/sns.js';
import { type RunningTideway, receive, sqsClient, startServer, uniqueName } from '../support/tideway.js';

// SQS's front door for other services (SqsService.deliver), driven the way users reach it: SNS
// publishing to subscribed queues. The queue policy is evaluated for the service principal with
// aws:SourceArn and aws:SourceAccount (SNS guide, "Sending Amazon SNS messages to an Amazon SQS
// queue"); SQS's own send rules and accounting apply as for SendMessage.
describe('SQS deliveries from other services', () => {
  let server: RunningTideway;
  const log = captureLogger();
  const sqs = () => sqsClient(server.endpoint);
  const sns = () => snsClient(server.endpoint);
  before(async () => {
    server = await startServer({ logger: log });
  });
  after(() => server.stop());

  const topic = async (fifo = false) =>
    (
      await sns().send(
        new CreateTopicCommand({
          Name: fifo ? `${uniqueName('t')}.fifo` : uniqueName('t'),
          Attributes: fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'true' } : undefined,
        }),
      )
    ).TopicArn!;
  const subscribeRaw = (TopicArn: string, Endpoint: string) =>
    sns().send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
  const policyWith = (queueArn: string, condition: object) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn,
          Condition: condition,
        },
      ],
    });

  it('lets a delivery in by aws:SourceAccount and keeps another account out', async () => {
    const topicArn = await topic();
    const allowed = await subscribableQueue(sqs(), uniqueName('q'));
    const other = await subscribableQueue(sqs(), uniqueName('q'));
    await sqs().send(
      new SetQueueAttributesCommand({
        QueueUrl: allowed.url,
        Attributes: {
          Policy: policyWith(allowed.arn, { StringEquals: { 'aws:SourceAccount': '000000000000' } }),
        },
      }),
    );
    await sqs().send(
      new SetQueueAttributesCommand({
        QueueUrl: other.url,
        Attributes: {
          Policy: policyWith(other.arn, { StringEquals: { 'aws:SourceAccount': '111122223333' } }),
        },
      }),
    );
    await subscribeRaw(topicArn, allowed.arn);
    await subscribeRaw(topicArn, other.arn);
    const before = log.warnings.length;
    await sns().send(new PublishCommand({ TopicArn: topicArn, Message: 'by account' }));
    assert.deepEqual(
      (await receive(sqs(), allowed.url)).map((m) => m.Body),
      ['by account'],
    );
    assert.deepEqual(await receive(sqs(), other.url), []);
    const warned = log.warnings.slice(before);
    assert.equal(warned.length, 1);
    assert.match(warned[0].text, /sns\.amazonaws\.com/);
  });

  it("applies the queue's own send rules: a message over its MaximumMessageSize is refused", async () => {
    const topicArn = await topic();
    const queue = await subscribableQueue(sqs(), uniqueName('small'), topicArn, {
      MaximumMessageSize: '1024',
    });
    await subscribeRaw(topicArn, queue.arn);
    const before = log.warnings.length;
    await sns().send(new PublishCommand({ TopicArn: topicArn, Message: 'a'.repeat(1025) }));
    await sns().send(new PublishCommand({ TopicArn: topicArn, Message: 'a'.repeat(1024) }));
    assert.deepEqual(
      (await receive(sqs(), queue.url, { MaxNumberOfMessages: 10 })).map((m) => m.Body?.length),
      [1024],
    );
    const warned = log.warnings.slice(before);
    assert.equal(warned.length, 1);
    assert.match(warned[0].text, /Message must be shorter than 1024 bytes/);
  });

  it('counts deliveries as sends and reports the SNS sender', async () => {
    const topicArn = await topic();
    const queue = await subscribableQueue(sqs(), uniqueName('q'), topicArn);
    await subscribeRaw(topicArn, queue.arn);
    for (const Message of ['one', 'two'])
      await sns().send(new PublishCommand({ TopicArn: topicArn, Message }));
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    assert.equal(Attributes?.ApproximateNumberOfMessages, '2');
    const [m] = await receive(sqs(), queue.url, { MessageSystemAttributeNames: ['SenderId'] });
    assert.equal(m.Attributes?.SenderId, 'AIDAIT2UOQQY3AUEKVGXU');
  });

  // SNS FIFO topics deliver to standard queues too; the group and deduplication id stay behind
  // (a standard queue refuses a deduplication id from SendMessage).
  it('hands a FIFO topic message to a standard queue without its group or deduplication id', async () => {
    const topicArn = await topic(true);
    const queue = await subscribableQueue(sqs(), uniqueName('std'), topicArn);
    await subscribeRaw(topicArn, queue.arn);
    await sns().send(new PublishCommand({ TopicArn: topicArn, Message: 'ordered', MessageGroupId: 'g' }));
    const [m] = await receive(sqs(), queue.url, { MessageSystemAttributeNames: ['All'] });
    assert.equal(m.Body, 'ordered');
    assert.equal(m.Attributes?.MessageGroupId, undefined);
    assert.equal(m.Attributes?.MessageDeduplicationId, undefined);
  });

  it('hands a FIFO topic message to a FIFO queue with its group and deduplication id', async () => {
    const topicArn = await topic(true);
    const queue = await subscribableQueue(sqs(), `${uniqueName('f')}.fifo`, topicArn, { FifoQueue: 'true' });
    await subscribeRaw(topicArn, queue.arn);
    await sns().send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'ordered',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'd-1',
      }),
    );
    const [m] = await receive(sqs(), queue.url, { MessageSystemAttributeNames: ['All'] });
    assert.equal(m.Body, 'ordered');
    assert.equal(m.Attributes?.MessageGroupId, 'g');
    assert.equal(m.Attributes?.MessageDeduplicationId, 'd-1');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { snsClient, subscribableQueue } from '../support/sns.js';
import {
  errorOf,
  type RunningTideway,
  receive,
  sqsClient,
  startServer,
  uniqueName,
} from '../support/tideway.js';

// SNS guide, "Amazon SNS message archiving and replay for FIFO topics": a topic with an ArchivePolicy
// keeps its messages for MessageRetentionPeriod days; a subscription's ReplayPolicy redelivers them.
describe('SNS FIFO archive and replay', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  let sqs: SQSClient;
  before(async () => {
    server = await startServer();
    sns = snsClient(server.endpoint);
    sqs = sqsClient(server.endpoint);
  });
  after(() => server.stop());

  it('replays archived messages from a starting point to a new subscription', async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({
        Name: `${uniqueName('arch')}.fifo`,
        Attributes: {
          FifoTopic: 'true',
          ContentBasedDeduplication: 'true',
          ArchivePolicy: JSON.stringify({ MessageRetentionPeriod: 30 }),
        },
      }),
    );
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.ok(Attributes?.BeginningArchiveTime);
    assert.equal(JSON.parse(Attributes!.ArchivePolicy!).MessageRetentionPeriod, 30);
    for (const m of ['a', 'b', 'c']) {
      await sns.send(new PublishCommand({ TopicArn, Message: m, MessageGroupId: 'g' }));
    }
    const queue = await subscribableQueue(sqs, `${uniqueName('q')}.fifo`, TopicArn, { FifoQueue: 'true' });
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queue.arn,
        Attributes: {
          RawMessageDelivery: 'true',
          ReplayPolicy: JSON.stringify({
            PointType: 'Timestamp',
            StartingPoint: Attributes!.BeginningArchiveTime,
          }),
        },
      }),
    );
    const got = await receive(sqs, queue.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(
      got.map((m) => m.Body),
      ['a', 'b', 'c'],
    );
    const sub = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    assert.equal(sub.Attributes?.ReplayStatus, 'Completed');
  });

  it('refuses replay policies on standard topics and before the archive begins', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('std') }));
    const queue = await subscribableQueue(sqs, uniqueName('q'), TopicArn);
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn }),
    );
    const standard = await errorOf(() =>
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'ReplayPolicy',
          AttributeValue: JSON.stringify({ PointType: 'Timestamp', StartingPoint: new Date().toISOString() }),
        }),
      ),
    );
    assert.equal(standard.name, 'InvalidParameterException');
    const archived = await sns.send(
      new CreateTopicCommand({
        Name: `${uniqueName('arch')}.fifo`,
        Attributes: { FifoTopic: 'true', ArchivePolicy: JSON.stringify({ MessageRetentionPeriod: 1 }) },
      }),
    );
    const fifoQueue = await subscribableQueue(sqs, `${uniqueName('q')}.fifo`, archived.TopicArn, {
      FifoQueue: 'true',
    });
    const early = await errorOf(() =>
      sns.send(
        new SubscribeCommand({
          TopicArn: archived.TopicArn,
          Protocol: 'sqs',
          Endpoint: fifoQueue.arn,
          Attributes: {
            ReplayPolicy: JSON.stringify({ PointType: 'Timestamp', StartingPoint: '2001-01-01T00:00:00Z' }),
          },
        }),
      ),
    );
    assert.equal(early.name, 'InvalidParameterException');
  });
});

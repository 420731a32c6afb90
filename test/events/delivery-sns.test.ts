import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateTopicCommand, SetTopicAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { withEventsServer } from '../support/events.js';
import { snsClient, subscribableQueue } from '../support/sns.js';
import { sqsClient, uniqueName } from '../support/tideway.js';
import { drain, entry, eventQueue, putOne, ruleWithTargets, stringAttributes } from './delivery-fixtures.js';

function eventsMayPublish(topicArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicArn,
      },
    ],
  });
}

describe('SNS targets', () => {
  const suite = withEventsServer();

  async function topicWithQueue(allowEvents: boolean) {
    const sns = snsClient(suite.server.endpoint);
    const sqs = sqsClient(suite.server.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('ebt') }));
    if (allowEvents) {
      await sns.send(
        new SetTopicAttributesCommand({
          TopicArn,
          AttributeName: 'Policy',
          AttributeValue: eventsMayPublish(TopicArn!),
        }),
      );
    }
    const queue = await subscribableQueue(sqs, uniqueName('ebsub'), TopicArn);
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queue.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    return { topicArn: TopicArn!, queue, sqs };
  }

  it('publish the event when the topic policy lets events.amazonaws.com in', async () => {
    const { topicArn, queue, sqs } = await topicWithQueue(true);
    await ruleWithTargets(suite.events, { source: ['test.sns'] }, [{ Id: 't', Arn: topicArn }]);
    const id = await putOne(suite.events, entry('test.sns', { via: 'sns' }));
    const [message] = await drain(sqs, queue.url);
    assert.equal(JSON.parse(message.Body!).id, id);
  });

  it("fail, to the dead-letter queue, when the topic's default policy keeps EventBridge out", async () => {
    const { topicArn, queue, sqs } = await topicWithQueue(false);
    const dlq = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.sns.closed'] }, [
      { Id: 't', Arn: topicArn, DeadLetterConfig: { Arn: dlq.arn } },
    ]);
    await putOne(suite.events, entry('test.sns.closed'));
    const [dead] = await drain(sqs, dlq.url);
    assert.equal(stringAttributes(dead).ERROR_CODE, 'NO_PERMISSIONS');
    assert.equal((await drain(sqs, queue.url, 1, 0.2)).length, 0);
  });

  it("fail an event over SNS's 256 KB that EventBridge itself accepts", async () => {
    const { topicArn, queue, sqs } = await topicWithQueue(true);
    const dlq = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.sns.big'] }, [
      { Id: 't', Arn: topicArn, DeadLetterConfig: { Arn: dlq.arn } },
    ]);
    await putOne(suite.events, entry('test.sns.big', { pad: 'x'.repeat(300_000) }));
    const [dead] = await drain(sqs, dlq.url);
    const attributes = stringAttributes(dead);
    assert.equal(attributes.ERROR_CODE, 'INVALID_PARAMETER');
    assert.match(attributes.ERROR_MESSAGE, /too long|256|262144/i);
    assert.equal((await drain(sqs, queue.url, 1, 0.2)).length, 0);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListRulesCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateTopicCommand,
  ListSubscriptionsCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { eventsClient } from '../support/events.js';
import { queueArn } from '../support/queues.js';
import { snsClient } from '../support/sns.js';
import { type RunningTideway, sqsClient, startServer } from '../support/tideway.js';
import { answerOf, call, connectMcp, type McpSession, resourceText } from './mcp-client.js';

// Issue 13: the MCP server gives agents "a read-only view of the running Tideway's resources".
// Every tool and resource is called here against a Tideway holding messages, and the state an
// SDK sees afterwards must be what it saw before: no message received, hidden or counted, no
// resource created, changed or removed.

const TEMPLATE = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      ReceiveMessageWaitTimeSeconds: 20
`;

describe('tideway mcp changes nothing on the Tideway it reads', () => {
  let tideway: RunningTideway;
  let session: McpSession;
  let queueUrl: string;
  let topicArn: string;

  async function snapshot() {
    const sqs = sqsClient(tideway.endpoint);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
    );
    const queues = (await sqs.send(new ListQueuesCommand({}))).QueueUrls;
    const subscriptions = (await snsClient(tideway.endpoint).send(new ListSubscriptionsCommand({})))
      .Subscriptions;
    const rules = (await eventsClient(tideway.endpoint).send(new ListRulesCommand({}))).Rules;
    return { Attributes, queues, subscriptions, rules };
  }

  before(async () => {
    tideway = await startServer();
    const sqs = sqsClient(tideway.endpoint);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'holding' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'keep me' }));
    const sns = snsClient(tideway.endpoint);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'announcements' }))).TopicArn!;
    // No queue policy for SNS: a drop that doctor reports as a runtime hint.
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn('holding') }),
    );
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'dropped' }));
    const events = eventsClient(tideway.endpoint);
    await events.send(new PutRuleCommand({ Name: 'announce', EventPattern: '{"source":["app"]}' }));
    await events.send(new PutTargetsCommand({ Rule: 'announce', Targets: [{ Id: 't', Arn: topicArn }] }));
    session = await connectMcp(['--endpoint', tideway.endpoint]);
  });

  after(async () => {
    await session?.close();
    await tideway?.stop();
  });

  it('leaves queues, messages, subscriptions and rules as they were after every tool and resource', async () => {
    const before = await snapshot();
    assert.equal(before.Attributes?.ApproximateNumberOfMessages, '1');

    answerOf(await call(session, 'advise', { workload: { consumers: 'fan-out' } }));
    answerOf(await call(session, 'lint', { template: TEMPLATE, filename: 'queue.yaml' }));
    const doctor = answerOf(await call(session, 'doctor', {}));
    assert.ok(doctor.findings.some((f: { rule: string }) => f.rule === 'dropped-deliveries'));
    const listed = answerOf(await call(session, 'list_resources', {}));
    assert.ok(listed.resources.length >= 4, JSON.stringify(listed.resources));
    for (const resource of listed.resources as { arn: string; uri: string }[]) {
      answerOf(await call(session, 'describe_resource', { arn: resource.arn }));
      JSON.parse(resourceText(await session.client.readResource({ uri: resource.uri })));
    }
    JSON.parse(resourceText(await session.client.readResource({ uri: 'tideway://rules' })));

    const after = await snapshot();
    assert.deepEqual(after, before);
    // The message was never received: its first receive is still to come.
    const { Messages } = await sqsClient(tideway.endpoint).send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    assert.equal(Messages?.[0]?.Body, 'keep me');
    assert.equal(Messages?.[0]?.Attributes?.ApproximateReceiveCount, '1');
  });

  it('counts no runtime hint of its own: reading the inventory is not a receive', async () => {
    for (let i = 0; i < 12; i++) await call(session, 'doctor', {});
    const { findings } = answerOf(await call(session, 'doctor', {}));
    const hints = findings.filter((f: { rule: string }) =>
      ['short-polling-empty-receives', 'system-attribute-as-message-attribute'].includes(f.rule),
    );
    assert.deepEqual(hints, []);
  });
});

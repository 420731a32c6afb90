import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventBusCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { fetchInventory, NoTidewayError } from '../../src/knowhow/live/inventory.js';
import { eventsClient } from '../support/events.js';
import { kinesisClient } from '../support/kinesis.js';
import { kmsClient } from '../support/kms.js';
import { DEFAULT_ACCOUNT, OTHER_ACCOUNT, queueArn } from '../support/queues.js';
import { freePort } from '../support/server.js';
import { snsClient } from '../support/sns.js';
import { credentials, type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

// The inventory is what the services' own Describe/Get calls report, in the know-how model:
// SQS GetQueueAttributes (Policy, RedrivePolicy, KmsMasterKeyId…), SNS GetTopicAttributes and
// GetSubscriptionAttributes (RedrivePolicy), EventBridge DescribeEventBus and ListTargetsByRule,
// Kinesis DescribeStreamSummary, KMS GetKeyPolicy/ListAliases, Secrets Manager DescribeSecret.
describe('doctor inventory (GET /_tideway/doctor/inventory)', () => {
  let server: RunningTideway;
  const region = 'us-east-1';
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn('inv-target'),
        Condition: {
          ArnEquals: { 'aws:SourceArn': `arn:aws:events:${region}:${DEFAULT_ACCOUNT}:rule/inv-rule` },
        },
      },
    ],
  };
  let topicArn: string;
  let subscriptionArn: string;
  let keyArn: string;

  before(async () => {
    server = await startServer();
    const sqs = sqsClient(server.endpoint);
    await sqs.send(new CreateQueueCommand({ QueueName: 'inv-dlq' }));
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'inv-target',
        Attributes: {
          Policy: JSON.stringify(policy),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('inv-dlq'), maxReceiveCount: 3 }),
          ReceiveMessageWaitTimeSeconds: '20',
          VisibilityTimeout: '90',
          KmsMasterKeyId: 'alias/aws/sqs',
        },
      }),
    );
    await sqsClient(server.endpoint, 'json', { region: 'eu-west-1' }).send(
      new CreateQueueCommand({ QueueName: 'inv-ireland' }),
    );
    await sqsClient(server.endpoint, 'json', {
      credentials: { ...credentials, accessKeyId: OTHER_ACCOUNT },
    }).send(new CreateQueueCommand({ QueueName: 'inv-other-account' }));
    const kms = kmsClient(server.endpoint);
    const key = await kms.send(new CreateKeyCommand({ Description: 'inventory' }));
    keyArn = key.KeyMetadata!.Arn!;
    await kms.send(
      new CreateAliasCommand({ AliasName: 'alias/inventory', TargetKeyId: key.KeyMetadata!.KeyId! }),
    );
    const sns = snsClient(server.endpoint);
    topicArn = (
      await sns.send(new CreateTopicCommand({ Name: 'inv-topic', Attributes: { KmsMasterKeyId: keyArn } }))
    ).TopicArn!;
    subscriptionArn = (
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queueArn('inv-target'),
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('inv-dlq') }) },
          ReturnSubscriptionArn: true,
        }),
      )
    ).SubscriptionArn!;
    const events = eventsClient(server.endpoint);
    await events.send(new CreateEventBusCommand({ Name: 'inv-bus' }));
    await events.send(
      new PutPermissionCommand({
        EventBusName: 'inv-bus',
        Action: 'events:PutEvents',
        Principal: OTHER_ACCOUNT,
        StatementId: 'other-account',
      }),
    );
    await events.send(
      new PutRuleCommand({ Name: 'inv-rule', EventPattern: JSON.stringify({ source: ['inv'] }) }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'inv-rule',
        Targets: [
          {
            Id: 'to-queue',
            Arn: queueArn('inv-target'),
            DeadLetterConfig: { Arn: queueArn('inv-dlq') },
          },
        ],
      }),
    );
    await kinesisClient(server.endpoint).send(
      new CreateStreamCommand({ StreamName: 'inv-stream', ShardCount: 2 }),
    );
    await new SecretsManagerClient({ endpoint: server.endpoint, region, credentials }).send(
      new CreateSecretCommand({
        Name: 'AmazonMSK_inventory',
        SecretString: '{"username":"u"}',
        KmsKeyId: keyArn,
      }),
    );
  });

  after(() => server.stop());

  it('lists every account and region that holds resources, each with its resources by ARN', async () => {
    const inventory = await fetchInventory(server.endpoint);
    const scopes = inventory.scopes.map((s) => `${s.account}/${s.region}`);
    assert.deepEqual(scopes, [
      `${DEFAULT_ACCOUNT}/eu-west-1`,
      `${DEFAULT_ACCOUNT}/us-east-1`,
      `${OTHER_ACCOUNT}/us-east-1`,
    ]);
    for (const scope of inventory.scopes) {
      assert.equal(scope.model.source, 'live');
      for (const queue of scope.model.queues) {
        assert.equal(queue.id, queue.arn);
        assert.equal(queue.origin.file, `tideway://${scope.account}/${scope.region}`);
      }
    }
    const other = inventory.scopes.find((s) => s.account === OTHER_ACCOUNT)!;
    assert.deepEqual(
      other.model.queues.map((q) => q.arn),
      [queueArn('inv-other-account', OTHER_ACCOUNT)],
    );
  });

  it('filters by account and region', async () => {
    const ireland = await fetchInventory(server.endpoint, { region: 'eu-west-1' });
    assert.deepEqual(
      ireland.scopes.map((s) => s.model.queues.map((q) => q.name)),
      [['inv-ireland']],
    );
    const other = await fetchInventory(server.endpoint, { account: OTHER_ACCOUNT, region: 'us-east-1' });
    assert.equal(other.scopes.length, 1);
    assert.equal(other.scopes[0].model.queues[0].name, 'inv-other-account');
  });

  it('gives queues their URL, parsed policy, redrive DLQ, settings and key', async () => {
    const { scopes } = await fetchInventory(server.endpoint, { account: DEFAULT_ACCOUNT, region });
    const queue = scopes[0].model.queues.find((q) => q.name === 'inv-target')!;
    assert.equal(queue.url, `${server.endpoint}/${DEFAULT_ACCOUNT}/inv-target`);
    assert.deepEqual(queue.policies[0].document, policy);
    assert.equal(queue.policies[0].from, queue.arn);
    assert.equal(queue.redriveDlq, queueArn('inv-dlq'));
    assert.equal(queue.receiveWaitTimeSeconds, 20);
    assert.equal(queue.visibilityTimeoutSeconds, 90);
    assert.equal(queue.retentionSeconds, 345600);
    assert.equal(queue.kmsKey, 'alias/aws/sqs');
    assert.equal(queue.fifo, false);
    assert.equal(queue.attributes?.QueueArn, queue.arn);
    const dlq = scopes[0].model.queues.find((q) => q.name === 'inv-dlq')!;
    assert.deepEqual(dlq.policies, []);
    assert.equal(dlq.redriveDlq, undefined);
  });

  it('gives topics their key and subscriptions their protocol, endpoint and dead-letter queue', async () => {
    const { scopes } = await fetchInventory(server.endpoint, { account: DEFAULT_ACCOUNT, region });
    const model = scopes[0].model;
    const topic = model.topics.find((t) => t.arn === topicArn)!;
    assert.equal(topic.kmsKey, keyArn);
    // Never given a Policy: SNS's default one lets only the owner in, so no policy is attached.
    assert.deepEqual(topic.policies, []);
    const subscription = model.subscriptions.find((s) => s.arn === subscriptionArn)!;
    assert.equal(subscription.topic, topicArn);
    assert.equal(subscription.protocol, 'sqs');
    assert.equal(subscription.endpoint, queueArn('inv-target'));
    assert.equal(subscription.dlq, queueArn('inv-dlq'));
  });

  it('gives buses their policy and rules their targets with dead-letter queues', async () => {
    const { scopes } = await fetchInventory(server.endpoint, { account: DEFAULT_ACCOUNT, region });
    const model = scopes[0].model;
    const bus = model.buses.find((b) => b.name === 'inv-bus')!;
    const statement = (bus.policies[0].document as { Statement: { Sid: string; Principal: unknown }[] })
      .Statement[0];
    assert.equal(statement.Sid, 'other-account');
    assert.deepEqual(statement.Principal, { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` });
    const rule = model.rules.find((r) => r.name === 'inv-rule')!;
    assert.equal(rule.arn, `arn:aws:events:${region}:${DEFAULT_ACCOUNT}:rule/inv-rule`);
    assert.equal(rule.bus, `arn:aws:events:${region}:${DEFAULT_ACCOUNT}:event-bus/default`);
    assert.equal(rule.hasPattern, true);
    assert.equal(rule.hasSchedule, false);
    assert.deepEqual(rule.targets, [
      { targetId: 'to-queue', arn: queueArn('inv-target'), dlq: queueArn('inv-dlq') },
    ]);
  });

  it('gives streams, KMS keys with policy and aliases, and secrets with their key', async () => {
    const { scopes } = await fetchInventory(server.endpoint, { account: DEFAULT_ACCOUNT, region });
    const model = scopes[0].model;
    const stream = model.streams.find((s) => s.name === 'inv-stream')!;
    assert.equal(stream.shardCount, 2);
    assert.equal(stream.retentionHours, 24);
    const key = model.keys.find((k) => k.arn === keyArn)!;
    assert.deepEqual(key.aliases, ['alias/inventory']);
    assert.equal((key.policy as { Version: string }).Version, '2012-10-17');
    const secret = model.secrets.find((s) => s.name === 'AmazonMSK_inventory')!;
    assert.equal(secret.kmsKey, keyArn);
    assert.match(secret.arn!, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:AmazonMSK_inventory-/);
  });

  it('throws NoTidewayError when nothing answers', async () => {
    const port = await freePort();
    await assert.rejects(fetchInventory(`http://127.0.0.1:${port}`), (err: unknown) => {
      assert.ok(err instanceof NoTidewayError);
      assert.match((err as Error).message, new RegExp(`no Tideway answers at http://127.0.0.1:${port}`));
      return true;
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateTopicCommand, SetTopicAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { runDoctor } from '../../src/knowhow/doctor.js';
import type { Finding } from '../../src/knowhow/findings.js';
import { eventsClient } from '../support/events.js';
import { keyPolicy, kmsClient } from '../support/kms.js';
import { client, DEFAULT_ACCOUNT, OTHER_ACCOUNT, queueArn } from '../support/queues.js';
import { snsClient } from '../support/sns.js';
import { type RunningTideway, sqsClient, startServer } from '../support/tideway.js';

// doctor against a live Tideway seeded with each mistake a lint rule can see on live resources
// (issue 13, "tideway doctor"), and the same resources set up the way AWS documents them, which
// must raise nothing. Lambda functions and their timeouts do not exist live, so
// sqs-visibility-below-function-timeout stays a template rule.

const REGION = 'us-east-1';

function allow(service: string, action: string, resource: string, sourceArn: string) {
  return {
    Effect: 'Allow',
    Principal: { Service: service },
    Action: action,
    Resource: resource,
    Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } },
  };
}

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const topicArn = (name: string) => `arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:${name}`;
const ruleArn = (name: string) => `arn:aws:events:${REGION}:${DEFAULT_ACCOUNT}:rule/${name}`;

describe('doctor on a live Tideway seeded with each mistake', () => {
  let server: RunningTideway;
  let findings: Finding[];
  let closedKeyArn: string;
  let goodKeyArn: string;
  let bareSubscription: string;
  let goodSubscription: string;

  const on = (rule: string, resource: string) =>
    findings.filter((f) => f.rule === rule && f.resource === resource);

  before(async () => {
    server = await startServer();
    const sqs = sqsClient(server.endpoint);
    const sns = snsClient(server.endpoint);
    const events = eventsClient(server.endpoint);
    const kms = kmsClient(server.endpoint);
    const queue = (name: string, attributes: Record<string, string> = {}) =>
      sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));

    const { KeyMetadata: closed } = await kms.send(new CreateKeyCommand({ Policy: keyPolicy() }));
    closedKeyArn = closed!.Arn!;
    const { KeyMetadata: good } = await kms.send(
      new CreateKeyCommand({
        Policy: keyPolicy(
          ['sns.amazonaws.com', 'events.amazonaws.com'].map((service) => ({
            Effect: 'Allow',
            Principal: { Service: service },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': DEFAULT_ACCOUNT } },
          })),
        ),
      }),
    );
    goodKeyArn = good!.Arn!;

    // EventBridge → a topic whose default policy lets only its own account publish.
    await sns.send(new CreateTopicCommand({ Name: 'closed-topic' }));
    await events.send(new PutRuleCommand({ Name: 'to-topic', EventPattern: '{"source":["app"]}' }));
    await events.send(
      new PutTargetsCommand({ Rule: 'to-topic', Targets: [{ Id: 'topic', Arn: topicArn('closed-topic') }] }),
    );

    // SNS → queues that a key keeps SNS out of: the AWS-managed key, a customer key without SNS.
    await sns.send(new CreateTopicCommand({ Name: 'feed' }));
    const scoped = (name: string) =>
      policy(allow('sns.amazonaws.com', 'sqs:SendMessage', queueArn(name), topicArn('feed')));
    await queue('managed-key', {
      KmsMasterKeyId: 'alias/aws/sqs',
      Policy: scoped('managed-key'),
      ReceiveMessageWaitTimeSeconds: '20',
    });
    await queue('closed-key', {
      KmsMasterKeyId: closedKeyArn,
      Policy: scoped('closed-key'),
      ReceiveMessageWaitTimeSeconds: '20',
    });
    for (const name of ['managed-key', 'closed-key']) {
      await sns.send(
        new SubscribeCommand({ TopicArn: topicArn('feed'), Protocol: 'sqs', Endpoint: queueArn(name) }),
      );
    }
    bareSubscription = (
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn('feed'),
          Protocol: 'sqs',
          Endpoint: queueArn('managed-key'),
          ReturnSubscriptionArn: true,
        }),
      )
    ).SubscriptionArn!;

    // A topic policy granting EventBridge from anywhere: the confused deputy.
    await sns.send(new CreateTopicCommand({ Name: 'open-topic' }));
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: topicArn('open-topic'),
        AttributeName: 'Policy',
        AttributeValue: policy({
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: topicArn('open-topic'),
        }),
      }),
    );

    // Short polling, and a queue consumed as a dead-letter queue only.
    await queue('short-polled');
    await queue('only-a-dlq', { KmsMasterKeyId: goodKeyArn });
    await queue('redriven', {
      KmsMasterKeyId: goodKeyArn,
      ReceiveMessageWaitTimeSeconds: '20',
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('only-a-dlq'), maxReceiveCount: 5 }),
    });

    // Set up as AWS documents it: customer key that lets SNS and EventBridge in, scoped queue
    // policies, long polling, dead-letter queues whose policies let the sender in.
    const goodTopic = (
      await sns.send(
        new CreateTopicCommand({ Name: 'good-topic', Attributes: { KmsMasterKeyId: goodKeyArn } }),
      )
    ).TopicArn!;
    await queue('good-sub-dlq', {
      KmsMasterKeyId: goodKeyArn,
      Policy: policy(allow('sns.amazonaws.com', 'sqs:SendMessage', queueArn('good-sub-dlq'), goodTopic)),
    });
    await queue('good-queue', {
      KmsMasterKeyId: goodKeyArn,
      ReceiveMessageWaitTimeSeconds: '20',
      Policy: policy(
        allow('sns.amazonaws.com', 'sqs:SendMessage', queueArn('good-queue'), goodTopic),
        allow('events.amazonaws.com', 'sqs:SendMessage', queueArn('good-queue'), ruleArn('good-rule')),
      ),
    });
    goodSubscription = (
      await sns.send(
        new SubscribeCommand({
          TopicArn: goodTopic,
          Protocol: 'sqs',
          Endpoint: queueArn('good-queue'),
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('good-sub-dlq') }) },
          ReturnSubscriptionArn: true,
        }),
      )
    ).SubscriptionArn!;
    await queue('good-rule-dlq', {
      KmsMasterKeyId: goodKeyArn,
      Policy: policy(
        allow('events.amazonaws.com', 'sqs:SendMessage', queueArn('good-rule-dlq'), ruleArn('good-rule')),
      ),
    });
    await events.send(new PutRuleCommand({ Name: 'good-rule', EventPattern: '{"source":["app"]}' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'good-rule',
        Targets: [
          { Id: 'queue', Arn: queueArn('good-queue'), DeadLetterConfig: { Arn: queueArn('good-rule-dlq') } },
        ],
      }),
    );

    // Another account in another region, which doctor reads too unless told otherwise.
    await client(server, 'json', { accessKeyId: OTHER_ACCOUNT, region: 'eu-west-1' }).send(
      new CreateQueueCommand({ QueueName: 'elsewhere' }),
    );

    ({ findings } = await runDoctor({ endpoint: server.endpoint }));
  });
  after(() => server.stop());

  it('target-policy-missing: an EventBridge target topic whose policy does not allow events.amazonaws.com', () => {
    const found = on('target-policy-missing', topicArn('closed-topic'));
    assert.equal(found.length, 1, JSON.stringify(findings));
    assert.equal(found[0].severity, 'error');
    assert.match(found[0].message, /events\.amazonaws\.com/);
    assert.match(found[0].fix, /sns:Publish/);
  });

  it('aws-managed-key-blocks-delivery: a queue SNS delivers to, encrypted with alias/aws/sqs', () => {
    const found = on('aws-managed-key-blocks-delivery', queueArn('managed-key'));
    assert.equal(found.length, 1, JSON.stringify(findings));
    assert.equal(found[0].severity, 'error');
    assert.match(found[0].message, /alias\/aws\/sqs/);
  });

  it('aws-managed-key-blocks-delivery: a customer key whose policy keeps sns.amazonaws.com out, on the key', () => {
    const found = on('aws-managed-key-blocks-delivery', closedKeyArn);
    assert.equal(found.length, 1, JSON.stringify(findings));
    assert.match(found[0].message, /sns\.amazonaws\.com/);
    assert.match(found[0].fix, /kms:GenerateDataKey/);
  });

  it('service-principal-unscoped: a topic policy granting events.amazonaws.com with no source condition', () => {
    const found = on('service-principal-unscoped', topicArn('open-topic'));
    assert.equal(found.length, 1, JSON.stringify(findings));
    assert.equal(found[0].severity, 'error');
  });

  it('sqs-short-polling: a queue without ReceiveMessageWaitTimeSeconds, not a long-polled queue nor a DLQ', () => {
    const found = on('sqs-short-polling', queueArn('short-polled'));
    assert.equal(found.length, 1, JSON.stringify(findings));
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].fix, /20/);
    for (const name of ['managed-key', 'only-a-dlq', 'good-queue']) {
      assert.deepEqual(on('sqs-short-polling', queueArn(name)), [], name);
    }
  });

  it('no-customer-managed-key: a notice without a key or with alias/aws/sqs, a warning with --profile production', async () => {
    for (const name of ['short-polled', 'managed-key']) {
      const found = on('no-customer-managed-key', queueArn(name));
      assert.equal(found.length, 1, name);
      assert.equal(found[0].severity, 'notice');
    }
    assert.equal(on('no-customer-managed-key', topicArn('feed')).length, 1);
    assert.deepEqual(
      on('no-customer-managed-key', queueArn('closed-key')),
      [],
      'a customer key, however closed',
    );
    const production = await runDoctor({ endpoint: server.endpoint, profile: 'production' });
    const raised = production.findings.filter(
      (f) => f.rule === 'no-customer-managed-key' && f.resource === queueArn('short-polled'),
    );
    assert.equal(raised[0]?.severity, 'warning');
  });

  it('missing-dlq: an SNS subscription and a rule target without a dead-letter queue', () => {
    const subscription = on('missing-dlq', bareSubscription);
    assert.equal(subscription.length, 1, JSON.stringify(findings));
    assert.equal(subscription[0].severity, 'warning');
    assert.equal(on('missing-dlq', ruleArn('to-topic')).length, 1);
  });

  it('sqs-visibility-below-function-timeout is left to templates: no function timeout exists live', () => {
    assert.deepEqual(
      findings.filter((f) => f.rule === 'sqs-visibility-below-function-timeout'),
      [],
    );
  });

  it('raises nothing on resources set up the way AWS documents them', () => {
    const good = new Set([
      goodKeyArn,
      topicArn('good-topic'),
      goodSubscription,
      queueArn('good-queue'),
      queueArn('good-sub-dlq'),
      queueArn('good-rule-dlq'),
      ruleArn('good-rule'),
    ]);
    assert.deepEqual(
      findings.filter((f) => good.has(f.resource)),
      [],
    );
  });

  it('reads every account and region, or the one asked for', async () => {
    const other = queueArn('elsewhere', OTHER_ACCOUNT, 'eu-west-1');
    const all = await runDoctor({ endpoint: server.endpoint });
    assert.deepEqual(all.scopes, [
      { account: DEFAULT_ACCOUNT, region: REGION },
      { account: OTHER_ACCOUNT, region: 'eu-west-1' },
    ]);
    const elsewhere = all.findings.filter((f) => f.resource === other);
    assert.ok(elsewhere.some((f) => f.rule === 'sqs-short-polling'));
    assert.ok(elsewhere.every((f) => f.file === `tideway://${OTHER_ACCOUNT}/eu-west-1`));

    const byAccount = await runDoctor({ endpoint: server.endpoint, account: OTHER_ACCOUNT });
    assert.deepEqual(byAccount.scopes, [{ account: OTHER_ACCOUNT, region: 'eu-west-1' }]);
    assert.ok(byAccount.findings.length > 0);
    assert.ok(byAccount.findings.every((f) => f.resource.includes(`:${OTHER_ACCOUNT}:`)));

    const byRegion = await runDoctor({ endpoint: server.endpoint, region: REGION });
    assert.deepEqual(byRegion.scopes, [{ account: DEFAULT_ACCOUNT, region: REGION }]);
    assert.ok(!byRegion.findings.some((f) => f.resource === other));
  });
});

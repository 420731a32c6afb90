import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  SetTopicAttributesCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { ServiceError } from '../../src/protocols/errors.js';
import { buildServices, type FrontDoors, type ServiceFactory } from '../../src/services/registry.js';
import { snsValidation } from '../../src/services/sns/errors.js';
import type { TopicOrigin } from '../../src/services/sns/front-door.js';
import { EmbeddedEngine } from '../../src/storage/embedded/engine.js';
import { captureLogger } from '../support/log-capture.js';
import { snsClient, subscribableQueue } from '../support/sns.js';
import { type RunningTideway, receive, sqsClient, startServer, uniqueName } from '../support/tideway.js';

const ACCOUNT = '000000000000';
const RULE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/orders`;

/** A service built after SNS, as EventBridge will be: it keeps the front doors it is handed. */
function frontDoorProbe(seen: { doors?: FrontDoors }): ServiceFactory {
  return {
    name: 'frontdoorprobe',
    create: ({ frontDoors }) => {
      seen.doors = frontDoors;
      return {
        definition: {
          name: 'frontdoorprobe',
          signingName: 'frontdoorprobe',
          operations: {},
          validation: snsValidation,
          unknownOperation: (_protocol, name) => new ServiceError('InvalidAction', name),
        },
        cors: false,
        reset: async () => {},
        close: () => {},
      };
    },
  };
}

/** The statement a topic needs for a service principal: what EventBridge's console adds. */
function topicPolicy(topicArn: string, condition: Record<string, Record<string, string>>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: condition,
      },
    ],
  });
}

const fromRule: TopicOrigin = {
  principal: 'events.amazonaws.com',
  sourceArn: RULE_ARN,
  sourceAccount: ACCOUNT,
};

describe('the SNS front door', () => {
  let server: RunningTideway;
  let sns: SNSClient;
  let sqs: SQSClient;
  const log = captureLogger();
  const seen: { doors?: FrontDoors } = {};
  const door = () => seen.doors!.sns!;

  before(async () => {
    server = await startServer({ logger: log, extraServices: [frontDoorProbe(seen)] });
    sns = snsClient(server.endpoint);
    sqs = sqsClient(server.endpoint);
  });
  after(() => server.stop());

  /** A topic with one raw SQS subscription whose queue lets the topic in; the topic policy as given. */
  async function topicWithQueue(policy?: (topicArn: string) => string, fifo = false, raw = true) {
    const suffix = fifo ? '.fifo' : '';
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({
        Name: `${uniqueName('t')}${suffix}`,
        Attributes: fifo ? { FifoTopic: 'true' } : undefined,
      }),
    );
    const topicArn = TopicArn!;
    if (policy) {
      await sns.send(
        new SetTopicAttributesCommand({
          TopicArn: topicArn,
          AttributeName: 'Policy',
          AttributeValue: policy(topicArn),
        }),
      );
    }
    const queue = await subscribableQueue(
      sqs,
      `${uniqueName('q')}${suffix}`,
      topicArn,
      fifo ? { FifoQueue: 'true' } : {},
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queue.arn,
        Attributes: { RawMessageDelivery: String(raw) },
      }),
    );
    return { topicArn, queue };
  }

  const allowRule = (topicArn: string) =>
    topicPolicy(topicArn, {
      ArnEquals: { 'aws:SourceArn': RULE_ARN },
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
    });

  it('publishes for a principal the topic policy allows, fanning out to the SQS subscription', async () => {
    const { topicArn, queue } = await topicWithQueue(allowRule);
    const outcome = await door().publish(
      topicArn,
      {
        message: '{"detail":"order placed"}',
        attributes: { source: { DataType: 'String', StringValue: 'aws.events' } },
      },
      fromRule,
    );
    assert.equal(outcome.kind, 'delivered');
    const [got] = await receive(sqs, queue.url, { MessageAttributeNames: ['All'] });
    assert.equal(got.Body, '{"detail":"order placed"}');
    assert.equal(got.MessageAttributes?.source?.StringValue, 'aws.events');
  });

  it('wraps the message in the signed envelope for a subscription that is not raw, linking to the given endpoint', async () => {
    const { topicArn, queue } = await topicWithQueue(allowRule, false, false);
    const outcome = await door().publish(
      topicArn,
      { message: 'alarm raised', subject: 'ALARM' },
      { ...fromRule, baseUrl: server.endpoint },
    );
    assert.equal(outcome.kind, 'delivered');
    const [got] = await receive(sqs, queue.url);
    const envelope = JSON.parse(got.Body!);
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.MessageId, (outcome as { messageId: string }).messageId);
    assert.equal(envelope.TopicArn, topicArn);
    assert.equal(envelope.Subject, 'ALARM');
    assert.equal(envelope.Message, 'alarm raised');
    assert.ok(envelope.Signature);
    assert.ok(envelope.UnsubscribeURL.startsWith(`${server.endpoint}/?Action=Unsubscribe&SubscriptionArn=`));
    assert.ok(envelope.SigningCertURL.startsWith(`${server.endpoint}/SimpleNotificationService-`));
  });

  it('drops and logs what the default topic policy keeps out: it lets in only the owner account', async () => {
    const { topicArn, queue } = await topicWithQueue();
    log.warnings.length = 0;
    const outcome = await door().publish(topicArn, { message: 'kept out' }, fromRule);
    assert.equal(outcome.kind, 'denied');
    assert.match(
      (outcome as { reason: string }).reason,
      /needs a statement allowing \{"Service":"events\.amazonaws\.com"\} to "sns:Publish"/,
    );
    assert.ok(
      log.warnings.some((w) => w.text.startsWith('dropped a delivery to SNS: ') && w.text.includes(topicArn)),
      JSON.stringify(log.warnings),
    );
    assert.deepEqual(await receive(sqs, queue.url), []);
  });

  it('honours aws:SourceArn and aws:SourceAccount in the topic policy', async () => {
    const { topicArn, queue } = await topicWithQueue(allowRule);
    const otherRule = await door().publish(
      topicArn,
      { message: 'from another rule' },
      { ...fromRule, sourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/other` },
    );
    assert.equal(otherRule.kind, 'denied');
    const otherAccount = await door().publish(
      topicArn,
      { message: 'from another account' },
      { ...fromRule, sourceAccount: '111111111111' },
    );
    assert.equal(otherAccount.kind, 'denied');
    const otherService = await door().publish(
      topicArn,
      { message: 'from another service' },
      { ...fromRule, principal: 's3.amazonaws.com' },
    );
    assert.equal(otherService.kind, 'denied');
    assert.deepEqual(await receive(sqs, queue.url), []);
  });

  it('publishes anyway with lenient policies, warning why the policy would have kept it out', async () => {
    const { topicArn, queue } = await topicWithQueue();
    log.warnings.length = 0;
    const outcome = await door().publish(topicArn, { message: 'let in' }, { ...fromRule, lenient: true });
    assert.equal(outcome.kind, 'delivered');
    assert.match((outcome as { lenientOver?: string }).lenientOver ?? '', /sns:Publish/);
    assert.ok(log.warnings.some((w) => w.text.startsWith('delivered only because of --lenient-policies')));
    assert.equal((await receive(sqs, queue.url))[0]?.Body, 'let in');
  });

  it('reports a topic that does not exist as missing, without throwing', async () => {
    const outcome = await door().publish(
      `arn:aws:sns:us-east-1:${ACCOUNT}:${uniqueName('gone')}`,
      { message: 'nowhere' },
      fromRule,
    );
    assert.deepEqual(outcome, { kind: 'missing' });
  });

  it("refuses a bad message with Publish's own reason", async () => {
    const { topicArn, queue } = await topicWithQueue(allowRule);
    const cases: Array<[Parameters<ReturnType<typeof door>['publish']>[1], string]> = [
      [{ message: '' }, 'InvalidParameter: Invalid parameter: Empty message'],
      [{ message: 'x', subject: 'two\nlines' }, 'InvalidParameter: Invalid parameter: Subject'],
      [
        { message: 'x', messageStructure: 'json' },
        'InvalidParameter: Invalid parameter: Message Structure - JSON message body failed to parse',
      ],
      [
        { message: 'x', deduplicationId: 'd-1' },
        'InvalidParameter: Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      ],
      [{ message: 'x'.repeat(262_145) }, 'InvalidParameter: Invalid parameter: Message too long'],
    ];
    for (const [message, reason] of cases) {
      const outcome = await door().publish(topicArn, message, fromRule);
      assert.deepEqual(outcome, { kind: 'rejected', reason: `the topic refuses the message (${reason})` });
    }
    const badAttribute = await door().publish(
      topicArn,
      { message: 'x', attributes: { a: { DataType: 'Number', StringValue: 'not a number' } } },
      fromRule,
    );
    assert.equal(badAttribute.kind, 'rejected');
    assert.deepEqual(await receive(sqs, queue.url), []);
  });

  it('keeps the FIFO rules: a group is required, and a repeated deduplication id is delivered once', async () => {
    const { topicArn, queue } = await topicWithQueue(allowRule, true);
    const noGroup = await door().publish(topicArn, { message: 'm', deduplicationId: 'd' }, fromRule);
    assert.deepEqual(noGroup, {
      kind: 'rejected',
      reason:
        'the topic refuses the message (InvalidParameter: Invalid parameter: The MessageGroupId parameter is required for FIFO topics)',
    });
    const noDedup = await door().publish(topicArn, { message: 'm', groupId: 'g' }, fromRule);
    assert.equal(noDedup.kind, 'rejected');
    const message = { message: 'once', groupId: 'g', deduplicationId: 'd-1' };
    const first = await door().publish(topicArn, message, fromRule);
    const again = await door().publish(topicArn, message, fromRule);
    assert.equal(first.kind, 'delivered');
    assert.equal(again.kind, 'delivered');
    const [a, b] = [first, again] as Array<{ messageId: string; sequenceNumber?: string }>;
    assert.equal(b.messageId, a.messageId);
    assert.match(a.sequenceNumber ?? '', /^\d{20}$/);
    const got = await receive(sqs, queue.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(
      got.map((m) => m.Body),
      ['once'],
    );
  });
});

describe('the SNS front door before SNS is used', () => {
  it('loads SNS on its first delivery rather than at start-up', async () => {
    const clock = new Clock();
    const scheduler = new Scheduler(clock);
    const log = createLogger('silent');
    const queues = new EmbeddedEngine(clock, scheduler, log);
    const modules = buildServices({ clock, scheduler, log, queues, settings: {} });
    const sns = modules.find((m) => m.definition.name === 'sns')!;
    assert.equal(typeof sns.definition.load, 'function');
    const outcome = await sns.frontDoors!.sns!.publish(
      `arn:aws:sns:us-east-1:${ACCOUNT}:never-made`,
      { message: 'early' },
      fromRule,
    );
    assert.deepEqual(outcome, { kind: 'missing' });
    assert.equal(sns.definition.load, undefined);
    assert.ok('Publish' in sns.definition.operations);
    for (const m of modules) await m.close();
    scheduler.stop();
    await queues.close();
  });
});

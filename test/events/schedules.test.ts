import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventBusCommand,
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { eventsRejects, withEventsServer } from '../support/events.js';
import { advance, serverNow, sqsClient, uniqueName } from '../support/tideway.js';
import { eventsMaySend } from './delivery-fixtures.js';

// Scheduled rules through the SDK, against what AWS answered in LocalStack's AWS-validated
// test_events_schedule snapshots: the texts PutRule refuses, and the `Scheduled Event` an SQS
// target receives each time the clock passes a firing. These need PutRule, PutTargets, ListRules
// and PutEvents (the rules and PutEvents parts) and the router with its SQS target.

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const safe = (prefix: string) => uniqueName(prefix).replace(/[^A-Za-z0-9._-]/g, '-');

describe('EventBridge scheduled rules', () => {
  const t = withEventsServer();
  let sqs: SQSClient;
  before(async () => {
    const res = await fetch(`${t.server.endpoint}/_tideway/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ frozen: true }),
    });
    assert.equal(res.status, 200);
    sqs = sqsClient(t.server.endpoint);
  });
  after(() => sqs?.destroy());

  async function queue(): Promise<{ url: string; arn: string }> {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: safe('scheduled') }))).QueueUrl as string;
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    const arn = attributes.Attributes?.QueueArn as string;
    // As in AWS, EventBridge delivers only to a queue whose policy lets it in.
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: eventsMaySend(arn) } }),
    );
    return { url, arn };
  }

  async function drain(url: string) {
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    const messages = received.Messages ?? [];
    // Deleted, or they would come back once the clock passes their visibility timeout.
    for (const m of messages)
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    return messages;
  }

  it('refuse what AWS refuses, with one text', async () => {
    for (const expression of [
      'rate(10 seconds)',
      'rate(1 minutes)',
      'rate(10 minute)',
      'rate(0 minutes)',
      'rate(10 MINUTES)',
      ' rate(10 minutes)',
      'cron(0 1 * * * *)',
      'cron(7 20 * * NOT *)',
      'cron(INVALID)',
      'cron(0 dummy ? * MON-FRI *)',
      'cron(71 8 1 * ? *)',
    ]) {
      await eventsRejects(
        t.events.send(new PutRuleCommand({ Name: safe('bad'), ScheduleExpression: expression })),
        'ValidationException',
        'Parameter ScheduleExpression is not valid.',
      );
    }
  });

  it('live on the default bus only', async () => {
    const bus = safe('bus');
    await t.events.send(new CreateEventBusCommand({ Name: bus }));
    await eventsRejects(
      t.events.send(
        new PutRuleCommand({ Name: safe('r'), EventBusName: bus, ScheduleExpression: 'rate(1 minute)' }),
      ),
      'ValidationException',
      'ScheduleExpression is supported only on the default event bus.',
    );
  });

  it('show their expression in ListRules, and fire Scheduled Event at each period', async () => {
    const name = safe('every-minute');
    const { RuleArn } = await t.events.send(
      new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(1 minute)' }),
    );
    assert.equal(RuleArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`);
    const listed = await t.events.send(new ListRulesCommand({ NamePrefix: name }));
    assert.deepEqual(listed.Rules, [
      {
        Name: name,
        Arn: RuleArn,
        EventBusName: 'default',
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
      },
    ]);
    const target = await queue();
    await t.events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: target.arn }] }));
    const start = await serverNow(t.server);
    await advance(t.server, 60);
    const [first, ...more] = await drain(target.url);
    assert.equal(more.length, 0);
    const body = JSON.parse(first.Body as string);
    assert.deepEqual(Object.keys(body), [
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    assert.equal(body.version, '0');
    assert.equal(body['detail-type'], 'Scheduled Event');
    assert.equal(body.source, 'aws.events');
    assert.equal(body.account, ACCOUNT);
    assert.equal(body.region, REGION);
    assert.deepEqual(body.resources, [RuleArn]);
    assert.deepEqual(body.detail, {});
    assert.equal(body.time, `${new Date(start + 60_000).toISOString().slice(0, 19)}Z`);
    // Three minutes at once: the three firings that fell due, in order.
    await advance(t.server, 180);
    const next = await drain(target.url);
    const times = next.map((m) => JSON.parse(m.Body as string).time).sort();
    assert.equal(times.length, 3);
    assert.deepEqual(
      times,
      [2, 3, 4].map((n) => `${new Date(start + n * 60_000).toISOString().slice(0, 19)}Z`),
    );
  });

  it('deliver the target’s Input instead of the event', async () => {
    const name = safe('custom-input');
    await t.events.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(1 minute)' }));
    const target = await queue();
    const input = JSON.stringify({ 'custom-value': 'somecustominput' });
    await t.events.send(
      new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: target.arn, Input: input }] }),
    );
    await advance(t.server, 60);
    const messages = await drain(target.url);
    assert.deepEqual(
      messages.map((m) => JSON.parse(m.Body as string)),
      [{ 'custom-value': 'somecustominput' }],
    );
  });

  it('are not triggered by PutEvents', async () => {
    const name = safe('not-by-events');
    await t.events.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(10 minutes)' }));
    const target = await queue();
    await t.events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: target.arn }] }));
    const entry = {
      Source: 'core.update-account-command',
      DetailType: 'x',
      Detail: '{"command":["update-account"]}',
    };
    await t.events.send(new PutEventsCommand({ Entries: [entry, entry, entry] }));
    assert.deepEqual(await drain(target.url), []);
  });

  it('fire a cron at its minute, and stop when disabled', async () => {
    const name = safe('cron');
    await t.events.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'cron(0/15 * * * ? *)' }));
    const target = await queue();
    await t.events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: target.arn }] }));
    await advance(t.server, 3600);
    const fired = await drain(target.url);
    assert.equal(fired.length, 4);
    for (const message of fired)
      assert.equal(new Date(JSON.parse(message.Body as string).time).getUTCMinutes() % 15, 0);
    await t.events.send(
      new PutRuleCommand({ Name: name, ScheduleExpression: 'cron(0/15 * * * ? *)', State: 'DISABLED' }),
    );
    await advance(t.server, 3600);
    assert.deepEqual(await drain(target.url), []);
  });
});

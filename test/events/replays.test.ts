import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeReplayCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { eventsRejects, withEventsServer } from '../support/events.js';
import { advance, type RunningTideway, serverNow, sqsClient, uniqueName } from '../support/tideway.js';
import { eventsMaySend } from './delivery-fixtures.js';

// Replays through the SDK: AWS's validation texts (LocalStack's AWS-validated
// test_archive_and_replay snapshots), the states a replay goes through on the clock, and what
// DescribeReplay and ListReplays show of it.

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const DEFAULT_BUS = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;

const safe = (prefix: string) => uniqueName(prefix).replace(/[^A-Za-z0-9._-]/g, '-');

async function freeze(server: RunningTideway): Promise<void> {
  const res = await fetch(`${server.endpoint}/_tideway/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ frozen: true }),
  });
  assert.equal(res.status, 200);
}

describe('EventBridge replays', () => {
  const t = withEventsServer();
  let archiveArn: string;
  before(async () => {
    await freeze(t.server);
    const created = await t.events.send(
      new CreateArchiveCommand({ ArchiveName: safe('replayed'), EventSourceArn: DEFAULT_BUS }),
    );
    archiveArn = created.ArchiveArn as string;
  });

  async function start(
    name: string,
    extra: Partial<ConstructorParameters<typeof StartReplayCommand>[0]> = {},
  ) {
    const now = await serverNow(t.server);
    return t.events.send(
      new StartReplayCommand({
        ReplayName: name,
        Description: 'description of the replay',
        EventSourceArn: archiveArn,
        EventStartTime: new Date(now - 60_000),
        EventEndTime: new Date(now),
        Destination: { Arn: DEFAULT_BUS },
        ...extra,
      }),
    );
  }

  it('go STARTING, RUNNING, COMPLETED on the clock, and say so in AWS shapes', async () => {
    const name = safe('replay');
    const started = await start(name);
    assert.equal(started.ReplayArn, `arn:aws:events:${REGION}:${ACCOUNT}:replay/${name}`);
    assert.equal(started.State, 'STARTING');
    assert.ok(started.ReplayStartTime instanceof Date);
    assert.equal((await t.events.send(new DescribeReplayCommand({ ReplayName: name }))).State, 'STARTING');
    await advance(t.server, 1);
    assert.equal((await t.events.send(new DescribeReplayCommand({ ReplayName: name }))).State, 'RUNNING');
    await advance(t.server, 1);
    const described = await t.events.send(new DescribeReplayCommand({ ReplayName: name }));
    assert.equal(described.State, 'COMPLETED');
    assert.equal(described.ReplayName, name);
    assert.equal(described.ReplayArn, started.ReplayArn);
    assert.equal(described.Description, 'description of the replay');
    assert.equal(described.EventSourceArn, archiveArn);
    assert.deepEqual(described.Destination, { Arn: DEFAULT_BUS });
    assert.ok(described.EventStartTime instanceof Date);
    assert.ok(described.EventEndTime instanceof Date);
    assert.ok(described.ReplayEndTime instanceof Date);
    // Nothing was replayed, so AWS shows no EventLastReplayedTime.
    assert.equal(described.EventLastReplayedTime, undefined);
    const listed = await t.events.send(new ListReplaysCommand({ NamePrefix: name }));
    assert.deepEqual(listed.Replays, [
      {
        ReplayName: name,
        EventSourceArn: archiveArn,
        State: 'COMPLETED',
        EventStartTime: described.EventStartTime,
        EventEndTime: described.EventEndTime,
        ReplayStartTime: described.ReplayStartTime,
        ReplayEndTime: described.ReplayEndTime,
      },
    ]);
  });

  it('cancel: CANCELLING at once, CANCELLED after, and not again', async () => {
    const name = safe('cancelled');
    await start(name);
    const cancelled = await t.events.send(new CancelReplayCommand({ ReplayName: name }));
    assert.equal(cancelled.State, 'CANCELLING');
    assert.equal(cancelled.ReplayArn, `arn:aws:events:${REGION}:${ACCOUNT}:replay/${name}`);
    assert.equal((await t.events.send(new DescribeReplayCommand({ ReplayName: name }))).State, 'CANCELLING');
    await advance(t.server, 2);
    const described = await t.events.send(new DescribeReplayCommand({ ReplayName: name }));
    assert.equal(described.State, 'CANCELLED');
    assert.ok(described.ReplayEndTime instanceof Date);
    await eventsRejects(
      t.events.send(new CancelReplayCommand({ ReplayName: name })),
      'IllegalStatusException',
      `Replay ${name} is not in a valid state for this operation.`,
    );
  });

  it('refuse what AWS refuses, with its texts', async () => {
    const now = await serverNow(t.server);
    await eventsRejects(
      start('x', { EventSourceArn: `arn:aws:events:${REGION}:${ACCOUNT}:archive/doesnotexist` }),
      'ValidationException',
      'Parameter EventSourceArn is not valid. Reason: Archive doesnotexist does not exist.',
    );
    for (const delta of [0, 10_000]) {
      await eventsRejects(
        start('x', { EventStartTime: new Date(now), EventEndTime: new Date(now - delta) }),
        'ValidationException',
        'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
      );
    }
    await eventsRejects(
      start('x', { Destination: { Arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/doesnotexist` } }),
      'ResourceNotFoundException',
      'Event bus doesnotexist does not exist.',
    );
    await eventsRejects(
      start('x', { Destination: { Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/something` } }),
      'ValidationException',
      'Parameter Destination.Arn is not valid. Reason: Must contain an event bus ARN.',
    );
    await eventsRejects(
      start('x', {
        Destination: { Arn: DEFAULT_BUS, FilterArns: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/nope`] },
      }),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await eventsRejects(
      start('x', {
        Destination: { Arn: DEFAULT_BUS, FilterArns: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/other/r`] },
      }),
      'ValidationException',
      'Parameter Destination.FilterArns is not valid. Reason: Rule must be on the destination event bus.',
    );
    const name = safe('twice');
    await start(name);
    await eventsRejects(start(name), 'ResourceAlreadyExistsException', `Replay ${name} already exists.`);
    await eventsRejects(
      t.events.send(new DescribeReplayCommand({ ReplayName: 'doesnotexist' })),
      'ResourceNotFoundException',
      'Replay doesnotexist does not exist.',
    );
    await eventsRejects(
      t.events.send(new CancelReplayCommand({ ReplayName: 'doesnotexist' })),
      'ResourceNotFoundException',
      'Replay doesnotexist does not exist.',
    );
    await advance(t.server, 5);
  });

  it('run ten at a time in an account', async () => {
    const prefix = safe('many');
    for (let i = 0; i < 10; i++) await start(`${prefix}-${i}`);
    await eventsRejects(
      start(`${prefix}-10`),
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
    );
    await advance(t.server, 2);
    await start(`${prefix}-10`);
    await advance(t.server, 2);
  });

  it('list by one filter at a time, in name order and pages', async () => {
    const prefix = safe('listed');
    for (let i = 0; i < 6; i++) await start(`${prefix}-test-replay-${i}`);
    await advance(t.server, 2);
    const first = await t.events.send(new ListReplaysCommand({ NamePrefix: prefix, Limit: 3 }));
    assert.deepEqual(
      first.Replays?.map((r) => [r.ReplayName, r.State]),
      [0, 1, 2].map((i) => [`${prefix}-test-replay-${i}`, 'COMPLETED']),
    );
    assert.ok(first.NextToken);
    const second = await t.events.send(
      new ListReplaysCommand({ NamePrefix: prefix, Limit: 5, NextToken: first.NextToken }),
    );
    assert.deepEqual(
      second.Replays?.map((r) => r.ReplayName),
      [3, 4, 5].map((i) => `${prefix}-test-replay-${i}`),
    );
    assert.equal(second.NextToken, undefined);
    const bySource = await t.events.send(new ListReplaysCommand({ EventSourceArn: archiveArn }));
    assert.ok((bySource.Replays?.length ?? 0) >= 6);
    const byState = await t.events.send(new ListReplaysCommand({ State: 'COMPLETED' }));
    assert.ok(byState.Replays?.every((r) => r.State === 'COMPLETED'));
    await eventsRejects(
      t.events.send(new ListReplaysCommand({ NamePrefix: prefix, State: 'COMPLETED' })),
      'ValidationException',
      'At most one filter is allowed for ListReplays. Use either : State, EventSourceArn, or NamePrefix.',
    );
  });
});

// These need CreateEventBus, PutRule, PutTargets, PutEvents and the router with its SQS target.
describe('EventBridge replays: delivery', () => {
  const t = withEventsServer();

  it('refuse a destination other than the archive’s bus', async () => {
    const bus = safe('bus');
    const busArn = (await t.events.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn as string;
    const archiveArn = (
      await t.events.send(new CreateArchiveCommand({ ArchiveName: safe('a'), EventSourceArn: busArn }))
    ).ArchiveArn;
    const now = await serverNow(t.server);
    await eventsRejects(
      t.events.send(
        new StartReplayCommand({
          ReplayName: safe('cross'),
          EventSourceArn: archiveArn,
          EventStartTime: new Date(now - 60_000),
          EventEndTime: new Date(now),
          Destination: { Arn: DEFAULT_BUS },
        }),
      ),
      'ValidationException',
      'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    );
  });

  it('deliver the archived events again to the FilterArns rules, with replay-name', async () => {
    await freeze(t.server);
    const sqs = sqsClient(t.server.endpoint);
    try {
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: safe('replay-target') })))
        .QueueUrl;
      const queueArn = (
        await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
      ).Attributes?.QueueArn as string;
      // As in AWS, EventBridge delivers only to a queue whose policy lets it in.
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queueUrl,
          Attributes: { Policy: eventsMaySend(queueArn) },
        }),
      );
      const pattern = JSON.stringify({ source: ['core.update-account-command'] });
      const ruleName = safe('rule');
      const ruleArn = (await t.events.send(new PutRuleCommand({ Name: ruleName, EventPattern: pattern })))
        .RuleArn;
      await t.events.send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: 'q', Arn: queueArn }] }));
      const archiveArn = (
        await t.events.send(
          new CreateArchiveCommand({
            ArchiveName: safe('a'),
            EventSourceArn: DEFAULT_BUS,
            EventPattern: pattern,
          }),
        )
      ).ArchiveArn;
      const before = await serverNow(t.server);
      const entry = {
        Source: 'core.update-account-command',
        DetailType: 'core.update-account-command',
        Detail: '{"n":1}',
      };
      await t.events.send(new PutEventsCommand({ Entries: [entry, entry, entry] }));
      const original = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      assert.equal(original.Messages?.length, 3);
      // Deleted, or they would come back once the clock passes their visibility timeout.
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: original.Messages?.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      await advance(t.server, 60);
      const replayName = safe('again');
      await t.events.send(
        new StartReplayCommand({
          ReplayName: replayName,
          EventSourceArn: archiveArn,
          EventStartTime: new Date(before - 1000),
          EventEndTime: new Date(before + 1000),
          Destination: { Arn: DEFAULT_BUS, FilterArns: [ruleArn as string] },
        }),
      );
      await advance(t.server, 5);
      const replay = await t.events.send(new DescribeReplayCommand({ ReplayName: replayName }));
      assert.equal(replay.State, 'COMPLETED');
      assert.ok(replay.EventLastReplayedTime instanceof Date);
      const again = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      assert.equal(again.Messages?.length, 3);
      for (const message of again.Messages ?? []) {
        const body = JSON.parse(message.Body as string);
        assert.equal(body['replay-name'], replayName);
        assert.deepEqual(Object.keys(body), [
          'version',
          'id',
          'detail-type',
          'source',
          'account',
          'time',
          'region',
          'replay-name',
          'resources',
          'detail',
        ]);
      }
      // Replayed events do not go back into the archive.
      await advance(t.server, 5);
    } finally {
      sqs.destroy();
    }
  });
});

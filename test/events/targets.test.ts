import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type PutTargetsCommandInput,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { accountCredentials, eventsClient, eventsRejects, withEventsServer } from '../support/events.js';
import { uniqueName } from '../support/tideway.js';

const PATTERN = JSON.stringify({ source: ['my.app'] });
const ACCOUNT = '000000000000';
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:targets-queue`;

// PutTargets, RemoveTargets and ListTargetsByRule (AWS's recorded answers in LocalStack's
// test_events snapshots: TestEventTarget; the texts of refused targets as AWS answers them).
describe('EventBridge targets', () => {
  const t = withEventsServer();

  async function rule(): Promise<string> {
    const name = uniqueName('rule');
    await t.events.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    return name;
  }

  const putTargetsRejects = (input: PutTargetsCommandInput, code: string, message?: string | RegExp) =>
    eventsRejects(t.events.send(new PutTargetsCommand(input)), code, message);

  it('puts, lists and removes a target', async () => {
    const name = await rule();
    const put = await t.events.send(
      new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: QUEUE }] }),
    );
    assert.equal(put.FailedEntryCount, 0);
    assert.deepEqual(put.FailedEntries, []);
    assert.deepEqual((await t.events.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets, [
      { Id: 'q', Arn: QUEUE },
    ]);
    const removed = await t.events.send(new RemoveTargetsCommand({ Rule: name, Ids: ['q'] }));
    assert.equal(removed.FailedEntryCount, 0);
    assert.deepEqual(removed.FailedEntries, []);
    assert.deepEqual((await t.events.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets, []);
    const again = await t.events.send(new RemoveTargetsCommand({ Rule: name, Ids: ['q'] }));
    assert.equal(again.FailedEntryCount, 0, 'removing a target that is gone is no error');
  });

  it('a target Id given again replaces that target; the same ARN may serve under two Ids', async () => {
    const name = await rule();
    await t.events.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: [
          { Id: 'one', Arn: QUEUE, InputPath: '$.detail' },
          { Id: 'two', Arn: QUEUE, InputPath: '$.doesnotexist' },
        ],
      }),
    );
    await t.events.send(
      new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'one', Arn: QUEUE, InputPath: '$.notexisting' }] }),
    );
    assert.deepEqual((await t.events.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets, [
      { Id: 'one', Arn: QUEUE, InputPath: '$.notexisting' },
      { Id: 'two', Arn: QUEUE, InputPath: '$.doesnotexist' },
    ]);
  });

  it('keeps every kind of target as given: SNS, Kinesis, Lambda, Firehose, buses, API destinations', async () => {
    const name = await rule();
    const targets: Target[] = [
      { Id: 'sns', Arn: `arn:aws:sns:us-east-1:${ACCOUNT}:topic` },
      {
        Id: 'kinesis',
        Arn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/s`,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
        KinesisParameters: { PartitionKeyPath: '$.detail-type' },
      },
      {
        Id: 'lambda',
        Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f`,
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` },
      },
      { Id: 'firehose', Arn: `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/d` },
      { Id: 'bus', Arn: 'arn:aws:events:us-east-1:111111111111:event-bus/other' },
    ];
    await t.events.send(new PutTargetsCommand({ Rule: name, Targets: targets }));
    assert.deepEqual((await t.events.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets, targets);

    const api = await rule();
    const destination: Target = {
      Id: 'api',
      Arn: `arn:aws:events:us-east-1:${ACCOUNT}:api-destination/d/0a1b2c3d`,
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
      HttpParameters: { HeaderParameters: { 'x-h': 'v' }, QueryStringParameters: { q: '1' } },
    };
    await t.events.send(new PutTargetsCommand({ Rule: api, Targets: [destination] }));
    assert.deepEqual((await t.events.send(new ListTargetsByRuleCommand({ Rule: api }))).Targets, [
      destination,
    ]);
  });

  it('a FIFO queue needs SqsParameters with a MessageGroupId', async () => {
    const name = await rule();
    const fifo = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders.fifo`;
    for (const SqsParameters of [undefined, {}]) {
      await putTargetsRejects(
        { Rule: name, Targets: [{ Id: 'f', Arn: fifo, SqsParameters }] },
        'ValidationException',
        'Parameter(s) SqsParameters must be specified for target: f.',
      );
    }
    await t.events.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: [{ Id: 'f', Arn: fifo, SqsParameters: { MessageGroupId: 'g' } }],
      }),
    );
    assert.equal((await t.events.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets?.length, 1);
  });

  it('refuses, for the whole call, an ARN that is not one and a parameter of another kind of target', async () => {
    const name = await rule();
    await putTargetsRejects(
      {
        Rule: name,
        Targets: [
          { Id: 'ok', Arn: QUEUE },
          { Id: 'bad', Arn: 'target-arn' },
        ],
      },
      'ValidationException',
      'Parameter target-arn is not valid. Reason: Provided Arn is not in correct format.',
    );
    await putTargetsRejects(
      {
        Rule: name,
        Targets: [{ Id: 'k', Arn: QUEUE, KinesisParameters: { PartitionKeyPath: '$.id' } }],
      },
      'ValidationException',
      'Parameter KinesisParameters is not valid for target k.',
    );
    await putTargetsRejects(
      {
        Rule: name,
        Targets: [{ Id: 'd', Arn: QUEUE, DeadLetterConfig: { Arn: `arn:aws:sns:us-east-1:${ACCOUNT}:t` } }],
      },
      'ValidationException',
      /^Parameter DeadLetterConfig\.Arn is not valid for target d\./,
    );
    assert.deepEqual(
      (await t.events.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets,
      [],
      'a refused call adds no target',
    );
  });

  it('checks target Ids and retry policies against the model first', async () => {
    const name = await rule();
    await putTargetsRejects(
      { Rule: name, Targets: [{ Id: '!@#$@!#$', Arn: QUEUE }] },
      'ValidationException',
      "1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
    const long = 'x'.repeat(65);
    await putTargetsRejects(
      { Rule: name, Targets: [{ Id: long, Arn: QUEUE }] },
      'ValidationException',
      `1 validation error detected: Value '${long}' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    await putTargetsRejects(
      {
        Rule: name,
        Targets: [
          { Id: 'r', Arn: QUEUE, RetryPolicy: { MaximumRetryAttempts: 186, MaximumEventAgeInSeconds: 59 } },
        ],
      },
      'ValidationException',
      /^2 validation errors detected: /,
    );
  });

  it('KinesisParameters needs its PartitionKeyPath (the model says so)', async () => {
    const name = await rule();
    await putTargetsRejects(
      {
        Rule: name,
        Targets: [
          { Id: 'k', Arn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/s`, KinesisParameters: {} as never },
        ],
      },
      'ValidationException',
      /targets\.1\.member\.kinesisParameters\.partitionKeyPath/,
    );
  });

  it('targets of a rule that is not there', async () => {
    const missing = uniqueName('missing');
    const text = `Rule ${missing} does not exist on EventBus default.`;
    await putTargetsRejects(
      { Rule: missing, Targets: [{ Id: 'q', Arn: QUEUE }] },
      'ResourceNotFoundException',
      text,
    );
    await eventsRejects(
      t.events.send(new RemoveTargetsCommand({ Rule: missing, Ids: ['q'] })),
      'ResourceNotFoundException',
      text,
    );
    await eventsRejects(
      t.events.send(new ListTargetsByRuleCommand({ Rule: missing })),
      'ResourceNotFoundException',
      text,
    );
  });

  it('lists targets a page at a time, in the order they were put', async () => {
    const name = await rule();
    const targets = [0, 1, 2, 3, 4].map((i) => ({ Id: `target-${i}`, Arn: QUEUE }));
    await t.events.send(new PutTargetsCommand({ Rule: name, Targets: targets }));
    const first = await t.events.send(new ListTargetsByRuleCommand({ Rule: name, Limit: 3 }));
    assert.deepEqual(first.Targets, targets.slice(0, 3));
    assert.ok(first.NextToken);
    const second = await t.events.send(
      new ListTargetsByRuleCommand({ Rule: name, NextToken: first.NextToken }),
    );
    assert.deepEqual(second.Targets, targets.slice(3));
    assert.equal(second.NextToken, undefined);
  });
});

describe('EventBridge targets per rule (--events-quotas)', () => {
  const t = withEventsServer({ eventsQuotas: true });

  it('refuses more than five targets on a rule, counting those it has', async () => {
    const events = eventsClient(t.server.endpoint, { credentials: accountCredentials('555555555555') });
    try {
      await events.send(new PutRuleCommand({ Name: 'r', EventPattern: PATTERN }));
      const targets = (n: number, from = 0) =>
        Array.from({ length: n }, (_, i) => ({ Id: `test-target-${from + i}`, Arn: QUEUE }));
      await eventsRejects(
        events.send(new PutTargetsCommand({ Rule: 'r', Targets: targets(7) })),
        'LimitExceededException',
        'The requested resource exceeds the maximum number allowed.',
      );
      await events.send(new PutTargetsCommand({ Rule: 'r', Targets: targets(4) }));
      await eventsRejects(
        events.send(new PutTargetsCommand({ Rule: 'r', Targets: targets(2, 4) })),
        'LimitExceededException',
        'The requested resource exceeds the maximum number allowed.',
      );
      await events.send(new PutTargetsCommand({ Rule: 'r', Targets: targets(2, 3) }));
      await events.send(new PutTargetsCommand({ Rule: 'r', Targets: targets(5) }));
      assert.equal((await events.send(new ListTargetsByRuleCommand({ Rule: 'r' }))).Targets?.length, 5);
    } finally {
      events.destroy();
    }
  });
});

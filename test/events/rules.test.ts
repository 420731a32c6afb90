import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { accountCredentials, eventsClient, eventsRejects, withEventsServer } from '../support/events.js';
import { uniqueName } from '../support/tideway.js';

const PATTERN = JSON.stringify({
  source: ['core.update-account-command'],
  'detail-type': ['core.update-account-command'],
  detail: { command: ['update-account'] },
});
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:rules-target';
const ACCOUNT = '000000000000';

// Rules on the default bus over the wire (AWS's recorded answers in LocalStack's test_events
// snapshots: TestEventRule); rules on custom buses are in rule-handlers.test.ts.
describe('EventBridge rules', () => {
  const t = withEventsServer();

  it('puts, lists by prefix, describes and deletes a rule on the default bus', async () => {
    const name = uniqueName('rule');
    const put = await t.events.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    assert.equal(put.RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`);

    const listed = await t.events.send(new ListRulesCommand({ NamePrefix: name }));
    assert.deepEqual(listed.Rules, [
      { Arn: put.RuleArn, EventBusName: 'default', EventPattern: PATTERN, Name: name, State: 'ENABLED' },
    ]);
    assert.equal(listed.NextToken, undefined);

    const described = await t.events.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(described.Arn, put.RuleArn);
    assert.equal(described.CreatedBy, ACCOUNT);
    assert.equal(described.EventBusName, 'default');
    assert.equal(described.EventPattern, PATTERN, 'the pattern comes back as given');
    assert.equal(described.State, 'ENABLED');

    await t.events.send(new DeleteRuleCommand({ Name: name, EventBusName: 'default' }));
    assert.deepEqual((await t.events.send(new ListRulesCommand({ NamePrefix: name }))).Rules, []);
    await eventsRejects(
      t.events.send(new DescribeRuleCommand({ Name: name })),
      'ResourceNotFoundException',
      `Rule ${name} does not exist on EventBus default.`,
    );
  });

  it('deleting a rule that is not there succeeds; on a bus that is not there it does not', async () => {
    await t.events.send(new DeleteRuleCommand({ Name: uniqueName('never') }));
    await eventsRejects(
      t.events.send(new DeleteRuleCommand({ Name: 'r', EventBusName: 'no-such-bus' })),
      'ResourceNotFoundException',
      'Event bus no-such-bus does not exist.',
    );
    await eventsRejects(
      t.events.send(new PutRuleCommand({ Name: 'r', EventBusName: 'no-such-bus', EventPattern: PATTERN })),
      'ResourceNotFoundException',
      'Event bus no-such-bus does not exist.',
    );
    await eventsRejects(
      t.events.send(new ListRulesCommand({ EventBusName: 'no-such-bus' })),
      'ResourceNotFoundException',
      'Event bus no-such-bus does not exist.',
    );
  });

  it('names the bus by its ARN as well as by its name', async () => {
    const name = uniqueName('rule');
    const busArn = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
    const { RuleArn } = await t.events.send(
      new PutRuleCommand({ Name: name, EventPattern: PATTERN, EventBusName: busArn }),
    );
    assert.equal(RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`);
    assert.equal(
      (await t.events.send(new DescribeRuleCommand({ Name: name, EventBusName: busArn }))).Name,
      name,
    );
    await t.events.send(
      new PutTargetsCommand({ Rule: name, EventBusName: busArn, Targets: [{ Id: 't', Arn: QUEUE }] }),
    );
    assert.equal((await t.events.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets?.length, 1);
  });

  it('a rule needs an EventPattern or a ScheduleExpression', async () => {
    await eventsRejects(
      t.events.send(new PutRuleCommand({ Name: uniqueName('rule') })),
      'ValidationException',
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    );
  });

  it('an invalid pattern is InvalidEventPatternException with the pattern compiler’s text', async () => {
    const err = await eventsRejects(
      t.events.send(new PutRuleCommand({ Name: uniqueName('rule'), EventPattern: '{"source": "x"' })),
      'InvalidEventPatternException',
    );
    assert.match(err.message, /^Event pattern is not valid\. Reason: /);
    await eventsRejects(
      t.events.send(new PutRuleCommand({ Name: uniqueName('rule'), EventPattern: '{"source": "x"}' })),
      'InvalidEventPatternException',
      /^Event pattern is not valid\. Reason: /,
    );
  });

  it('a schedule expression is parsed, and refused when it is not valid', async () => {
    const name = uniqueName('scheduled');
    await t.events.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(5 minutes)' }));
    const described = await t.events.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(described.ScheduleExpression, 'rate(5 minutes)');
    assert.equal(described.EventPattern, undefined);
    await eventsRejects(
      t.events.send(
        new PutRuleCommand({ Name: uniqueName('scheduled'), ScheduleExpression: 'rate(5 weeks)' }),
      ),
      'ValidationException',
      'Parameter ScheduleExpression is not valid.',
    );
  });

  it('PutRule on an existing rule replaces it, keeps its targets, and re-enables it unless told', async () => {
    const name = uniqueName('rule');
    await t.events.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, Description: 'first' }));
    await t.events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't1', Arn: QUEUE }] }));
    await t.events.send(new DisableRuleCommand({ Name: name }));
    const again = await t.events.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    assert.equal(again.RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`);
    const described = await t.events.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(described.Description, undefined, 'what PutRule leaves out is not kept');
    assert.equal(described.State, 'ENABLED');
    const { Targets } = await t.events.send(new ListTargetsByRuleCommand({ Rule: name }));
    assert.deepEqual(Targets, [{ Id: 't1', Arn: QUEUE }]);
    assert.equal((await t.events.send(new ListRulesCommand({ NamePrefix: name }))).Rules?.length, 1);
  });

  it('disables and re-enables a rule', async () => {
    const name = uniqueName('rule');
    await t.events.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, State: 'DISABLED' }));
    assert.equal((await t.events.send(new DescribeRuleCommand({ Name: name }))).State, 'DISABLED');
    await t.events.send(new EnableRuleCommand({ Name: name }));
    assert.equal((await t.events.send(new DescribeRuleCommand({ Name: name }))).State, 'ENABLED');
    await t.events.send(new DisableRuleCommand({ Name: name }));
    assert.equal((await t.events.send(new DescribeRuleCommand({ Name: name }))).State, 'DISABLED');
    await eventsRejects(
      t.events.send(new EnableRuleCommand({ Name: uniqueName('missing') })),
      'ResourceNotFoundException',
      /^Rule .* does not exist on EventBus default\.$/,
    );
  });

  it('refuses to delete a rule that has targets, unless forced', async () => {
    const name = uniqueName('rule');
    await t.events.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    await t.events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: QUEUE }] }));
    await eventsRejects(
      t.events.send(new DeleteRuleCommand({ Name: name })),
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    );
    await t.events.send(new RemoveTargetsCommand({ Rule: name, Ids: ['t'] }));
    await t.events.send(new DeleteRuleCommand({ Name: name }));

    const forced = uniqueName('rule');
    await t.events.send(new PutRuleCommand({ Name: forced, EventPattern: PATTERN }));
    await t.events.send(new PutTargetsCommand({ Rule: forced, Targets: [{ Id: 't', Arn: QUEUE }] }));
    await t.events.send(new DeleteRuleCommand({ Name: forced, Force: true }));
    await eventsRejects(
      t.events.send(new DescribeRuleCommand({ Name: forced })),
      'ResourceNotFoundException',
    );
  });

  it('lists rules in name order, a page at a time', async () => {
    const owner = eventsClient(t.server.endpoint, { credentials: accountCredentials('222222222222') });
    try {
      const prefix = uniqueName('paged');
      for (const i of [3, 0, 5, 1, 4, 2]) {
        await owner.send(new PutRuleCommand({ Name: `${prefix}-${i}`, EventPattern: PATTERN }));
      }
      const first = await owner.send(new ListRulesCommand({ Limit: 3 }));
      assert.deepEqual(
        first.Rules?.map((r) => r.Name),
        [0, 1, 2].map((i) => `${prefix}-${i}`),
      );
      assert.ok(first.NextToken);
      const second = await owner.send(new ListRulesCommand({ Limit: 5, NextToken: first.NextToken }));
      assert.deepEqual(
        second.Rules?.map((r) => r.Name),
        [3, 4, 5].map((i) => `${prefix}-${i}`),
      );
      assert.equal(second.NextToken, undefined);
      await eventsRejects(
        owner.send(new ListRulesCommand({ NextToken: 'bm90LWEtdG9rZW4' })),
        'ValidationException',
      );
    } finally {
      owner.destroy();
    }
  });

  it('lists the names of the rules that target an ARN, a page at a time', async () => {
    const queue = `arn:aws:sqs:us-east-1:${ACCOUNT}:${uniqueName('by-target')}`;
    const prefix = uniqueName('by-target');
    for (let i = 0; i < 5; i++) {
      await t.events.send(new PutRuleCommand({ Name: `${prefix}-${i}`, EventPattern: PATTERN }));
      await t.events.send(
        new PutTargetsCommand({ Rule: `${prefix}-${i}`, Targets: [{ Id: `t${i}`, Arn: queue }] }),
      );
    }
    await t.events.send(new PutRuleCommand({ Name: `${prefix}-other`, EventPattern: PATTERN }));
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await t.events.send(
        new ListRuleNamesByTargetCommand({ TargetArn: queue, Limit: 2, NextToken: token }),
      );
      pages.push(page.RuleNames ?? []);
      token = page.NextToken;
    } while (token);
    assert.deepEqual(pages, [
      [`${prefix}-0`, `${prefix}-1`],
      [`${prefix}-2`, `${prefix}-3`],
      [`${prefix}-4`],
    ]);
    const none = await t.events.send(new ListRuleNamesByTargetCommand({ TargetArn: `${queue}-none` }));
    assert.deepEqual(none.RuleNames, []);
  });

  it('the model’s constraints come first: a rule name AWS would not take', async () => {
    await eventsRejects(
      t.events.send(new PutRuleCommand({ Name: 'bad name!', EventPattern: PATTERN })),
      'ValidationException',
      "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
  });
});

describe('EventBridge rule quotas (--events-quotas)', () => {
  const t = withEventsServer({ eventsQuotas: { 'rules-per-bus': 2, 'wildcard-rules-per-bus': 1 } });
  const quotaText = 'The requested resource exceeds the maximum number allowed.';

  it('refuses a new rule past the quota of rules per bus; updates still go through', async () => {
    const owner = eventsClient(t.server.endpoint, { credentials: accountCredentials('333333333333') });
    try {
      await owner.send(new PutRuleCommand({ Name: 'one', EventPattern: PATTERN }));
      await owner.send(new PutRuleCommand({ Name: 'two', EventPattern: PATTERN }));
      await eventsRejects(
        owner.send(new PutRuleCommand({ Name: 'three', EventPattern: PATTERN })),
        'LimitExceededException',
        quotaText,
      );
      await owner.send(new PutRuleCommand({ Name: 'two', EventPattern: PATTERN, Description: 'update' }));
      await owner.send(new DeleteRuleCommand({ Name: 'one' }));
      await owner.send(new PutRuleCommand({ Name: 'three', EventPattern: PATTERN }));
    } finally {
      owner.destroy();
    }
  });

  it('refuses a wildcard rule past the quota of wildcard rules per bus', async () => {
    const owner = eventsClient(t.server.endpoint, { credentials: accountCredentials('444444444444') });
    try {
      const wildcard = JSON.stringify({ source: [{ wildcard: 'my.*' }] });
      await owner.send(new PutRuleCommand({ Name: 'w1', EventPattern: wildcard }));
      await eventsRejects(
        owner.send(new PutRuleCommand({ Name: 'w2', EventPattern: wildcard })),
        'LimitExceededException',
        quotaText,
      );
      await owner.send(new PutRuleCommand({ Name: 'w1', EventPattern: wildcard, Description: 'again' }));
      await owner.send(new PutRuleCommand({ Name: 'plain', EventPattern: PATTERN }));
    } finally {
      owner.destroy();
    }
  });
});

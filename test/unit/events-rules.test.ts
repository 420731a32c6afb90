import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import type { RequestContext } from '../../src/protocols/service.js';
import type { BusRecord, RuleRecord } from '../../src/services/events/records.js';
import { usesWildcard } from '../../src/services/events/rule-views.js';
import { ruleHandlers } from '../../src/services/events/rules.js';
import { EventsState } from '../../src/services/events/state.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const PATTERN = JSON.stringify({ source: ['my.app'] });
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:q`;

// The rule handlers on custom buses and managed rules, which other slices create (CreateEventBus,
// archives): built here straight into the state. AWS's texts as in LocalStack's recorded answers.
describe('EventBridge rule handlers', () => {
  let state: EventsState;
  let handlers: ReturnType<typeof ruleHandlers>;
  const ctx = { caller: { account: ACCOUNT, region: REGION }, requestId: 'r' } as RequestContext;
  const call = (op: keyof typeof handlers, input: object): Promise<any> =>
    Promise.resolve().then(() => handlers[op]!(input, ctx));
  const rejects = async (op: keyof typeof handlers, input: object, code: string, message: string) => {
    await assert.rejects(call(op, input), (err: Error & { code?: string }) => {
      assert.equal(err.name, code);
      assert.equal(err.message, message);
      return true;
    });
  };

  beforeEach(async () => {
    const clock = new Clock();
    state = new EventsState({
      clock,
      scheduler: new Scheduler(clock),
      log: createLogger('silent'),
      frontDoors: {},
      settings: {},
    });
    handlers = ruleHandlers(state);
    const bus: BusRecord = {
      arn: state.busArn(ACCOUNT, REGION, 'orders'),
      name: 'orders',
      account: ACCOUNT,
      region: REGION,
      createdAt: 0,
      lastModifiedAt: 0,
      tags: [],
    };
    await state.buses.put(bus.arn, bus);
  });

  it('puts, describes, lists, disables and deletes a rule on a custom bus, by name or ARN', async () => {
    const { RuleArn } = await call('PutRule', { Name: 'r', EventBusName: 'orders', EventPattern: PATTERN });
    assert.equal(RuleArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders/r`);
    const busArn = state.busArn(ACCOUNT, REGION, 'orders');
    const described = await call('DescribeRule', { Name: 'r', EventBusName: busArn });
    assert.deepEqual(described, {
      Name: 'r',
      Arn: RuleArn,
      EventPattern: PATTERN,
      State: 'ENABLED',
      Description: undefined,
      ScheduleExpression: undefined,
      RoleArn: undefined,
      ManagedBy: undefined,
      EventBusName: 'orders',
      CreatedBy: ACCOUNT,
    });
    const { Rules } = await call('ListRules', { EventBusName: 'orders' });
    assert.deepEqual(
      Rules.map((r: { Name: string }) => r.Name),
      ['r'],
    );
    assert.deepEqual((await call('ListRules', {})).Rules, [], 'the default bus has its own rules');
    await call('DisableRule', { Name: 'r', EventBusName: 'orders' });
    assert.equal((await call('DescribeRule', { Name: 'r', EventBusName: 'orders' })).State, 'DISABLED');
    await call('DeleteRule', { Name: 'r', EventBusName: 'orders' });
    await rejects(
      'DescribeRule',
      { Name: 'r', EventBusName: 'orders' },
      'ResourceNotFoundException',
      'Rule r does not exist on EventBus orders.',
    );
  });

  it('schedules only on the default bus', async () => {
    await rejects(
      'PutRule',
      { Name: 's', EventBusName: 'orders', ScheduleExpression: 'rate(1 minute)' },
      'ValidationException',
      'ScheduleExpression is supported only on the default event bus.',
    );
  });

  it('targets and tags of a rule on a custom bus', async () => {
    const { RuleArn } = await call('PutRule', { Name: 'r', EventBusName: 'orders', EventPattern: PATTERN });
    await call('PutTargets', { Rule: 'r', EventBusName: 'orders', Targets: [{ Id: 't', Arn: QUEUE }] });
    assert.deepEqual((await call('ListTargetsByRule', { Rule: 'r', EventBusName: 'orders' })).Targets, [
      { Id: 't', Arn: QUEUE },
    ]);
    assert.deepEqual(
      (await call('ListRuleNamesByTarget', { TargetArn: QUEUE, EventBusName: 'orders' })).RuleNames,
      ['r'],
    );
    assert.deepEqual((await call('ListRuleNamesByTarget', { TargetArn: QUEUE })).RuleNames, []);
    await call('TagResource', { ResourceARN: RuleArn, Tags: [{ Key: 'k', Value: 'v' }] });
    assert.deepEqual((await call('ListTagsForResource', { ResourceARN: RuleArn })).Tags, [
      { Key: 'k', Value: 'v' },
    ]);
    const busArn = state.busArn(ACCOUNT, REGION, 'orders');
    await call('TagResource', { ResourceARN: busArn, Tags: [{ Key: 'b', Value: '1' }] });
    assert.deepEqual((await call('ListTagsForResource', { ResourceARN: busArn })).Tags, [
      { Key: 'b', Value: '1' },
    ]);
    assert.deepEqual(
      state.rules.get(RuleArn)?.tags,
      [{ Key: 'k', Value: 'v' }],
      'bus and rule tags stay apart',
    );
  });

  it('tags a partner bus and its rules, whose names hold slashes', async () => {
    const name = 'aws.partner/example.com/123/source';
    const bus: BusRecord = {
      arn: state.busArn(ACCOUNT, REGION, name),
      name,
      account: ACCOUNT,
      region: REGION,
      createdAt: 0,
      lastModifiedAt: 0,
      tags: [],
      eventSourceName: name,
    };
    await state.buses.put(bus.arn, bus);
    const { RuleArn } = await call('PutRule', { Name: 'r', EventBusName: name, EventPattern: PATTERN });
    assert.equal(RuleArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}/r`);
    for (const arn of [bus.arn, RuleArn]) {
      await call('TagResource', { ResourceARN: arn, Tags: [{ Key: 'k', Value: arn }] });
      assert.deepEqual((await call('ListTagsForResource', { ResourceARN: arn })).Tags, [
        { Key: 'k', Value: arn },
      ]);
    }
  });

  it('a managed rule changes only with Force', async () => {
    const managed: RuleRecord = {
      arn: state.ruleArn(ACCOUNT, REGION, 'orders', 'Events-Archive-a'),
      name: 'Events-Archive-a',
      busName: 'orders',
      busArn: state.busArn(ACCOUNT, REGION, 'orders'),
      account: ACCOUNT,
      region: REGION,
      eventPattern: PATTERN,
      state: 'ENABLED',
      managedBy: 'prod.vhs.events.aws.internal',
      createdBy: ACCOUNT,
      targets: [{ Id: 'Events-Archive-a', Arn: 'arn:aws:events:us-east-1:::' }],
      tags: [],
      createdAt: 0,
    };
    await state.putRule(managed);
    const text = "Events-Archive-a is a managed rule. Set 'force' parameter to true to override.";
    const named = { Name: managed.name, EventBusName: 'orders' };
    assert.equal((await call('DescribeRule', named)).ManagedBy, 'prod.vhs.events.aws.internal');
    await rejects('PutRule', { ...named, EventPattern: PATTERN }, 'ManagedRuleException', text);
    await rejects('DisableRule', named, 'ManagedRuleException', text);
    await rejects('EnableRule', named, 'ManagedRuleException', text);
    await rejects(
      'PutTargets',
      { Rule: managed.name, EventBusName: 'orders', Targets: [{ Id: 'x', Arn: QUEUE }] },
      'ManagedRuleException',
      text,
    );
    await rejects(
      'RemoveTargets',
      { Rule: managed.name, EventBusName: 'orders', Ids: ['Events-Archive-a'] },
      'ManagedRuleException',
      text,
    );
    await rejects('DeleteRule', named, 'ManagedRuleException', text);
    await call('RemoveTargets', {
      Rule: managed.name,
      EventBusName: 'orders',
      Ids: ['Events-Archive-a'],
      Force: true,
    });
    await call('DeleteRule', { ...named, Force: true });
    assert.equal(state.rules.get(managed.arn), undefined);
  });

  it('tells the rule listeners of every change', async () => {
    const seen: string[] = [];
    state.ruleListeners.add((rule, deleted) => seen.push(`${rule.name}:${rule.state}:${deleted}`));
    const before = state.rulesVersion;
    await call('PutRule', { Name: 'r', EventPattern: PATTERN });
    await call('DisableRule', { Name: 'r' });
    await call('DeleteRule', { Name: 'r' });
    assert.deepEqual(seen, ['r:ENABLED:false', 'r:DISABLED:false', 'r:DISABLED:true']);
    assert.ok(state.rulesVersion > before);
  });

  it('finds the wildcard operator wherever a pattern uses it', () => {
    assert.equal(usesWildcard({ source: [{ wildcard: 'a*' }] }), true);
    assert.equal(usesWildcard({ detail: { $or: [{ a: ['x'] }, { b: [{ wildcard: '*b' }] }] } }), true);
    assert.equal(usesWildcard({ source: [{ prefix: 'a' }], detail: { wildcard: ['literal'] } }), false);
  });
});

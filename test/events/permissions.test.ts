import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  ListEventBusesCommand,
  PutPermissionCommand,
  RemovePermissionCommand,
} from '@aws-sdk/client-eventbridge';
import { busPolicyAllows } from '../../src/services/events/bus-policy.js';
import type { BusRecord } from '../../src/services/events/records.js';
import { eventsRejects, withEventsServer } from '../support/events.js';
import { uniqueName } from '../support/tideway.js';

const OWNER = '000000000000';
const FRIEND = '111122223333';
const STRANGER = '444455556666';

/** The bus as PutEvents' check sees it: the described bus's name, ARN, owner and policy text. */
async function busRecord(events: EventBridgeClient, name: string): Promise<BusRecord> {
  const described = await events.send(new DescribeEventBusCommand({ Name: name }));
  return {
    arn: described.Arn as string,
    name,
    account: OWNER,
    region: 'us-east-1',
    policy: described.Policy,
    createdAt: 0,
    lastModifiedAt: 0,
    tags: [],
  };
}

async function policyOf(events: EventBridgeClient, name: string): Promise<any> {
  const described = await events.send(new DescribeEventBusCommand({ Name: name }));
  return described.Policy === undefined ? undefined : JSON.parse(described.Policy);
}

// PutPermission/RemovePermission as AWS's recorded answers show them (LocalStack's validated
// snapshots, TestEventBus test_put_permission / test_remove_permission*), on a custom bus and default.
for (const kind of ['custom', 'default'] as const) {
  describe(`EventBridge bus permissions (${kind} bus)`, () => {
    const t = withEventsServer();
    const newBus = async () => {
      if (kind === 'default') return 'default';
      const name = uniqueName('bus');
      await t.events.send(new CreateEventBusCommand({ Name: name }));
      return name;
    };

    it('writes one statement per StatementId in AWS shape; a repeated id replaces its statement', async () => {
      const bus = await newBus();
      const arn = `arn:aws:events:us-east-1:${OWNER}:event-bus/${bus}`;
      const put = (Principal: string, StatementId: string) =>
        t.events.send(
          new PutPermissionCommand({ EventBusName: bus, Action: 'events:PutEvents', Principal, StatementId }),
        );
      await put(OWNER, 'statement-1');
      await put(OWNER, 'statement-2');
      await put(FRIEND, 'statement-3');
      await put('*', 'statement-4');
      await put('*', 'statement-4');
      const policy = await policyOf(t.events, bus);
      assert.deepEqual(policy, {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'statement-1',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${OWNER}:root` },
            Action: 'events:PutEvents',
            Resource: arn,
          },
          {
            Sid: 'statement-2',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${OWNER}:root` },
            Action: 'events:PutEvents',
            Resource: arn,
          },
          {
            Sid: 'statement-3',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${FRIEND}:root` },
            Action: 'events:PutEvents',
            Resource: arn,
          },
          { Sid: 'statement-4', Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: arn },
        ],
      });
      // The list shows the policy too.
      const listed = await t.events.send(new ListEventBusesCommand({ NamePrefix: bus }));
      assert.deepEqual(JSON.parse(listed.EventBuses?.find((b) => b.Name === bus)?.Policy as string), policy);

      // The Policy form replaces the whole policy.
      const replacement = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'statement-5',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'events:ListRules',
            Resource: '*',
          },
        ],
      };
      await t.events.send(
        new PutPermissionCommand({ EventBusName: bus, Policy: JSON.stringify(replacement) }),
      );
      assert.deepEqual(await policyOf(t.events, bus), replacement);
      await t.events.send(new RemovePermissionCommand({ EventBusName: bus, RemoveAllPermissions: true }));
    });

    it('removes one statement, then all; an unknown StatementId is AWS text', async () => {
      const bus = await newBus();
      await eventsRejects(
        t.events.send(new RemovePermissionCommand({ EventBusName: bus, StatementId: 'non-existing-sid' })),
        'ResourceNotFoundException',
        'Statement with the provided id does not exist.',
      );
      for (const [principal, sid] of [
        [OWNER, 'first'],
        [FRIEND, 'second'],
      ]) {
        await t.events.send(
          new PutPermissionCommand({
            EventBusName: bus,
            Action: 'events:PutEvents',
            Principal: principal,
            StatementId: sid,
          }),
        );
      }
      await eventsRejects(
        t.events.send(new RemovePermissionCommand({ EventBusName: bus, StatementId: 'non-existing-sid' })),
        'ResourceNotFoundException',
        'Statement with the provided id does not exist.',
      );
      await t.events.send(
        new RemovePermissionCommand({ EventBusName: bus, StatementId: 'first', RemoveAllPermissions: false }),
      );
      const left = await policyOf(t.events, bus);
      assert.deepEqual(
        left.Statement.map((s: { Sid: string }) => s.Sid),
        ['second'],
      );
      await t.events.send(new RemovePermissionCommand({ EventBusName: bus, RemoveAllPermissions: true }));
      assert.equal(await policyOf(t.events, bus), undefined);
    });
  });
}

describe('EventBridge bus permissions: checks', () => {
  const t = withEventsServer();

  it('answers for a bus that does not exist with AWS text', async () => {
    await eventsRejects(
      t.events.send(
        new PutPermissionCommand({
          EventBusName: 'no-such-bus',
          Action: 'events:PutEvents',
          Principal: '*',
          StatementId: 's',
        }),
      ),
      'ResourceNotFoundException',
      'Event bus no-such-bus does not exist.',
    );
    await eventsRejects(
      t.events.send(new RemovePermissionCommand({ EventBusName: 'no-such-bus', RemoveAllPermissions: true })),
      'ResourceNotFoundException',
      'Event bus no-such-bus does not exist.',
    );
  });

  it('refuses other actions, a condition without principal *, and a malformed Policy', async () => {
    const bus = uniqueName('bus');
    await t.events.send(new CreateEventBusCommand({ Name: bus }));
    await eventsRejects(
      t.events.send(
        new PutPermissionCommand({
          EventBusName: bus,
          Action: 'events:ListRules',
          Principal: FRIEND,
          StatementId: 's',
        }),
      ),
      'ValidationException',
      "Provided value in parameter 'action' is not supported.",
    );
    await eventsRejects(
      t.events.send(
        new PutPermissionCommand({
          EventBusName: bus,
          Action: 'events:PutEvents',
          Principal: FRIEND,
          StatementId: 's',
          Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' },
        }),
      ),
      'ValidationException',
      "Value of the parameter 'principal' must be '*' when the parameter 'condition' is set.",
    );
    // The model's own pattern: a 12-digit account or *.
    await eventsRejects(
      t.events.send(
        new PutPermissionCommand({
          EventBusName: bus,
          Action: 'events:PutEvents',
          Principal: 'someone',
          StatementId: 's',
        }),
      ),
      'ValidationException',
      /Member must satisfy regular expression pattern/,
    );
    await eventsRejects(
      t.events.send(new PutPermissionCommand({ EventBusName: bus, Policy: '{not json' })),
      'ValidationException',
      'This policy contains invalid Json',
    );
    await eventsRejects(
      t.events.send(new RemovePermissionCommand({ EventBusName: bus })),
      'ValidationException',
      'Parameter StatementId is required.',
    );
    await eventsRejects(
      t.events.send(new RemovePermissionCommand({ EventBusName: bus, RemoveAllPermissions: true })),
      'ResourceNotFoundException',
      'EventBus does not have a policy.',
    );
  });

  it('writes the organization condition and busPolicyAllows decides by it', async () => {
    const bus = uniqueName('bus');
    await t.events.send(new CreateEventBusCommand({ Name: bus }));
    await t.events.send(
      new PutPermissionCommand({
        EventBusName: bus,
        Action: 'events:PutEvents',
        Principal: '*',
        StatementId: 'org',
        Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' },
      }),
    );
    const policy = await policyOf(t.events, bus);
    assert.deepEqual(policy.Statement[0].Condition, {
      StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' },
    });
    const record = await busRecord(t.events, bus);
    assert.equal(busPolicyAllows(record, FRIEND, 'events:PutEvents', undefined, 'o-1234567890'), true);
    assert.equal(busPolicyAllows(record, FRIEND, 'events:PutEvents', undefined, 'o-other'), false);
    assert.equal(busPolicyAllows(record, FRIEND, 'events:PutEvents'), false);
  });

  it('busPolicyAllows: the owner always, others only as the policy says', async () => {
    const bus = uniqueName('bus');
    await t.events.send(new CreateEventBusCommand({ Name: bus }));
    const bare = await busRecord(t.events, bus);
    assert.equal(busPolicyAllows(bare, OWNER, 'events:PutEvents'), true);
    assert.equal(busPolicyAllows(bare, FRIEND, 'events:PutEvents'), false);

    await t.events.send(
      new PutPermissionCommand({
        EventBusName: bus,
        Action: 'events:PutEvents',
        Principal: FRIEND,
        StatementId: 'friend',
      }),
    );
    const granted = await busRecord(t.events, bus);
    assert.equal(busPolicyAllows(granted, FRIEND, 'events:PutEvents'), true);
    assert.equal(
      busPolicyAllows(granted, FRIEND, 'events:PutEvents', `arn:aws:events:us-east-1:${FRIEND}:rule/r`),
      true,
    );
    assert.equal(busPolicyAllows(granted, STRANGER, 'events:PutEvents'), false);
    assert.equal(busPolicyAllows(granted, FRIEND, 'events:ListRules'), false);

    // A policy with a Deny: the explicit deny wins over the allow.
    await t.events.send(
      new PutPermissionCommand({
        EventBusName: bus,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'all',
              Effect: 'Allow',
              Principal: '*',
              Action: 'events:PutEvents',
              Resource: granted.arn,
            },
            {
              Sid: 'not-them',
              Effect: 'Deny',
              Principal: { AWS: STRANGER },
              Action: 'events:PutEvents',
              Resource: granted.arn,
            },
          ],
        }),
      }),
    );
    const mixed = await busRecord(t.events, bus);
    assert.equal(busPolicyAllows(mixed, FRIEND, 'events:PutEvents'), true);
    assert.equal(busPolicyAllows(mixed, STRANGER, 'events:PutEvents'), false);
  });
});

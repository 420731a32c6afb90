import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  CreateEndpointCommand,
  CreateEventBusCommand,
  CreatePartnerEventSourceCommand,
  DeleteEventBusCommand,
  DescribeEndpointCommand,
  DescribeEventBusCommand,
  DescribeEventSourceCommand,
  ListEventBusesCommand,
  PutPermissionCommand,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import type { ServiceError } from '../../src/protocols/errors.js';
import type { RequestContext } from '../../src/protocols/service.js';
import { busHandlers } from '../../src/services/events/buses.js';
import type { EventsHandler } from '../../src/services/events/operations.js';
import type { RuleRecord } from '../../src/services/events/records.js';
import { EventsState } from '../../src/services/events/state.js';
import { accountCredentials, eventsClient, eventsRejects, withEventsServer } from '../support/events.js';
import { kmsClient } from '../support/kms.js';
import { advance, startServer, uniqueName } from '../support/tideway.js';

// Event buses as AWS's recorded answers show them (LocalStack's validated snapshots,
// tests/aws/services/events/test_events.py TestEventBus) and the API reference.
describe('EventBridge event buses', () => {
  const t = withEventsServer();

  it('creates, lists, describes and deletes a custom bus', async () => {
    const name = uniqueName('bus');
    const created = await t.events.send(new CreateEventBusCommand({ Name: name, Description: 'test bus' }));
    assert.equal(created.EventBusArn, `arn:aws:events:us-east-1:000000000000:event-bus/${name}`);
    assert.equal(created.Description, 'test bus');

    const listed = await t.events.send(new ListEventBusesCommand({ NamePrefix: name }));
    assert.equal(listed.EventBuses?.length, 1);
    const [entry] = listed.EventBuses ?? [];
    assert.equal(entry?.Name, name);
    assert.equal(entry?.Arn, created.EventBusArn);
    assert.equal(entry?.Description, 'test bus');
    assert.ok(entry?.CreationTime instanceof Date);
    assert.ok(entry?.LastModifiedTime instanceof Date);
    assert.equal(listed.NextToken, undefined);

    const described = await t.events.send(new DescribeEventBusCommand({ Name: name }));
    assert.equal(described.Name, name);
    assert.equal(described.Arn, created.EventBusArn);
    assert.equal(described.Description, 'test bus');
    assert.equal(described.Policy, undefined);
    assert.ok(described.CreationTime instanceof Date);
    // Describe also takes the bus's ARN.
    const byArn = await t.events.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
    assert.equal(byArn.Name, name);

    await t.events.send(new DeleteEventBusCommand({ Name: name }));
    const after = await t.events.send(new ListEventBusesCommand({ NamePrefix: name }));
    assert.deepEqual(after.EventBuses, []);
  });

  it('has a default bus in every account and region from the start', async () => {
    const other = eventsClient(t.server.endpoint, {
      region: 'eu-west-1',
      credentials: accountCredentials('111122223333'),
    });
    try {
      const described = await other.send(new DescribeEventBusCommand({}));
      assert.equal(described.Name, 'default');
      assert.equal(described.Arn, 'arn:aws:events:eu-west-1:111122223333:event-bus/default');
      const listed = await other.send(new ListEventBusesCommand({}));
      assert.deepEqual(
        listed.EventBuses?.map((b) => b.Name),
        ['default'],
      );
    } finally {
      other.destroy();
    }
  });

  it('answers AWS texts for a bus that exists, does not exist, or is the default', async () => {
    const name = uniqueName('bus');
    await t.events.send(new CreateEventBusCommand({ Name: name }));
    await eventsRejects(
      t.events.send(new CreateEventBusCommand({ Name: name })),
      'ResourceAlreadyExistsException',
      `Event bus ${name} already exists.`,
    );
    await eventsRejects(
      t.events.send(new CreateEventBusCommand({ Name: 'default' })),
      'ResourceAlreadyExistsException',
      'Event bus default already exists.',
    );
    await eventsRejects(
      t.events.send(new DescribeEventBusCommand({ Name: 'no-such-bus' })),
      'ResourceNotFoundException',
      'Event bus no-such-bus does not exist.',
    );
    await eventsRejects(
      t.events.send(new DeleteEventBusCommand({ Name: 'default' })),
      'ValidationException',
      'Cannot delete event bus default.',
    );
    await eventsRejects(
      t.events.send(
        new DescribeEventBusCommand({ Name: 'arn:aws:events:us-east-1:111122223333:event-bus/default' }),
      ),
      'ResourceNotFoundException',
      'Event bus default does not exist.',
    );
    // AWS answers success for deleting a bus that does not exist (recorded).
    await t.events.send(new DeleteEventBusCommand({ Name: 'no-such-bus' }));
  });

  it('checks bus names: no slash outside partner buses, and the model pattern', async () => {
    await eventsRejects(
      t.events.send(new CreateEventBusCommand({ Name: 'team/bus' })),
      'ValidationException',
      "Event bus name must not contain '/'.",
    );
    await eventsRejects(
      t.events.send(new CreateEventBusCommand({ Name: 'bad name!' })),
      'ValidationException',
      /Member must satisfy regular expression pattern/,
    );
    await eventsRejects(
      t.events.send(
        new CreateEventBusCommand({
          Name: 'aws.partner/x.com/1/a',
          EventSourceName: 'aws.partner/x.com/1/b',
        }),
      ),
      'ValidationException',
      'Event bus name must match event source name.',
    );
    await eventsRejects(
      t.events.send(
        new CreateEventBusCommand({
          Name: 'aws.partner/x.com/1/a',
          EventSourceName: 'aws.partner/x.com/1/a',
        }),
      ),
      'ResourceNotFoundException',
      'Event source aws.partner/x.com/1/a does not exist.',
    );
  });

  it('pages ListEventBuses in name order with NextToken', async () => {
    const prefix = uniqueName('page');
    for (let i = 0; i < 6; i++) await t.events.send(new CreateEventBusCommand({ Name: `${prefix}-${i}` }));
    const first = await t.events.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 3 }));
    assert.deepEqual(
      first.EventBuses?.map((b) => b.Name),
      [0, 1, 2].map((i) => `${prefix}-${i}`),
    );
    assert.ok(first.NextToken);
    const second = await t.events.send(
      new ListEventBusesCommand({ NamePrefix: prefix, Limit: 5, NextToken: first.NextToken }),
    );
    assert.deepEqual(
      second.EventBuses?.map((b) => b.Name),
      [3, 4, 5].map((i) => `${prefix}-${i}`),
    );
    assert.equal(second.NextToken, undefined);
    await eventsRejects(
      t.events.send(new ListEventBusesCommand({ NextToken: 'not-a-token' })),
      'ValidationException',
      'The NextToken provided is not valid.',
    );
  });

  it('keeps the description, dead-letter queue and log settings; UpdateEventBus replaces them', async () => {
    const name = uniqueName('bus');
    const dlq = 'arn:aws:sqs:us-east-1:000000000000:bus-dlq';
    const created = await t.events.send(
      new CreateEventBusCommand({
        Name: name,
        Description: 'first',
        DeadLetterConfig: { Arn: dlq },
        LogConfig: { Level: 'ERROR', IncludeDetail: 'FULL' },
      }),
    );
    assert.deepEqual(created.DeadLetterConfig, { Arn: dlq });
    assert.deepEqual(created.LogConfig, { Level: 'ERROR', IncludeDetail: 'FULL' });
    const before = await t.events.send(new DescribeEventBusCommand({ Name: name }));
    assert.deepEqual(before.DeadLetterConfig, { Arn: dlq });

    await advance(t.server, 5);
    const updated = await t.events.send(new UpdateEventBusCommand({ Name: name, Description: 'second' }));
    assert.equal(updated.Arn, before.Arn);
    assert.equal(updated.Description, 'second');
    assert.equal(updated.DeadLetterConfig, undefined);
    const after = await t.events.send(new DescribeEventBusCommand({ Name: name }));
    assert.equal(after.Description, 'second');
    assert.equal(after.DeadLetterConfig, undefined);
    assert.ok(
      (after.LastModifiedTime as Date).getTime() >= (before.LastModifiedTime as Date).getTime() + 5000,
    );
    assert.equal(after.CreationTime?.getTime(), before.CreationTime?.getTime());

    await eventsRejects(
      t.events.send(
        new UpdateEventBusCommand({
          Name: name,
          DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:t' },
        }),
      ),
      'ValidationException',
      'Parameter DeadLetterConfig.Arn is not valid. Reason: Provided Arn is not in correct format.',
    );
    await eventsRejects(
      t.events.send(new UpdateEventBusCommand({ Name: 'no-such-bus', Description: 'x' })),
      'ResourceNotFoundException',
      'Event bus no-such-bus does not exist.',
    );
  });

  it('takes a customer managed key named as KMS names it, and refuses a missing or disabled key', async () => {
    const kms = kmsClient(t.server.endpoint);
    try {
      const key = await kms.send(new CreateKeyCommand({}));
      const keyId = key.KeyMetadata?.KeyId as string;
      const name = uniqueName('bus');
      const created = await t.events.send(new CreateEventBusCommand({ Name: name, KmsKeyIdentifier: keyId }));
      assert.equal(created.KmsKeyIdentifier, keyId);
      const described = await t.events.send(new DescribeEventBusCommand({ Name: name }));
      assert.equal(described.KmsKeyIdentifier, keyId);

      const missing = 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000';
      await eventsRejects(
        t.events.send(new CreateEventBusCommand({ Name: uniqueName('bus'), KmsKeyIdentifier: missing })),
        'ValidationException',
        `Parameter KmsKeyIdentifier is not valid. Reason: Key '${missing}' does not exist`,
      );
      await kms.send(new DisableKeyCommand({ KeyId: keyId }));
      await eventsRejects(
        t.events.send(new UpdateEventBusCommand({ Name: name, KmsKeyIdentifier: keyId })),
        'ValidationException',
        `Parameter KmsKeyIdentifier is not valid. Reason: ${key.KeyMetadata?.Arn} is disabled.`,
      );
      // Leaving the key out goes back to the AWS owned key.
      await t.events.send(new UpdateEventBusCommand({ Name: name }));
      const plain = await t.events.send(new DescribeEventBusCommand({ Name: name }));
      assert.equal(plain.KmsKeyIdentifier, undefined);
    } finally {
      kms.destroy();
    }
  });
});

describe('EventBridge bus quota', () => {
  it('refuses a bus past buses-per-account with --events-quotas, with AWS text', async () => {
    const server = await startServer({ eventsQuotas: { 'buses-per-account': 2 } });
    const events = eventsClient(server.endpoint);
    try {
      await events.send(new CreateEventBusCommand({ Name: 'one' }));
      await events.send(new CreateEventBusCommand({ Name: 'two' }));
      await eventsRejects(
        events.send(new CreateEventBusCommand({ Name: 'three' })),
        'LimitExceededException',
        'The requested resource exceeds the maximum number allowed.',
      );
      await events.send(new DeleteEventBusCommand({ Name: 'two' }));
      await events.send(new CreateEventBusCommand({ Name: 'three' }));
    } finally {
      events.destroy();
      await server.stop();
    }
  });
});

// PutRule belongs to the rules part, so the bus's rule is put straight into the shared state here.
describe('EventBridge DeleteEventBus with rules', () => {
  it('refuses a bus that still has rules, with the text users report from AWS', async () => {
    const clock = new Clock();
    const state = new EventsState({
      clock,
      scheduler: new Scheduler(clock),
      log: createLogger('silent'),
      frontDoors: {},
      settings: {},
    });
    const handlers = busHandlers(state);
    const createBus = handlers.CreateEventBus as EventsHandler;
    const deleteBus = handlers.DeleteEventBus as EventsHandler;
    const ctx = { caller: { account: '000000000000', region: 'us-east-1' } } as RequestContext;
    const { EventBusArn } = (await createBus({ Name: 'with-rules' }, ctx)) as { EventBusArn: string };
    const rule: RuleRecord = {
      arn: state.ruleArn('000000000000', 'us-east-1', 'with-rules', 'r'),
      name: 'r',
      busName: 'with-rules',
      busArn: EventBusArn,
      account: '000000000000',
      region: 'us-east-1',
      eventPattern: '{"source":["x"]}',
      state: 'ENABLED',
      createdBy: '000000000000',
      targets: [],
      tags: [],
      createdAt: clock.now(),
    };
    await state.putRule(rule);
    await assert.rejects(
      async () => deleteBus({ Name: 'with-rules' }, ctx),
      (err: ServiceError) => {
        assert.equal(err.code, 'ValidationException');
        assert.equal(err.message, "EventBus can't be deleted since it has rules.");
        return true;
      },
    );
    await state.deleteRule(rule.arn);
    await deleteBus({ Name: 'with-rules' }, ctx);
    assert.equal(state.buses.get(EventBusArn), undefined);
  });
});

// With --data-dir the buses, their policies, partner sources and endpoints survive a restart.
describe('EventBridge buses across a restart', () => {
  it('keeps buses with their settings and policy, partner sources and endpoints', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tideway-events-buses-'));
    try {
      let server = await startServer({ dataDir: dir });
      let events = eventsClient(server.endpoint);
      const partner = eventsClient(server.endpoint, { credentials: accountCredentials('999988887777') });
      await events.send(
        new CreateEventBusCommand({
          Name: 'kept',
          Description: 'kept bus',
          DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
          Tags: [{ Key: 'team', Value: 'blue' }],
        }),
      );
      await events.send(
        new PutPermissionCommand({
          EventBusName: 'kept',
          Action: 'events:PutEvents',
          Principal: '111122223333',
          StatementId: 'friend',
        }),
      );
      await partner.send(
        new CreatePartnerEventSourceCommand({
          Name: 'aws.partner/example.com/1/kept',
          Account: '000000000000',
        }),
      );
      partner.destroy();
      const endpoint = await events.send(
        new CreateEndpointCommand({
          Name: 'kept',
          RoutingConfig: {
            FailoverConfig: {
              Primary: { HealthCheck: 'arn:aws:route53:::healthcheck/abc-123' },
              Secondary: { Route: 'us-west-2' },
            },
          },
          EventBuses: [
            { EventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/kept' },
            { EventBusArn: 'arn:aws:events:us-west-2:000000000000:event-bus/kept' },
          ],
          ReplicationConfig: { State: 'DISABLED' },
        }),
      );
      const before = await events.send(new DescribeEventBusCommand({ Name: 'kept' }));
      events.destroy();
      await server.stop();

      server = await startServer({ dataDir: dir });
      events = eventsClient(server.endpoint);
      try {
        const after = await events.send(new DescribeEventBusCommand({ Name: 'kept' }));
        assert.equal(after.Description, 'kept bus');
        assert.deepEqual(after.DeadLetterConfig, before.DeadLetterConfig);
        assert.equal(after.Policy, before.Policy);
        assert.equal(after.CreationTime?.getTime(), before.CreationTime?.getTime());
        const source = await events.send(
          new DescribeEventSourceCommand({ Name: 'aws.partner/example.com/1/kept' }),
        );
        assert.equal(source.State, 'PENDING');
        const kept = await events.send(new DescribeEndpointCommand({ Name: 'kept' }));
        assert.equal(kept.Arn, endpoint.Arn);
        assert.equal(kept.State, 'ACTIVE');
      } finally {
        events.destroy();
        await server.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

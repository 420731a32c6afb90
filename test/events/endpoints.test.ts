import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateEndpointCommand,
  type CreateEndpointCommandInput,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  ListEndpointsCommand,
  UpdateEndpointCommand,
} from '@aws-sdk/client-eventbridge';
import { eventsRejects, withEventsServer } from '../support/events.js';
import { uniqueName } from '../support/tideway.js';

const HEALTH_CHECK = 'arn:aws:route53:::healthcheck/0123abcd-4567-89ef-0123-456789abcdef';
const ROLE = 'arn:aws:iam::000000000000:role/replication';

function endpointInput(
  name: string,
  overrides: Partial<CreateEndpointCommandInput> = {},
): CreateEndpointCommandInput {
  return {
    Name: name,
    RoutingConfig: {
      FailoverConfig: { Primary: { HealthCheck: HEALTH_CHECK }, Secondary: { Route: 'us-west-2' } },
    },
    EventBuses: [
      { EventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' },
      { EventBusArn: 'arn:aws:events:us-west-2:000000000000:event-bus/orders' },
    ],
    RoleArn: ROLE,
    ...overrides,
  };
}

// Global endpoints as the API reference describes them: two same-named buses in the home and the
// failover Region, a Route 53 health check ARN, replication needing a role; EndpointId `abcde.veo`
// and EndpointUrl `https://abcde.veo.endpoints.event.amazonaws.com`.
describe('EventBridge global endpoints', () => {
  const t = withEventsServer();

  it('creates (CREATING), describes (ACTIVE), lists, updates and deletes an endpoint', async () => {
    const name = uniqueName('endpoint');
    const created = await t.events.send(
      new CreateEndpointCommand(endpointInput(name, { Description: 'orders' })),
    );
    assert.equal(created.Arn, `arn:aws:events:us-east-1:000000000000:endpoint/${name}`);
    assert.equal(created.State, 'CREATING');
    assert.equal(created.RoleArn, ROLE);
    assert.deepEqual(created.ReplicationConfig, { State: 'ENABLED' });

    const described = await t.events.send(new DescribeEndpointCommand({ Name: name }));
    assert.equal(described.State, 'ACTIVE');
    assert.equal(described.Description, 'orders');
    assert.match(described.EndpointId as string, /^[a-z0-9]{5}\.[a-z]{3}$/);
    assert.equal(described.EndpointUrl, `https://${described.EndpointId}.endpoints.event.amazonaws.com`);
    assert.deepEqual(described.RoutingConfig, endpointInput(name).RoutingConfig);
    assert.deepEqual(described.EventBuses, endpointInput(name).EventBuses);
    assert.ok(described.CreationTime instanceof Date);
    const home = await t.events.send(new DescribeEndpointCommand({ Name: name, HomeRegion: 'us-east-1' }));
    assert.equal(home.Arn, created.Arn);

    const listed = await t.events.send(new ListEndpointsCommand({ NamePrefix: name }));
    assert.deepEqual(
      listed.Endpoints?.map((e) => [e.Name, e.State, e.EndpointId]),
      [[name, 'ACTIVE', described.EndpointId]],
    );

    const updated = await t.events.send(
      new UpdateEndpointCommand({
        Name: name,
        ReplicationConfig: { State: 'DISABLED' },
        Description: 'later',
      }),
    );
    assert.equal(updated.State, 'UPDATING');
    assert.equal(updated.EndpointId, described.EndpointId);
    assert.deepEqual(updated.ReplicationConfig, { State: 'DISABLED' });
    const after = await t.events.send(new DescribeEndpointCommand({ Name: name }));
    assert.equal(after.Description, 'later');
    assert.equal(after.State, 'ACTIVE');

    await t.events.send(new DeleteEndpointCommand({ Name: name }));
    await eventsRejects(
      t.events.send(new DescribeEndpointCommand({ Name: name })),
      'ResourceNotFoundException',
      `Endpoint ${name} does not exist.`,
    );
    await eventsRejects(
      t.events.send(new DeleteEndpointCommand({ Name: name })),
      'ResourceNotFoundException',
      `Endpoint ${name} does not exist.`,
    );
  });

  it('refuses a second endpoint of the same name', async () => {
    const name = uniqueName('endpoint');
    await t.events.send(new CreateEndpointCommand(endpointInput(name)));
    await eventsRejects(
      t.events.send(new CreateEndpointCommand(endpointInput(name))),
      'ResourceAlreadyExistsException',
      `Endpoint ${name} already exists.`,
    );
  });

  it('checks the routing, the buses and replication', async () => {
    const name = uniqueName('endpoint');
    // The model: a Route 53 health check ARN, two buses.
    await eventsRejects(
      t.events.send(
        new CreateEndpointCommand(
          endpointInput(name, {
            RoutingConfig: {
              FailoverConfig: {
                Primary: { HealthCheck: 'arn:aws:sns:us-east-1:000000000000:t' },
                Secondary: { Route: 'us-west-2' },
              },
            },
          }),
        ),
      ),
      'ValidationException',
      /healthCheck.*Member must satisfy regular expression pattern/,
    );
    await eventsRejects(
      t.events.send(
        new CreateEndpointCommand(
          endpointInput(name, {
            EventBuses: [{ EventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' }],
          }),
        ),
      ),
      'ValidationException',
      /Member must have length greater than or equal to 2/,
    );
    await eventsRejects(
      t.events.send(
        new CreateEndpointCommand(
          endpointInput(name, {
            RoutingConfig: {
              FailoverConfig: { Primary: { HealthCheck: HEALTH_CHECK }, Secondary: { Route: 'us-east-1' } },
            },
          }),
        ),
      ),
      'ValidationException',
      /The secondary Region must be different from the primary Region/,
    );
    // Buses of two names, then the second bus in neither the home nor the failover region.
    for (const second of [
      'us-west-2:000000000000:event-bus/payments',
      'eu-west-1:000000000000:event-bus/orders',
    ]) {
      await eventsRejects(
        t.events.send(
          new CreateEndpointCommand(
            endpointInput(name, {
              EventBuses: [
                { EventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' },
                { EventBusArn: `arn:aws:events:${second}` },
              ],
            }),
          ),
        ),
        'ValidationException',
        /Parameter EventBuses is not valid/,
      );
    }
    await eventsRejects(
      t.events.send(new CreateEndpointCommand(endpointInput(name, { RoleArn: undefined }))),
      'ValidationException',
      'Parameter RoleArn is not valid. Reason: A RoleArn is required when event replication is ENABLED.',
    );
    // Without replication no role is needed.
    await t.events.send(
      new CreateEndpointCommand(
        endpointInput(name, { RoleArn: undefined, ReplicationConfig: { State: 'DISABLED' } }),
      ),
    );
    await eventsRejects(
      t.events.send(new UpdateEndpointCommand({ Name: name, ReplicationConfig: { State: 'ENABLED' } })),
      'ValidationException',
      'Parameter RoleArn is not valid. Reason: A RoleArn is required when event replication is ENABLED.',
    );
  });

  it('pages ListEndpoints', async () => {
    const prefix = uniqueName('page');
    for (const i of [0, 1, 2])
      await t.events.send(new CreateEndpointCommand(endpointInput(`${prefix}-${i}`)));
    const first = await t.events.send(new ListEndpointsCommand({ NamePrefix: prefix, MaxResults: 2 }));
    assert.deepEqual(
      first.Endpoints?.map((e) => e.Name),
      [`${prefix}-0`, `${prefix}-1`],
    );
    const second = await t.events.send(
      new ListEndpointsCommand({ NamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken }),
    );
    assert.deepEqual(
      second.Endpoints?.map((e) => e.Name),
      [`${prefix}-2`],
    );
    assert.equal(second.NextToken, undefined);
    const elsewhere = await t.events.send(
      new ListEndpointsCommand({ NamePrefix: prefix, HomeRegion: 'eu-west-1' }),
    );
    assert.deepEqual(elsewhere.Endpoints, []);
  });
});

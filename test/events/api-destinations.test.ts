import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeleteApiDestinationCommand,
  DescribeApiDestinationCommand,
  type EventBridgeClient,
  ListApiDestinationsCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  UpdateApiDestinationCommand,
} from '@aws-sdk/client-eventbridge';
import { eventsRejects, withEventsServer } from '../support/events.js';
import { type Receiver, startReceiver, tokenAnswers } from '../support/http-receiver.js';

const DEST_ARN = /^arn:aws:events:us-east-1:000000000000:api-destination\/([\w.-]+)\/[0-9a-f-]{36}$/;

describe('EventBridge API destinations', () => {
  const suite = withEventsServer();
  const eb = (): EventBridgeClient => suite.events;
  let receiver: Receiver;
  let connectionArn: string;
  before(async () => {
    receiver = await startReceiver();
    const c = await eb().send(
      new CreateConnectionCommand({
        Name: 'key',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k-1' } },
      }),
    );
    connectionArn = c.ConnectionArn!;
  });
  after(() => receiver.close());

  it('creates, describes, lists, updates and deletes an API destination as AWS answers', async () => {
    const created = await eb().send(
      new CreateApiDestinationCommand({
        Name: 'dest',
        ConnectionArn: connectionArn,
        HttpMethod: 'POST',
        InvocationEndpoint: 'https://example.com/api',
        Description: 'Test API destination',
      }),
    );
    assert.match(created.ApiDestinationArn!, DEST_ARN);
    assert.equal(created.ApiDestinationState, 'ACTIVE');
    assert.ok(created.CreationTime instanceof Date);

    const d = await eb().send(new DescribeApiDestinationCommand({ Name: 'dest' }));
    assert.deepEqual(
      { ...d, $metadata: undefined, CreationTime: undefined, LastModifiedTime: undefined },
      {
        $metadata: undefined,
        ApiDestinationArn: created.ApiDestinationArn,
        Name: 'dest',
        Description: 'Test API destination',
        ApiDestinationState: 'ACTIVE',
        ConnectionArn: connectionArn,
        InvocationEndpoint: 'https://example.com/api',
        HttpMethod: 'POST',
        InvocationRateLimitPerSecond: 300,
        CreationTime: undefined,
        LastModifiedTime: undefined,
      },
    );

    const listed = await eb().send(new ListApiDestinationsCommand({ NamePrefix: 'dest' }));
    assert.equal(listed.ApiDestinations!.length, 1);
    assert.equal('Description' in listed.ApiDestinations![0], false);
    assert.equal(listed.ApiDestinations![0].InvocationRateLimitPerSecond, 300);
    const byConnection = await eb().send(new ListApiDestinationsCommand({ ConnectionArn: connectionArn }));
    assert.deepEqual(
      byConnection.ApiDestinations!.map((a) => a.Name),
      ['dest'],
    );

    const updated = await eb().send(
      new UpdateApiDestinationCommand({
        Name: 'dest',
        HttpMethod: 'PUT',
        InvocationEndpoint: 'https://example.com/api/v2',
        Description: 'Updated API destination',
        InvocationRateLimitPerSecond: 10,
      }),
    );
    assert.equal(updated.ApiDestinationArn, created.ApiDestinationArn);
    assert.equal(updated.ApiDestinationState, 'ACTIVE');
    const after = await eb().send(new DescribeApiDestinationCommand({ Name: 'dest' }));
    assert.equal(after.HttpMethod, 'PUT');
    assert.equal(after.InvocationEndpoint, 'https://example.com/api/v2');
    assert.equal(after.Description, 'Updated API destination');
    assert.equal(after.InvocationRateLimitPerSecond, 10);
    assert.equal(after.ConnectionArn, connectionArn);

    await eb().send(new DeleteApiDestinationCommand({ Name: 'dest' }));
    await eventsRejects(
      eb().send(new DescribeApiDestinationCommand({ Name: 'dest' })),
      'ResourceNotFoundException',
      "Failed to describe the api-destination(s). An api-destination 'dest' does not exist.",
    );
  });

  it('refuses what AWS refuses, with its texts', async () => {
    await eventsRejects(
      eb().send(
        new CreateApiDestinationCommand({
          Name: 'bad',
          ConnectionArn: 'invalid-connection-arn',
          HttpMethod: 'INVALID_METHOD' as 'POST',
          InvocationEndpoint: 'invalid-endpoint',
        }),
      ),
      'ValidationException',
      "2 validation errors detected: Value 'invalid-connection-arn' at 'connectionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$; Value 'INVALID_METHOD' at 'httpMethod' failed to satisfy constraint: Member must satisfy enum value set: [HEAD, POST, PATCH, DELETE, PUT, GET, OPTIONS]",
    );
    await eventsRejects(
      eb().send(
        new CreateApiDestinationCommand({
          Name: 'Invalid Name With Spaces!',
          ConnectionArn: connectionArn,
          HttpMethod: 'POST',
          InvocationEndpoint: 'https://example.com/api',
        }),
      ),
      'ValidationException',
      "1 validation error detected: Value 'Invalid Name With Spaces!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
    await eventsRejects(
      eb().send(
        new CreateApiDestinationCommand({
          Name: 'no-conn',
          ConnectionArn: 'arn:aws:events:us-east-1:000000000000:connection/missing/0a1b2c3d',
          HttpMethod: 'POST',
          InvocationEndpoint: 'https://example.com/api',
        }),
      ),
      'ResourceNotFoundException',
      "Failed to describe the connection(s). Connection 'missing' does not exist.",
    );
    await eventsRejects(
      eb().send(
        new CreateApiDestinationCommand({
          Name: 'ftp',
          ConnectionArn: connectionArn,
          HttpMethod: 'POST',
          InvocationEndpoint: 'invalid-endpoint',
        }),
      ),
      'ValidationException',
      "Invalid InvocationEndpoint: 'invalid-endpoint' is not an HTTPS URL.",
    );
    await eb().send(
      new CreateApiDestinationCommand({
        Name: 'twice',
        ConnectionArn: connectionArn,
        HttpMethod: 'POST',
        InvocationEndpoint: 'https://example.com/api',
      }),
    );
    await eventsRejects(
      eb().send(
        new CreateApiDestinationCommand({
          Name: 'twice',
          ConnectionArn: connectionArn,
          HttpMethod: 'POST',
          InvocationEndpoint: 'https://example.com/api',
        }),
      ),
      'ResourceAlreadyExistsException',
      "An api-destination 'twice' already exists.",
    );
    for (const op of [
      new UpdateApiDestinationCommand({ Name: 'nope' }),
      new DeleteApiDestinationCommand({ Name: 'nope' }),
    ]) {
      await eventsRejects(
        eb().send(op as DescribeApiDestinationCommand),
        'ResourceNotFoundException',
        "Failed to describe the api-destination(s). An api-destination 'nope' does not exist.",
      );
    }
  });

  /**
   * End to end: a rule's target is the API destination. Needs the router and PutRule/PutTargets/
   * PutEvents (other parts of EventBridge); skips itself while Tideway lacks them.
   */
  it('delivers matching events to the endpoint with the connection credentials', async (t) => {
    receiver.received.length = 0;
    tokenAnswers(receiver, [{ access_token: 'tok', expires_in: 3600 }]);
    const oauth = await eb().send(
      new CreateConnectionCommand({
        Name: 'oauth',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: `${receiver.url}/oauth/token`,
            HttpMethod: 'POST',
            ClientParameters: { ClientID: 'id', ClientSecret: 'secret' },
          },
          InvocationHttpParameters: { QueryStringParameters: [{ Key: 'from', Value: 'connection' }] },
        },
      }),
    );
    const dest = await eb().send(
      new CreateApiDestinationCommand({
        Name: 'hook',
        ConnectionArn: oauth.ConnectionArn,
        HttpMethod: 'POST',
        InvocationEndpoint: `${receiver.url}/orders/*`,
      }),
    );
    try {
      await eb().send(new PutRuleCommand({ Name: 'to-hook', EventPattern: '{"source":["shop"]}' }));
    } catch (err) {
      if (/does not support PutRule/.test((err as Error).message)) {
        t.skip('PutRule is not part of this Tideway yet');
        return;
      }
      throw err;
    }
    await eb().send(
      new PutTargetsCommand({
        Rule: 'to-hook',
        Targets: [
          {
            Id: 'hook',
            Arn: dest.ApiDestinationArn,
            RoleArn: 'arn:aws:iam::000000000000:role/events',
            HttpParameters: { PathParameterValues: ['o-1'], HeaderParameters: { 'x-target': 'yes' } },
            InputPath: '$.detail',
          },
        ],
      }),
    );
    await eb().send(
      new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'order', Detail: '{"order":"o-1"}' }] }),
    );
    const seen = (await receiver.waitFor(2)).find((r) => r.path === '/orders/o-1')!;
    assert.ok(seen, 'the endpoint was called');
    assert.equal(seen.method, 'POST');
    assert.equal(seen.headers.authorization, 'Bearer tok');
    assert.equal(seen.headers['x-target'], 'yes');
    assert.equal(seen.headers['user-agent'], 'Amazon/EventBridge/ApiDestinations');
    assert.equal(seen.query.get('from'), 'connection');
    assert.deepEqual(JSON.parse(seen.body), { order: 'o-1' });
  });
});

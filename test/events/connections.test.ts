import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DeleteConnectionCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  type EventBridgeClient,
  ListConnectionsCommand,
  UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { accountCredentials, eventsClient, eventsRejects, withEventsServer } from '../support/events.js';
import { type Receiver, startReceiver, tokenAnswers } from '../support/http-receiver.js';
import { credentials } from '../support/tideway.js';

const ARN = /^arn:aws:events:us-east-1:000000000000:connection\/([\w.-]+)\/[0-9a-f-]{36}$/;

describe('EventBridge connections', () => {
  const suite = withEventsServer();
  let sm: SecretsManagerClient;
  let receiver: Receiver;
  before(async () => {
    sm = new SecretsManagerClient({
      endpoint: suite.server.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    receiver = await startReceiver();
  });
  after(async () => {
    sm.destroy();
    await receiver.close();
  });
  const eb = (): EventBridgeClient => suite.events;
  const secretOf = async (arn: string) =>
    JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString!);
  /** OAuth authorization runs after the answer: waits for the connection to leave AUTHORIZING. */
  const settled = async (name: string) => {
    for (let i = 0; i < 200; i++) {
      const d = await eb().send(new DescribeConnectionCommand({ Name: name }));
      if (d.ConnectionState !== 'AUTHORIZING') return d;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail(`${name} stayed AUTHORIZING`);
  };

  it('creates an API-key connection AUTHORIZED, with its credentials in a managed secret', async () => {
    const created = await eb().send(
      new CreateConnectionCommand({
        Name: 'api-key',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'ApiKey', ApiKeyValue: 'secret' },
          InvocationHttpParameters: {},
        },
      }),
    );
    assert.match(created.ConnectionArn!, ARN);
    assert.equal(created.ConnectionState, 'AUTHORIZED');
    assert.ok(created.CreationTime instanceof Date);
    assert.deepEqual(created.LastModifiedTime, created.CreationTime);
    assert.equal('LastAuthorizedTime' in created, false);

    const d = await eb().send(new DescribeConnectionCommand({ Name: 'api-key' }));
    assert.equal(d.ConnectionArn, created.ConnectionArn);
    assert.equal(d.Name, 'api-key');
    assert.equal(d.AuthorizationType, 'API_KEY');
    assert.equal(d.ConnectionState, 'AUTHORIZED');
    assert.deepEqual(d.AuthParameters, {
      ApiKeyAuthParameters: { ApiKeyName: 'ApiKey' },
      InvocationHttpParameters: {},
    });
    assert.ok(d.LastAuthorizedTime instanceof Date);
    const id = created.ConnectionArn!.split('/')[2];
    assert.match(
      d.SecretArn!,
      new RegExp(
        `^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection/api-key/${id}-[A-Za-z0-9]{6}$`,
      ),
    );

    const value = await sm.send(new GetSecretValueCommand({ SecretId: d.SecretArn }));
    assert.equal(value.Name, `events!connection/api-key/${id}`);
    assert.deepEqual(value.VersionStages, ['AWSCURRENT']);
    assert.deepEqual(JSON.parse(value.SecretString!), {
      api_key_name: 'ApiKey',
      api_key_value: 'secret',
      invocation_http_parameters: {},
    });
    assert.equal(
      (await sm.send(new DescribeSecretCommand({ SecretId: d.SecretArn }))).OwningService,
      'events',
    );
    const listed = await sm.send(new ListSecretsCommand({}));
    assert.ok(listed.SecretList!.some((s) => s.ARN === d.SecretArn));
  });

  it('keeps secrets out of DescribeConnection: passwords, client secrets and secret parameter values', async () => {
    await eb().send(
      new CreateConnectionCommand({
        Name: 'basic',
        Description: 'basic auth',
        AuthorizationType: 'BASIC',
        AuthParameters: {
          BasicAuthParameters: { Username: 'user', Password: 'pass' },
          InvocationHttpParameters: {
            HeaderParameters: [
              { Key: 'x-open', Value: 'visible', IsValueSecret: false },
              { Key: 'x-hidden', Value: 'hidden', IsValueSecret: true },
            ],
          },
        },
      }),
    );
    const d = await eb().send(new DescribeConnectionCommand({ Name: 'basic' }));
    assert.equal(d.Description, 'basic auth');
    assert.deepEqual(d.AuthParameters, {
      BasicAuthParameters: { Username: 'user' },
      InvocationHttpParameters: {
        HeaderParameters: [
          { Key: 'x-open', Value: 'visible', IsValueSecret: false },
          { Key: 'x-hidden', IsValueSecret: true },
        ],
      },
    });
    const secret = await secretOf(d.SecretArn!);
    assert.equal(secret.username, 'user');
    assert.equal(secret.password, 'pass');
    assert.equal(secret.invocation_http_parameters.HeaderParameters[1].Value, 'hidden');
  });

  it('authorizes an OAuth connection against its authorization endpoint', async () => {
    tokenAnswers(receiver, [{ access_token: 'abc', expires_in: 3600 }]);
    const created = await eb().send(
      new CreateConnectionCommand({
        Name: 'oauth',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: `${receiver.url}/oauth/token`,
            ClientParameters: { ClientID: 'client_id', ClientSecret: 'client_secret' },
            HttpMethod: 'POST',
            OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }] },
          },
        },
      }),
    );
    assert.equal(created.ConnectionState, 'AUTHORIZING');
    const d = await settled('oauth');
    assert.equal(d.ConnectionState, 'AUTHORIZED');
    assert.deepEqual(d.AuthParameters, {
      OAuthParameters: {
        AuthorizationEndpoint: `${receiver.url}/oauth/token`,
        ClientParameters: { ClientID: 'client_id' },
        HttpMethod: 'POST',
        OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }] },
      },
    });
    const token = receiver.received.find((r) => r.path === '/oauth/token')!;
    assert.equal(
      token.headers.authorization,
      `Basic ${Buffer.from('client_id:client_secret').toString('base64')}`,
    );
    assert.equal(token.body, 'grant_type=client_credentials');
    const secret = await secretOf(d.SecretArn!);
    assert.deepEqual(
      { ...secret, oauth_http_parameters: undefined },
      {
        client_id: 'client_id',
        client_secret: 'client_secret',
        authorization_endpoint: `${receiver.url}/oauth/token`,
        http_method: 'POST',
        oauth_http_parameters: undefined,
      },
    );
  });

  it('deauthorizes an OAuth connection the authorization endpoint refuses, and its destinations are INACTIVE', async () => {
    const created = await eb().send(
      new CreateConnectionCommand({
        Name: 'oauth-refused',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: `${receiver.url}/refuse`,
            ClientParameters: { ClientID: 'id', ClientSecret: 'wrong' },
            HttpMethod: 'POST',
          },
        },
      }),
    );
    receiver.respond = (req) => (req.path === '/refuse' ? { status: 401 } : {});
    const dest = await eb().send(
      new CreateApiDestinationCommand({
        Name: 'to-refused',
        ConnectionArn: created.ConnectionArn,
        HttpMethod: 'POST',
        InvocationEndpoint: 'https://example.com/api',
      }),
    );
    assert.equal(dest.ApiDestinationState, 'INACTIVE');
    const d = await settled('oauth-refused');
    assert.equal(d.ConnectionState, 'DEAUTHORIZED');
    assert.equal(d.StateReason, 'The authorization endpoint answered HTTP 401.');
    const again = await eb().send(new DescribeApiDestinationCommand({ Name: 'to-refused' }));
    assert.equal(again.ApiDestinationState, 'INACTIVE');
  });

  it('lists connections by prefix and state, a page at a time', async () => {
    const all = await eb().send(new ListConnectionsCommand({ NamePrefix: 'oauth' }));
    assert.deepEqual(
      all.Connections!.map((c) => c.Name),
      ['oauth', 'oauth-refused'],
    );
    const first = all.Connections![0];
    assert.deepEqual(Object.keys(first).sort(), [
      'AuthorizationType',
      'ConnectionArn',
      'ConnectionState',
      'CreationTime',
      'LastAuthorizedTime',
      'LastModifiedTime',
      'Name',
    ]);
    const deauthorized = await eb().send(new ListConnectionsCommand({ ConnectionState: 'DEAUTHORIZED' }));
    assert.deepEqual(
      deauthorized.Connections!.map((c) => c.Name),
      ['oauth-refused'],
    );
    const page1 = await eb().send(new ListConnectionsCommand({ Limit: 2 }));
    assert.equal(page1.Connections!.length, 2);
    assert.ok(page1.NextToken);
    const page2 = await eb().send(new ListConnectionsCommand({ Limit: 2, NextToken: page1.NextToken }));
    assert.deepEqual(
      [...page1.Connections!, ...page2.Connections!].map((c) => c.Name),
      ['api-key', 'basic', 'oauth', 'oauth-refused'],
    );
    assert.equal(page2.NextToken, undefined);
    await eventsRejects(
      eb().send(new ListConnectionsCommand({ NextToken: 'bogus' })),
      'ValidationException',
      'The NextToken provided is not valid.',
    );
  });

  it('updates credentials into a new secret version, keeping what the update leaves out', async () => {
    const before = await eb().send(new DescribeConnectionCommand({ Name: 'basic' }));
    const updated = await eb().send(
      new UpdateConnectionCommand({
        Name: 'basic',
        AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Password: 'new_pass' } },
      }),
    );
    assert.equal(updated.ConnectionState, 'AUTHORIZED');
    assert.ok(updated.LastAuthorizedTime instanceof Date);
    const after = await eb().send(new DescribeConnectionCommand({ Name: 'basic' }));
    assert.equal(after.SecretArn, before.SecretArn);
    assert.equal(after.Description, 'basic auth');
    const secret = await secretOf(after.SecretArn!);
    assert.equal(secret.username, 'user');
    assert.equal(secret.password, 'new_pass');

    await eventsRejects(
      eb().send(
        new UpdateConnectionCommand({
          Name: 'basic',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'only-a-name' } },
        }),
      ),
      'ValidationException',
      'ApiKeyAuthParameters is missing ApiKeyValue: the connection has no stored value for it.',
    );
  });

  it('deauthorizes a connection: its credentials leave the secret and an update authorizes it again', async () => {
    const answer = await eb().send(new DeauthorizeConnectionCommand({ Name: 'api-key' }));
    assert.equal(answer.ConnectionState, 'DEAUTHORIZING');
    const d = await eb().send(new DescribeConnectionCommand({ Name: 'api-key' }));
    assert.equal(d.ConnectionState, 'DEAUTHORIZED');
    assert.deepEqual(await secretOf(d.SecretArn!), {
      api_key_name: 'ApiKey',
      invocation_http_parameters: {},
    });
    const again = await eb().send(
      new UpdateConnectionCommand({
        Name: 'api-key',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: 'rotated' } },
      }),
    );
    assert.equal(again.ConnectionState, 'AUTHORIZED');
    assert.equal((await secretOf(d.SecretArn!)).api_key_value, 'rotated');
  });

  it('deletes a connection and its secret', async () => {
    const d = await eb().send(new DescribeConnectionCommand({ Name: 'basic' }));
    const deleted = await eb().send(new DeleteConnectionCommand({ Name: 'basic' }));
    assert.equal(deleted.ConnectionArn, d.ConnectionArn);
    assert.equal(deleted.ConnectionState, 'DELETING');
    assert.ok(deleted.LastAuthorizedTime instanceof Date);
    await eventsRejects(
      eb().send(new DescribeConnectionCommand({ Name: 'basic' })),
      'ResourceNotFoundException',
      "Failed to describe the connection(s). Connection 'basic' does not exist.",
    );
    await eventsRejects(
      sm.send(new DescribeSecretCommand({ SecretId: d.SecretArn })),
      'ResourceNotFoundException',
    );
  });

  it('refuses what AWS refuses, with its texts', async () => {
    await eventsRejects(
      eb().send(
        new CreateConnectionCommand({
          Name: 'Invalid Name With Spaces!',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'ApiKey', ApiKeyValue: 'secret' } },
        }),
      ),
      'ValidationException',
      "1 validation error detected: Value 'Invalid Name With Spaces!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
    await eventsRejects(
      eb().send(
        new CreateConnectionCommand({
          Name: 'c',
          AuthorizationType: 'INVALID_AUTH_TYPE' as 'BASIC',
          AuthParameters: {},
        }),
      ),
      'ValidationException',
      "1 validation error detected: Value 'INVALID_AUTH_TYPE' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
    );
    await eventsRejects(
      eb().send(
        new CreateConnectionCommand({
          Name: 'api-key',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'a', ApiKeyValue: 'b' } },
        }),
      ),
      'ResourceAlreadyExistsException',
      'Connection api-key already exists.',
    );
    await eventsRejects(
      eb().send(
        new CreateConnectionCommand({
          Name: 'mismatch',
          AuthorizationType: 'BASIC',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'a', ApiKeyValue: 'b' } },
        }),
      ),
      'ValidationException',
      'BasicAuthParameters must be specified for authorization type BASIC.',
    );
    for (const op of [
      new UpdateConnectionCommand({ Name: 'nope' }),
      new DeauthorizeConnectionCommand({ Name: 'nope' }),
      new DeleteConnectionCommand({ Name: 'nope' }),
    ]) {
      await eventsRejects(
        eb().send(op as DescribeConnectionCommand),
        'ResourceNotFoundException',
        "Failed to describe the connection(s). Connection 'nope' does not exist.",
      );
    }
  });

  it('refuses a KmsKeyIdentifier KMS cannot use for the secret, and keeps nothing', async () => {
    const err = await eventsRejects(
      eb().send(
        new CreateConnectionCommand({
          Name: 'bad-key',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'a', ApiKeyValue: 'b' } },
          KmsKeyIdentifier: 'alias/does-not-exist',
        }),
      ),
      'ValidationException',
      /invalid KMS key/,
    );
    assert.equal(err.$metadata?.httpStatusCode, 400);
    await eventsRejects(
      eb().send(new DescribeConnectionCommand({ Name: 'bad-key' })),
      'ResourceNotFoundException',
    );
  });

  it('keeps each account its own connections', async () => {
    const other = eventsClient(suite.server.endpoint, { credentials: accountCredentials('111122223333') });
    try {
      await eventsRejects(
        other.send(new DescribeConnectionCommand({ Name: 'api-key' })),
        'ResourceNotFoundException',
      );
      assert.deepEqual((await other.send(new ListConnectionsCommand({}))).Connections, []);
    } finally {
      other.destroy();
    }
  });
});

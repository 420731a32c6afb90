import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DescribeConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { withEventsServer } from '../support/events.js';
import { type Receiver, startReceiver } from '../support/http-receiver.js';

// test_create_connection_with_auth[auth_params2] / test_connection_secrets[oauth]: AWS's
// DescribeConnection right after CreateConnection shows the OAuth connection AUTHORIZING.
describe('EventBridge OAuth connections right after they are made', () => {
  const suite = withEventsServer();
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
    receiver.respond = () => ({ status: 401 });
  });
  after(() => receiver.close());

  it('are AUTHORIZING on the next call even when the endpoint refuses at once, DEAUTHORIZED after', async () => {
    const created = await suite.events.send(
      new CreateConnectionCommand({
        Name: 'fast-refusal',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: `${receiver.url}/oauth`,
            ClientParameters: { ClientID: 'client_id', ClientSecret: 'client_secret' },
            HttpMethod: 'POST',
          },
        },
      }),
    );
    assert.equal(created.ConnectionState, 'AUTHORIZING');
    // The endpoint has been asked (and has refused) before the caller looks.
    await receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 20));
    const now = await suite.events.send(new DescribeConnectionCommand({ Name: 'fast-refusal' }));
    assert.equal(now.ConnectionState, 'AUTHORIZING');
    assert.equal(now.StateReason, undefined);
    assert.ok(now.LastAuthorizedTime, 'AWS shows LastAuthorizedTime while AUTHORIZING');
    const destination = await suite.events.send(
      new CreateApiDestinationCommand({
        Name: 'behind-it',
        ConnectionArn: created.ConnectionArn,
        HttpMethod: 'POST',
        InvocationEndpoint: 'https://example.com/api',
      }),
    );
    assert.equal(destination.ApiDestinationState, 'INACTIVE');

    let later = now;
    for (let i = 0; i < 200 && later.ConnectionState === 'AUTHORIZING'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      later = await suite.events.send(new DescribeConnectionCommand({ Name: 'fast-refusal' }));
    }
    assert.equal(later.ConnectionState, 'DEAUTHORIZED');
    assert.equal(later.StateReason, 'The authorization endpoint answered HTTP 401.');
  });
});

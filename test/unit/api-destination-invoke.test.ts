import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { buildRequest, invoke, outcome } from '../../src/services/events/api-destination-invoke.js';
import { OAuthTokens, tokenRequest } from '../../src/services/events/oauth-tokens.js';
import { type Receiver, startReceiver, tokenAnswers } from '../support/http-receiver.js';

const CONNECTION = 'arn:aws:events:us-east-1:000000000000:connection/c/0a1b';

describe('API destination requests', () => {
  it('fills path wildcards in order, lets the connection win over the target and sets the fixed headers', () => {
    const request = buildRequest(
      {
        destination: {
          invocationEndpoint: 'https://api.example.com/orders/*/items/*?v=1',
          httpMethod: 'POST',
        },
        connectionArn: CONNECTION,
        credentials: {
          InvocationHttpParameters: {
            HeaderParameters: [{ Key: 'x-team', Value: 'from-connection' }],
            QueryStringParameters: [{ Key: 'region', Value: 'eu', IsValueSecret: true }],
            BodyParameters: [{ Key: 'source', Value: 'tideway' }],
          },
        },
        httpParameters: {
          PathParameterValues: ['42', 'abc'],
          HeaderParameters: { 'X-Team': 'from-target', 'user-agent': 'mine', 'X-Only-Target': 't' },
          QueryStringParameters: { region: 'us', page: '2' },
        },
        payload: '{"detail":{"a":1}}',
      },
      ['Authorization', 'Basic abc'],
    );
    assert.equal(request.method, 'POST');
    assert.equal(request.url, 'https://api.example.com/orders/42/items/abc?v=1&region=eu&page=2');
    assert.deepEqual(request.headers, {
      'x-team': 'from-connection',
      'User-Agent': 'Amazon/EventBridge/ApiDestinations',
      'X-Only-Target': 't',
      Authorization: 'Basic abc',
      'Content-Type': 'application/json; charset=utf-8',
      Range: 'bytes=0-1048575',
      'Accept-Encoding': 'gzip,deflate',
      Connection: 'close',
    });
    assert.deepEqual(JSON.parse(request.body!), { detail: { a: 1 }, source: 'tideway' });
  });

  it('keeps a Content-Type a parameter sets, leaves non-object payloads alone and sends no body with GET', () => {
    const base = {
      destination: { invocationEndpoint: 'https://h/x', httpMethod: 'PUT' as const },
      connectionArn: CONNECTION,
      credentials: { InvocationHttpParameters: { BodyParameters: [{ Key: 'k', Value: 'v' }] } },
      httpParameters: { HeaderParameters: { 'content-type': 'text/plain' } },
      payload: '"just text"',
    };
    const put = buildRequest(base);
    assert.equal(put.headers['content-type'], 'text/plain');
    assert.equal(put.body, '"just text"');
    const get = buildRequest({
      ...base,
      destination: { invocationEndpoint: 'https://h/x', httpMethod: 'GET' },
    });
    assert.equal(get.body, undefined);
  });

  it('classifies answers as the user guide says: 2xx delivered, 429 and 5xx retried, the rest not', () => {
    const kind = (status: number, headers = {}) => outcome({ status, headers, body: '' }).kind;
    assert.equal(kind(200), 'delivered');
    assert.equal(kind(204), 'delivered');
    assert.equal(kind(429), 'retryable');
    assert.equal(kind(503), 'retryable');
    assert.equal(kind(500), 'retryable');
    assert.equal(kind(400), 'failed');
    assert.equal(kind(404), 'failed');
    assert.equal(kind(301), 'failed');
    assert.equal(kind(401), 'failed');
    assert.equal(kind(503, { 'retry-after': '-1' }), 'failed');
    assert.equal(
      (outcome({ status: 429, headers: { 'retry-after': '30' }, body: '' }) as { retryAfterSeconds?: number })
        .retryAfterSeconds,
      30,
    );
    const result = outcome({ status: 418, headers: {}, body: '' });
    assert.deepEqual(result, {
      kind: 'failed',
      errorCode: 'SDK_CLIENT_ERROR',
      errorMessage: 'Unable to invoke ApiDestination endpoint: The endpoint answered HTTP 418.',
    });
  });

  it('asks for a token with Basic client credentials, the OAuth parameters and a form body', () => {
    const request = tokenRequest({
      AuthorizationEndpoint: 'https://auth.example.com/oauth/token?tenant=t1',
      HttpMethod: 'POST',
      ClientParameters: { ClientID: 'id', ClientSecret: 'secret' },
      OAuthHttpParameters: {
        BodyParameters: [
          { Key: 'grant_type', Value: 'client_credentials' },
          { Key: 'audience', Value: 'https://api' },
        ],
        HeaderParameters: [{ Key: 'x-tenant', Value: 't1' }],
        QueryStringParameters: [{ Key: 'scope', Value: 'write' }],
      },
    });
    assert.equal(request.url, 'https://auth.example.com/oauth/token?tenant=t1&scope=write');
    assert.equal(request.headers.Authorization, `Basic ${Buffer.from('id:secret').toString('base64')}`);
    assert.equal(request.headers['x-tenant'], 't1');
    assert.equal(request.headers['Content-Type'], 'application/x-www-form-urlencoded');
    assert.equal(request.body, 'grant_type=client_credentials&audience=https%3A%2F%2Fapi');
  });
});

describe('API destination calls against a local endpoint', () => {
  let receiver: Receiver;
  let clock: Clock;
  let tokens: OAuthTokens;

  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.respond = () => ({});
    clock = new Clock();
    clock.freeze();
    tokens = new OAuthTokens(clock);
  });

  const oauth = () => ({
    AuthorizationEndpoint: `${receiver.url}/oauth/token`,
    HttpMethod: 'POST' as const,
    ClientParameters: { ClientID: 'client', ClientSecret: 'shh' },
    OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }] },
  });
  const call = (credentials: object, path = '/hook') => ({
    destination: { invocationEndpoint: `${receiver.url}${path}`, httpMethod: 'POST' as const },
    connectionArn: CONNECTION,
    credentials,
    payload: '{"hello":"world"}',
  });

  it('sends Basic credentials, the payload and the headers EventBridge adds', async () => {
    const result = await invoke(
      call({ BasicAuthParameters: { Username: 'user', Password: 'pass' } }),
      tokens,
    );
    assert.deepEqual(result, { kind: 'delivered' });
    const [seen] = receiver.received;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.headers.authorization, `Basic ${Buffer.from('user:pass').toString('base64')}`);
    assert.equal(seen.headers['user-agent'], 'Amazon/EventBridge/ApiDestinations');
    assert.equal(seen.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(seen.headers.range, 'bytes=0-1048575');
    assert.equal(seen.headers['accept-encoding'], 'gzip,deflate');
    assert.equal(seen.headers.connection, 'close');
    assert.equal(seen.headers['content-length'], String(seen.body.length));
    assert.equal(seen.body, '{"hello":"world"}');
  });

  it('sends an API key as the header it names', async () => {
    await invoke(call({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k123' } }), tokens);
    assert.equal(receiver.received[0].headers['x-api-key'], 'k123');
    assert.equal(receiver.received[0].headers.authorization, undefined);
  });

  it('fetches an OAuth token once, reuses it, and refreshes it within 60 seconds of expiry', async () => {
    tokenAnswers(receiver, [
      { access_token: 'first', expires_in: 3600 },
      { access_token: 'second', expires_in: 3600 },
    ]);
    await invoke(call({ OAuthParameters: oauth() }), tokens);
    await invoke(call({ OAuthParameters: oauth() }), tokens);
    const [token, one, two] = receiver.received;
    assert.equal(token.path, '/oauth/token');
    assert.equal(token.headers.authorization, `Basic ${Buffer.from('client:shh').toString('base64')}`);
    assert.equal(token.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(token.body, 'grant_type=client_credentials');
    assert.equal(one.headers.authorization, 'Bearer first');
    assert.equal(two.headers.authorization, 'Bearer first');
    assert.equal(receiver.received.length, 3);
    clock.advance(3600_000 - 60_000);
    await invoke(call({ OAuthParameters: oauth() }), tokens);
    assert.equal(receiver.received[3].path, '/oauth/token');
    assert.equal(receiver.received[4].headers.authorization, 'Bearer second');
  });

  it('refreshes the token once after a 401 or 407 and calls again', async () => {
    tokenAnswers(receiver, [{ access_token: 'stale' }, { access_token: 'fresh' }]);
    const prior = receiver.respond;
    receiver.respond = (req) =>
      req.path === '/hook' && req.headers.authorization === 'Bearer stale' ? { status: 401 } : prior(req);
    const result = await invoke(call({ OAuthParameters: oauth() }), tokens);
    assert.deepEqual(result, { kind: 'delivered' });
    assert.deepEqual(
      receiver.received.map((r) => [
        r.path,
        r.headers.authorization?.startsWith('Basic') ? 'basic' : r.headers.authorization,
      ]),
      [
        ['/oauth/token', 'basic'],
        ['/hook', 'Bearer stale'],
        ['/oauth/token', 'basic'],
        ['/hook', 'Bearer fresh'],
      ],
    );
    receiver.received.length = 0;
    receiver.respond = (req) => (req.path === '/hook' ? { status: 407 } : prior(req));
    const again = await invoke(call({ OAuthParameters: oauth() }), tokens);
    assert.equal(again.kind, 'failed');
    // One refresh, not a loop.
    assert.equal(receiver.received.filter((r) => r.path === '/hook').length, 2);
  });

  it('retries what the endpoint throttles or fails, and a connection refused', async () => {
    receiver.respond = () => ({ status: 429 });
    assert.equal(
      (await invoke(call({ BasicAuthParameters: { Username: 'u', Password: 'p' } }), tokens)).kind,
      'retryable',
    );
    receiver.respond = () => ({ status: 502 });
    assert.equal(
      (await invoke(call({ BasicAuthParameters: { Username: 'u', Password: 'p' } }), tokens)).kind,
      'retryable',
    );
    const refused = await invoke(
      {
        ...call({ BasicAuthParameters: { Username: 'u', Password: 'p' } }),
        destination: { invocationEndpoint: 'http://127.0.0.1:1/nothing', httpMethod: 'POST' },
      },
      tokens,
    );
    assert.equal(refused.kind, 'retryable');
    assert.match(
      (refused as { errorMessage: string }).errorMessage,
      /^Unable to invoke ApiDestination endpoint: /,
    );
  });

  it('retries when the authorization server gives no token', async () => {
    receiver.respond = (req) =>
      req.path === '/oauth/token' ? { status: 400, body: '{"error":"invalid_client"}' } : {};
    const result = await invoke(call({ OAuthParameters: oauth() }), tokens);
    assert.equal(result.kind, 'retryable');
    assert.match(
      (result as { errorMessage: string }).errorMessage,
      /authorization endpoint answered HTTP 400/,
    );
    assert.equal(receiver.received.filter((r) => r.path === '/hook').length, 0);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as EB from '@aws-sdk/client-eventbridge';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import type { RequestContext } from '../../src/protocols/service.js';
import { MIN_AUTHORIZING_MS } from '../../src/services/events/api-destination-runtime.js';
import { installApiDestinationTargets } from '../../src/services/events/api-destination-target.js';
import { connectionHandlers } from '../../src/services/events/connections.js';
import type { EventsHandlers } from '../../src/services/events/operations.js';
import type { RuleRecord } from '../../src/services/events/records.js';
import { EventsState, type TargetInvocation } from '../../src/services/events/state.js';
import { kmsModule } from '../../src/services/kms/index.js';
import { buildServices } from '../../src/services/registry.js';
import { secretsManagerModule } from '../../src/services/secretsmanager/index.js';
import type { QueueStorage } from '../../src/storage/types.js';
import { type Receiver, startReceiver, tokenAnswers } from '../support/http-receiver.js';

/**
 * The API destination target kind as the router calls it, with real KMS and Secrets Manager
 * behind the connection's secret and a local endpoint in front.
 */
describe('the API destination target kind', () => {
  const clock = new Clock();
  clock.freeze();
  const scheduler = new Scheduler(clock);
  const log = createLogger('silent');
  const modules = buildServices({ clock, scheduler, log, queues: {} as QueueStorage, settings: {} }, [
    kmsModule,
    secretsManagerModule,
  ]);
  const frontDoors = Object.assign({}, ...modules.map((m) => m.frontDoors ?? {}));
  const state = new EventsState({ clock, scheduler, log, frontDoors, settings: {} });
  const stop = installApiDestinationTargets(state);
  const ops = connectionHandlers(state) as Required<EventsHandlers>;
  const ctx = {
    requestId: 'r',
    caller: { account: '111122223333', region: 'us-east-1' },
    log,
  } as unknown as RequestContext;
  let receiver: Receiver;

  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    stop();
    scheduler.stop();
    await receiver.close();
  });

  const rule = { arn: 'arn:aws:events:us-east-1:111122223333:rule/r' } as RuleRecord;
  const invocation = (target: EB.Target, payload = '{"id":"e1"}'): TargetInvocation => ({
    rule,
    target,
    event: {} as TargetInvocation['event'],
    payload,
    lenient: false,
  });
  const destination = async (
    name: string,
    auth: EB.CreateConnectionRequest,
    endpoint: string,
    rate?: number,
  ) => {
    const c = (await ops.CreateConnection(
      { ...auth, Name: `${name}-conn` },
      ctx,
    )) as EB.CreateConnectionResponse;
    const d = (await ops.CreateApiDestination(
      {
        Name: name,
        ConnectionArn: c.ConnectionArn,
        HttpMethod: 'POST',
        InvocationEndpoint: endpoint,
        InvocationRateLimitPerSecond: rate,
      },
      ctx,
    )) as EB.CreateApiDestinationResponse;
    return d.ApiDestinationArn!;
  };

  it('accepts API destination ARNs only', () => {
    const kind = state.targetKind('arn:aws:events:us-east-1:111122223333:api-destination/d/0a1b-2c');
    assert.ok(kind);
    assert.equal(state.targetKind('arn:aws:events:us-east-1:111122223333:event-bus/default'), undefined);
  });

  it('delivers with the credentials from the connection secret, merging target and connection parameters', async () => {
    receiver.received.length = 0;
    const arn = await destination(
      'basic',
      {
        Name: '',
        AuthorizationType: 'BASIC',
        AuthParameters: {
          BasicAuthParameters: { Username: 'user', Password: 'pass' },
          InvocationHttpParameters: {
            HeaderParameters: [{ Key: 'x-from', Value: 'connection', IsValueSecret: true }],
            QueryStringParameters: [{ Key: 'q', Value: 'conn' }],
          },
        },
      },
      `${receiver.url}/orders/*`,
    );
    const kind = state.targetKind(arn)!;
    const result = await kind.deliver(
      invocation({
        Id: 't',
        Arn: arn,
        HttpParameters: {
          PathParameterValues: ['7'],
          HeaderParameters: { 'x-from': 'target', 'x-target': 'yes' },
          QueryStringParameters: { q: 'target', other: '1' },
        },
      }),
    );
    assert.deepEqual(result, { kind: 'delivered' });
    const [seen] = receiver.received;
    assert.equal(seen.path, '/orders/7');
    assert.equal(seen.query.get('q'), 'conn');
    assert.equal(seen.query.get('other'), '1');
    assert.equal(seen.headers['x-from'], 'connection');
    assert.equal(seen.headers['x-target'], 'yes');
    assert.equal(seen.headers.authorization, `Basic ${Buffer.from('user:pass').toString('base64')}`);
    assert.equal(seen.body, '{"id":"e1"}');
  });

  it('waits for an OAuth connection to be authorized, then sends its token', async () => {
    receiver.received.length = 0;
    receiver.respond = () => ({});
    tokenAnswers(receiver, [{ access_token: 'tok', expires_in: 3600 }]);
    const arn = await destination(
      'oauth',
      {
        Name: '',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: `${receiver.url}/oauth/token`,
            HttpMethod: 'POST',
            ClientParameters: { ClientID: 'id', ClientSecret: 'secret' },
          },
        },
      },
      `${receiver.url}/hook`,
    );
    // The connection stays AUTHORIZING for a moment of the (frozen) clock, as AWS's does.
    clock.advance(MIN_AUTHORIZING_MS);
    const result = await state.targetKind(arn)!.deliver(invocation({ Id: 't', Arn: arn }));
    assert.deepEqual(result, { kind: 'delivered' });
    const hook = receiver.received.find((r) => r.path === '/hook')!;
    assert.equal(hook.headers.authorization, 'Bearer tok');
    const described = (await ops.DescribeApiDestination(
      { Name: 'oauth' },
      ctx,
    )) as EB.DescribeApiDestinationResponse;
    assert.equal(described.ApiDestinationState, 'ACTIVE');
  });

  it('fails without a call when the connection is deauthorized or the destination is gone', async () => {
    receiver.received.length = 0;
    receiver.respond = () => ({});
    const arn = await destination(
      'deauth',
      {
        Name: '',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'v' } },
      },
      `${receiver.url}/hook`,
    );
    await ops.DeauthorizeConnection({ Name: 'deauth-conn' }, ctx);
    const result = await state.targetKind(arn)!.deliver(invocation({ Id: 't', Arn: arn }));
    assert.equal(result.kind, 'failed');
    assert.match(
      (result as { errorMessage: string }).errorMessage,
      /INACTIVE because its connection is DEAUTHORIZED/,
    );
    await ops.DeleteApiDestination({ Name: 'deauth' }, ctx);
    const gone = await state.targetKind(arn)!.deliver(invocation({ Id: 't', Arn: arn }));
    assert.deepEqual(gone, {
      kind: 'failed',
      errorCode: 'RESOURCE_NOT_FOUND',
      errorMessage: `ApiDestination ${arn} does not exist.`,
    });
    assert.equal(receiver.received.length, 0);
  });

  it('holds calls beyond the invocation rate until the clock moves on', async () => {
    receiver.received.length = 0;
    receiver.respond = () => ({});
    const arn = await destination(
      'slow',
      {
        Name: '',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } },
      },
      `${receiver.url}/slow`,
      2,
    );
    const kind = state.targetKind(arn)!;
    const results = [1, 2, 3, 4, 5].map((n) => kind.deliver(invocation({ Id: 't', Arn: arn }, `{"n":${n}}`)));
    await receiver.waitFor(2);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(receiver.received.length, 2);
    clock.advance(1000);
    await receiver.waitFor(4);
    clock.advance(1000);
    await receiver.waitFor(5);
    // Two per second: the first two, then the next two, then the last (arrival within a second may interleave).
    const seen = receiver.received.map((r) => JSON.parse(r.body).n as number);
    assert.deepEqual(seen.slice(0, 2).sort(), [1, 2]);
    assert.deepEqual(seen.slice(2, 4).sort(), [3, 4]);
    assert.equal(seen[4], 5);
    for (const r of await Promise.all(results)) assert.deepEqual(r, { kind: 'delivered' });
  });
});

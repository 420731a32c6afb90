// SaslHandshake and SaslAuthenticate on each kind of listener, driven through the handlers with a
// stand-in connection and cluster: the mechanisms each listener lists, Kafka's error codes and
// texts, the connection closed after a failure, handshake v0's raw tokens and session lifetimes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { Clock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import type { Scheduler } from '../../../src/core/scheduler.js';
import { authApis } from '../../../src/services/kafka/auth/apis.js';
import type {
  ClusterRuntime,
  ConnectionState,
  KafkaRequestContext,
  ListenerKind,
  ScramUser,
} from '../../../src/services/kafka/broker/types.js';
import type { KafkaLogStorage } from '../../../src/storage/types.js';
import { scramClient } from './scram-client.js';

const ILLEGAL_SASL_STATE = 34;
const UNSUPPORTED_SASL_MECHANISM = 33;
const SASL_AUTHENTICATION_FAILED = 58;

const handshakeApi = authApis.find((api) => api.apiKey === 17);
const authenticateApi = authApis.find((api) => api.apiKey === 36);

function setup(
  kind: ListenerKind,
  options: { isDefault?: boolean; users?: Record<string, string>; config?: Record<string, string> } = {},
) {
  const clock = new Clock();
  const users = new Map<string, ScramUser>(
    Object.entries(options.users ?? {}).map(([username, password]) => [
      username,
      {
        username,
        password,
        secretArn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:AmazonMSK_${username}`,
      },
    ]),
  );
  const cluster: ClusterRuntime = {
    id: options.isDefault ? 'default' : 'arn:aws:kafka:us-east-1:000000000000:cluster/c/1',
    clusterId: 'AAAAAAAAAAAAAAAAAAAAAA',
    isDefault: options.isDefault ?? false,
    brokerNodes: 1,
    account: '000000000000',
    region: 'us-east-1',
    config: (name) => options.config?.[name],
    listeners: () => [{ kind, host: '127.0.0.1', port: 9092 }],
    topics: undefined as unknown as KafkaLogStorage,
    groups: { clear: async () => {}, topicDeleted: async () => {}, close: () => {} },
    scramUsers: () => users,
    clock,
    scheduler: undefined as unknown as Scheduler,
    log: createLogger('silent'),
  };
  const withoutSasl = kind === 'TLS' || kind === 'PLAINTEXT';
  let closed = 0;
  const connection: ConnectionState = {
    id: 1,
    listener: { kind, host: '127.0.0.1', port: 9092 },
    remote: '127.0.0.1:50000',
    principal: withoutSasl ? 'ANONYMOUS' : undefined,
    authenticated: withoutSasl,
    rawSasl: undefined,
    close: () => {
      closed += 1;
    },
    signal: new AbortController().signal,
  };
  const ctx = (apiKey: number, apiVersion: number): KafkaRequestContext => ({
    apiKey,
    apiVersion,
    correlationId: 1,
    clientId: 'test',
    connection,
    cluster,
  });
  return {
    clock,
    users,
    connection,
    closed: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return closed;
    },
    handshake: async (mechanism: string, version = 1) =>
      (await handshakeApi?.handle(ctx(17, version), { mechanism })) as Record<string, any>,
    authenticate: async (authBytes: Buffer, version = 2) =>
      (await authenticateApi?.handle(ctx(36, version), { authBytes })) as Record<string, any>,
  };
}

describe('SASL APIs', () => {
  it('are served before authentication, at the versions built', () => {
    assert.deepEqual(
      authApis.map((api) => [api.apiKey, api.minVersion, api.maxVersion, api.beforeAuthentication]),
      [
        [17, 0, 1, true],
        [36, 0, 2, true],
      ],
    );
  });

  it('take PLAIN from anyone on the default cluster', async () => {
    const s = setup('PLAINTEXT', { isDefault: true });
    assert.deepEqual(await s.handshake('PLAIN'), { errorCode: 0, mechanisms: ['PLAIN'] });
    assert.equal(s.connection.authenticated, false);
    const ok = await s.authenticate(Buffer.from('\0alice\0anything'));
    assert.equal(ok.errorCode, 0);
    assert.equal(ok.sessionLifetimeMs, 0n);
    assert.equal(s.connection.principal, 'alice');
    assert.equal(s.connection.authenticated, true);
    assert.deepEqual(await s.authenticate(Buffer.from('\0alice\0anything')), {
      errorCode: ILLEGAL_SASL_STATE,
      errorMessage: 'SaslAuthenticate request received after successful authentication',
    });
    assert.equal((await s.handshake('PLAIN')).errorCode, ILLEGAL_SASL_STATE);
    assert.equal(await s.closed(), 0);
  });

  it("fail a malformed PLAIN message with Kafka's text, then close", async () => {
    const s = setup('PLAINTEXT', { isDefault: true });
    await s.handshake('PLAIN');
    assert.deepEqual(await s.authenticate(Buffer.from('alice\0pw')), {
      errorCode: SASL_AUTHENTICATION_FAILED,
      errorMessage: 'Invalid SASL/PLAIN response: expected 3 tokens, got 2',
    });
    assert.equal(await s.closed(), 1);
    assert.equal(s.connection.authenticated, false);
  });

  it('refuse a mechanism the listener does not enable, listing those it does, then close', async () => {
    const s = setup('PLAINTEXT', { isDefault: true });
    assert.deepEqual(await s.handshake('SCRAM-SHA-512'), {
      errorCode: UNSUPPORTED_SASL_MECHANISM,
      mechanisms: ['PLAIN'],
    });
    assert.equal(await s.closed(), 1);
    const scram = setup('SASL_SCRAM');
    assert.deepEqual(await scram.handshake('PLAIN'), {
      errorCode: UNSUPPORTED_SASL_MECHANISM,
      mechanisms: ['SCRAM-SHA-512'],
    });
    const iam = setup('SASL_IAM');
    assert.deepEqual((await iam.handshake('SCRAM-SHA-512')).mechanisms, ['OAUTHBEARER', 'AWS_MSK_IAM']);
  });

  it("answer ILLEGAL_SASL_STATE on MSK's plaintext and TLS ports, which take no SASL", async () => {
    for (const kind of ['PLAINTEXT', 'TLS'] as const) {
      const s = setup(kind);
      assert.deepEqual(await s.handshake('PLAIN'), { errorCode: ILLEGAL_SASL_STATE, mechanisms: [] });
      assert.equal((await s.authenticate(Buffer.from('x'))).errorCode, ILLEGAL_SASL_STATE);
      assert.equal(await s.closed(), 0);
    }
  });

  it('answer ILLEGAL_SASL_STATE to SaslAuthenticate before the handshake, then close', async () => {
    const s = setup('SASL_SCRAM', { users: { alice: 'pw' } });
    assert.deepEqual(await s.authenticate(Buffer.from('n,,n=alice,r=abc')), {
      errorCode: ILLEGAL_SASL_STATE,
      errorMessage: 'Unexpected Kafka request of type SASL_AUTHENTICATE during SASL handshake.',
    });
    assert.equal(await s.closed(), 1);
  });

  it('run SCRAM-SHA-512 against the cluster users, read at each authentication', async () => {
    const s = setup('SASL_SCRAM', { users: { alice: 'pw-1' } });
    assert.deepEqual(await s.handshake('SCRAM-SHA-512'), { errorCode: 0, mechanisms: ['SCRAM-SHA-512'] });
    const client = scramClient('SCRAM-SHA-512', 'alice', 'pw-1');
    const first = await s.authenticate(client.first);
    assert.equal(first.errorCode, 0);
    assert.equal(s.connection.authenticated, false);
    const final = await s.authenticate(client.final(first.authBytes));
    assert.equal(final.errorCode, 0);
    assert.equal(final.authBytes.toString(), client.expectedServerFinal());
    assert.equal(s.connection.principal, 'alice');
    assert.equal(s.connection.authenticated, true);

    const changed = setup('SASL_SCRAM', { users: { alice: 'pw-2' } });
    await changed.handshake('SCRAM-SHA-512');
    const stale = scramClient('SCRAM-SHA-512', 'alice', 'pw-1');
    const refused = await changed.authenticate(
      stale.final((await changed.authenticate(stale.first)).authBytes),
    );
    assert.deepEqual(refused, {
      errorCode: SASL_AUTHENTICATION_FAILED,
      errorMessage:
        'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    });
    assert.equal(await changed.closed(), 1);
    assert.equal(changed.connection.authenticated, false);
  });

  it('switch to raw tokens after a v0 handshake (kafka-python), closing silently on failure', async () => {
    const s = setup('SASL_SCRAM', { users: { alice: 'pw' } });
    await s.handshake('SCRAM-SHA-512', 0);
    assert.ok(s.connection.rawSasl);
    const client = scramClient('SCRAM-SHA-512', 'alice', 'pw');
    const serverFirst = await s.connection.rawSasl(client.first);
    assert.ok(serverFirst && s.connection.rawSasl);
    const serverFinal = await s.connection.rawSasl(client.final(serverFirst));
    assert.equal(serverFinal?.toString(), client.expectedServerFinal());
    assert.equal(s.connection.rawSasl, undefined);
    assert.equal(s.connection.authenticated, true);

    const plain = setup('PLAINTEXT', { isDefault: true });
    await plain.handshake('PLAIN', 0);
    assert.deepEqual(await plain.connection.rawSasl?.(Buffer.from('\0bob\0pw')), Buffer.alloc(0));
    assert.equal(plain.connection.principal, 'bob');

    const wrong = setup('SASL_SCRAM', { users: { alice: 'pw' } });
    await wrong.handshake('SCRAM-SHA-512', 0);
    assert.equal(await wrong.connection.rawSasl?.(Buffer.from('n,,n=nobody,r=abc')), undefined);
    assert.equal(wrong.connection.rawSasl, undefined);
    assert.equal(wrong.connection.authenticated, false);
  });

  it("answer an IAM token's remaining life as sessionLifetimeMs, and let the client re-authenticate", async () => {
    const s = setup('SASL_IAM');
    const made = await generateAuthTokenFromCredentialsProvider({
      region: 'us-east-1',
      awsCredentialsProvider: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    });
    s.clock.freeze();
    const bearer = (token: string) => Buffer.from(`n,,\x01auth=Bearer ${token}\x01\x01`);
    assert.equal((await s.handshake('OAUTHBEARER')).errorCode, 0);
    const ok = await s.authenticate(bearer(made.token), 1);
    assert.equal(ok.errorCode, 0);
    assert.equal(ok.sessionLifetimeMs, BigInt(made.expiryTime - s.clock.now()));
    assert.equal(s.connection.principal, 'test');
    // KIP-368: a new handshake on the same connection, with the same mechanism.
    assert.equal((await s.handshake('OAUTHBEARER')).errorCode, 0);
    assert.equal(s.connection.authenticated, true);
    assert.equal((await s.authenticate(bearer(made.token), 1)).errorCode, 0);
    // An expired token on the clock: refused at once, as MSK does, and the connection closed.
    s.clock.advance(made.expiryTime - s.clock.now() + 1);
    const late = setup('SASL_IAM');
    late.clock.advance(s.clock.offsetSeconds * 1000);
    await late.handshake('OAUTHBEARER');
    const refused = await late.authenticate(bearer(made.token), 1);
    assert.equal(refused.errorCode, SASL_AUTHENTICATION_FAILED);
    assert.match(refused.errorMessage, /^\[[0-9a-f-]{36}\]: Invalid authentication payload$/);
    assert.equal(await late.closed(), 1);
  });

  it('bound SCRAM sessions by connections.max.reauth.ms when the configuration sets it', async () => {
    const s = setup('SASL_SCRAM', {
      users: { alice: 'pw' },
      config: { 'connections.max.reauth.ms': '60000' },
    });
    await s.handshake('SCRAM-SHA-512');
    const client = scramClient('SCRAM-SHA-512', 'alice', 'pw');
    const final = await s.authenticate(client.final((await s.authenticate(client.first)).authBytes));
    assert.equal(final.sessionLifetimeMs, 60000n);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { Scheduler } from '../../../src/core/scheduler.js';
import type { RequestContext } from '../../../src/protocols/service.js';
import type {
  ClusterRuntime,
  KafkaBrokerControl,
  KafkaClusterSpec,
  ListenerAddress,
  ScramUser,
} from '../../../src/services/kafka/broker/types.js';
import { clusterOperations } from '../../../src/services/kafka/control/clusters.js';
import { scramOperations } from '../../../src/services/kafka/control/scram.js';
import { MskState } from '../../../src/services/kafka/control/state.js';
import type { KeyFrontDoor } from '../../../src/services/kms/front-door.js';
import type { SecretFacts, SecretsFrontDoor } from '../../../src/services/secretsmanager/front-door.js';

/** Brokers that record what the control plane asks of them. */
class RecordingBrokers implements Partial<KafkaBrokerControl> {
  readonly opened: KafkaClusterSpec[] = [];
  readonly users = new Map<string, ScramUser[]>();
  readonly reconfigured: Array<[string, Record<string, string>]> = [];
  private readonly open = new Map<string, ListenerAddress[]>();
  private next = 30000;

  async openCluster(spec: KafkaClusterSpec): Promise<ListenerAddress[]> {
    this.opened.push(spec);
    const listeners = spec.listeners.map((kind) => ({
      kind,
      host: '127.0.0.1',
      port: spec.ports?.[kind] ?? this.next++,
    }));
    this.open.set(spec.id, listeners);
    return listeners;
  }
  reconfigure(id: string, properties: Record<string, string>): void {
    this.reconfigured.push([id, properties]);
  }
  setScramUsers(id: string, users: ScramUser[]): void {
    this.users.set(id, users);
  }
  async closeCluster(id: string): Promise<void> {
    this.open.delete(id);
  }
  cluster(id: string): ClusterRuntime | undefined {
    const listeners = this.open.get(id);
    return listeners
      ? ({ clusterId: 'AAAAAAAAAAAAAAAAAAAAAA', listeners: () => listeners } as unknown as ClusterRuntime)
      : undefined;
  }
}

/** Secrets Manager's front door over a map, telling observers of changes as the service does. */
class MapSecrets implements Partial<SecretsFrontDoor> {
  readonly values = new Map<string, { facts: SecretFacts; value: string }>();
  private readonly observers = new Set<(arn: string) => void>();

  put(name: string, value: string, kmsKeyId = 'customer-key'): string {
    const arn = `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`;
    this.values.set(arn, {
      facts: { arn, name, account: '000000000000', region: 'us-east-1', kmsKeyId, deleted: false },
      value,
    });
    for (const observer of this.observers) observer(arn);
    return arn;
  }
  describe(arn: string): SecretFacts | undefined {
    return this.values.get(arn)?.facts;
  }
  async read(arn: string): Promise<string> {
    const entry = this.values.get(arn);
    if (!entry) throw new Error('gone');
    return entry.value;
  }
  observe(listener: (arn: string) => void): () => void {
    this.observers.add(listener);
    return () => this.observers.delete(listener);
  }
}

const kms = {
  describe: () => ({
    ok: true,
    keyId: 'k',
    arn: 'arn:aws:kms:us-east-1:000000000000:key/k',
    account: '000000000000',
    region: 'us-east-1',
    manager: 'CUSTOMER',
    state: 'Enabled',
  }),
  awsManagedKey: () => ({ ok: true, arn: 'arn:aws:kms:us-east-1:000000000000:key/aws-kafka' }),
} as unknown as KeyFrontDoor;

const ctx = { caller: { account: '000000000000', region: 'us-east-1' } } as RequestContext;

function setUp(statusDelayMs = 0) {
  const clock = new Clock();
  clock.freeze();
  const scheduler = new Scheduler(clock);
  const brokers = new RecordingBrokers();
  const secrets = new MapSecrets();
  const state = new MskState({
    clock,
    scheduler,
    log: createLogger('silent'),
    brokers: brokers as unknown as KafkaBrokerControl,
    statusDelayMs,
    secrets: () => secrets as unknown as SecretsFrontDoor,
    kms: () => kms,
  });
  return { clock, scheduler, brokers, secrets, state };
}

const scramCluster = (name: string) => ({
  ClusterName: name,
  KafkaVersion: '3.8.x',
  NumberOfBrokerNodes: 2,
  BrokerNodeGroupInfo: {
    InstanceType: 'kafka.m5.large',
    ClientSubnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  },
  ClientAuthentication: { Sasl: { Scram: { Enabled: true } } },
});

describe('MSK cluster lifecycle against the brokers', () => {
  it("opens the cluster's listeners once the delay has passed", async () => {
    const { clock, brokers, state } = setUp(5_000);
    const created = await clusterOperations(state).CreateCluster(scramCluster('one'), ctx);
    assert.equal(brokers.opened.length, 0);
    clock.advance(5_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(state.clusters.get(created.ClusterArn)?.state, 'ACTIVE');
    const spec = brokers.opened[0]!;
    assert.equal(spec.id, created.ClusterArn);
    assert.deepEqual(spec.listeners, ['SASL_SCRAM']);
    assert.equal(spec.brokerNodes, 2);
    assert.deepEqual(spec.serverProperties, {});
  });

  it('hands the broker the SCRAM users, and reads the secret again when it changes', async () => {
    const { brokers, secrets, state } = setUp();
    const created = await clusterOperations(state).CreateCluster(scramCluster('two'), ctx);
    const arn = secrets.put('AmazonMSK_alice', JSON.stringify({ username: 'alice', password: 'first' }));
    const answer = await scramOperations(state).BatchAssociateScramSecret(
      { ClusterArn: created.ClusterArn, SecretArnList: [arn] },
      ctx,
    );
    assert.deepEqual(answer.UnprocessedScramSecrets, []);
    assert.deepEqual(brokers.users.get(created.ClusterArn), [
      { username: 'alice', password: 'first', secretArn: arn },
    ]);
    secrets.put('AmazonMSK_alice', JSON.stringify({ username: 'alice', password: 'second' }));
    await state.refreshUsers(created.ClusterArn);
    assert.deepEqual(brokers.users.get(created.ClusterArn)?.[0]?.password, 'second');
    await scramOperations(state).BatchDisassociateScramSecret(
      { ClusterArn: created.ClusterArn, SecretArnList: [arn] },
      ctx,
    );
    assert.deepEqual(brokers.users.get(created.ClusterArn), []);
  });

  it('refuses associations past 1,000 secrets per cluster', async () => {
    const { secrets, state } = setUp();
    const created = await clusterOperations(state).CreateCluster(scramCluster('full'), ctx);
    const cluster = state.clusters.get(created.ClusterArn)!;
    cluster.scramSecrets = Array.from(
      { length: 1000 },
      (_, i) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:AmazonMSK_${i}-AbCdEf`,
    );
    const arn = secrets.put('AmazonMSK_one_more', JSON.stringify({ username: 'x', password: 'y' }));
    await assert.rejects(
      scramOperations(state).BatchAssociateScramSecret(
        { ClusterArn: created.ClusterArn, SecretArnList: [arn] },
        ctx,
      ),
      /at most 1000 SCRAM secrets/,
    );
    const again = await scramOperations(state).BatchAssociateScramSecret(
      { ClusterArn: created.ClusterArn, SecretArnList: [cluster.scramSecrets[0]!] },
      ctx,
    );
    assert.equal(again.ClusterArn, created.ClusterArn);
  });

  it('reopens kept clusters on their previous ports', async () => {
    const { brokers, state } = setUp();
    const created = await clusterOperations(state).CreateCluster(scramCluster('three'), ctx);
    const port = state.clusters.get(created.ClusterArn)!.ports.SASL_SCRAM;
    assert.ok(port);
    await state.reopen();
    assert.deepEqual(brokers.opened.at(-1)?.ports, { SASL_SCRAM: port });
  });
});

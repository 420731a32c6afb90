// MSK clusters as the control plane opens them (KafkaBrokerControl): brokers shown per
// NumberOfBrokerNodes, MSK's default configuration (auto.create.topics.enable=false,
// default.replication.factor=3, min.insync.replicas=2), a configuration update, and closing.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { encodeRequest } from '../../src/protocols/kafka/codec.js';
import { KafkaBrokers } from '../../src/services/kafka/broker/brokers.js';
import type { ServiceEnvironment } from '../../src/services/registry.js';
import { errorOf, uniqueName } from '../support/tideway.js';
import { RawKafka } from './broker-support.js';

const ARN = 'arn:aws:kafka:us-east-1:000000000000:cluster/demo/11111111-2222-3333-4444-555555555555-1';

describe('MSK clusters on the brokers', () => {
  const clock = new Clock();
  const scheduler = new Scheduler(clock);
  const brokers = new KafkaBrokers({
    clock,
    scheduler,
    log: createLogger('silent'),
    settings: { host: '127.0.0.1' },
    frontDoors: {},
  } as unknown as ServiceEnvironment);
  let bootstrap = '';
  let admin: Admin;

  before(async () => {
    const addresses = await brokers.openCluster({
      id: ARN,
      account: '000000000000',
      region: 'us-east-1',
      listeners: ['PLAINTEXT'],
      serverProperties: {},
      brokerNodes: 3,
    });
    assert.equal(addresses.length, 1);
    assert.equal(addresses[0].kind, 'PLAINTEXT');
    assert.ok(addresses[0].port > 0);
    bootstrap = `${addresses[0].host}:${addresses[0].port}`;
    admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
    await admin.connect();
  });

  after(async () => {
    await admin.disconnect();
    await brokers.close();
    scheduler.stop();
  });

  it('lists the leading broker at the listener, and replicates by 3 by default among NumberOfBrokerNodes', async () => {
    const name = uniqueName('msk');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 2 }] });
    const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
    assert.deepEqual(topics[0].partitions[0].replicas, [1, 2, 3]);
    assert.deepEqual(topics[0].partitions[0].isr, [1, 2, 3]);
    const client = await RawKafka.connect(bootstrap);
    const metadata = await client.request(3, 12, { topics: null, allowAutoTopicCreation: false });
    const [host, port] = bootstrap.split(':');
    assert.deepEqual(
      metadata.brokers.map((b: any) => [b.nodeId, b.host, b.port]),
      [[1, host, Number(port)]],
    );
    const refused = await client.request(19, 7, {
      topics: [{ name: uniqueName('rf'), numPartitions: 1, replicationFactor: 4 }],
      timeoutMs: 1000,
    });
    assert.equal(
      refused.topics[0].errorMessage,
      'Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.',
    );
    client.end();
  });

  it("runs on MSK's default configuration: no auto-creation, min.insync.replicas 2", async () => {
    const client = await RawKafka.connect(bootstrap);
    const name = uniqueName('auto');
    const metadata = await client.request(3, 12, {
      topics: [{ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: true,
    });
    assert.equal(metadata.topics[0].errorCode, 3);
    const described = await client.request(32, 4, {
      resources: [
        {
          resourceType: 4,
          resourceName: '2',
          configurationKeys: ['min.insync.replicas', 'auto.create.topics.enable'],
        },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    assert.deepEqual(
      described.results[0].configs.map((c: any) => [c.name, c.value, c.configSource]),
      [
        ['auto.create.topics.enable', 'false', 4],
        ['min.insync.replicas', '2', 4],
      ],
    );
    client.end();
  });

  it('takes a new configuration at once (UpdateClusterConfiguration)', async () => {
    brokers.reconfigure(ARN, { 'auto.create.topics.enable': 'true', 'num.partitions': '4' });
    const client = await RawKafka.connect(bootstrap);
    const name = uniqueName('auto');
    const ask = () =>
      client.request(3, 12, {
        topics: [{ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
        allowAutoTopicCreation: true,
      });
    assert.equal((await ask()).topics[0].errorCode, 5);
    const created = await ask();
    assert.equal(created.topics[0].partitions.length, 4);
    assert.equal(brokers.cluster(ARN)?.config('num.partitions'), '4');
    client.end();
  });

  it('serves TLS with the generated CA, and on SASL listeners only ApiVersions and SASL before login', async () => {
    const id = 'arn:aws:kafka:us-east-1:000000000000:cluster/secure/x';
    const addresses = await brokers.openCluster({
      id,
      account: '000000000000',
      region: 'us-east-1',
      listeners: ['TLS', 'SASL_SCRAM'],
      serverProperties: {},
      brokerNodes: 3,
    });
    assert.deepEqual(
      addresses.map((a) => a.kind),
      ['TLS', 'SASL_SCRAM'],
    );
    const ca = await brokers.certificateAuthority();
    assert.match(ca.pem, /BEGIN CERTIFICATE/);
    const [tlsAddress, scramAddress] = addresses;
    const secure = await RawKafka.connectTls(tlsAddress.host, tlsAddress.port, ca.pem);
    const metadata = await secure.request(3, 12, { topics: null, allowAutoTopicCreation: false });
    assert.deepEqual(
      metadata.brokers.map((b: any) => b.port),
      [tlsAddress.port],
    );
    secure.end();
    const unauthenticated = await RawKafka.connectTls(scramAddress.host, scramAddress.port, ca.pem);
    const versions = await unauthenticated.request(18, 3, {
      clientSoftwareName: 'raw',
      clientSoftwareVersion: '1',
    });
    assert.equal(versions.errorCode, 0);
    unauthenticated.write(encodeRequest(3, 12, 2, 'raw', { topics: null, allowAutoTopicCreation: false }));
    await unauthenticated.closed;
    await brokers.closeCluster(id, { dropData: true });
  });

  it('refuses a second cluster with the same id, and closing drops listeners and data', async () => {
    const again = await errorOf(() =>
      brokers.openCluster({
        id: ARN,
        account: '1',
        region: 'r',
        listeners: ['PLAINTEXT'],
        serverProperties: {},
        brokerNodes: 1,
      }),
    );
    assert.match(again.message, /already open/);
    const other = 'arn:aws:kafka:us-east-1:000000000000:cluster/other/x';
    const [address] = await brokers.openCluster({
      id: other,
      account: '000000000000',
      region: 'us-east-1',
      listeners: ['PLAINTEXT'],
      serverProperties: {},
      brokerNodes: 2,
    });
    const runtime = brokers.cluster(other);
    assert.equal(runtime?.config('default.replication.factor'), '2');
    assert.equal(runtime?.config('min.insync.replicas'), '1');
    await runtime?.topics.createTopic({
      cluster: other,
      name: 'kept',
      topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
      partitions: 1,
      replicationFactor: 1,
      configs: {},
      createdAt: clock.now(),
    });
    await brokers.closeCluster(other, { dropData: true });
    assert.equal(brokers.cluster(other), undefined);
    assert.equal(runtime?.topics.listTopics(other).length, 0);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(address.port, address.host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    assert.equal(refused, true, 'the listener is closed');
  });
});

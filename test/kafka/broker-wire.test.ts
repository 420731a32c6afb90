// The broker on the wire, with a raw client: what Apache Kafka answers for ApiVersions (KIP-511),
// Metadata (auto-creation, topic ids), DescribeCluster and the admin APIs' own texts, and how it
// treats what it cannot serve (the connection closes; other connections go on).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeRequest } from '../../src/protocols/kafka/codec.js';
import { brokerApis } from '../../src/services/kafka/broker/apis.js';
import { startServer, uniqueName } from '../support/tideway.js';
import { RawKafka, withKafkaServer } from './broker-support.js';

const suite = withKafkaServer();

const API_VERSIONS = 18;
const METADATA = 3;
const CREATE_TOPICS = 19;
const DELETE_TOPICS = 20;
const CREATE_PARTITIONS = 37;
const DESCRIBE_CONFIGS = 32;
const INCREMENTAL_ALTER_CONFIGS = 44;
const DESCRIBE_CLUSTER = 60;

async function raw(): Promise<RawKafka> {
  return RawKafka.connect(suite.bootstrap);
}

async function createTopic(client: RawKafka, topic: Record<string, unknown>, validateOnly = false) {
  const body = await client.request(CREATE_TOPICS, 7, {
    topics: [{ numPartitions: -1, replicationFactor: -1, assignments: [], configs: [], ...topic }],
    timeoutMs: 5000,
    validateOnly,
  });
  return body.topics[0];
}

describe('Kafka broker on the wire', () => {
  it('ApiVersions advertises exactly the APIs served', async () => {
    const client = await raw();
    const body = await client.request(API_VERSIONS, 3, {
      clientSoftwareName: 'raw',
      clientSoftwareVersion: '1.0',
    });
    assert.equal(body.errorCode, 0);
    const expected = [...brokerApis().values()]
      .map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
    assert.deepEqual(
      body.apiKeys.map(({ apiKey, minVersion, maxVersion }: any) => ({ apiKey, minVersion, maxVersion })),
      expected,
    );
    client.end();
  });

  it('ApiVersions at a version newer than served: v0 answer with UNSUPPORTED_VERSION and the list (KIP-511)', async () => {
    const client = await raw();
    // A v4 request with its version rewritten to 9: the header is read, the body is not.
    const chunks = encodeRequest(API_VERSIONS, 4, 7, 'future', {
      clientSoftwareName: 'future',
      clientSoftwareVersion: '9.9',
    });
    const frame = Buffer.concat(chunks);
    frame.writeInt16BE(9, 6);
    client.write(frame);
    const response = await client.next();
    assert.equal(response.readInt32BE(0), 7, 'correlation id');
    // v0 body: error code, then the api keys array (int32 count, 6 bytes each).
    assert.equal(response.readInt16BE(4), 35);
    const count = response.readInt32BE(6);
    assert.equal(count, brokerApis().size);
    assert.equal(response.length, 4 + 2 + 4 + count * 6);
    // The connection stays usable: the client retries at a version it now knows.
    const retry = await client.request(API_VERSIONS, 0, {}, 8);
    assert.equal(retry.errorCode, 0);
    client.end();
  });

  it('ApiVersions v3 with an invalid client software name answers INVALID_REQUEST', async () => {
    const client = await raw();
    const body = await client.request(API_VERSIONS, 3, {
      clientSoftwareName: '-bad-',
      clientSoftwareVersion: '1',
    });
    assert.equal(body.errorCode, 42);
    client.end();
  });

  it('closes the connection on garbage, unknown API keys and unsupported versions, and only that one', async () => {
    const bystander = await raw();
    const cases: Array<[string, Buffer]> = [
      ['garbage frame', Buffer.from([0, 0, 0, 3, 1, 2, 3])],
      ['unknown API key', Buffer.concat(encodeRequest(API_VERSIONS, 0, 1, 'x', {})).fill(0x7f, 4, 6)],
      ['negative size', Buffer.from([0xff, 0xff, 0xff, 0xf0])],
      ['too large a frame', Buffer.from([0x7f, 0xff, 0xff, 0xff])],
    ];
    const metadataV99 = Buffer.concat(
      encodeRequest(METADATA, 12, 1, 'x', { topics: null, allowAutoTopicCreation: false }),
    );
    metadataV99.writeInt16BE(99, 6);
    cases.push(['unsupported Metadata version', metadataV99]);
    const truncated = Buffer.concat(
      encodeRequest(CREATE_TOPICS, 7, 1, 'x', { topics: [{ name: 'a', numPartitions: 1 }] }),
    );
    cases.push(['truncated body', Buffer.concat([Buffer.from([0, 0, 0, 20]), truncated.subarray(4, 24)])]);
    for (const [label, bytes] of cases) {
      const client = await raw();
      client.write(bytes);
      await Promise.race([
        client.closed,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`${label}: still open`)), 2000)),
      ]);
    }
    const body = await bystander.request(METADATA, 12, { topics: null, allowAutoTopicCreation: false });
    assert.equal(body.brokers.length, 1);
    bystander.end();
  });

  it('answers pipelined requests in request order', async () => {
    const client = await raw();
    const name = uniqueName('order');
    client.write([
      ...encodeRequest(CREATE_TOPICS, 7, 1, 'p', {
        topics: [{ name, numPartitions: 2, replicationFactor: 1 }],
        timeoutMs: 1000,
      }),
      ...encodeRequest(API_VERSIONS, 0, 2, 'p', {}),
      ...encodeRequest(METADATA, 1, 3, 'p', { topics: [{ name }] }),
    ]);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await client.next()).readInt32BE(0));
    assert.deepEqual(ids, [1, 2, 3]);
    client.end();
  });

  it('keeps request order when a long-polling Fetch finishes after the requests behind it', async () => {
    const client = await raw();
    const name = uniqueName('poll');
    assert.equal((await createTopic(client, { name, numPartitions: 1 })).errorCode, 0);
    const started = Date.now();
    client.write([
      ...encodeRequest(1, 11, 10, 'p', {
        replicaId: -1,
        maxWaitMs: 300,
        minBytes: 1,
        maxBytes: 1024,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic: name,
            partitions: [
              {
                partition: 0,
                currentLeaderEpoch: -1,
                fetchOffset: 0n,
                logStartOffset: -1n,
                partitionMaxBytes: 1024,
              },
            ],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      }),
      ...encodeRequest(API_VERSIONS, 0, 11, 'p', {}),
    ]);
    const first = await client.next();
    const second = await client.next();
    assert.deepEqual([first.readInt32BE(0), second.readInt32BE(0)], [10, 11]);
    assert.ok(Date.now() - started >= 250, 'the Fetch waited for data');
    client.end();
  });

  it('Metadata shows the listener the client came in on, the cluster id and controller', async () => {
    const client = await raw();
    const body = await client.request(METADATA, 12, { topics: null, allowAutoTopicCreation: false });
    const [host, port] = suite.bootstrap.split(':');
    assert.deepEqual(body.brokers, [{ nodeId: 1, host, port: Number(port), rack: null }]);
    assert.equal(body.controllerId, 1);
    assert.match(body.clusterId, /^[A-Za-z0-9_-]{22}$/);
    const cluster = await client.request(DESCRIBE_CLUSTER, 1, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
    });
    assert.equal(cluster.errorCode, 0);
    assert.equal(cluster.clusterId, body.clusterId);
    assert.deepEqual(cluster.brokers, [{ brokerId: 1, host, port: Number(port), rack: null }]);
    const controllers = await client.request(DESCRIBE_CLUSTER, 1, { endpointType: 2 });
    assert.equal(controllers.errorCode, 114);
    client.end();
  });

  it('Metadata creates a missing topic (LEADER_NOT_AVAILABLE first), and refuses invalid names', async () => {
    const client = await raw();
    const name = uniqueName('auto');
    const first = await client.request(METADATA, 12, {
      topics: [{ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: true,
    });
    assert.equal(first.topics[0].errorCode, 5);
    const second = await client.request(METADATA, 12, {
      topics: [{ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: true,
    });
    assert.equal(second.topics[0].errorCode, 0);
    assert.equal(second.topics[0].partitions.length, 1);
    const topicId = second.topics[0].topicId;
    assert.match(topicId, /^[A-Za-z0-9_-]{22}$/);
    // By id (v12), and an id nobody has.
    const byId = await client.request(METADATA, 12, {
      topics: [{ name: null, topicId }],
      allowAutoTopicCreation: false,
    });
    assert.equal(byId.topics[0].name, name);
    const unknownId = await client.request(METADATA, 12, {
      topics: [{ name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' }],
      allowAutoTopicCreation: false,
    });
    assert.equal(unknownId.topics[0].errorCode, 100);
    const none = await client.request(METADATA, 12, {
      topics: [{ name: uniqueName('no'), topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
    });
    assert.equal(none.topics[0].errorCode, 3);
    const invalid = await client.request(METADATA, 4, {
      topics: [{ name: 'bad name' }],
      allowAutoTopicCreation: true,
    });
    assert.equal(invalid.topics[0].errorCode, 17);
    client.end();
  });

  it("CreateTopics answers Kafka's texts, with configs and validateOnly", async () => {
    const client = await raw();
    const taken = uniqueName('taken');
    const created = await createTopic(client, {
      name: taken,
      numPartitions: 2,
      configs: [{ name: 'retention.ms', value: '1000' }],
    });
    assert.equal(created.errorCode, 0);
    assert.equal(created.numPartitions, 2);
    assert.equal(created.replicationFactor, 1);
    const retention = created.configs.find((c: any) => c.name === 'retention.ms');
    assert.deepEqual([retention.value, retention.configSource], ['1000', 1]);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ name: taken }, 36, `Topic '${taken}' already exists.`],
      [
        { name: 'a/b' },
        17,
        "Topic name is invalid: 'a/b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
      ],
      [{ name: '' }, 17, 'Topic name is invalid: the empty string is not allowed'],
      [{ name: '.' }, 17, "Topic name is invalid: '.' is not allowed"],
      [
        { name: uniqueName('rf'), replicationFactor: 3 },
        38,
        'Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered.',
      ],
      [
        { name: uniqueName('rf'), replicationFactor: 0 },
        38,
        'Replication factor must be larger than 0, or -1 to use the default value.',
      ],
      [
        { name: uniqueName('p'), numPartitions: 0 },
        37,
        'Number of partitions was set to an invalid non-positive value.',
      ],
      [
        { name: uniqueName('c'), configs: [{ name: 'retention.ms', value: 'x' }] },
        40,
        'Invalid value x for configuration retention.ms: Not a number of type LONG',
      ],
      [
        { name: uniqueName('c'), configs: [{ name: 'max.message.bytes', value: '-5' }] },
        40,
        'Invalid value -5 for configuration max.message.bytes: Value must be at least 0',
      ],
      [
        { name: uniqueName('c'), configs: [{ name: 'message.timestamp.type', value: 'Now' }] },
        40,
        'Invalid value Now for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime',
      ],
      [
        { name: uniqueName('c'), configs: [{ name: 'retention.ms', value: null }] },
        40,
        'Null value not supported for topic configs: retention.ms',
      ],
      [
        { name: uniqueName('c'), configs: [{ name: 'nope', value: '1' }] },
        40,
        'Unknown topic config name: nope',
      ],
      [
        { name: uniqueName('c'), configs: [{ name: 'cleanup.policy', value: 'compact,delete' }] },
        40,
        'Invalid value compact,delete for configuration cleanup.policy: Tideway does not compact topics; only cleanup.policy=delete is supported',
      ],
      [
        { name: uniqueName('a'), numPartitions: 2, assignments: [{ partitionIndex: 0, brokerIds: [1] }] },
        42,
        'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
      ],
      [
        { name: uniqueName('a'), assignments: [{ partitionIndex: 0, brokerIds: [2] }] },
        39,
        'The manual partition assignment includes broker 2, but no such broker is registered.',
      ],
    ];
    for (const [topic, code, message] of cases) {
      const result = await createTopic(client, topic);
      assert.deepEqual([result.errorCode, result.errorMessage], [code, message], JSON.stringify(topic));
      assert.equal(result.numPartitions, -1);
    }
    const dry = uniqueName('dry');
    const validated = await createTopic(client, { name: dry, numPartitions: 4 }, true);
    assert.deepEqual([validated.errorCode, validated.numPartitions], [0, 4]);
    const after = await client.request(METADATA, 12, {
      topics: [{ name: dry, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
    });
    assert.equal(after.topics[0].errorCode, 3, 'validateOnly created nothing');
    const manual = await createTopic(client, {
      name: uniqueName('manual'),
      assignments: [0, 1, 2].map((partitionIndex) => ({ partitionIndex, brokerIds: [1] })),
    });
    assert.deepEqual([manual.errorCode, manual.numPartitions, manual.replicationFactor], [0, 3, 1]);
    client.end();
  });

  it('DeleteTopics by name (v5) and by id (v6)', async () => {
    const client = await raw();
    const a = await createTopic(client, { name: uniqueName('del') });
    const b = await createTopic(client, { name: uniqueName('del') });
    const byName = await client.request(DELETE_TOPICS, 5, {
      topicNames: [a.name, 'ghost-topic'],
      timeoutMs: 1000,
    });
    assert.deepEqual(
      byName.responses.map((r: any) => [r.name, r.errorCode, r.errorMessage]),
      [
        [a.name, 0, null],
        ['ghost-topic', 3, 'This server does not host this topic-partition.'],
      ],
    );
    const byId = await client.request(DELETE_TOPICS, 6, {
      topics: [
        { name: null, topicId: b.topicId },
        { name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' },
      ],
      timeoutMs: 1000,
    });
    assert.deepEqual(
      byId.responses.map((r: any) => [r.name, r.errorCode]),
      [
        [b.name, 0],
        [null, 100],
      ],
    );
    client.end();
  });

  it("CreatePartitions answers Kafka's texts", async () => {
    const client = await raw();
    const t = await createTopic(client, { name: uniqueName('cp'), numPartitions: 2 });
    const ask = async (count: number, extra: Record<string, unknown> = {}) =>
      (
        await client.request(CREATE_PARTITIONS, 3, {
          topics: [{ name: t.name, count, assignments: null, ...extra }],
          timeoutMs: 1000,
          validateOnly: false,
        })
      ).results[0];
    assert.deepEqual(Object.values(await ask(2)).slice(1), [37, 'Topic already has 2 partition(s).']);
    assert.deepEqual(Object.values(await ask(1)).slice(1), [
      37,
      `The topic ${t.name} currently has 2 partition(s); 1 would not be an increase.`,
    ]);
    assert.deepEqual(Object.values(await ask(4, { assignments: [{ brokerIds: [1] }] })).slice(1), [
      39,
      'Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.',
    ]);
    assert.deepEqual(Object.values(await ask(4)).slice(1), [0, null]);
    client.end();
  });

  it('IncrementalAlterConfigs sets, deletes and appends, and describes with filters', async () => {
    const client = await raw();
    const t = await createTopic(client, { name: uniqueName('inc') });
    const alter = async (configs: Array<{ name: string; configOperation: number; value: string | null }>) =>
      (
        await client.request(INCREMENTAL_ALTER_CONFIGS, 1, {
          resources: [{ resourceType: 2, resourceName: t.name, configs }],
          validateOnly: false,
        })
      ).responses[0];
    assert.equal(
      (await alter([{ name: 'retention.bytes', configOperation: 0, value: '1024' }])).errorCode,
      0,
    );
    const appended = await alter([{ name: 'retention.ms', configOperation: 2, value: '5' }]);
    assert.deepEqual(
      [appended.errorCode, appended.errorMessage],
      [40, 'Config value append is not allowed for config key: retention.ms'],
    );
    const describe = async () =>
      (
        await client.request(DESCRIBE_CONFIGS, 4, {
          resources: [
            { resourceType: 2, resourceName: t.name, configurationKeys: ['retention.bytes', 'retention.ms'] },
          ],
          includeSynonyms: false,
          includeDocumentation: true,
        })
      ).results[0];
    let described = await describe();
    assert.deepEqual(
      described.configs.map((c: any) => [c.name, c.value, c.configSource, c.configType, c.documentation]),
      [
        ['retention.bytes', '1024', 1, 5, null],
        ['retention.ms', '604800000', 4, 5, null],
      ],
    );
    assert.equal((await alter([{ name: 'retention.bytes', configOperation: 1, value: null }])).errorCode, 0);
    described = await describe();
    assert.deepEqual(described.configs[0].value, '-1');
    const broker = await client.request(DESCRIBE_CONFIGS, 4, {
      resources: [{ resourceType: 4, resourceName: '3', configurationKeys: null }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    assert.deepEqual(
      [broker.results[0].errorCode, broker.results[0].errorMessage],
      [42, 'Unexpected broker id, expected 1 or empty string, but received 3'],
    );
    client.end();
  });

  it('serves the CA at /_tideway/kafka/ca.pem, and a reset drops topics but keeps the listener', async () => {
    const response = await fetch(`${suite.server.endpoint}/_tideway/kafka/ca.pem`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /^-----BEGIN CERTIFICATE-----/);
    const client = await raw();
    const name = uniqueName('reset');
    assert.equal((await createTopic(client, { name })).errorCode, 0);
    const reset = await fetch(`${suite.server.endpoint}/_tideway/reset`, { method: 'POST' });
    assert.equal(reset.status, 200);
    const after = await client.request(METADATA, 12, { topics: null, allowAutoTopicCreation: false });
    assert.equal(after.topics.length, 0);
    client.end();
  });

  it('start() without kafkaPort opens no Kafka listener', async () => {
    const server = await startServer();
    try {
      assert.equal(server.kafka, undefined);
    } finally {
      await server.stop();
    }
  });
});

// Topic administration through KafkaJS's admin client, as Apache Kafka's controller answers it
// (ReplicationControlManager's checks and texts, Errors.java's codes) and as its ConfigHelper
// describes configs (sources: TOPIC_CONFIG 1, STATIC_BROKER_CONFIG 4, DEFAULT_CONFIG 5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorOf, uniqueName } from '../support/tideway.js';
import { withKafkaServer } from './broker-support.js';

const suite = withKafkaServer();
// KafkaJS's ConfigResourceTypes (a CommonJS export ESM cannot name): Kafka's resource type codes.
const ConfigResourceTypes = { TOPIC: 2, BROKER: 4 } as const;

/** KafkaJS reports per-topic failures of CreateTopics inside an aggregate error. */
function firstCause(err: any): { type: string; message: string } {
  const inner = err?.errors?.[0] ?? err;
  return { type: inner.type, message: inner.message };
}

describe('Kafka topic admin (KafkaJS)', () => {
  it('creates, lists, describes and deletes topics', async () => {
    const admin = await suite.admin();
    const name = uniqueName('orders');
    assert.equal(await admin.createTopics({ topics: [{ topic: name, numPartitions: 3 }] }), true);
    assert.ok((await admin.listTopics()).includes(name));
    const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
    assert.equal(topics[0].name, name);
    assert.deepEqual(topics[0].partitions.map((p) => [p.partitionId, p.leader, p.replicas, p.isr]).sort(), [
      [0, 1, [1], [1]],
      [1, 1, [1], [1]],
      [2, 1, [1], [1]],
    ]);
    await admin.deleteTopics({ topics: [name] });
    assert.equal((await admin.listTopics()).includes(name), false);
  });

  it('takes num.partitions when no count is given, and answers false for a topic that exists', async () => {
    const admin = await suite.admin();
    const name = uniqueName('defaults');
    assert.equal(await admin.createTopics({ topics: [{ topic: name }] }), true);
    const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
    assert.equal(topics[0].partitions.length, 1);
    // KafkaJS turns TOPIC_ALREADY_EXISTS into `false`.
    assert.equal(await admin.createTopics({ topics: [{ topic: name }] }), false);
  });

  it("refuses bad names, counts, replication factors and configs with Kafka's error codes", async () => {
    // KafkaJS shows its own text per code; the broker's texts are checked on the wire (broker-admin-wire).
    const admin = await suite.admin();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ topic: 'bad name' }, 'INVALID_TOPIC_EXCEPTION'],
      [{ topic: 'x'.repeat(250) }, 'INVALID_TOPIC_EXCEPTION'],
      [{ topic: uniqueName('rf'), replicationFactor: 3 }, 'INVALID_REPLICATION_FACTOR'],
      [{ topic: uniqueName('zero'), numPartitions: 0 }, 'INVALID_PARTITIONS'],
      [
        { topic: uniqueName('cfg'), configEntries: [{ name: 'retention.ms', value: 'soon' }] },
        'INVALID_CONFIG',
      ],
      [
        { topic: uniqueName('compact'), configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        'INVALID_CONFIG',
      ],
    ];
    for (const [topic, type] of cases) {
      const err = firstCause(await errorOf(() => admin.createTopics({ topics: [topic as any] })));
      assert.equal(err.type, type, JSON.stringify(topic).slice(0, 80));
    }
  });

  it("refuses a name that collides with another's in Kafka's metric names ('.' against '_')", async () => {
    const admin = await suite.admin();
    const base = uniqueName('metric');
    await admin.createTopics({ topics: [{ topic: `${base}.a` }] });
    const err = firstCause(await errorOf(() => admin.createTopics({ topics: [{ topic: `${base}_a` }] })));
    assert.equal(err.type, 'INVALID_TOPIC_EXCEPTION');
  });

  it('adds partitions, and refuses a count that is no increase', async () => {
    const admin = await suite.admin();
    const name = uniqueName('grow');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 2 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: name, count: 5 }] });
    const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
    assert.equal(topics[0].partitions.length, 5);
    const same = firstCause(
      await errorOf(() => admin.createPartitions({ topicPartitions: [{ topic: name, count: 5 }] })),
    );
    assert.equal(same.type, 'INVALID_PARTITIONS');
    const fewer = firstCause(
      await errorOf(() => admin.createPartitions({ topicPartitions: [{ topic: name, count: 3 }] })),
    );
    assert.equal(fewer.type, 'INVALID_PARTITIONS');
    const missing = firstCause(
      await errorOf(() =>
        admin.createPartitions({ topicPartitions: [{ topic: uniqueName('none'), count: 3 }] }),
      ),
    );
    assert.equal(missing.type, 'UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('describes topic configs with their sources, and alters them', async () => {
    const admin = await suite.admin();
    const name = uniqueName('cfg');
    await admin.createTopics({
      topics: [{ topic: name, configEntries: [{ name: 'retention.ms', value: '60000' }] }],
    });
    const describe = async () => {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: true,
        resources: [{ type: ConfigResourceTypes.TOPIC, name }],
      });
      assert.equal(resources[0].errorCode, 0);
      return new Map(resources[0].configEntries.map((e: any) => [e.configName, e]));
    };
    let configs = await describe();
    assert.equal(configs.get('retention.ms')?.configValue, '60000');
    assert.equal(configs.get('retention.ms')?.configSource, 1);
    assert.equal(configs.get('retention.bytes')?.configValue, '-1');
    assert.equal(configs.get('retention.bytes')?.configSource, 5);
    assert.equal(configs.get('cleanup.policy')?.configValue, 'delete');
    assert.equal(configs.get('max.message.bytes')?.configValue, '1048588');
    assert.equal(configs.get('message.timestamp.type')?.configValue, 'CreateTime');
    const synonyms = configs
      .get('retention.ms')
      ?.configSynonyms.map((s: any) => [s.configName, s.configValue, s.configSource]);
    assert.deepEqual(synonyms, [
      ['retention.ms', '60000', 1],
      ['log.retention.hours', '168', 4],
      ['log.retention.hours', '168', 5],
    ]);

    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name,
          configEntries: [{ name: 'max.message.bytes', value: '2048' }],
        },
      ],
    });
    configs = await describe();
    assert.equal(configs.get('max.message.bytes')?.configValue, '2048');
    // AlterConfigs replaces the topic's whole set: retention.ms is back to the cluster's.
    assert.equal(configs.get('retention.ms')?.configValue, '604800000');
    assert.equal(configs.get('retention.ms')?.configSource, 4);

    const refused = await errorOf(() =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
      }),
    );
    assert.equal(refused.type, 'INVALID_CONFIG');
  });

  it('describes the broker: server.properties values as static, the rest as defaults', async () => {
    const admin = await suite.admin();
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: '1' }],
    });
    const configs = new Map(resources[0].configEntries.map((e: any) => [e.configName, e]));
    assert.equal(configs.get('auto.create.topics.enable')?.configValue, 'true');
    assert.equal(configs.get('auto.create.topics.enable')?.configSource, 5);
    assert.equal(configs.get('num.partitions')?.configSource, 4);
    assert.equal(configs.get('group.initial.rebalance.delay.ms')?.configValue, '0');
    assert.equal(configs.get('message.max.bytes')?.configValue, '1048588');
    assert.equal(configs.get('default.replication.factor')?.configValue, '1');
  });

  it('describing an unknown topic answers UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const admin = await suite.admin();
    const err = await errorOf(() =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: uniqueName('none') }],
      }),
    );
    assert.equal(err.type, 'UNKNOWN_TOPIC_OR_PARTITION');
  });
});

// The broker through librdkafka (kcat -L) and kafka-python's KafkaAdminClient (Debian's
// /usr/bin/python3), as they run against an Apache Kafka broker.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { uniqueName } from '../support/tideway.js';
import { withKafkaServer } from './broker-support.js';

const run = promisify(execFile);
const suite = withKafkaServer();

async function python(script: string, ...args: string[]): Promise<any> {
  const { stdout } = await run('/usr/bin/python3', ['-c', script, ...args], { timeout: 30_000 });
  return JSON.parse(stdout);
}

describe('Kafka broker through kcat and kafka-python', () => {
  it('kcat -L -J lists the broker and topics with their partitions', async () => {
    const admin = await suite.admin();
    const name = uniqueName('kcat');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 3 }] });
    const { stdout } = await run('kcat', ['-b', suite.bootstrap, '-L', '-J', '-m', '5'], { timeout: 20_000 });
    const listing = JSON.parse(stdout);
    const [host, port] = suite.bootstrap.split(':');
    assert.deepEqual(listing.brokers, [{ id: 1, name: `${host}:${port}` }]);
    assert.equal(listing.controllerid, 1);
    const topic = listing.topics.find((t: any) => t.topic === name);
    assert.ok(topic, stdout);
    assert.deepEqual(
      topic.partitions.map((p: any) => [p.partition, p.leader, p.replicas, p.isrs]),
      [0, 1, 2].map((p) => [p, 1, [{ id: 1 }], [{ id: 1 }]]),
    );
  });

  it('kafka-python KafkaAdminClient creates, describes, alters and deletes topics', async () => {
    const name = uniqueName('kpy');
    const script = `
import json, sys
from kafka.admin import KafkaAdminClient, NewTopic, NewPartitions, ConfigResource, ConfigResourceType
from kafka.errors import TopicAlreadyExistsError, InvalidReplicationFactorError
bootstrap, name = sys.argv[1], sys.argv[2]
admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id='kpy')
out = {}
admin.create_topics([NewTopic(name, 2, 1, topic_configs={'retention.ms': '120000'})])
out['listed'] = name in admin.list_topics()
try:
    admin.create_topics([NewTopic(name, 2, 1)])
except TopicAlreadyExistsError:
    out['exists'] = True
try:
    admin.create_topics([NewTopic(name + '-rf', 1, 3)])
except InvalidReplicationFactorError as e:
    out['rf'] = type(e).__name__
admin.create_partitions({name: NewPartitions(4)})
described = admin.describe_topics([name])
out['partitions'] = len(described[0]['partitions'])
configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
entries = {c[0]: c[1] for c in configs[0].resources[0][4]}
out['retention'] = entries['retention.ms']
admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, name, configs={'retention.bytes': '4096'})])
configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
entries = {c[0]: c[1] for c in configs[0].resources[0][4]}
out['bytes'] = entries['retention.bytes']
admin.delete_topics([name])
out['deleted'] = name not in admin.list_topics()
admin.close()
print(json.dumps(out))
`;
    const out = await python(script, suite.bootstrap, name);
    assert.deepEqual(out, {
      listed: true,
      exists: true,
      rf: 'InvalidReplicationFactorError',
      partitions: 4,
      retention: '120000',
      bytes: '4096',
      deleted: true,
    });
  });

  it("confluent_kafka's AdminClient (librdkafka) creates and lists topics", async () => {
    const name = uniqueName('ck');
    const script = `
import json, sys
from confluent_kafka.admin import AdminClient, NewTopic
bootstrap, name = sys.argv[1], sys.argv[2]
admin = AdminClient({'bootstrap.servers': bootstrap})
futures = admin.create_topics([NewTopic(name, 2, 1), NewTopic(name + '-bad', 1, 5)], operation_timeout=5)
out = {}
futures[name].result()
try:
    futures[name + '-bad'].result()
except Exception as e:
    out['bad'] = e.args[0].name()
md = admin.list_topics(timeout=10)
out['partitions'] = len(md.topics[name].partitions)
print(json.dumps(out))
`;
    const out = await python(script, suite.bootstrap, name);
    assert.deepEqual(out, { bad: 'INVALID_REPLICATION_FACTOR', partitions: 2 });
  });
});

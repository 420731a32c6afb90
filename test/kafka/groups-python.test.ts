// Consumer groups from Python: confluent_kafka (librdkafka) consumers sharing a topic and
// committing, and kafka-python (its own protocol code) resuming from those commits.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { uniqueName } from '../support/tideway.js';
import { withGroupServer } from './groups-support.js';

const run = promisify(execFile);
const suite = withGroupServer();

/** Debian's interpreter, where python3-confluent-kafka and python3-kafka live. */
async function python(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/python3', ['-c', script, ...args], { timeout: 60000 });
  return stdout;
}

// Two confluent_kafka consumers in one group: once they share the partitions, the messages are
// produced; they poll until every one is read, then commit.
const CONFLUENT = `
import sys, json, time
from confluent_kafka import Consumer, Producer
bootstrap, group, topic, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def consumer():
    c = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'auto.offset.reset': 'earliest',
                  'enable.auto.commit': False, 'partition.assignment.strategy': 'range'})
    c.subscribe([topic])
    return c
a, b = consumer(), consumer()
consumers = (('a', a), ('b', b))
seen = {'a': [], 'b': []}
assigned = {'a': [], 'b': []}
deadline = time.time() + 40
while time.time() < deadline:
    for name, c in consumers:
        c.poll(0.05)
        assigned[name] = sorted(p.partition for p in c.assignment())
    if assigned['a'] and assigned['b'] and len(assigned['a']) + len(assigned['b']) == 4:
        break
p = Producer({'bootstrap.servers': bootstrap})
for i in range(total):
    p.produce(topic, value=('m-%d' % i).encode(), partition=i % 4)
p.flush(10)
while len(seen['a']) + len(seen['b']) < total and time.time() < deadline:
    for name, c in consumers:
        m = c.poll(0.05)
        if m is not None and m.error() is None:
            seen[name].append(m.value().decode())
for _, c in consumers:
    c.commit(asynchronous=False)
    c.close()
print(json.dumps({'seen': seen, 'assigned': assigned}))
`;

// kafka-python in the same group: what it reads after the commits above.
const KAFKA_PYTHON = `
import sys, json
from kafka import KafkaConsumer
bootstrap, group, topic = sys.argv[1], sys.argv[2], sys.argv[3]
c = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                  consumer_timeout_ms=4000)
values = [m.value.decode() for m in c]
c.commit()
c.close()
print(json.dumps(values))
`;

describe('Kafka consumer groups (Python clients)', () => {
  it('shares a topic between confluent_kafka consumers, and kafka-python resumes after their commits', async () => {
    const topic = uniqueName('py-groups');
    const group = uniqueName('py');
    const admin = suite.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    const result = JSON.parse(await python(CONFLUENT, suite.bootstrap, group, topic, '20'));
    const first = Array.from({ length: 20 }, (_, i) => `m-${i}`);
    assert.deepEqual([...result.seen.a, ...result.seen.b].sort(), [...first].sort());
    assert.deepEqual([...result.assigned.a, ...result.assigned.b].sort(), [0, 1, 2, 3]);
    assert.ok(result.seen.a.length > 0 && result.seen.b.length > 0);

    const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    assert.deepEqual(
      committed[0].partitions.map((p) => p.offset),
      ['5', '5', '5', '5'],
    );

    const more = Array.from({ length: 8 }, (_, i) => `more-${i}`);
    const producer = suite.kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: more.map((value, i) => ({ value, partition: i % 4 })) });
    const resumed = JSON.parse(await python(KAFKA_PYTHON, suite.bootstrap, group, topic));
    assert.deepEqual([...resumed].sort(), [...more].sort());
    await producer.disconnect();
    await admin.disconnect();
  });
});

// Topic administration through KafkaJS's admin client, as Apache Kafka's controller answers it
// (ReplicationControlManager's checks and texts; Errors.java's codes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniqueName } from '../support/tideway.js';
import { withKafkaServer } from './broker-support.js';

const suite = withKafkaServer();

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
});

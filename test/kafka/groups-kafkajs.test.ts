// Consumer groups through KafkaJS (round-robin, its built-in assignor): a group of two sharing a
// four-partition topic, one leaving, committed offsets picked up by the next consumer, and a
// silent member expelled when the clock passes its session timeout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Consumer, EachMessagePayload } from 'kafkajs';
import { advance, uniqueName } from '../support/tideway.js';
import { eventually, flatten, RawMember, subscription, withGroupServer } from './groups-support.js';

const suite = withGroupServer();

interface Tracked {
  consumer: Consumer;
  assignment: string[];
  generation: number;
  received: string[];
}

async function track(
  groupId: string,
  topic: string,
  options: { sessionTimeout?: number } = {},
): Promise<Tracked> {
  const consumer = suite.kafka.consumer({
    groupId,
    sessionTimeout: options.sessionTimeout ?? 30000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
  });
  const tracked: Tracked = { consumer, assignment: [], generation: 0, received: [] };
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    tracked.assignment = flatten(event.payload.memberAssignment as Record<string, number[]>);
    tracked.generation += 1;
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }: EachMessagePayload) => {
      tracked.received.push(message.value?.toString() ?? '');
    },
  });
  return tracked;
}

async function topicWith(partitions: number): Promise<string> {
  const admin = suite.kafka.admin();
  await admin.connect();
  const topic = uniqueName('groups');
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  return topic;
}

async function produce(topic: string, values: string[]): Promise<void> {
  const producer = suite.kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: values.map((value, i) => ({ value, partition: i % 4 })),
  });
  await producer.disconnect();
}

const ALL = (topic: string) => [0, 1, 2, 3].map((p) => `${topic}:${p}`);

describe('Kafka consumer groups (KafkaJS)', () => {
  it('shares a topic between two members, and gives all of it to the one left', async () => {
    const topic = await topicWith(4);
    const groupId = uniqueName('g');
    const a = await track(groupId, topic);
    await eventually(() => a.assignment.length === 4, 20000, 'the first member to own every partition');
    const b = await track(groupId, topic);
    await eventually(
      () => a.assignment.length === 2 && b.assignment.length === 2,
      20000,
      'the partitions to be shared',
    );
    assert.deepEqual([...a.assignment, ...b.assignment].sort(), ALL(topic));

    const values = Array.from({ length: 40 }, (_, i) => `m${i}`);
    await produce(topic, values);
    await eventually(() => a.received.length + b.received.length === 40, 20000, 'every message');
    assert.ok(a.received.length > 0 && b.received.length > 0);
    assert.deepEqual([...a.received, ...b.received].sort(), [...values].sort());

    await b.consumer.disconnect(); // LeaveGroup
    await eventually(() => a.assignment.length === 4, 20000, 'the remaining member to take every partition');
    assert.deepEqual(a.assignment, ALL(topic));

    const admin = suite.kafka.admin();
    await admin.connect();
    const described = await admin.describeGroups([groupId]);
    assert.equal(described.groups[0].state, 'Stable');
    assert.equal(described.groups[0].protocol, 'RoundRobinAssigner');
    assert.equal(described.groups[0].members.length, 1);
    await a.consumer.disconnect();
    const listed = await admin.listGroups();
    assert.deepEqual(
      listed.groups.filter((g) => g.groupId === groupId),
      [{ groupId, protocolType: 'consumer' }],
    );
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    assert.deepEqual(offsets[0].partitions.map((p) => [p.partition, p.offset]).sort(), [
      [0, '10'],
      [1, '10'],
      [2, '10'],
      [3, '10'],
    ]);
    await admin.deleteGroups([groupId]);
    assert.equal(
      (await admin.listGroups()).groups.some((g) => g.groupId === groupId),
      false,
    );
    await admin.disconnect();
  });

  it('resumes from the committed offsets with a new consumer of the group', async () => {
    const topic = await topicWith(4);
    const groupId = uniqueName('g');
    await produce(topic, ['a0', 'a1', 'a2', 'a3']);
    const first = await track(groupId, topic);
    await eventually(() => first.received.length === 4, 20000, 'the first batch');
    await first.consumer.disconnect(); // commits what it consumed
    await produce(topic, ['b0', 'b1', 'b2', 'b3']);
    const second = await track(groupId, topic);
    await eventually(() => second.received.length === 4, 20000, 'the second batch');
    assert.deepEqual([...second.received].sort(), ['b0', 'b1', 'b2', 'b3']);
    await second.consumer.disconnect();
  });

  it('expels a member that stops heartbeating once the clock passes its session timeout', async () => {
    const topic = await topicWith(4);
    const groupId = uniqueName('g');
    const live = await track(groupId, topic, { sessionTimeout: 120000 });
    await eventually(() => live.assignment.length === 4, 20000, 'the first member to own every partition');
    // A member KafkaJS cannot silence: a raw connection that joins, syncs, then never heartbeats.
    const silent = await RawMember.connect(suite.bootstrap);
    const join = (memberId: string) =>
      silent.request(11, 5, {
        groupId,
        sessionTimeoutMs: 10000,
        rebalanceTimeoutMs: 30000,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'RoundRobinAssigner', metadata: subscription([topic]) }],
      });
    const first = await join('');
    assert.equal(first.errorCode, 79); // MEMBER_ID_REQUIRED
    const joined = await join(first.memberId);
    assert.equal(joined.errorCode, 0);
    const synced = await silent.request(14, 3, {
      groupId,
      generationId: joined.generationId,
      memberId: joined.memberId,
      assignments: [],
    });
    assert.equal(synced.errorCode, 0);
    await eventually(() => live.assignment.length === 2, 20000, 'the partitions to be shared');
    const generation = live.generation;
    await advance(suite.server, 11);
    await eventually(
      () => live.generation > generation && live.assignment.length === 4,
      20000,
      'the expulsion',
    );
    assert.deepEqual(live.assignment, ALL(topic));
    const heartbeat = await silent.request(12, 3, {
      groupId,
      generationId: joined.generationId,
      memberId: joined.memberId,
    });
    assert.equal(heartbeat.errorCode, 25); // UNKNOWN_MEMBER_ID
    silent.end();
    await live.consumer.disconnect();
  });
});

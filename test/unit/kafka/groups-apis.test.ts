import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { Scheduler } from '../../../src/core/scheduler.js';
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  readRequestHeader,
} from '../../../src/protocols/kafka/codec.js';
import type { KafkaRequestContext } from '../../../src/services/kafka/broker/types.js';
import { groupApis } from '../../../src/services/kafka/groups/apis.js';
import { GroupCoordinator } from '../../../src/services/kafka/groups/coordinator.js';
import { GroupError } from '../../../src/services/kafka/groups/errors.js';
import type { CommittedOffset, KafkaLogStorage, KafkaTopicRecord } from '../../../src/storage/types.js';

// Every group API at every version it advertises, through the codec both ways: requests as a
// client encodes them, answers as the client decodes them.

function offsetStore(): KafkaLogStorage {
  const offsets = new Map<string, CommittedOffset[]>();
  const store: Partial<KafkaLogStorage> = {
    getTopic: (_c, name) => (name === 't' ? ({ name, partitions: 2 } as KafkaTopicRecord) : undefined),
    commitOffsets: async (_c, group, committed) => {
      const kept = (offsets.get(group) ?? []).filter(
        (c) => !committed.some((n) => n.topic === c.topic && n.partition === c.partition),
      );
      offsets.set(group, [...kept, ...committed]);
    },
    committedOffsets: (_c, group) => offsets.get(group) ?? [],
    deleteOffsets: async (_c, group) => {
      offsets.delete(group);
    },
    groupsWithOffsets: () => [...offsets.keys()],
  };
  return store as KafkaLogStorage;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('group APIs over the codec', () => {
  let clock: Clock;
  let scheduler: Scheduler;
  let coordinator: GroupCoordinator;
  let ctx: (apiKey: number, apiVersion: number) => KafkaRequestContext;

  beforeEach(() => {
    clock = new Clock();
    clock.freeze();
    scheduler = new Scheduler(clock);
    coordinator = new GroupCoordinator({
      cluster: 'default',
      storage: offsetStore(),
      clock,
      scheduler,
      log: createLogger('silent'),
      config: () => undefined,
    });
    ctx = (apiKey, apiVersion) =>
      ({
        apiKey,
        apiVersion,
        correlationId: 7,
        clientId: 'tester',
        connection: {
          listener: { kind: 'PLAINTEXT', host: '127.0.0.1', port: 19092 },
          remote: '127.0.0.1:50000',
        },
        cluster: { groups: coordinator },
      }) as unknown as KafkaRequestContext;
  });

  afterEach(() => {
    coordinator.close();
    scheduler.stop();
  });

  async function call(
    apiKey: number,
    version: number,
    body: Record<string, unknown>,
  ): Promise<Record<string, any>> {
    const frame = Buffer.concat(encodeRequest(apiKey, version, 7, 'tester', body)).subarray(4);
    const { header, bodyOffset } = readRequestHeader(frame);
    const request = decodeRequest(apiKey, version, frame, bodyOffset);
    const api = groupApis.find((a) => a.apiKey === apiKey);
    assert.ok(api);
    const answer = await api.handle(ctx(apiKey, header.apiVersion), request);
    assert.ok(answer);
    const out = Buffer.concat(encodeResponse(apiKey, version, 7, answer)).subarray(4);
    const decoded = decodeResponse(apiKey, version, out);
    assert.equal(decoded.correlationId, 7);
    return decoded.body;
  }

  it('FindCoordinator names node 1 at the listener, singly and batched', async () => {
    for (let v = 0; v <= 3; v++) {
      const body = await call(10, v, { key: 'g', keyType: 0 });
      assert.deepEqual([body.errorCode, body.nodeId, body.host, body.port], [0, 1, '127.0.0.1', 19092]);
    }
    const txn = await call(10, 3, { key: 'tx', keyType: 1 });
    assert.equal(txn.errorCode, GroupError.COORDINATOR_NOT_AVAILABLE);
    assert.equal(txn.errorMessage, 'The coordinator is not available.');
    const batched = await call(10, 4, { keyType: 0, coordinatorKeys: ['a', 'b'] });
    assert.deepEqual(
      batched.coordinators.map((c: Record<string, unknown>) => [c.key, c.nodeId, c.port, c.errorCode]),
      [
        ['a', 1, 19092, 0],
        ['b', 1, 19092, 0],
      ],
    );
    const unknownType = await call(10, 4, { keyType: 5, coordinatorKeys: ['a'] });
    assert.equal(unknownType.coordinators[0].errorCode, GroupError.INVALID_REQUEST);
  });

  for (let v = 0; v <= 9; v++) {
    it(`JoinGroup v${v} through SyncGroup, Heartbeat, commits, describe and leave`, async () => {
      const groupId = `g${v}`;
      const joinBody = (memberId: string) => ({
        groupId,
        sessionTimeoutMs: 10000,
        rebalanceTimeoutMs: 30000,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.from('sub') }],
      });
      let memberId = '';
      if (v >= 4) {
        const first = await call(11, v, joinBody(''));
        assert.equal(first.errorCode, GroupError.MEMBER_ID_REQUIRED);
        memberId = first.memberId;
      }
      const pending = call(11, v, joinBody(memberId));
      await tick();
      clock.advance(3000);
      const joined = await pending;
      assert.equal(joined.errorCode, 0);
      assert.equal(joined.generationId, 1);
      assert.equal(joined.protocolName, 'range');
      assert.equal(joined.leader, joined.memberId);
      assert.match(joined.memberId, /^tester-/);
      assert.equal(joined.members[0].metadata.toString(), 'sub');
      memberId = joined.memberId;

      const sv = Math.min(v, 5);
      const synced = await call(14, sv, {
        groupId,
        generationId: 1,
        memberId,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: [{ memberId, assignment: Buffer.from('asg') }],
      });
      assert.equal(synced.errorCode, 0);
      assert.equal(synced.assignment.toString(), 'asg');

      const hv = Math.min(v, 4);
      assert.equal((await call(12, hv, { groupId, generationId: 1, memberId })).errorCode, 0);
      assert.equal(
        (await call(12, hv, { groupId, generationId: 2, memberId })).errorCode,
        GroupError.ILLEGAL_GENERATION,
      );

      const cv = Math.min(Math.max(v, 2), 8);
      const committed = await call(8, cv, {
        groupId,
        generationIdOrMemberEpoch: 1,
        memberId,
        topics: [
          { name: 't', partitions: [{ partitionIndex: 1, committedOffset: 42n, committedMetadata: 'm' }] },
        ],
      });
      assert.equal(committed.topics[0].partitions[0].errorCode, 0);

      const fv = Math.min(Math.max(v, 1), 8);
      const fetched =
        fv >= 8
          ? (await call(9, fv, { groups: [{ groupId, topics: null }] })).groups[0].topics
          : (await call(9, fv, { groupId, topics: [{ name: 't', partitionIndexes: [0, 1] }] })).topics;
      const byPartition = Object.fromEntries(
        fetched[0].partitions.map((p: Record<string, unknown>) => [p.partitionIndex, p.committedOffset]),
      );
      assert.equal(byPartition[1], 42n);
      if (fv < 8) assert.equal(byPartition[0], -1n);

      const dv = Math.min(v, 5);
      const described = (await call(15, dv, { groups: [groupId], includeAuthorizedOperations: true }))
        .groups[0];
      assert.deepEqual(
        [described.groupState, described.protocolType, described.protocolData, described.members.length],
        ['Stable', 'consumer', 'range', 1],
      );
      assert.equal(described.members[0].clientHost, '/127.0.0.1');
      assert.equal(described.members[0].clientId, 'tester');

      const lv = Math.min(v, 4);
      const listed = await call(16, lv, { statesFilter: [] });
      assert.deepEqual(
        listed.groups.map((g: Record<string, unknown>) => g.groupId),
        [groupId],
      );
      const deleteRefused = await call(42, Math.min(v, 2), { groupsNames: [groupId] });
      assert.equal(deleteRefused.results[0].errorCode, GroupError.NON_EMPTY_GROUP);

      const leaveV = Math.min(v, 5);
      const left =
        leaveV >= 3
          ? await call(13, leaveV, { groupId, members: [{ memberId, groupInstanceId: null }] })
          : await call(13, leaveV, { groupId, memberId });
      assert.equal(left.errorCode, 0);
      if (leaveV >= 3) assert.equal(left.members[0].errorCode, 0);
      const leftAgain = await call(13, Math.min(leaveV, 2), { groupId, memberId });
      assert.equal(leftAgain.errorCode, GroupError.UNKNOWN_MEMBER_ID);

      const deleted = await call(42, Math.min(v, 2), { groupsNames: [groupId, 'nope'] });
      assert.deepEqual(
        deleted.results.map((r: Record<string, unknown>) => r.errorCode),
        [0, GroupError.GROUP_ID_NOT_FOUND],
      );
    });
  }

  it('OffsetDelete drops offsets of an Empty group', async () => {
    await call(8, 8, {
      groupId: 'simple',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 3n }] }],
    });
    const body = await call(47, 0, {
      groupId: 'simple',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0 }] }],
    });
    assert.equal(body.errorCode, 0);
    assert.equal(body.topics[0].partitions[0].errorCode, 0);
    const none = await call(47, 0, { groupId: 'nope', topics: [] });
    assert.equal(none.errorCode, GroupError.GROUP_ID_NOT_FOUND);
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Clock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { Scheduler } from '../../../src/core/scheduler.js';
import { GroupCoordinator, type JoinRequest } from '../../../src/services/kafka/groups/coordinator.js';
import { GroupError } from '../../../src/services/kafka/groups/errors.js';
import type { CommittedOffset, KafkaLogStorage, KafkaTopicRecord } from '../../../src/storage/types.js';

// The classic group protocol on a frozen clock: joins, the initial delay, rebalances, session
// expiry and offsets, as a Kafka broker's coordinator answers them.

/** Just the offsets and topics the coordinator reads. */
function offsetStore(topics: Record<string, number>): KafkaLogStorage {
  const offsets = new Map<string, CommittedOffset[]>();
  const store: Partial<KafkaLogStorage> = {
    getTopic: (_cluster, name) =>
      name in topics ? ({ name, partitions: topics[name] } as KafkaTopicRecord) : undefined,
    commitOffsets: async (_cluster, group, committed) => {
      const kept = (offsets.get(group) ?? []).filter(
        (c) => !committed.some((n) => n.topic === c.topic && n.partition === c.partition),
      );
      offsets.set(group, [...kept, ...committed]);
    },
    committedOffsets: (_cluster, group) => offsets.get(group) ?? [],
    deleteOffsets: async (_cluster, group, only) => {
      const kept = only ? (offsets.get(group) ?? []).filter((c) => !only.includes(c.topic)) : [];
      if (kept.length > 0) offsets.set(group, kept);
      else offsets.delete(group);
    },
    groupsWithOffsets: () => [...offsets.keys()],
  };
  return store as KafkaLogStorage;
}

const meta = (text: string) => Buffer.from(text);

function join(overrides: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId: 'g',
    sessionTimeoutMs: 10000,
    rebalanceTimeoutMs: 60000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: meta('m') }],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: true,
    supportsSkipAssignment: true,
    ...overrides,
  };
}

/** Settles pending promise callbacks. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCoordinator', () => {
  let clock: Clock;
  let scheduler: Scheduler;
  let coordinator: GroupCoordinator;
  const config = new Map<string, string>();

  beforeEach(() => {
    clock = new Clock();
    clock.freeze();
    scheduler = new Scheduler(clock);
    config.clear();
    coordinator = new GroupCoordinator({
      cluster: 'default',
      storage: offsetStore({ t: 4, u: 1 }),
      clock,
      scheduler,
      log: createLogger('silent'),
      config: (name) => config.get(name),
    });
  });

  afterEach(() => {
    coordinator.close();
    scheduler.stop();
  });

  /** Moves the clock on in initial-delay steps until every promise settles (KIP-134 extends the delay per newcomer). */
  async function settle<T>(promises: Promise<T>[]): Promise<T[]> {
    let done = false;
    const all = Promise.all(promises).finally(() => {
      done = true;
    });
    for (let i = 0; i < 30 && !done; i++) {
      await tick();
      if (!done) clock.advance(3000);
    }
    return all;
  }

  /** A member through KIP-394's two joins; resolves when the join phase completes. */
  async function member(overrides: Partial<JoinRequest> = {}) {
    const first = await coordinator.joinGroup(join(overrides));
    assert.equal(first.errorCode, GroupError.MEMBER_ID_REQUIRED);
    assert.match(first.memberId, /^client-[0-9a-f-]{36}$/);
    return coordinator.joinGroup(join({ ...overrides, memberId: first.memberId }));
  }

  it('answers MEMBER_ID_REQUIRED first, then forms the group after the initial delay', async () => {
    let settled = false;
    const joined = member().then((r) => {
      settled = true;
      return r;
    });
    await tick();
    assert.equal(settled, false);
    assert.equal(coordinator.group('g')?.state, 'PreparingRebalance');
    clock.advance(2999);
    await tick();
    assert.equal(settled, false);
    clock.advance(1);
    const result = await joined;
    assert.equal(result.errorCode, GroupError.NONE);
    assert.equal(result.generationId, 1);
    assert.equal(result.protocolName, 'range');
    assert.equal(result.protocolType, 'consumer');
    assert.equal(result.leader, result.memberId);
    assert.deepEqual(
      result.members.map((m) => m.memberId),
      [result.memberId],
    );
    assert.equal(coordinator.group('g')?.state, 'CompletingRebalance');

    const sync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: result.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: result.memberId, assignment: meta('all') }],
    });
    assert.equal(sync.errorCode, GroupError.NONE);
    assert.equal(sync.assignment.toString(), 'all');
    assert.equal(coordinator.group('g')?.state, 'Stable');
  });

  it('extends the initial delay for each newcomer, up to the rebalance timeout (KIP-134)', async () => {
    let done = 0;
    const first = member({ rebalanceTimeoutMs: 7000 }).then((r) => {
      done++;
      return r;
    });
    await tick();
    clock.advance(2000);
    const second = member({ rebalanceTimeoutMs: 7000 }).then((r) => {
      done++;
      return r;
    });
    await tick();
    clock.advance(1000); // the first delay ends with a newcomer: another 3 s
    await tick();
    assert.equal(done, 0);
    clock.advance(2999);
    await tick();
    assert.equal(done, 0);
    clock.advance(1);
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.generationId, 1);
    assert.equal(b.generationId, 1);
    assert.equal(a.leader, a.memberId);
    assert.equal(a.members.length, 2);
  });

  it('answers a JoinGroup replaced by a newer one from the same member', async () => {
    const [a, b] = await stableGroup(2);
    const stale = coordinator.joinGroup(join({ memberId: a.memberId }));
    const fresh = coordinator.joinGroup(join({ memberId: a.memberId }));
    assert.equal((await stale).errorCode, GroupError.REBALANCE_IN_PROGRESS);
    const other = await coordinator.joinGroup(join({ memberId: b.memberId }));
    assert.equal((await fresh).generationId, 2);
    assert.equal(other.generationId, 2);
  });

  it('rejects session timeouts outside the broker bounds and empty group ids', async () => {
    assert.equal(
      (await coordinator.joinGroup(join({ sessionTimeoutMs: 5999 }))).errorCode,
      GroupError.INVALID_SESSION_TIMEOUT,
    );
    assert.equal(
      (await coordinator.joinGroup(join({ sessionTimeoutMs: 1800001 }))).errorCode,
      GroupError.INVALID_SESSION_TIMEOUT,
    );
    config.set('group.min.session.timeout.ms', '1000');
    assert.equal(
      (await coordinator.joinGroup(join({ sessionTimeoutMs: 1000 }))).errorCode,
      GroupError.MEMBER_ID_REQUIRED,
    );
    assert.equal((await coordinator.joinGroup(join({ groupId: '' }))).errorCode, GroupError.INVALID_GROUP_ID);
    assert.equal(
      (await coordinator.joinGroup(join({ groupId: 'other', memberId: 'nobody' }))).errorCode,
      GroupError.UNKNOWN_MEMBER_ID,
    );
  });

  it('picks the protocol most members prefer among those all support', async () => {
    const a = member({
      protocols: [
        { name: 'roundrobin', metadata: meta('a-rr') },
        { name: 'range', metadata: meta('a-range') },
      ],
    });
    const b = member({
      protocols: [
        { name: 'range', metadata: meta('b-range') },
        { name: 'sticky', metadata: meta('b-sticky') },
      ],
    });
    const c = member({
      protocols: [
        { name: 'range', metadata: meta('c-range') },
        { name: 'roundrobin', metadata: meta('c-rr') },
      ],
    });
    await tick();
    await tick();
    const inconsistent = await coordinator.joinGroup(
      join({ protocols: [{ name: 'sticky', metadata: meta('') }] }),
    );
    assert.equal(inconsistent.errorCode, GroupError.INCONSISTENT_GROUP_PROTOCOL);
    const otherType = await coordinator.joinGroup(join({ protocolType: 'connect' }));
    assert.equal(otherType.errorCode, GroupError.INCONSISTENT_GROUP_PROTOCOL);
    const results = await settle([a, b, c]);
    assert.deepEqual(
      results.map((r) => r.protocolName),
      ['range', 'range', 'range'],
    );
    const leader = results.find((r) => r.members.length > 0);
    assert.ok(leader);
    assert.deepEqual(leader.members.map((m) => m.metadata.toString()).sort(), [
      'a-range',
      'b-range',
      'c-range',
    ]);
    assert.equal(results.filter((r) => r.members.length > 0).length, 1);
  });

  /** A stable group of n members, each through join and sync. */
  async function stableGroup(n: number) {
    const results = await settle(Array.from({ length: n }, () => member()));
    const leader = results.find((r) => r.leader === r.memberId);
    assert.ok(leader);
    const syncs = results.map((r) =>
      coordinator.syncGroup({
        groupId: 'g',
        generationId: r.generationId,
        memberId: r.memberId,
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments:
          r === leader
            ? results.map((x) => ({ memberId: x.memberId, assignment: meta(`for ${x.memberId}`) }))
            : [],
      }),
    );
    const assigned = await Promise.all(syncs);
    assigned.forEach((s, i) => {
      assert.equal(s.errorCode, GroupError.NONE);
      assert.equal(s.assignment.toString(), `for ${results[i].memberId}`);
    });
    return results;
  }

  it('rebalances when a member leaves, and the others rejoin into the next generation', async () => {
    const [a, b] = await stableGroup(2);
    const ref = (r: typeof a) => ({
      groupId: 'g',
      generationId: r.generationId,
      memberId: r.memberId,
      groupInstanceId: null,
    });
    assert.equal(coordinator.heartbeat(ref(a)), GroupError.NONE);
    const left = coordinator.leaveGroup('g', [{ memberId: b.memberId, groupInstanceId: null }]);
    assert.deepEqual(left, {
      errorCode: 0,
      members: [{ memberId: b.memberId, groupInstanceId: null, errorCode: 0 }],
    });
    assert.equal(coordinator.group('g')?.state, 'PreparingRebalance');
    assert.equal(coordinator.heartbeat(ref(a)), GroupError.REBALANCE_IN_PROGRESS);
    assert.equal(coordinator.heartbeat(ref(b)), GroupError.UNKNOWN_MEMBER_ID);
    // No initial delay this time: the rebalance completes as soon as every member has rejoined.
    const rejoined = await coordinator.joinGroup(join({ memberId: a.memberId }));
    assert.equal(rejoined.errorCode, GroupError.NONE);
    assert.equal(rejoined.generationId, 2);
    assert.deepEqual(
      rejoined.members.map((m) => m.memberId),
      [a.memberId],
    );
    assert.equal(coordinator.heartbeat(ref(a)), GroupError.ILLEGAL_GENERATION);
    const again = coordinator.leaveGroup('g', [{ memberId: b.memberId, groupInstanceId: null }]);
    assert.equal(again.members[0].errorCode, GroupError.UNKNOWN_MEMBER_ID);
    assert.equal(coordinator.leaveGroup('nope', []).errorCode, GroupError.UNKNOWN_MEMBER_ID);
  });

  it('expels a silent member when its session times out, and a member that does not rejoin', async () => {
    const [a, b] = await stableGroup(2);
    const ref = (r: typeof a) => ({
      groupId: 'g',
      generationId: r.generationId,
      memberId: r.memberId,
      groupInstanceId: null,
    });
    clock.advance(6000);
    assert.equal(coordinator.heartbeat(ref(a)), GroupError.NONE);
    clock.advance(4000); // b has been silent for its whole 10 s session
    assert.equal(coordinator.group('g')?.state, 'PreparingRebalance');
    assert.equal(coordinator.group('g')?.members.has(b.memberId), false);
    assert.equal(coordinator.heartbeat(ref(a)), GroupError.REBALANCE_IN_PROGRESS);
    const rejoined = await coordinator.joinGroup(join({ memberId: a.memberId }));
    assert.equal(rejoined.generationId, 2);

    // Generation 2 has one member; a newcomer's join waits for a, which never rejoins.
    const [next] = await Promise.all([
      member(),
      (async () => {
        await tick();
        clock.advance(60000); // the rebalance timeout
      })(),
    ]);
    assert.equal(next.errorCode, GroupError.NONE);
    assert.equal(next.generationId, 3);
    assert.equal(next.leader, next.memberId);
    assert.equal(coordinator.group('g')?.members.has(a.memberId), false);
  });

  it('removes members that never send SyncGroup once the rebalance timeout passes', async () => {
    const long = { sessionTimeoutMs: 120000 };
    const [a, b] = await settle([member(long), member(long)]);
    const leader = a.leader === a.memberId ? a : b;
    const follower = leader === a ? b : a;
    const synced = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: leader.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    assert.equal(synced.errorCode, GroupError.NONE);
    assert.equal(synced.assignment.length, 0);
    clock.advance(60000);
    const group = coordinator.group('g');
    assert.equal(group?.members.has(follower.memberId), false);
    assert.equal(group?.state, 'PreparingRebalance');
  });

  it('answers SyncGroup errors as Kafka does', async () => {
    const [a] = await stableGroup(1);
    const sync = (o: Record<string, unknown>) =>
      coordinator.syncGroup({
        groupId: 'g',
        generationId: a.generationId,
        memberId: a.memberId,
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments: [],
        ...o,
      });
    assert.equal((await sync({ groupId: 'x' })).errorCode, GroupError.UNKNOWN_MEMBER_ID);
    assert.equal((await sync({ memberId: 'x' })).errorCode, GroupError.UNKNOWN_MEMBER_ID);
    assert.equal((await sync({ generationId: 7 })).errorCode, GroupError.ILLEGAL_GENERATION);
    assert.equal((await sync({ protocolType: 'connect' })).errorCode, GroupError.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal(
      (await sync({ protocolName: 'roundrobin' })).errorCode,
      GroupError.INCONSISTENT_GROUP_PROTOCOL,
    );
    const stable = await sync({});
    assert.equal(stable.errorCode, GroupError.NONE);
    assert.equal(stable.assignment.toString(), `for ${a.memberId}`);
  });

  it('keeps a static member through a restart of its client without a rebalance', async () => {
    const joined = coordinator.joinGroup(join({ groupInstanceId: 'i-1' }));
    await tick();
    clock.advance(3000);
    const first = await joined;
    assert.equal(first.errorCode, GroupError.NONE);
    assert.match(first.memberId, /^i-1-/);
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'i-1',
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: first.memberId, assignment: meta('mine') }],
    });
    const again = await coordinator.joinGroup(join({ groupInstanceId: 'i-1' }));
    assert.equal(again.errorCode, GroupError.NONE);
    assert.notEqual(again.memberId, first.memberId);
    assert.equal(again.generationId, 1);
    assert.equal(again.skipAssignment, true);
    assert.equal(coordinator.group('g')?.state, 'Stable');
    const fenced = coordinator.heartbeat({
      groupId: 'g',
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'i-1',
    });
    assert.equal(fenced, GroupError.FENCED_INSTANCE_ID);
    const sync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: again.memberId,
      groupInstanceId: 'i-1',
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    assert.equal(sync.assignment.toString(), 'mine');
  });

  it('commits offsets for members and for simple consumers, and fetches them', async () => {
    const commit = (o: Record<string, unknown>) =>
      coordinator.commitOffsets({
        groupId: 'simple',
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [
          {
            name: 't',
            partitions: [
              { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: 'meta' },
              { partitionIndex: 9, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null },
            ],
          },
          {
            name: 'missing',
            partitions: [
              { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
            ],
          },
        ],
        ...o,
      });
    assert.deepEqual(await commit({}), [
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, errorCode: 0 },
          { partitionIndex: 9, errorCode: GroupError.UNKNOWN_TOPIC_OR_PARTITION },
        ],
      },
      {
        name: 'missing',
        partitions: [{ partitionIndex: 0, errorCode: GroupError.UNKNOWN_TOPIC_OR_PARTITION }],
      },
    ]);
    assert.equal(
      (await commit({ groupId: 'gone', generationId: 3 }))[0].partitions[0].errorCode,
      GroupError.ILLEGAL_GENERATION,
    );
    assert.equal((await commit({ groupId: '' }))[0].partitions[0].errorCode, GroupError.INVALID_GROUP_ID);
    const big = 'x'.repeat(4097);
    const tooLarge = await coordinator.commitOffsets({
      groupId: 'simple',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 'u',
          partitions: [
            { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: big },
          ],
        },
      ],
    });
    assert.equal(tooLarge[0].partitions[0].errorCode, GroupError.OFFSET_METADATA_TOO_LARGE);

    assert.deepEqual(coordinator.fetchOffsets('simple', [{ name: 't', partitionIndexes: [0, 1] }]), [
      {
        name: 't',
        partitions: [
          {
            partitionIndex: 0,
            committedOffset: 5n,
            committedLeaderEpoch: -1,
            metadata: 'meta',
            errorCode: 0,
          },
          { partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
        ],
      },
    ]);
    assert.equal(coordinator.fetchOffsets('simple', null)[0].partitions.length, 1);
    assert.deepEqual(coordinator.fetchOffsets('unknown', null), []);

    // A group with members takes commits only from them, in its generation.
    const [a] = await stableGroup(1);
    const byMember = await commit({ groupId: 'g', generationId: a.generationId, memberId: a.memberId });
    assert.equal(byMember[0].partitions[0].errorCode, 0);
    assert.equal((await commit({ groupId: 'g' }))[0].partitions[0].errorCode, GroupError.UNKNOWN_MEMBER_ID);
    assert.equal(
      (await commit({ groupId: 'g', generationId: 9, memberId: a.memberId }))[0].partitions[0].errorCode,
      GroupError.ILLEGAL_GENERATION,
    );
  });

  it('lists, describes and deletes groups', async () => {
    await coordinator.commitOffsets({
      groupId: 'offsets-only',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    const [a] = await stableGroup(1);
    assert.deepEqual(
      coordinator.listGroups([]).sort((x, y) => x.groupId.localeCompare(y.groupId)),
      [
        { groupId: 'g', protocolType: 'consumer', groupState: 'Stable' },
        { groupId: 'offsets-only', protocolType: '', groupState: 'Empty' },
      ],
    );
    assert.deepEqual(
      coordinator.listGroups(['empty']).map((g) => g.groupId),
      ['offsets-only'],
    );
    const described = coordinator.describeGroup('g');
    assert.equal(described.groupState, 'Stable');
    assert.equal(described.protocolData, 'range');
    assert.equal(described.members[0].memberId, a.memberId);
    assert.equal(described.members[0].memberAssignment.toString(), `for ${a.memberId}`);
    assert.equal(coordinator.describeGroup('nope').groupState, 'Dead');

    assert.deepEqual(await coordinator.deleteGroups(['g', 'offsets-only', 'nope']), [
      { groupId: 'g', errorCode: GroupError.NON_EMPTY_GROUP },
      { groupId: 'offsets-only', errorCode: 0 },
      { groupId: 'nope', errorCode: GroupError.GROUP_ID_NOT_FOUND },
    ]);
    assert.deepEqual(coordinator.fetchOffsets('offsets-only', null), []);
    coordinator.leaveGroup('g', [{ memberId: a.memberId, groupInstanceId: null }]);
    assert.equal(coordinator.group('g')?.state, 'Empty');
    assert.deepEqual(await coordinator.deleteGroups(['g']), [{ groupId: 'g', errorCode: 0 }]);
    assert.deepEqual(coordinator.listGroups([]), []);
  });

  it('keeps the offsets of subscribed topics on OffsetDelete', async () => {
    const subscription = Buffer.from([0, 1, 0, 0, 0, 1, 0, 1, 0x74]); // v1, topics ["t"]
    const joined = member({ protocols: [{ name: 'range', metadata: subscription }] });
    await tick();
    clock.advance(3000);
    const a = await joined;
    const early = await coordinator.commitOffsets({
      groupId: 'g',
      generationId: a.generationId,
      memberId: a.memberId,
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    assert.equal(early[0].partitions[0].errorCode, GroupError.REBALANCE_IN_PROGRESS);
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    await coordinator.commitOffsets({
      groupId: 'g',
      generationId: a.generationId,
      memberId: a.memberId,
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
        {
          name: 'u',
          partitions: [
            { partitionIndex: 0, committedOffset: 2n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    const deleted = await coordinator.deleteOffsets('g', [
      { name: 't', partitions: [0] },
      { name: 'u', partitions: [0] },
    ]);
    assert.deepEqual(deleted, {
      errorCode: 0,
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0, errorCode: GroupError.GROUP_SUBSCRIBED_TO_TOPIC }] },
        { name: 'u', partitions: [{ partitionIndex: 0, errorCode: 0 }] },
      ],
    });
    assert.deepEqual(
      coordinator.fetchOffsets('g', null).map((t) => t.name),
      ['t'],
    );
    assert.equal((await coordinator.deleteOffsets('nope', [])).errorCode, GroupError.GROUP_ID_NOT_FOUND);
  });
});

// The consumer-group APIs: each request read into the coordinator's terms and its answer written
// back in the fields of the version asked.

import { errorMessage, errorName } from '../../../protocols/kafka/error-codes.js';
import type { ApiHandler, ApiRegistration, KafkaRequestContext } from '../broker/types.js';
import type { GroupCoordinator } from './coordinator.js';
import { GroupError } from './errors.js';

const coordinatorOf = (ctx: KafkaRequestContext) => ctx.cluster.groups as GroupCoordinator;

/** "/127.0.0.1", as Kafka prints a member's address (Java's InetAddress.toString). */
function clientHost(remote: string): string {
  const colon = remote.lastIndexOf(':');
  const host = colon < 0 ? remote : remote.slice(0, colon);
  return `/${host.replace(/^\[|\]$/g, '')}`;
}

const messageOf = (code: number): string | null => {
  const name = errorName(code);
  return code === GroupError.NONE || !name ? null : errorMessage(name);
};

const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;

/** FindCoordinator: node 1, at the listener the client came in on, coordinates every group. */
const findCoordinator: ApiHandler = (ctx, request) => {
  const keyType = ctx.apiVersion >= 1 ? Number(request.keyType) : GROUP_KEY;
  const { host, port } = ctx.connection.listener;
  const answer = (key: string) => {
    let errorCode: number = GroupError.NONE;
    let message: string | null = null;
    if (keyType === TRANSACTION_KEY) {
      // No transaction coordinator runs here: as a broker whose transaction log cannot be created.
      errorCode = GroupError.COORDINATOR_NOT_AVAILABLE;
      message = messageOf(errorCode);
    } else if (keyType !== GROUP_KEY) {
      errorCode = GroupError.INVALID_REQUEST;
      message = `Unknown coordinator type received: ${keyType}`;
    }
    return errorCode === GroupError.NONE
      ? { key, nodeId: 1, host, port, errorCode, errorMessage: null }
      : { key, nodeId: -1, host: '', port: -1, errorCode, errorMessage: message };
  };
  if (ctx.apiVersion >= 4) {
    return { throttleTimeMs: 0, coordinators: (request.coordinatorKeys as string[]).map(answer) };
  }
  return { throttleTimeMs: 0, ...answer(request.key as string) };
};

const joinGroup: ApiHandler = async (ctx, request) => {
  const version = ctx.apiVersion;
  const sessionTimeoutMs = Number(request.sessionTimeoutMs);
  const result = await coordinatorOf(ctx).joinGroup({
    groupId: request.groupId,
    sessionTimeoutMs,
    // v0 has no rebalance timeout: the session timeout bounds the rebalance too.
    rebalanceTimeoutMs: version >= 1 ? Number(request.rebalanceTimeoutMs) : sessionTimeoutMs,
    memberId: request.memberId ?? '',
    groupInstanceId: version >= 5 ? (request.groupInstanceId ?? null) : null,
    protocolType: request.protocolType,
    protocols: (request.protocols as Array<{ name: string; metadata: Buffer }>).map((p) => ({
      name: p.name,
      metadata: Buffer.from(p.metadata),
    })),
    clientId: ctx.clientId ?? '',
    clientHost: clientHost(ctx.connection.remote),
    requireKnownMemberId: version >= 4,
    supportsSkipAssignment: version >= 9,
  });
  return {
    throttleTimeMs: 0,
    errorCode: result.errorCode,
    generationId: result.generationId,
    protocolType: result.protocolType,
    protocolName: version >= 7 ? result.protocolName : (result.protocolName ?? ''),
    leader: result.leader,
    skipAssignment: result.skipAssignment,
    memberId: result.memberId,
    members: result.members,
  };
};

const syncGroup: ApiHandler = async (ctx, request) => {
  const version = ctx.apiVersion;
  const result = await coordinatorOf(ctx).syncGroup({
    groupId: request.groupId,
    generationId: Number(request.generationId),
    memberId: request.memberId,
    groupInstanceId: version >= 3 ? (request.groupInstanceId ?? null) : null,
    protocolType: version >= 5 ? (request.protocolType ?? null) : null,
    protocolName: version >= 5 ? (request.protocolName ?? null) : null,
    assignments: (request.assignments as Array<{ memberId: string; assignment: Buffer }>).map((a) => ({
      memberId: a.memberId,
      assignment: Buffer.from(a.assignment),
    })),
  });
  return {
    throttleTimeMs: 0,
    errorCode: result.errorCode,
    protocolType: result.protocolType,
    protocolName: result.protocolName,
    assignment: result.assignment,
  };
};

const heartbeat: ApiHandler = (ctx, request) => ({
  throttleTimeMs: 0,
  errorCode: coordinatorOf(ctx).heartbeat({
    groupId: request.groupId,
    generationId: Number(request.generationId),
    memberId: request.memberId,
    groupInstanceId: ctx.apiVersion >= 3 ? (request.groupInstanceId ?? null) : null,
  }),
});

const leaveGroup: ApiHandler = (ctx, request) => {
  const batched = ctx.apiVersion >= 3;
  const leaving = batched
    ? (request.members as Array<{ memberId: string; groupInstanceId: string | null }>).map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? null,
      }))
    : [{ memberId: request.memberId as string, groupInstanceId: null }];
  const result = coordinatorOf(ctx).leaveGroup(request.groupId, leaving);
  if (batched) return { throttleTimeMs: 0, errorCode: result.errorCode, members: result.members };
  // Before v3 the one member's error is the answer's (LeaveGroupResponse does the same).
  const memberError = result.members.find((m) => m.errorCode !== GroupError.NONE)?.errorCode;
  return {
    throttleTimeMs: 0,
    errorCode: result.errorCode !== GroupError.NONE ? result.errorCode : (memberError ?? 0),
  };
};

const offsetCommit: ApiHandler = async (ctx, request) => {
  const topics = await coordinatorOf(ctx).commitOffsets({
    groupId: request.groupId,
    generationId: Number(request.generationIdOrMemberEpoch ?? request.generationId ?? -1),
    memberId: request.memberId ?? '',
    groupInstanceId: ctx.apiVersion >= 7 ? (request.groupInstanceId ?? null) : null,
    topics: (request.topics as Array<Record<string, any>>).map((t) => ({
      name: t.name,
      partitions: (t.partitions as Array<Record<string, any>>).map((p) => ({
        partitionIndex: p.partitionIndex,
        committedOffset: BigInt(p.committedOffset),
        committedLeaderEpoch: ctx.apiVersion >= 6 ? Number(p.committedLeaderEpoch) : -1,
        committedMetadata: p.committedMetadata ?? null,
      })),
    })),
  });
  return { throttleTimeMs: 0, topics };
};

type FetchTopics = Array<{ name: string; partitionIndexes: number[] }> | null;

const offsetFetch: ApiHandler = (ctx, request) => {
  const coordinator = coordinatorOf(ctx);
  if (ctx.apiVersion >= 8) {
    const groups = (request.groups as Array<{ groupId: string; topics: FetchTopics }>).map((g) => ({
      groupId: g.groupId,
      topics: coordinator.fetchOffsets(g.groupId, g.topics ?? null),
      errorCode: GroupError.NONE,
    }));
    return { throttleTimeMs: 0, groups };
  }
  // v0 and v1 always name their partitions; null (all committed) comes with v2.
  const topics = coordinator.fetchOffsets(request.groupId, (request.topics as FetchTopics) ?? null);
  return { throttleTimeMs: 0, topics, errorCode: GroupError.NONE };
};

/** Every operation allowed on a group (READ, DELETE, DESCRIBE): no authorizer runs here. */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

const describeGroups: ApiHandler = (ctx, request) => {
  const coordinator = coordinatorOf(ctx);
  return {
    throttleTimeMs: 0,
    groups: (request.groups as string[]).map((groupId) => ({
      ...coordinator.describeGroup(groupId),
      authorizedOperations: request.includeAuthorizedOperations ? GROUP_OPERATIONS : -2147483648,
    })),
  };
};

const listGroups: ApiHandler = (ctx, request) => ({
  throttleTimeMs: 0,
  errorCode: GroupError.NONE,
  groups: coordinatorOf(ctx).listGroups(
    ctx.apiVersion >= 4 ? ((request.statesFilter as string[]) ?? []) : [],
  ),
});

const deleteGroups: ApiHandler = async (ctx, request) => ({
  throttleTimeMs: 0,
  results: await coordinatorOf(ctx).deleteGroups(request.groupsNames as string[]),
});

const offsetDelete: ApiHandler = async (ctx, request) => {
  const result = await coordinatorOf(ctx).deleteOffsets(
    request.groupId,
    (request.topics as Array<{ name: string; partitions: Array<{ partitionIndex: number }> }>).map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => p.partitionIndex),
    })),
  );
  return { throttleTimeMs: 0, errorCode: result.errorCode, topics: result.topics };
};

export const groupApis: ApiRegistration[] = [
  { apiKey: 10, minVersion: 0, maxVersion: 4, handle: findCoordinator },
  { apiKey: 11, minVersion: 0, maxVersion: 9, handle: joinGroup },
  { apiKey: 14, minVersion: 0, maxVersion: 5, handle: syncGroup },
  { apiKey: 12, minVersion: 0, maxVersion: 4, handle: heartbeat },
  { apiKey: 13, minVersion: 0, maxVersion: 5, handle: leaveGroup },
  { apiKey: 8, minVersion: 2, maxVersion: 8, handle: offsetCommit },
  { apiKey: 9, minVersion: 1, maxVersion: 8, handle: offsetFetch },
  { apiKey: 15, minVersion: 0, maxVersion: 5, handle: describeGroups },
  { apiKey: 16, minVersion: 0, maxVersion: 4, handle: listGroups },
  { apiKey: 42, minVersion: 0, maxVersion: 2, handle: deleteGroups },
  { apiKey: 47, minVersion: 0, maxVersion: 0, handle: offsetDelete },
];

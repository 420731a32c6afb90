// The group coordinator of one cluster: Kafka's classic group protocol (JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup) over the state machine in group.ts, with every deadline on the injectable
// clock's scheduler, and the groups' committed offsets in the log storage.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { Scheduler } from '../../../core/scheduler.js';
import type { CommittedOffset, KafkaLogStorage } from '../../../storage/types.js';
import type { GroupCoordinatorApi } from '../broker/types.js';
import { subscribedTopics } from './consumer-protocol.js';
import { GroupError } from './errors.js';
import { ConsumerGroup, GroupMember, type GroupState, type JoinResult, type SyncResult } from './group.js';
import { readCommitted } from './offsets.js';
import type {
  CommitRequest,
  DescribedGroup,
  FetchedOffsets,
  JoinRequest,
  MemberRef,
  PartitionResults,
  SyncRequest,
} from './requests.js';

export interface GroupCoordinatorOptions {
  cluster: string;
  storage: KafkaLogStorage;
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  config: (name: string) => string | undefined;
}

/** group.* broker configs and their Kafka defaults. */
const DEFAULTS = {
  'group.min.session.timeout.ms': 6000,
  'group.max.session.timeout.ms': 1800000,
  'group.initial.rebalance.delay.ms': 3000,
  'group.max.size': 2147483647,
  'offset.metadata.max.bytes': 4096,
  'offsets.retention.check.interval.ms': 600000,
} as const;

/** How long a new member's JoinGroup may wait before it is dropped (Kafka's classic.group.new.member.join.timeout.ms). */
const NEW_MEMBER_JOIN_TIMEOUT_MS = 300000;

const EMPTY = Buffer.alloc(0);

function joinError(errorCode: number, memberId: string): JoinResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}

export class GroupCoordinator implements GroupCoordinatorApi {
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly cluster: string;
  private readonly storage: KafkaLogStorage;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly log: Logger;
  private readonly config: (name: string) => string | undefined;

  constructor(options: GroupCoordinatorOptions) {
    this.cluster = options.cluster;
    this.storage = options.storage;
    this.clock = options.clock;
    this.scheduler = options.scheduler;
    this.log = options.log;
    this.config = options.config;
  }

  private setting(name: keyof typeof DEFAULTS): number {
    const raw = this.config(name);
    const value = raw === undefined ? Number.NaN : Number(raw);
    return Number.isFinite(value) ? value : DEFAULTS[name];
  }

  /** A group in memory, or one known only by its committed offsets (Empty, as Kafka loads it). */
  private lookup(groupId: string): ConsumerGroup | undefined {
    const group = this.groups.get(groupId);
    if (group) return group;
    if (this.storage.committedOffsets(this.cluster, groupId).length === 0) return undefined;
    return this.create(groupId);
  }

  private create(groupId: string): ConsumerGroup {
    const group = new ConsumerGroup(groupId, this.clock.now());
    this.groups.set(groupId, group);
    return group;
  }

  group(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  // ---- JoinGroup ----

  joinGroup(request: JoinRequest): Promise<JoinResult> {
    const { groupId, memberId } = request;
    if (!groupId) return Promise.resolve(joinError(GroupError.INVALID_GROUP_ID, memberId));
    if (
      request.sessionTimeoutMs < this.setting('group.min.session.timeout.ms') ||
      request.sessionTimeoutMs > this.setting('group.max.session.timeout.ms')
    ) {
      return Promise.resolve(joinError(GroupError.INVALID_SESSION_TIMEOUT, memberId));
    }
    const isUnknown = memberId === '';
    let group = this.lookup(groupId);
    if (!group) {
      if (!isUnknown) return Promise.resolve(joinError(GroupError.UNKNOWN_MEMBER_ID, memberId));
      group = this.create(groupId);
    }
    if (!this.acceptJoiningMember(group, memberId)) {
      const member = group.members.get(memberId);
      if (member) this.removeMemberAndUpdate(group, member);
      else this.removePending(group, memberId);
      return Promise.resolve(joinError(GroupError.GROUP_MAX_SIZE_REACHED, ''));
    }
    const target = group;
    return new Promise((resolve) => {
      if (isUnknown) this.joinNewMember(target, request, resolve);
      else this.joinExistingMember(target, request, resolve);
    });
  }

  private acceptJoiningMember(group: ConsumerGroup, memberId: string): boolean {
    const max = this.setting('group.max.size');
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance': {
        const awaiting = [...group.members.values()].filter((m) => m.awaitingJoin).length;
        return group.members.get(memberId)?.awaitingJoin === true || awaiting < max;
      }
      default:
        return group.members.has(memberId) || group.members.size < max;
    }
  }

  private joinNewMember(group: ConsumerGroup, request: JoinRequest, resolve: (r: JoinResult) => void) {
    if (group.is('Dead')) return resolve(joinError(GroupError.COORDINATOR_NOT_AVAILABLE, ''));
    if (!group.supportsProtocols(request.protocolType, request.protocols)) {
      return resolve(joinError(GroupError.INCONSISTENT_GROUP_PROTOCOL, ''));
    }
    const prefix = request.groupInstanceId ?? request.clientId;
    const newMemberId = `${prefix}-${randomUUID()}`;
    if (request.groupInstanceId !== null) {
      const existing = group.staticMembers.get(request.groupInstanceId);
      if (existing !== undefined)
        return this.replaceStaticMember(group, request, existing, newMemberId, resolve);
      return this.addMember(group, request, newMemberId, resolve);
    }
    if (request.requireKnownMemberId) {
      const timer = this.scheduler.at(this.clock.now() + request.sessionTimeoutMs, () =>
        this.expirePending(group, newMemberId),
      );
      group.pendingMembers.set(newMemberId, timer);
      return resolve(joinError(GroupError.MEMBER_ID_REQUIRED, newMemberId));
    }
    this.addMember(group, request, newMemberId, resolve);
  }

  private joinExistingMember(group: ConsumerGroup, request: JoinRequest, resolve: (r: JoinResult) => void) {
    const { memberId } = request;
    if (group.is('Dead')) return resolve(joinError(GroupError.COORDINATOR_NOT_AVAILABLE, memberId));
    if (!group.supportsProtocols(request.protocolType, request.protocols)) {
      return resolve(joinError(GroupError.INCONSISTENT_GROUP_PROTOCOL, memberId));
    }
    if (group.pendingMembers.has(memberId)) {
      this.scheduler.cancel(group.pendingMembers.get(memberId));
      group.pendingMembers.delete(memberId);
      return this.addMember(group, request, memberId, resolve);
    }
    const invalid = group.validateMember(memberId, request.groupInstanceId);
    if (invalid !== GroupError.NONE) return resolve(joinError(invalid, memberId));
    const member = group.members.get(memberId) as GroupMember;
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, request, resolve);
      case 'CompletingRebalance':
        // The member lost its JoinGroup answer: the same protocols get the same generation again.
        if (member.matches(request.protocols)) {
          return resolve(generationAnswer(group, memberId, group.leaderId === memberId));
        }
        return this.updateMemberAndRebalance(group, member, request, resolve);
      case 'Stable':
        // A rejoining leader forces a rebalance: that is how a consumer reacts to metadata changes.
        if (group.leaderId === memberId || !member.matches(request.protocols)) {
          return this.updateMemberAndRebalance(group, member, request, resolve);
        }
        return resolve(generationAnswer(group, memberId, false));
      default:
        return resolve(joinError(GroupError.UNKNOWN_MEMBER_ID, memberId));
    }
  }

  private addMember(
    group: ConsumerGroup,
    request: JoinRequest,
    memberId: string,
    resolve: (r: JoinResult) => void,
  ) {
    const member = new GroupMember(
      memberId,
      request.groupInstanceId,
      request.clientId,
      request.clientHost,
      request.rebalanceTimeoutMs,
      request.sessionTimeoutMs,
      request.protocolType,
      request.protocols,
    );
    member.isNew = true;
    if (group.is('PreparingRebalance') && group.previousState === 'Empty') group.newMemberAdded = true;
    member.joinWaiter = resolve;
    group.add(member);
    this.scheduler.cancel(group.emptyTimer);
    // Parked JoinGroups cannot heartbeat: a new member that never comes back is dropped after this.
    this.scheduleHeartbeat(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.maybePrepareRebalanceOrCompleteJoin(group);
  }

  private updateMemberAndRebalance(
    group: ConsumerGroup,
    member: GroupMember,
    request: JoinRequest,
    resolve: (r: JoinResult) => void,
  ) {
    member.protocols = request.protocols;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    // A second JoinGroup while one is parked: the older one is answered so its connection moves on.
    member.joinWaiter?.(joinError(GroupError.REBALANCE_IN_PROGRESS, member.memberId));
    member.joinWaiter = resolve;
    this.maybePrepareRebalanceOrCompleteJoin(group);
  }

  private replaceStaticMember(
    group: ConsumerGroup,
    request: JoinRequest,
    oldMemberId: string,
    newMemberId: string,
    resolve: (r: JoinResult) => void,
  ) {
    const old = group.members.get(oldMemberId) as GroupMember;
    const previousLeader = group.leaderId;
    // The old instance's parked requests learn it was fenced.
    old.joinWaiter?.(joinError(GroupError.FENCED_INSTANCE_ID, oldMemberId));
    old.joinWaiter = undefined;
    old.syncWaiter?.(syncError(GroupError.FENCED_INSTANCE_ID));
    old.syncWaiter = undefined;
    this.scheduler.cancel(old.timer);
    const member = group.replaceStaticMember(request.groupInstanceId as string, oldMemberId, newMemberId);
    member.protocols = request.protocols;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
    member.joinWaiter = resolve;
    if (group.is('Stable')) {
      if (group.protocolName === group.selectProtocol()) {
        const isLeader = group.leaderId === newMemberId;
        member.joinWaiter = undefined;
        if (request.supportsSkipAssignment) {
          return resolve({
            errorCode: GroupError.NONE,
            generationId: group.generationId,
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            leader: group.leaderId ?? '',
            skipAssignment: isLeader,
            memberId: newMemberId,
            members: isLeader ? group.currentMembers() : [],
          });
        }
        // Older clients must not believe they lead (they would run an assignment): the old id is named.
        return resolve({
          errorCode: GroupError.NONE,
          generationId: group.generationId,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          leader: previousLeader ?? '',
          skipAssignment: false,
          memberId: newMemberId,
          members: [],
        });
      }
      return this.maybePrepareRebalanceOrCompleteJoin(group);
    }
    if (group.is('CompletingRebalance')) return this.prepareRebalance(group);
    this.maybeCompleteJoinPhase(group);
  }

  private maybePrepareRebalanceOrCompleteJoin(group: ConsumerGroup) {
    if (group.canRebalance()) this.prepareRebalance(group);
    else this.maybeCompleteJoinPhase(group);
  }

  private prepareRebalance(group: ConsumerGroup) {
    if (group.is('CompletingRebalance')) {
      for (const m of group.members.values()) {
        m.assignment = EMPTY;
        const waiter = m.syncWaiter;
        m.syncWaiter = undefined;
        waiter?.(syncError(GroupError.REBALANCE_IN_PROGRESS));
      }
    }
    this.scheduler.cancel(group.syncTimer);
    group.syncTimer = undefined;
    const initial = group.is('Empty');
    group.transitionTo('PreparingRebalance', this.clock.now());
    if (initial) {
      // A new group waits a little for more members, so they share its first generation (KIP-134).
      const delay = this.setting('group.initial.rebalance.delay.ms');
      const remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0);
      this.armJoinTimer(group, delay, () => this.tryCompleteInitialRebalance(group, delay, remaining));
      return;
    }
    if (group.hasAllMembersJoined()) return this.completeJoin(group);
    this.armJoinTimer(group, group.rebalanceTimeoutMs(), () => this.completeJoin(group));
  }

  private armJoinTimer(group: ConsumerGroup, delayMs: number, run: () => void) {
    this.scheduler.cancel(group.joinTimer);
    group.joinTimer = this.scheduler.at(this.clock.now() + delayMs, run);
  }

  private tryCompleteInitialRebalance(group: ConsumerGroup, delay: number, remaining: number) {
    if (this.groups.get(group.groupId) !== group) return;
    if (group.newMemberAdded && remaining !== 0) {
      group.newMemberAdded = false;
      const nextDelay = Math.min(this.setting('group.initial.rebalance.delay.ms'), remaining);
      const nextRemaining = Math.max(remaining - delay, 0);
      this.armJoinTimer(group, nextDelay, () =>
        this.tryCompleteInitialRebalance(group, nextDelay, nextRemaining),
      );
      return;
    }
    this.completeJoin(group);
  }

  private maybeCompleteJoinPhase(group: ConsumerGroup) {
    if (!group.is('PreparingRebalance')) return;
    // The initial rebalance of a new group always runs its delay out.
    if (group.previousState === 'Empty') return;
    if (!group.hasAllMembersJoined()) return;
    this.completeJoin(group);
  }

  private completeJoin(group: ConsumerGroup) {
    if (this.groups.get(group.groupId) !== group) return;
    this.scheduler.cancel(group.joinTimer);
    group.joinTimer = undefined;
    // Dynamic members that did not rejoin in time leave; static ones keep their place.
    for (const m of group.notYetRejoined()) {
      if (m.groupInstanceId !== null) continue;
      this.scheduler.cancel(m.timer);
      group.remove(m.memberId);
      this.log.debug(
        { group: group.groupId, member: m.memberId },
        'kafka group member did not rejoin in time',
      );
    }
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
      // Nobody rejoined: wait again until session timeouts clear the silent members.
      this.armJoinTimer(group, group.rebalanceTimeoutMs(), () => this.completeJoin(group));
      return;
    }
    group.initNextGeneration(this.clock.now());
    if (group.is('Empty')) return this.scheduleEmptyCleanup(group);
    for (const member of group.members.values()) {
      const result = generationAnswer(group, member.memberId, group.leaderId === member.memberId);
      const waiter = member.joinWaiter;
      member.joinWaiter = undefined;
      member.isNew = false;
      this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
      group.pendingSync.add(member.memberId);
      waiter?.(result);
    }
    const generation = group.generationId;
    group.syncTimer = this.scheduler.at(this.clock.now() + group.rebalanceTimeoutMs(), () =>
      this.expirePendingSync(group, generation),
    );
  }

  private expirePendingSync(group: ConsumerGroup, generation: number) {
    group.syncTimer = undefined;
    if (this.groups.get(group.groupId) !== group || group.generationId !== generation) return;
    if (!group.is('CompletingRebalance') && !group.is('Stable')) return;
    if (group.pendingSync.size === 0) return;
    for (const memberId of [...group.pendingSync]) {
      const member = group.members.get(memberId);
      if (!member) continue;
      this.scheduler.cancel(member.timer);
      const waiter = member.syncWaiter;
      member.syncWaiter = undefined;
      group.remove(memberId);
      waiter?.(syncError(GroupError.UNKNOWN_MEMBER_ID));
    }
    group.pendingSync.clear();
    this.prepareRebalance(group);
  }

  // ---- liveness ----

  private scheduleHeartbeat(group: ConsumerGroup, member: GroupMember, timeoutMs: number) {
    const at = this.clock.now() + timeoutMs;
    if (member.timer) this.scheduler.reschedule(member.timer, at);
    else member.timer = this.scheduler.at(at, () => this.expireHeartbeat(group, member));
  }

  private expireHeartbeat(group: ConsumerGroup, member: GroupMember) {
    if (this.groups.get(group.groupId) !== group || group.members.get(member.memberId) !== member) return;
    if (group.is('Dead')) return;
    // Members parked in a rebalance cannot heartbeat: they stay, unless they are new (see addMember).
    if (!member.isNew && (member.awaitingJoin || member.awaitingSync)) {
      this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
      return;
    }
    this.log.debug({ group: group.groupId, member: member.memberId }, 'kafka group member session expired');
    this.removeMemberAndUpdate(group, member);
  }

  private expirePending(group: ConsumerGroup, memberId: string) {
    if (this.groups.get(group.groupId) !== group || !group.pendingMembers.has(memberId)) return;
    this.removePending(group, memberId);
  }

  private removePending(group: ConsumerGroup, memberId: string) {
    this.scheduler.cancel(group.pendingMembers.get(memberId));
    group.pendingMembers.delete(memberId);
    if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  private removeMemberAndUpdate(group: ConsumerGroup, member: GroupMember) {
    this.scheduler.cancel(member.timer);
    member.timer = undefined;
    const joinWaiter = member.joinWaiter;
    const syncWaiter = member.syncWaiter;
    member.joinWaiter = undefined;
    member.syncWaiter = undefined;
    group.remove(member.memberId);
    joinWaiter?.(joinError(GroupError.UNKNOWN_MEMBER_ID, ''));
    syncWaiter?.(syncError(GroupError.UNKNOWN_MEMBER_ID));
    if (group.is('Stable') || group.is('CompletingRebalance'))
      this.maybePrepareRebalanceOrCompleteJoin(group);
    else if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  /** An Empty group without offsets is forgotten, as Kafka's periodic cleanup does. */
  private scheduleEmptyCleanup(group: ConsumerGroup) {
    this.scheduler.cancel(group.emptyTimer);
    group.emptyTimer = this.scheduler.at(
      this.clock.now() + this.setting('offsets.retention.check.interval.ms'),
      () => {
        group.emptyTimer = undefined;
        if (this.groups.get(group.groupId) !== group || !group.is('Empty')) return;
        if (this.storage.committedOffsets(this.cluster, group.groupId).length > 0) return;
        group.transitionTo('Dead', this.clock.now());
        this.groups.delete(group.groupId);
      },
    );
  }

  // ---- SyncGroup, Heartbeat, LeaveGroup ----

  syncGroup(request: SyncRequest): Promise<SyncResult> {
    const group = this.groups.get(request.groupId);
    if (!group) return Promise.resolve(syncError(GroupError.UNKNOWN_MEMBER_ID));
    if (group.is('Dead')) return Promise.resolve(syncError(GroupError.COORDINATOR_NOT_AVAILABLE));
    const invalid = group.validateMember(request.memberId, request.groupInstanceId);
    if (invalid !== GroupError.NONE) return Promise.resolve(syncError(invalid));
    if (request.generationId !== group.generationId)
      return Promise.resolve(syncError(GroupError.ILLEGAL_GENERATION));
    if (
      (request.protocolType !== null && request.protocolType !== group.protocolType) ||
      (request.protocolName !== null && request.protocolName !== group.protocolName)
    ) {
      return Promise.resolve(syncError(GroupError.INCONSISTENT_GROUP_PROTOCOL));
    }
    const member = group.members.get(request.memberId) as GroupMember;
    switch (group.state) {
      case 'PreparingRebalance':
        return Promise.resolve(syncError(GroupError.REBALANCE_IN_PROGRESS));
      case 'Stable':
        group.pendingSync.delete(member.memberId);
        return Promise.resolve(this.assignmentOf(group, member));
      case 'CompletingRebalance':
        return new Promise((resolve) => {
          member.syncWaiter?.(syncError(GroupError.REBALANCE_IN_PROGRESS));
          member.syncWaiter = resolve;
          group.pendingSync.delete(member.memberId);
          if (group.leaderId !== member.memberId) return;
          const assignments = new Map(request.assignments.map((a) => [a.memberId, a.assignment]));
          for (const m of group.members.values()) m.assignment = assignments.get(m.memberId) ?? EMPTY;
          group.transitionTo('Stable', this.clock.now());
          for (const m of group.members.values()) {
            const waiter = m.syncWaiter;
            if (!waiter) continue;
            m.syncWaiter = undefined;
            this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
            waiter(this.assignmentOf(group, m));
          }
        });
      default:
        return Promise.resolve(syncError(GroupError.UNKNOWN_MEMBER_ID));
    }
  }

  private assignmentOf(group: ConsumerGroup, member: GroupMember): SyncResult {
    return {
      errorCode: GroupError.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment: member.assignment,
    };
  }

  heartbeat(request: MemberRef): number {
    const group = this.groups.get(request.groupId);
    if (!group) return GroupError.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return GroupError.COORDINATOR_NOT_AVAILABLE;
    const invalid = group.validateMember(request.memberId, request.groupInstanceId);
    if (invalid !== GroupError.NONE) return invalid;
    if (request.generationId !== group.generationId) return GroupError.ILLEGAL_GENERATION;
    const member = group.members.get(request.memberId) as GroupMember;
    switch (group.state) {
      case 'PreparingRebalance':
        this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
        return GroupError.REBALANCE_IN_PROGRESS;
      case 'CompletingRebalance':
      case 'Stable':
        this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
        return GroupError.NONE;
      default:
        return GroupError.UNKNOWN_MEMBER_ID;
    }
  }

  leaveGroup(
    groupId: string,
    leaving: Array<{ memberId: string; groupInstanceId: string | null }>,
  ): {
    errorCode: number;
    members: Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }>;
  } {
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: GroupError.UNKNOWN_MEMBER_ID, members: [] };
    if (group.is('Dead')) return { errorCode: GroupError.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map(({ memberId, groupInstanceId }) => {
      if (groupInstanceId === null) {
        if (group.pendingMembers.has(memberId)) {
          this.removePending(group, memberId);
          return { memberId, groupInstanceId, errorCode: GroupError.NONE };
        }
        const member = group.members.get(memberId);
        if (!member) return { memberId, groupInstanceId, errorCode: GroupError.UNKNOWN_MEMBER_ID };
        this.removeMemberAndUpdate(group, member);
        return { memberId, groupInstanceId, errorCode: GroupError.NONE };
      }
      const existing = group.staticMembers.get(groupInstanceId);
      if (existing === undefined)
        return { memberId, groupInstanceId, errorCode: GroupError.UNKNOWN_MEMBER_ID };
      // An administrator may remove a static member by its instance id alone.
      if (memberId !== '' && memberId !== existing) {
        return { memberId, groupInstanceId, errorCode: GroupError.FENCED_INSTANCE_ID };
      }
      this.removeMemberAndUpdate(group, group.members.get(existing) as GroupMember);
      return { memberId: existing, groupInstanceId, errorCode: GroupError.NONE };
    });
    return { errorCode: GroupError.NONE, members };
  }

  // ---- offsets ----

  async commitOffsets(request: CommitRequest): Promise<PartitionResults[]> {
    const all = (errorCode: number): PartitionResults[] =>
      request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      }));
    if (!request.groupId) return all(GroupError.INVALID_GROUP_ID);
    let group = this.lookup(request.groupId);
    if (!group) {
      // Without group management (generation -1) a commit creates the group; else it is from a gone generation.
      if (request.generationId >= 0) return all(GroupError.ILLEGAL_GENERATION);
      group = this.create(request.groupId);
    }
    const invalid = this.validateCommit(group, request);
    if (invalid !== GroupError.NONE) return all(invalid);
    const member = group.members.get(request.memberId);
    if (member && (group.is('Stable') || group.is('PreparingRebalance'))) {
      this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
    }
    const maxMetadata = this.setting('offset.metadata.max.bytes');
    const now = this.clock.now();
    const accepted: CommittedOffset[] = [];
    const results = request.topics.map((t) => {
      const topic = this.storage.getTopic(this.cluster, t.name);
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          let errorCode: number = GroupError.NONE;
          if (!topic || p.partitionIndex < 0 || p.partitionIndex >= topic.partitions) {
            errorCode = GroupError.UNKNOWN_TOPIC_OR_PARTITION;
          } else if (p.committedMetadata !== null && Buffer.byteLength(p.committedMetadata) > maxMetadata) {
            errorCode = GroupError.OFFSET_METADATA_TOO_LARGE;
          } else {
            accepted.push({
              topic: t.name,
              partition: p.partitionIndex,
              offset: p.committedOffset,
              leaderEpoch: p.committedLeaderEpoch,
              metadata: p.committedMetadata,
              commitTimestamp: now,
            });
          }
          return { partitionIndex: p.partitionIndex, errorCode };
        }),
      };
    });
    if (accepted.length > 0) await this.storage.commitOffsets(this.cluster, request.groupId, accepted);
    if (group.is('Empty') && !group.emptyTimer) this.scheduleEmptyCleanup(group);
    return results;
  }

  private validateCommit(group: ConsumerGroup, request: MemberRef): number {
    if (group.is('Dead')) return GroupError.COORDINATOR_NOT_AVAILABLE;
    if (request.generationId < 0 && group.is('Empty')) return GroupError.NONE;
    if (request.generationId >= 0 || request.memberId !== '' || request.groupInstanceId !== null) {
      const invalid = group.validateMember(request.memberId, request.groupInstanceId);
      if (invalid !== GroupError.NONE) return invalid;
      if (request.generationId !== group.generationId) return GroupError.ILLEGAL_GENERATION;
    } else if (!group.is('Empty')) {
      // Once the group has members, only they commit.
      return GroupError.UNKNOWN_MEMBER_ID;
    }
    if (group.is('CompletingRebalance')) return GroupError.REBALANCE_IN_PROGRESS;
    return GroupError.NONE;
  }

  /** Committed offsets of the group: of the partitions asked, or all when `topics` is null. */
  fetchOffsets(
    groupId: string,
    topics: Array<{ name: string; partitionIndexes: number[] }> | null,
  ): FetchedOffsets[] {
    return readCommitted(this.storage.committedOffsets(this.cluster, groupId), topics);
  }

  // ---- admin ----

  describeGroup(groupId: string): DescribedGroup {
    const group = this.lookup(groupId);
    if (!group || group.is('Dead')) {
      return {
        errorCode: GroupError.NONE,
        groupId,
        groupState: 'Dead',
        protocolType: '',
        protocolData: '',
        members: [],
      };
    }
    const stable = group.is('Stable');
    const protocol = group.protocolName ?? '';
    return {
      errorCode: GroupError.NONE,
      groupId,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ? protocol : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadataFor(protocol) : EMPTY,
        memberAssignment: stable ? m.assignment : EMPTY,
      })),
    };
  }

  listGroups(
    statesFilter: string[],
  ): Array<{ groupId: string; protocolType: string; groupState: GroupState }> {
    const wanted = new Set(statesFilter.map((s) => s.toLowerCase()));
    const listed: Array<{ groupId: string; protocolType: string; groupState: GroupState }> = [];
    for (const group of this.groups.values()) {
      if (group.is('Dead')) continue;
      listed.push({
        groupId: group.groupId,
        protocolType: group.protocolType ?? '',
        groupState: group.state,
      });
    }
    for (const groupId of this.storage.groupsWithOffsets(this.cluster)) {
      if (!this.groups.has(groupId)) listed.push({ groupId, protocolType: '', groupState: 'Empty' });
    }
    return wanted.size === 0 ? listed : listed.filter((g) => wanted.has(g.groupState.toLowerCase()));
  }

  async deleteGroups(groupIds: string[]): Promise<Array<{ groupId: string; errorCode: number }>> {
    const results: Array<{ groupId: string; errorCode: number }> = [];
    for (const groupId of groupIds) {
      if (!groupId) {
        results.push({ groupId, errorCode: GroupError.INVALID_GROUP_ID });
        continue;
      }
      const group = this.lookup(groupId);
      if (!group || group.is('Dead')) {
        results.push({ groupId, errorCode: GroupError.GROUP_ID_NOT_FOUND });
        continue;
      }
      if (!group.is('Empty')) {
        results.push({ groupId, errorCode: GroupError.NON_EMPTY_GROUP });
        continue;
      }
      this.drop(group);
      await this.storage.deleteOffsets(this.cluster, groupId);
      results.push({ groupId, errorCode: GroupError.NONE });
    }
    return results;
  }

  /** OffsetDelete: a group's offsets of partitions it is not subscribed to. */
  async deleteOffsets(
    groupId: string,
    topics: Array<{ name: string; partitions: number[] }>,
  ): Promise<{ errorCode: number; topics: PartitionResults[] }> {
    const group = this.lookup(groupId);
    if (!group || group.is('Dead')) return { errorCode: GroupError.GROUP_ID_NOT_FOUND, topics: [] };
    let subscribed: Set<string> | undefined = new Set();
    if (!group.is('Empty')) {
      if (group.protocolType !== 'consumer') return { errorCode: GroupError.NON_EMPTY_GROUP, topics: [] };
      subscribed = this.subscriptions(group);
    }
    const remaining = this.storage.committedOffsets(this.cluster, groupId);
    const doomed = new Set<string>();
    const results = topics.map((t) => {
      const topic = this.storage.getTopic(this.cluster, t.name);
      return {
        name: t.name,
        partitions: t.partitions.map((partitionIndex) => {
          if (!topic || partitionIndex < 0 || partitionIndex >= topic.partitions) {
            return { partitionIndex, errorCode: GroupError.UNKNOWN_TOPIC_OR_PARTITION };
          }
          // Offsets of a topic the group may be consuming stay: its members would lose their place.
          if (subscribed === undefined || subscribed.has(t.name)) {
            return { partitionIndex, errorCode: GroupError.GROUP_SUBSCRIBED_TO_TOPIC };
          }
          doomed.add(`${t.name}\u0000${partitionIndex}`);
          return { partitionIndex, errorCode: GroupError.NONE };
        }),
      };
    });
    if (doomed.size > 0) {
      const kept = remaining.filter((c) => !doomed.has(`${c.topic}\u0000${c.partition}`));
      const touched = [
        ...new Set(remaining.filter((c) => doomed.has(`${c.topic}\u0000${c.partition}`)).map((c) => c.topic)),
      ];
      if (touched.length > 0) {
        await this.storage.deleteOffsets(this.cluster, groupId, touched);
        const restore = kept.filter((c) => touched.includes(c.topic));
        if (restore.length > 0) await this.storage.commitOffsets(this.cluster, groupId, restore);
      }
    }
    if (group.is('Empty') && !group.emptyTimer) this.scheduleEmptyCleanup(group);
    return { errorCode: GroupError.NONE, topics: results };
  }

  /** Topics the members subscribe to, read from the consumer protocol; undefined if unreadable. */
  private subscriptions(group: ConsumerGroup): Set<string> | undefined {
    const topics = new Set<string>();
    for (const m of group.members.values()) {
      const parsed = subscribedTopics(m.metadataFor(group.protocolName ?? m.protocols[0]?.name ?? ''));
      if (!parsed) return undefined;
      for (const t of parsed) topics.add(t);
    }
    return topics;
  }

  private drop(group: ConsumerGroup) {
    this.scheduler.cancel(group.joinTimer);
    this.scheduler.cancel(group.syncTimer);
    this.scheduler.cancel(group.emptyTimer);
    for (const timer of group.pendingMembers.values()) this.scheduler.cancel(timer);
    for (const m of group.members.values()) {
      this.scheduler.cancel(m.timer);
      const joinWaiter = m.joinWaiter;
      const syncWaiter = m.syncWaiter;
      m.joinWaiter = undefined;
      m.syncWaiter = undefined;
      // Parked requests of a cluster going away: clients look for the coordinator again.
      joinWaiter?.(joinError(GroupError.NOT_COORDINATOR, m.memberId));
      syncWaiter?.(syncError(GroupError.NOT_COORDINATOR));
    }
    group.transitionTo('Dead', this.clock.now());
    this.groups.delete(group.groupId);
  }

  // ---- GroupCoordinatorApi ----

  async clear(): Promise<void> {
    for (const group of [...this.groups.values()]) this.drop(group);
  }

  async topicDeleted(topic: string): Promise<void> {
    for (const groupId of this.storage.groupsWithOffsets(this.cluster)) {
      if (this.storage.committedOffsets(this.cluster, groupId).some((c) => c.topic === topic)) {
        await this.storage.deleteOffsets(this.cluster, groupId, [topic]);
      }
    }
  }

  close(): void {
    for (const group of [...this.groups.values()]) this.drop(group);
  }
}

export type { JoinResult, SyncResult } from './group.js';
export type * from './requests.js';

/** JoinGroup's answer for a member of the group's current generation: the leader alone gets the members. */
function generationAnswer(group: ConsumerGroup, memberId: string, withMembers: boolean): JoinResult {
  return {
    errorCode: GroupError.NONE,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leader: group.leaderId ?? '',
    skipAssignment: false,
    memberId,
    members: withMembers ? group.currentMembers() : [],
  };
}

// One Kafka cluster served by this process: its configuration, users, group coordinator and the
// listeners and connections it owns.
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { Scheduler } from '../../../core/scheduler.js';
import type { KafkaLogStorage } from '../../../storage/types.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { BROKER_DEFAULTS, DEFAULT_CLUSTER_PROPERTIES, mskDefaultProperties } from './configs.js';
import type { KafkaListener } from './listener.js';
import { newKafkaUuid } from './topic-names.js';
import type {
  ClusterRuntime,
  GroupCoordinatorApi,
  KafkaClusterSpec,
  ListenerAddress,
  ScramUser,
} from './types.js';

export interface ClusterDeps {
  storage: KafkaLogStorage;
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
}

export class KafkaCluster implements ClusterRuntime {
  readonly id: string;
  readonly clusterId: string;
  readonly isDefault: boolean;
  readonly brokerNodes: number;
  private readonly zones: number | undefined;
  readonly account: string;
  readonly region: string;
  readonly topics: KafkaLogStorage;
  readonly groups: GroupCoordinatorApi;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** Bound listeners, in the order opened. */
  readonly bound: KafkaListener[] = [];
  private properties: Record<string, string>;
  private users: ReadonlyMap<string, ScramUser> = new Map();

  constructor(spec: KafkaClusterSpec, deps: ClusterDeps) {
    this.id = spec.id;
    this.clusterId = spec.clusterId ?? newKafkaUuid();
    this.isDefault = spec.id === 'default';
    this.brokerNodes = Math.max(1, spec.brokerNodes);
    this.zones = spec.zones;
    this.account = spec.account;
    this.region = spec.region;
    this.topics = deps.storage;
    this.clock = deps.clock;
    this.scheduler = deps.scheduler;
    this.log = deps.log;
    this.properties = this.withBase(spec.serverProperties);
    this.groups = new GroupCoordinator({
      cluster: this.id,
      storage: deps.storage,
      clock: deps.clock,
      scheduler: deps.scheduler,
      log: deps.log,
      config: (name: string) => this.config(name),
    });
    this.applyRetentionDefaults();
  }

  /** server.properties over Kafka's defaults; the default cluster's and MSK's own defaults first. */
  private withBase(serverProperties: Record<string, string>): Record<string, string> {
    const base = this.isDefault
      ? DEFAULT_CLUSTER_PROPERTIES
      : mskDefaultProperties(this.brokerNodes, this.zones);
    return { ...base, ...serverProperties };
  }

  config(name: string): string | undefined {
    return this.properties[name] ?? BROKER_DEFAULTS[name]?.value ?? undefined;
  }

  /** Only what the cluster's server.properties sets (DescribeConfigs' STATIC_BROKER_CONFIG). */
  staticConfig(name: string): string | undefined {
    return this.properties[name];
  }

  staticConfigNames(): string[] {
    return Object.keys(this.properties);
  }

  reconfigure(serverProperties: Record<string, string>): void {
    this.properties = this.withBase(serverProperties);
    this.applyRetentionDefaults();
  }

  /** Kafka takes log.retention.ms, else .minutes, else .hours; -1 keeps everything. */
  applyRetentionDefaults(): void {
    const ms = this.properties['log.retention.ms'];
    const minutes = this.properties['log.retention.minutes'];
    const hours = this.config('log.retention.hours') ?? '168';
    let retentionMs: number;
    if (ms !== undefined) retentionMs = Number(ms);
    else if (minutes !== undefined) retentionMs = Number(minutes) * 60_000;
    else retentionMs = Number(hours) * 3_600_000;
    if (!Number.isFinite(retentionMs) || retentionMs < 0) retentionMs = -1;
    let retentionBytes = Number(this.config('log.retention.bytes') ?? '-1');
    if (!Number.isFinite(retentionBytes) || retentionBytes < 0) retentionBytes = -1;
    this.topics.setRetentionDefaults(this.id, { retentionMs, retentionBytes });
  }

  listeners(): ListenerAddress[] {
    return this.bound.map((l) => l.address);
  }

  scramUsers(): ReadonlyMap<string, ScramUser> {
    return this.users;
  }

  setScramUsers(users: ScramUser[]): void {
    // New logins read the new set; sessions already authenticated go on, as on a Kafka broker.
    this.users = new Map(users.map((u) => [u.username, u]));
  }

  /** Closes listeners and every connection; the data stays unless the caller drops it. */
  async closeListeners(): Promise<void> {
    const listeners = this.bound.splice(0);
    await Promise.all(listeners.map((l) => l.close()));
  }
}

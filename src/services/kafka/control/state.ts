import { randomBytes, randomUUID } from 'node:crypto';
import { formatArn } from '../../../core/arn.js';
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { Scheduler, Timer } from '../../../core/scheduler.js';
import type { Journal } from '../../../storage/embedded/journal.js';
import { EmbeddedRecords } from '../../../storage/embedded/records.js';
import type { KeyFrontDoor } from '../../kms/front-door.js';
import type { SecretsFrontDoor } from '../../secretsmanager/front-door.js';
import type { KafkaBrokerControl, KafkaClusterSpec, ScramUser } from '../broker/types.js';
import { mskError } from './errors.js';
import { listenerKinds, SERVERLESS_LISTENERS } from './listeners.js';
import { parseServerProperties } from './properties.js';
import type { ClusterRecord, ConfigurationRecord, OperationRecord, OperationType } from './records.js';

export interface MskDeps {
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  journal?: Journal;
  brokers: KafkaBrokerControl;
  /** How long a cluster stays CREATING, UPDATING or DELETING; 0 completes each change within its call. */
  statusDelayMs: number;
  secrets: () => SecretsFrontDoor | undefined;
  kms: () => KeyFrontDoor | undefined;
}

const VERSION_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** MSK's CurrentVersion strings: 14 characters, a new one with every change. */
function newVersion(): string {
  let text = '';
  for (const b of randomBytes(14)) text += VERSION_CHARS[b % VERSION_CHARS.length];
  return text;
}

/** MSK's resource ids end in a uuid and a short suffix (`…-4`). */
function resourceId(): string {
  return `${randomUUID()}-${1 + (randomBytes(1)[0]! % 25)}`;
}

/**
 * The MSK clusters and configurations, and the lifecycle that carries a cluster through CREATING,
 * UPDATING and DELETING on the clock, opening and closing its brokers' listeners.
 */
export class MskState {
  readonly clusters: EmbeddedRecords<ClusterRecord>;
  readonly configurations: EmbeddedRecords<ConfigurationRecord>;
  private readonly timers = new Map<string, Timer>();
  /** SCRAM users last handed to each cluster's broker, to skip re-reads that changed nothing. */
  private readonly pushedUsers = new Map<string, string>();
  private readonly refreshing = new Map<string, Promise<void>>();
  private unobserve: (() => void) | undefined;

  constructor(readonly deps: MskDeps) {
    this.clusters = new EmbeddedRecords('mskClusters', deps.journal, (c) => c.arn);
    this.configurations = new EmbeddedRecords('mskConfigurations', deps.journal, (c) => c.arn);
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  clusterArn(account: string, region: string, name: string): string {
    return formatArn('kafka', region, account, `cluster/${name}/${resourceId()}`);
  }

  configurationArn(account: string, region: string, name: string): string {
    return formatArn('kafka', region, account, `configuration/${name}/${resourceId()}`);
  }

  operationArn(cluster: ClusterRecord): string {
    const [, , id] = cluster.arn.split(':').at(-1)!.split('/');
    return formatArn(
      'kafka',
      cluster.region,
      cluster.account,
      `cluster-operation/${cluster.name}/${id}/${randomUUID()}`,
    );
  }

  newVersion(): string {
    return newVersion();
  }

  /** A cluster of the caller's account and region, or NotFoundException. */
  cluster(arn: string, caller: { account: string; region: string }): ClusterRecord {
    const cluster = this.clusters.get(arn);
    if (!cluster || cluster.account !== caller.account || cluster.region !== caller.region)
      throw mskError.clusterNotFound(arn);
    return cluster;
  }

  configuration(arn: string, caller: { account: string; region: string }): ConfigurationRecord {
    const configuration = this.configurations.get(arn);
    if (!configuration || configuration.account !== caller.account || configuration.region !== caller.region)
      throw mskError.configurationNotFound(arn);
    return configuration;
  }

  /**
   * The server.properties of the cluster's configuration revision: the broker lays them over MSK's
   * default configuration (broker/configs.ts), as MSK does.
   */
  serverProperties(cluster: ClusterRecord): Record<string, string> {
    if (!cluster.configuration) return {};
    const configuration = this.configurations.get(cluster.configuration.arn);
    const revision = configuration?.revisions.find((r) => r.revision === cluster.configuration?.revision);
    return revision ? parseServerProperties(revision.serverProperties) : {};
  }

  listeners(cluster: ClusterRecord) {
    return cluster.type === 'SERVERLESS'
      ? SERVERLESS_LISTENERS
      : listenerKinds(cluster.clientAuthentication, cluster.clientBroker);
  }

  /**
   * Starts an operation on the cluster and completes it after the status delay: within the call
   * when the delay is 0, so SDK waiters succeed on their first poll.
   */
  async begin(
    cluster: ClusterRecord,
    type: OperationType,
    extra: Partial<OperationRecord> = {},
  ): Promise<OperationRecord> {
    const now = this.clock.now();
    const operation: OperationRecord = {
      arn: this.operationArn(cluster),
      type,
      state: type === 'CREATE' ? 'PENDING' : 'UPDATE_IN_PROGRESS',
      createdAt: now,
      ...extra,
    };
    cluster.operations.push(operation);
    cluster.pending = { operationArn: operation.arn, at: now + this.deps.statusDelayMs };
    await this.clusters.put(cluster.arn, cluster);
    if (this.deps.statusDelayMs === 0) await this.complete(cluster.arn);
    else this.schedule(cluster);
    return operation;
  }

  private schedule(cluster: ClusterRecord): void {
    const pending = cluster.pending;
    if (!pending) return;
    this.deps.scheduler.cancel(this.timers.get(cluster.arn));
    this.timers.set(
      cluster.arn,
      this.deps.scheduler.at(pending.at, () => {
        this.timers.delete(cluster.arn);
        this.complete(cluster.arn).catch((err) =>
          this.deps.log.error({ err, cluster: cluster.arn }, 'MSK cluster change failed'),
        );
      }),
    );
  }

  /** Completes the cluster's pending change: opens, reconfigures or closes its brokers. */
  async complete(arn: string): Promise<void> {
    const cluster = this.clusters.get(arn);
    const pending = cluster?.pending;
    if (!cluster || !pending) return;
    const operation = cluster.operations.find((o) => o.arn === pending.operationArn);
    cluster.pending = undefined;
    const end = (state: OperationRecord['state'], error?: OperationRecord['error']) => {
      if (!operation) return;
      operation.state = state;
      operation.endedAt = this.clock.now();
      if (error) operation.error = error;
    };
    switch (operation?.type) {
      case 'CREATE':
        try {
          await this.open(cluster);
          cluster.state = 'ACTIVE';
          end('UPDATE_COMPLETE');
        } catch (err) {
          const message = `The cluster's listeners could not be opened: ${(err as Error).message}`;
          cluster.state = 'FAILED';
          cluster.stateInfo = { code: 'InternalServerError', message };
          end('UPDATE_FAILED', { code: 'InternalServerError', message });
        }
        break;
      case 'UPDATE_CLUSTER_CONFIGURATION':
        if (operation.target) cluster.configuration = operation.target;
        this.deps.brokers.reconfigure(cluster.arn, this.serverProperties(cluster));
        cluster.state = 'ACTIVE';
        cluster.currentVersion = newVersion();
        end('UPDATE_COMPLETE');
        break;
      case 'DELETE':
        await this.deps.brokers.closeCluster(cluster.arn, { dropData: true });
        this.pushedUsers.delete(cluster.arn);
        await this.clusters.delete(cluster.arn);
        return;
      default:
        break;
    }
    await this.clusters.put(cluster.arn, cluster);
  }

  private async open(cluster: ClusterRecord): Promise<void> {
    const spec: KafkaClusterSpec = {
      id: cluster.arn,
      account: cluster.account,
      region: cluster.region,
      clusterId: cluster.kafkaClusterId,
      listeners: this.listeners(cluster),
      ports: cluster.ports,
      serverProperties: this.serverProperties(cluster),
      brokerNodes: cluster.brokerNodes,
      zones: cluster.brokerNodeGroupInfo?.ClientSubnets?.length ?? 3,
    };
    const addresses = await this.deps.brokers.openCluster(spec);
    cluster.ports = Object.fromEntries(addresses.map((a) => [a.kind, a.port]));
    cluster.kafkaClusterId = this.deps.brokers.cluster(cluster.arn)?.clusterId ?? cluster.kafkaClusterId;
    this.pushedUsers.delete(cluster.arn);
    await this.refreshUsers(cluster.arn);
  }

  /**
   * Hands the cluster's broker the SCRAM users of its associated secrets, read again from their
   * AWSCURRENT values; a secret that can no longer be read (deleted, its key disabled) gives none.
   */
  refreshUsers(arn: string): Promise<void> {
    const previous = this.refreshing.get(arn) ?? Promise.resolve();
    const next = previous.then(async () => {
      const cluster = this.clusters.get(arn);
      if (!cluster || !this.deps.brokers.cluster(arn)) return;
      const users: ScramUser[] = [];
      for (const secretArn of cluster.scramSecrets) {
        const user = await this.readUser(secretArn);
        if (user) users.push(user);
      }
      const key = JSON.stringify(users);
      if (this.pushedUsers.get(arn) === key) return;
      this.pushedUsers.set(arn, key);
      this.deps.brokers.setScramUsers(arn, users);
    });
    const settled = next.catch((err) =>
      this.deps.log.error({ err, cluster: arn }, 'MSK SCRAM users not refreshed'),
    );
    this.refreshing.set(arn, settled);
    return settled;
  }

  /** The SCRAM user a secret holds now, if it can be read and holds one. */
  async readUser(secretArn: string): Promise<ScramUser | undefined> {
    const secrets = this.deps.secrets();
    const facts = secrets?.describe(secretArn);
    if (!secrets || !facts || facts.deleted) return undefined;
    // MSK reads secrets with a grant on their customer managed key: a secret moved to the default
    // key (or any AWS managed key) after its association can no longer be read, so its user goes.
    if (facts.kmsKeyId === undefined) return undefined;
    const [, , , region, account] = secretArn.split(':');
    const key = this.deps.kms()?.describe(facts.kmsKeyId, { account, region });
    if (key?.ok && key.manager === 'AWS') return undefined;
    try {
      return scramUser(secretArn, await secrets.read(secretArn));
    } catch {
      return undefined;
    }
  }

  /** After start: reopens kept clusters on their previous ports and resumes changes in flight. */
  async reopen(): Promise<void> {
    this.watchSecrets();
    for (const cluster of this.clusters.values()) {
      if (cluster.pending) {
        const operation = cluster.operations.find((o) => o.arn === cluster.pending?.operationArn);
        // A cluster still CREATING has no listeners yet; the others had theirs open before.
        if (operation?.type !== 'CREATE') await this.openQuietly(cluster);
        if (cluster.pending.at <= this.clock.now()) await this.complete(cluster.arn);
        else this.schedule(cluster);
      } else if (cluster.state === 'ACTIVE' || cluster.state === 'UPDATING') await this.openQuietly(cluster);
    }
  }

  private async openQuietly(cluster: ClusterRecord): Promise<void> {
    try {
      await this.open(cluster);
      await this.clusters.put(cluster.arn, cluster);
    } catch (err) {
      this.deps.log.error({ err, cluster: cluster.arn }, 'MSK cluster listeners not reopened');
    }
  }

  /** A changed secret re-reads the users of the clusters it is associated with. */
  watchSecrets(): void {
    if (this.unobserve) return;
    this.unobserve = this.deps.secrets()?.observe((secretArn) => {
      for (const cluster of this.clusters.values())
        if (cluster.scramSecrets.includes(secretArn)) void this.refreshUsers(cluster.arn);
    });
  }

  async clear(): Promise<void> {
    for (const timer of this.timers.values()) this.deps.scheduler.cancel(timer);
    this.timers.clear();
    for (const cluster of this.clusters.values())
      await this.deps.brokers.closeCluster(cluster.arn, { dropData: true });
    this.pushedUsers.clear();
    await Promise.all([this.clusters.clear(), this.configurations.clear()]);
  }

  close(): void {
    for (const timer of this.timers.values()) this.deps.scheduler.cancel(timer);
    this.timers.clear();
    this.unobserve?.();
    this.unobserve = undefined;
  }
}

/** A secret's value as MSK reads it: a JSON object with a username and a password. */
export function scramUser(secretArn: string, value: string): ScramUser | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const { username, password } = (parsed ?? {}) as { username?: unknown; password?: unknown };
  if (typeof username !== 'string' || typeof password !== 'string' || username === '' || password === '')
    return undefined;
  return { username, password, secretArn };
}

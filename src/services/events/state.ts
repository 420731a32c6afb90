import { formatArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler } from '../../core/scheduler.js';
import type { Journal } from '../../storage/embedded/journal.js';
import { EmbeddedRecords } from '../../storage/embedded/records.js';
import type { FrontDoors, ServiceSettings } from '../registry.js';
import type {
  ApiDestinationRecord,
  ArchivedEventRecord,
  ArchiveRecord,
  BusEvent,
  BusRecord,
  ConnectionRecord,
  EndpointRecord,
  PartnerSourceRecord,
  ReplayRecord,
  RuleRecord,
  TargetRecord,
} from './records.js';

/**
 * Everything EventBridge's parts share: the stores, the clock, the other services' front doors,
 * and the seams between its parts (routing, target kinds, event observers). Built when the server
 * starts, because scheduled rules fire and other services deliver before any EventBridge request.
 */

export const DEFAULT_BUS = 'default';

/** AWS's per-account quotas that `--events-quotas` enforces, by the name its flag takes. */
export interface EventsQuotas {
  /** Rules per event bus (AWS default 300). */
  'rules-per-bus': number;
  /** Rules per bus whose pattern uses wildcard (30). */
  'wildcard-rules-per-bus': number;
  /** Targets per rule (5, not adjustable in AWS but kept raisable here). */
  'targets-per-rule': number;
  /** Entries per PutEvents call (10). */
  'put-events-entries': number;
  /** Event buses per account (100). */
  'buses-per-account': number;
  /** Archives per account (10). */
  'archives-per-account': number;
  /** Connections and API destinations per account (3000 each). */
  'connections-per-account': number;
  'api-destinations-per-account': number;
}

export const DEFAULT_QUOTAS: EventsQuotas = {
  'rules-per-bus': 300,
  'wildcard-rules-per-bus': 30,
  'targets-per-rule': 5,
  'put-events-entries': 10,
  'buses-per-account': 100,
  'archives-per-account': 10,
  'connections-per-account': 3000,
  'api-destinations-per-account': 3000,
};

export interface EventsQuotaSettings {
  /** Whether the quotas are enforced at all (off unless `--events-quotas`). */
  enforced: boolean;
  /** Quotas raised (or lowered) from their defaults, as an account's increases would be. */
  overrides: Partial<EventsQuotas>;
}

/** Where a delivery ended, for retries, dead-letter queues and logs. */
export type TargetResult =
  | { kind: 'delivered' }
  /** Worth retrying under the target's RetryPolicy (throttling, 5xx, a connection error). */
  | {
      kind: 'retryable';
      errorCode: string;
      errorMessage: string;
      /** The endpoint's Retry-After in seconds (API destinations): wait at least this long before the next try. */
      retryAfterSeconds?: number;
    }
  /** Not retried: straight to the dead-letter queue (permissions, a missing resource, KMS, size). */
  | { kind: 'failed'; errorCode: string; errorMessage: string };

/** What a target kind receives for one event. */
export interface TargetInvocation {
  rule: RuleRecord;
  target: TargetRecord;
  /** The event as routed (after replay-name is set). */
  event: BusEvent;
  /** The text the target receives: the event's JSON, or what Input/InputPath/InputTransformer made. */
  payload: string;
  traceHeader?: string;
  /** `--lenient-policies`: deliver where only a resource policy keeps the service out, and say so. */
  lenient: boolean;
}

/** One kind of target (SQS, SNS, Kinesis, an event bus, an API destination, Lambda…), by its ARN. */
export interface TargetKind {
  /** The service part of the target's ARN (`sqs`, `sns`, `kinesis`, `events`, `lambda`, …). */
  accepts(arn: string): boolean;
  deliver(invocation: TargetInvocation): Promise<TargetResult>;
}

export interface RouteOptions {
  /** Sets `replay-name` on the event and limits routing to ruleArns when given. */
  replayName?: string;
  /** Only these rules (replays naming rules; a scheduled rule firing itself). */
  ruleArns?: readonly string[];
  /** A scheduled firing: deliver to these rules' targets without matching their pattern. */
  direct?: boolean;
  traceHeader?: string;
}

/** Takes accepted events to the rules of a bus and on to their targets (router.ts). */
export interface EventRouter {
  route(bus: BusRecord, event: BusEvent, options?: RouteOptions): void;
  /** An AWS service's event to the account's default bus (EventsFrontDoor.putServiceEvent). */
  putServiceEvent(account: string, region: string, event: ServiceEvent): void;
}

/** What an AWS service says in an event; EventBridge adds the envelope's other fields. */
export interface ServiceEvent {
  source: string;
  'detail-type': string;
  resources: string[];
  detail: unknown;
}

/** Sees every event a bus accepts (archives, schema discoverers), after it is accepted. */
export type EventObserver = (bus: BusRecord, event: BusEvent) => void;

/**
 * EventBridge for the services built after it (schemas' discoverers, S3's notifications): events
 * from AWS services to an account's default bus, and a look at the buses.
 */
export interface EventsFrontDoor {
  /** An AWS service's event (source `aws.<service>`) to the account's default bus, routed as PutEvents would. */
  putServiceEvent(account: string, region: string, event: ServiceEvent): void;
  /** Sees every event every bus accepts; returns the way to stop. */
  observe(observer: EventObserver): () => void;
  describeBus(arn: string): BusRecord | undefined;
}

export interface EventsStateOptions {
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  journal?: Journal;
  frontDoors: FrontDoors;
  settings: ServiceSettings;
}

export class EventsState {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly frontDoors: FrontDoors;
  readonly settings: ServiceSettings;

  readonly buses: EmbeddedRecords<BusRecord>;
  readonly rules: EmbeddedRecords<RuleRecord>;
  readonly archives: EmbeddedRecords<ArchiveRecord>;
  readonly archivedEvents: EmbeddedRecords<ArchivedEventRecord>;
  readonly replays: EmbeddedRecords<ReplayRecord>;
  readonly connections: EmbeddedRecords<ConnectionRecord>;
  readonly apiDestinations: EmbeddedRecords<ApiDestinationRecord>;
  readonly endpoints: EmbeddedRecords<EndpointRecord>;
  readonly partnerSources: EmbeddedRecords<PartnerSourceRecord>;

  /** Bumped on every change to a rule; each bus remembers the count of its own last change. */
  rulesVersion = 0;
  private readonly busRuleVersions = new Map<string, number>();
  private clearedAt = 0;
  /** Set by router.ts when it is built. */
  router?: EventRouter;
  readonly targetKinds: TargetKind[] = [];
  readonly observers = new Set<EventObserver>();
  /** Told after every rule change (scheduled rules re-arm their firings). */
  readonly ruleListeners = new Set<(rule: RuleRecord, deleted: boolean) => void>();

  constructor(options: EventsStateOptions) {
    this.clock = options.clock;
    this.scheduler = options.scheduler;
    this.log = options.log;
    this.frontDoors = options.frontDoors;
    this.settings = options.settings;
    const journal = options.journal;
    this.buses = new EmbeddedRecords('eventBuses', journal, (b) => b.arn);
    this.rules = new EmbeddedRecords('eventRules', journal, (r) => r.arn);
    this.archives = new EmbeddedRecords('eventArchives', journal, (a) => a.arn);
    this.archivedEvents = new EmbeddedRecords('eventArchivedEvents', journal, (e) => e.key);
    this.replays = new EmbeddedRecords('eventReplays', journal, (r) => r.arn);
    this.connections = new EmbeddedRecords('eventConnections', journal, (c) => c.arn);
    this.apiDestinations = new EmbeddedRecords('eventApiDestinations', journal, (d) => d.arn);
    this.endpoints = new EmbeddedRecords('eventEndpoints', journal, (e) => e.arn);
    this.partnerSources = new EmbeddedRecords('eventPartnerSources', journal, (p) => p.key);
  }

  busArn(account: string, region: string, name: string): string {
    return formatArn('events', region, account, `event-bus/${name}`);
  }

  /** The rule's ARN: rules on the default bus are `rule/<name>`, others `rule/<bus>/<name>`. */
  ruleArn(account: string, region: string, busName: string, ruleName: string): string {
    const resource = busName === DEFAULT_BUS ? `rule/${ruleName}` : `rule/${busName}/${ruleName}`;
    return formatArn('events', region, account, resource);
  }

  /** A bus by ARN; each account and region's `default` bus exists from its first use. */
  bus(account: string, region: string, name: string): BusRecord | undefined {
    const arn = this.busArn(account, region, name);
    const found = this.buses.get(arn);
    if (found || name !== DEFAULT_BUS) return found;
    const now = this.clock.now();
    const created: BusRecord = {
      arn,
      name,
      account,
      region,
      createdAt: now,
      lastModifiedAt: now,
      tags: [],
    };
    // AWS shows every account's default bus from the start: it is made on first use.
    void this.buses.put(arn, created);
    return created;
  }

  /** Changes when, and only when, the bus's rules change: the router rebuilds only that bus's index. */
  rulesVersionOf(busArn: string): number {
    return this.busRuleVersions.get(busArn) ?? this.clearedAt;
  }

  private ruleChanged(busArn: string | undefined): void {
    this.rulesVersion++;
    if (busArn !== undefined) this.busRuleVersions.set(busArn, this.rulesVersion);
  }

  async putRule(rule: RuleRecord): Promise<void> {
    this.ruleChanged(rule.busArn);
    await this.rules.put(rule.arn, rule);
    for (const listener of this.ruleListeners) listener(rule, false);
  }

  async deleteRule(arn: string): Promise<void> {
    const rule = this.rules.get(arn);
    this.ruleChanged(rule?.busArn);
    await this.rules.delete(arn);
    if (rule) for (const listener of this.ruleListeners) listener(rule, true);
  }

  /** A quota's value when `--events-quotas` enforces quotas, else undefined (no limit). */
  quota(name: keyof EventsQuotas): number | undefined {
    const quotas = this.settings.eventsQuotas;
    if (!quotas?.enforced) return undefined;
    return quotas.overrides[name] ?? DEFAULT_QUOTAS[name];
  }

  rulesOf(busArn: string): RuleRecord[] {
    return this.rules.values().filter((r) => r.busArn === busArn);
  }

  targetKind(arn: string): TargetKind | undefined {
    return this.targetKinds.find((kind) => kind.accepts(arn));
  }

  async clear(): Promise<void> {
    this.rulesVersion++;
    this.busRuleVersions.clear();
    this.clearedAt = this.rulesVersion;
    await Promise.all([
      this.buses.clear(),
      this.rules.clear(),
      this.archives.clear(),
      this.archivedEvents.clear(),
      this.replays.clear(),
      this.connections.clear(),
      this.apiDestinations.clear(),
      this.endpoints.clear(),
      this.partnerSources.clear(),
    ]);
  }
}

import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Scheduler } from '../core/scheduler.js';
import type { HintRecorder } from '../knowhow/live/hints.js';
import type { LiveSource } from '../knowhow/live/sources.js';
import type { HttpReply, ServiceDefinition } from '../protocols/service.js';
import type { Journal } from '../storage/embedded/journal.js';
import type { QueueStorage } from '../storage/types.js';
import { eventsModule } from './events/index.js';
import type { EventsFrontDoor, EventsQuotaSettings } from './events/state.js';
import type { FirehoseFrontDoor } from './firehose/front-door.js';
import { firehoseModule } from './firehose/index.js';
import type { KafkaFrontDoor } from './kafka/front-door.js';
import { kafkaModule } from './kafka/index.js';
import type { StreamFrontDoor } from './kinesis/deliveries.js';
import { kinesisModule } from './kinesis/index.js';
import type { KeyFrontDoor } from './kms/front-door.js';
import { kmsModule } from './kms/index.js';
import type { S3FrontDoor } from './s3/front-door.js';
import { s3Module } from './s3/index.js';
import { schemasModule } from './schemas/index.js';
import type { SecretsFrontDoor } from './secretsmanager/front-door.js';
import { secretsManagerModule } from './secretsmanager/index.js';
import type { TopicFrontDoor } from './sns/front-door.js';
import { snsModule } from './sns/index.js';
import type { QueueFrontDoor } from './sqs/deliveries.js';
import { sqsModule } from './sqs/index.js';

/** Server-wide settings a service may read; each service documents the ones it uses. */
export interface ServiceSettings {
  lenientPolicies?: boolean;
  kinesisStatusDelayMs?: number;
  kinesisLimits?: boolean;
  /** How long an MSK cluster stays CREATING, UPDATING or DELETING, in clock milliseconds (0: within the call). */
  mskStatusDelayMs?: number;
  /** EventBridge quotas (`--events-quotas`); none enforced when absent. */
  eventsQuotas?: EventsQuotaSettings;
  /**
   * The default Kafka cluster's listener (`--kafka-port`; `port` 0 picks a free one); no default
   * cluster when absent. MSK clusters made through the API get their own listeners either way.
   */
  kafka?: { host: string; port: number };
  /** The host MSK clusters' listeners bind (the HTTP listener's). */
  host?: string;
}

/** What the server hands every service when it builds it. */
export interface ServiceEnvironment {
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  /** The SQLite journal with --data-dir; a service's own stores write to it (EmbeddedRecords). */
  journal?: Journal;
  /** The --data-dir folder, for what a service keeps beside the journal (KMS's master key). */
  dataDir?: string;
  /** The queue engine: SQS's store. */
  queues: QueueStorage;
  /** The entries of the services built before this one, for deliveries to them. */
  frontDoors: FrontDoors;
  settings: ServiceSettings;
  /** Runtime hints for `tideway doctor` (hints.ts): request paths record what shows a mistake. */
  hints?: HintRecorder;
}

/**
 * Each service's one entry for deliveries from the others: it runs the target's own validation,
 * resource policy (aws:SourceArn, aws:SourceAccount) and accounting, as its API would.
 */
export interface FrontDoors {
  /** KMS's key use for services that encrypt (kms/front-door.ts): built first, used by the rest. */
  kms?: KeyFrontDoor;
  /** Secrets Manager for services that keep credentials in secrets (EventBridge connections). */
  secretsmanager?: SecretsFrontDoor;
  sqs?: QueueFrontDoor;
  /** SNS's Publish for service principals (sns/front-door.ts); loads SNS's code on first use. */
  sns?: TopicFrontDoor;
  /** Kinesis's PutRecord(s) for services writing as a role (kinesis/deliveries.ts); loads on first use. */
  kinesis?: StreamFrontDoor;
  /** EventBridge: AWS services' events to default buses, and bus observers (schemas' discoverers). */
  events?: EventsFrontDoor;
  /** S3's PutObject for services writing objects (Firehose); loads S3's code on first use. */
  s3?: S3FrontDoor;
  /** Firehose's PutRecordBatch for services writing records (SNS, EventBridge); loads on first use. */
  firehose?: FirehoseFrontDoor;
  /** Topics of the Kafka clusters this process serves, for services reading them (Firehose's MSKAsSource). */
  kafka?: KafkaFrontDoor;
}

/** A read-only admin endpoint under /_tideway/ (the SNS outbox). */
export type AdminView = (query: URLSearchParams) => HttpReply | Promise<HttpReply>;

/**
 * One AWS service as the server sees it: its wire definition (name, protocols, model, handlers,
 * and `load` until its code is loaded on first use), plus what the server does with it.
 */
export interface ServiceModule {
  definition: ServiceDefinition;
  /** AWS serves it to browser SDKs: preflights are answered and its answers carry CORS headers. */
  cors: boolean;
  /** Drops every resource of the service (admin reset), stored and in memory. */
  reset(): Promise<void>;
  /** Ends work in flight at shutdown; the shared storage engine is closed after every service. */
  close(): void | Promise<void>;
  /** Admin views, keyed by path under /_tideway/. */
  views?: Record<string, AdminView>;
  /** Documents served by GET at a fixed path, as AWS serves them (the SNS signing certificate). */
  documents?: Record<string, () => HttpReply | Promise<HttpReply>>;
  /** The entries it offers the services built after it. */
  frontDoors?: FrontDoors;
  /** Its resources for `tideway doctor`'s inventory (knowhow/live/collect.ts). */
  live?: LiveSource;
  /**
   * Opens what the service serves beside HTTP, once the HTTP listener is bound (the default Kafka
   * cluster's listener), answering where.
   */
  listen?(): Promise<{ kafka?: { host: string; port: number } } | undefined>;
}

export interface ServiceFactory {
  name: string;
  create(env: ServiceEnvironment): ServiceModule;
}

/**
 * Every service Tideway serves, in routing order (a delivery target before its sources where it
 * can be; S3, EventBridge and Firehose deliver to each other, so they read `frontDoors` at
 * delivery time, when all are built); adding one is adding its line.
 */
export const SERVICES: readonly ServiceFactory[] = [
  kmsModule,
  secretsManagerModule,
  sqsModule,
  snsModule,
  kinesisModule,
  eventsModule,
  schemasModule,
  s3Module,
  firehoseModule,
  kafkaModule,
];

/** Builds every service in order, each seeing the front doors of those built before it. */
export function buildServices(
  env: Omit<ServiceEnvironment, 'frontDoors'>,
  factories: readonly ServiceFactory[] = SERVICES,
): ServiceModule[] {
  const environment: ServiceEnvironment = { ...env, frontDoors: {} };
  return factories.map((factory) => {
    const module = factory.create(environment);
    Object.assign(environment.frontDoors, module.frontDoors);
    return module;
  });
}

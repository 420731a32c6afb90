import type * as EB from '@aws-sdk/client-eventbridge';
import type { JsonValue } from '../../core/patterns/operators.js';

/**
 * What EventBridge keeps, one row per resource in the journal (`--data-dir`) or in memory. Field
 * names follow the API's where they are the API's; times are clock milliseconds.
 */

export interface Tag {
  Key: string;
  Value: string;
}

export interface BusRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  description?: string;
  /** As given to CreateEventBus/UpdateEventBus (key id, ARN, alias name or alias ARN). */
  kmsKeyIdentifier?: string;
  /** The bus-level dead-letter queue: only events that fail KMS encryption/decryption go there. */
  deadLetterArn?: string;
  logConfig?: EB.LogConfig;
  /** The bus's resource policy as a JSON text (PutPermission builds it statement by statement). */
  policy?: string;
  /** Set for a partner event bus: the event source it was created from. */
  eventSourceName?: string;
  createdAt: number;
  lastModifiedAt: number;
  tags: Tag[];
}

/** A target as PutTargets stored it: the API's own shape. */
export type TargetRecord = EB.Target;

export interface RuleRecord {
  arn: string;
  name: string;
  busName: string;
  busArn: string;
  account: string;
  region: string;
  /** The pattern text as given (DescribeRule returns it unchanged). */
  eventPattern?: string;
  scheduleExpression?: string;
  state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  description?: string;
  roleArn?: string;
  managedBy?: string;
  createdBy: string;
  targets: TargetRecord[];
  tags: Tag[];
  createdAt: number;
  /** For scheduled rules: the clock time the next firing falls due (kept across restarts). */
  nextFireAt?: number;
}

export interface ArchiveRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  sourceArn: string;
  description?: string;
  eventPattern?: string;
  retentionDays: number;
  kmsKeyIdentifier?: string;
  state: EB.ArchiveState;
  stateReason?: string;
  createdAt: number;
  /** The rule EventBridge manages on the source bus for this archive (`Events-Archive-<name>`). */
  ruleArn?: string;
  eventCount: number;
  sizeBytes: number;
}

/** One archived event: the envelope as routed, with the clock time it was archived. */
export interface ArchivedEventRecord {
  /** `<archive arn>#<sequence>`, so a prefix scan finds an archive's events in order. */
  key: string;
  archiveArn: string;
  seq: number;
  time: number;
  event: BusEvent;
}

export interface ReplayRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  description?: string;
  sourceArn: string;
  destination: EB.ReplayDestination;
  eventStartTime: number;
  eventEndTime: number;
  state: EB.ReplayState;
  stateReason?: string;
  eventLastReplayedTime?: number;
  replayStartTime: number;
  replayEndTime?: number;
  /** The sequence of the last archived event replayed, so a replay resumes after a restart. */
  lastReplayedSeq?: number;
}

export interface ConnectionRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  description?: string;
  authorizationType: EB.ConnectionAuthorizationType;
  /** The parameters as described back (secrets removed); the secret holds the full set. */
  authParameters: EB.ConnectionAuthResponseParameters;
  /** The `events!connection/<name>/<uuid>` secret in Secrets Manager holding the credentials. */
  secretArn: string;
  state: EB.ConnectionState;
  stateReason?: string;
  invocationConnectivityParameters?: EB.ConnectivityResourceParameters;
  kmsKeyIdentifier?: string;
  createdAt: number;
  lastModifiedAt: number;
  lastAuthorizedAt?: number;
}

export interface ApiDestinationRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  description?: string;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: EB.ApiDestinationHttpMethod;
  invocationRateLimitPerSecond: number;
  state: EB.ApiDestinationState;
  createdAt: number;
  lastModifiedAt: number;
}

export interface EndpointRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  endpointId: string;
  description?: string;
  routingConfig: EB.RoutingConfig;
  replicationConfig?: EB.ReplicationConfig;
  eventBuses: EB.EndpointEventBus[];
  roleArn?: string;
  endpointUrl: string;
  state: EB.EndpointState;
  stateReason?: string;
  createdAt: number;
  lastModifiedAt: number;
}

/** A partner event source: created by a partner account for a customer account (both sides kept). */
export interface PartnerSourceRecord {
  /** `<customer account>/<region>/<name>`: a source is offered to one account in one region. */
  key: string;
  name: string;
  arn: string;
  partnerAccount: string;
  account: string;
  region: string;
  state: EB.EventSourceState;
  createdBy: string;
  createdAt: number;
  expiresAt?: number;
}

/**
 * The event as EventBridge routes it, in the envelope's own field order (AWS's order is kept
 * because targets receive the JSON text: version, id, detail-type, source, account, time, region,
 * resources, detail, and replay-name on replays).
 */
export interface BusEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: JsonValue;
  'replay-name'?: string;
}

// CONTRACT between the broker's parts (listeners and connections, the data path, the group
// coordinator, authentication, the MSK control plane). Change it only with the coordinator.
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { Scheduler } from '../../../core/scheduler.js';
import type { KafkaLogStorage } from '../../../storage/types.js';

/**
 * How a listener takes clients, as MSK gives each client authentication its own port:
 * - PLAINTEXT: no TLS, no SASL required. On the default cluster a client may still authenticate
 *   with SASL PLAIN (any user and password: the default cluster keeps no users), which is how
 *   clients configured with `sasl.mechanism=PLAIN` run against it unchanged.
 * - TLS: TLS with the generated CA's server certificate, no client authentication.
 * - SASL_SCRAM: TLS, then SASL SCRAM-SHA-512 against the cluster's associated secrets.
 * - SASL_IAM: TLS, then SASL OAUTHBEARER with aws-msk-iam-sasl-signer tokens.
 */
export type ListenerKind = 'PLAINTEXT' | 'TLS' | 'SASL_SCRAM' | 'SASL_IAM';

export interface ListenerAddress {
  kind: ListenerKind;
  host: string;
  port: number;
}

/** A SCRAM user of a cluster: from an associated secret's AWSCURRENT value. */
export interface ScramUser {
  username: string;
  password: string;
  /** The secret it came from (MSK's ListScramSecrets answers these). */
  secretArn: string;
}

/**
 * One Kafka cluster served by this process: the default cluster (`id` "default", on
 * `--kafka-port`) or an MSK cluster (`id` its ARN). One broker, node id 1, leads every partition.
 */
export interface ClusterRuntime {
  /** "default" or the MSK cluster's ARN: the key of its topics and groups in storage. */
  readonly id: string;
  /** Kafka's cluster id (Metadata, DescribeCluster): 22 characters of base64url. */
  readonly clusterId: string;
  readonly isDefault: boolean;
  /** Broker nodes Metadata shows (KafkaClusterSpec.brokerNodes). */
  readonly brokerNodes: number;
  readonly account: string;
  readonly region: string;
  /** Broker and topic defaults: server.properties of the cluster's configuration over Kafka's defaults. */
  config(name: string): string | undefined;
  /** The listeners bound, in the order opened. */
  listeners(): ListenerAddress[];
  readonly topics: KafkaLogStorage;
  /** The group coordinator of this cluster (groups/coordinator.ts). */
  readonly groups: GroupCoordinatorApi;
  /** The SCRAM users of its SASL_SCRAM listener (auth/). */
  scramUsers(): ReadonlyMap<string, ScramUser>;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
}

/** What the broker's handlers need of the group coordinator beyond its API handlers. */
export interface GroupCoordinatorApi {
  /** Drops every group (cluster deleted, admin reset), cancelling their timers. */
  clear(): Promise<void>;
  /** Forgets a deleted topic's committed offsets and assignments' leftovers. */
  topicDeleted(topic: string): Promise<void>;
  close(): void;
}

/** The state of one client connection. */
export interface ConnectionState {
  readonly id: number;
  readonly listener: ListenerAddress;
  /** host:port of the client. */
  readonly remote: string;
  /** Set once SASL succeeds (or at once on listeners without SASL: "ANONYMOUS"). */
  principal: string | undefined;
  /** Whether requests other than ApiVersions, SaslHandshake and SaslAuthenticate are served yet. */
  authenticated: boolean;
  /**
   * After SaslHandshake v0 the client sends bare SASL tokens as frames (KIP-43), not Kafka
   * requests: while this is set the connection hands each frame to it and writes back what it
   * returns (a token, size-prefixed), or closes the connection on `undefined`.
   */
  rawSasl: ((token: Buffer) => Promise<Buffer | undefined>) | undefined;
  /** Closes the connection (after the responses already queued are written). */
  close(): void;
  /** Aborted when the connection goes away: a long-polling Fetch gives up. */
  readonly signal: AbortSignal;
}

/** What a handler knows about its request. */
export interface KafkaRequestContext {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  connection: ConnectionState;
  cluster: ClusterRuntime;
}

/**
 * Answers one request. The body is the decoded request (camelCase fields, codec.ts); the result is
 * the response body, or null for no response at all (Produce with acks=0). A thrown
 * KafkaProtocolError closes the connection, as a broker does with a request it cannot serve.
 * Responses are written in request order per connection whatever order handlers finish in.
 */
export type ApiHandler = (
  ctx: KafkaRequestContext,
  request: Record<string, any>,
) => Promise<Record<string, unknown> | null> | Record<string, unknown> | null;

/** One API the broker serves, with the versions it advertises (only those built and tested). */
export interface ApiRegistration {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
  /** Served before authentication on SASL listeners (ApiVersions, SaslHandshake, SaslAuthenticate). */
  beforeAuthentication?: boolean;
  handle: ApiHandler;
}

/** A request that must close the connection (unparseable, or illegal in the connection's state). */
export class KafkaProtocolError extends Error {}

/** A cluster to serve: the default one, or an MSK cluster as its control plane describes it. */
export interface KafkaClusterSpec {
  /** "default" or the MSK cluster's ARN. */
  id: string;
  account: string;
  region: string;
  /** Kafka's cluster id to answer with; a new one when absent (keep it across restarts). */
  clusterId?: string;
  /** One listener per kind, as MSK opens one port per client authentication. */
  listeners: ListenerKind[];
  /** Ports wanted (the default cluster's --kafka-port; an MSK cluster's previous ports after a restart); 0 or absent picks a free one. */
  ports?: Partial<Record<ListenerKind, number>>;
  /** server.properties of the cluster's configuration: over Kafka's defaults (MSK's where they differ). */
  serverProperties: Record<string, string>;
  /**
   * Broker nodes Metadata shows (MSK's NumberOfBrokerNodes; 1 for the default cluster). All are
   * this process at the listener's address; node 1 leads every partition and the others are its
   * in-sync replicas, so topics take replication factors up to this count as on MSK.
   */
  brokerNodes: number;
  /** Availability Zones the brokers spread over (MSK: its client subnets); MSK's defaults replicate by it. */
  zones?: number;
}

/**
 * The brokers of this process (broker/brokers.ts): what the MSK control plane and the server ask
 * of them. Loads the listener code only when a cluster is opened.
 */
export interface KafkaBrokerControl {
  /** Opens the cluster's listeners (on the server's host) and answers their addresses. */
  openCluster(spec: KafkaClusterSpec): Promise<ListenerAddress[]>;
  /** The cluster's broker and topic defaults changed (UpdateClusterConfiguration). */
  reconfigure(id: string, serverProperties: Record<string, string>): void;
  /** The SCRAM users of the cluster's SASL_SCRAM listener: replaces the previous set. */
  setScramUsers(id: string, users: ScramUser[]): void;
  /** Closes the cluster's listeners and connections; with `dropData` its topics and offsets go too. */
  closeCluster(id: string, options: { dropData: boolean }): Promise<void>;
  cluster(id: string): ClusterRuntime | undefined;
  /** The generated CA (PEM) and the path of its file, made on first use and kept with --data-dir. */
  certificateAuthority(): Promise<{ pem: string; path: string }>;
}

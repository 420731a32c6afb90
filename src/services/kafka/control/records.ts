/** What the MSK control plane keeps, as stored in the journal's `mskClusters` and `mskConfigurations` tables. */
import type * as K from '@aws-sdk/client-kafka';
import type { ListenerKind } from '../broker/types.js';

export type ClusterState = 'ACTIVE' | 'CREATING' | 'DELETING' | 'FAILED' | 'UPDATING';
export type ClusterType = 'PROVISIONED' | 'SERVERLESS';
export type ClientBroker = 'TLS' | 'TLS_PLAINTEXT' | 'PLAINTEXT';

/** The client authentication a cluster was made with, resolved (what DescribeCluster shows). */
export interface ClientAuthenticationRecord {
  scram: boolean;
  iam: boolean;
  /** Mutual TLS (ACM Private CA ARNs): served as TLS without checking client certificates (docs/msk.md). */
  tls: boolean;
  certificateAuthorityArns: string[];
  unauthenticated: boolean;
}

export interface ConfigurationRef {
  arn: string;
  revision: number;
}

export type OperationType = 'CREATE' | 'UPDATE_CLUSTER_CONFIGURATION' | 'DELETE';
export type OperationState = 'PENDING' | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED';

/** A cluster operation (ListClusterOperations), kept with its cluster. */
export interface OperationRecord {
  arn: string;
  type: OperationType;
  state: OperationState;
  createdAt: number;
  endedAt?: number;
  source?: ConfigurationRef;
  target?: ConfigurationRef;
  error?: { code: string; message: string };
}

/** The change a cluster is going through, completed on the clock (mskStatusDelayMs). */
export interface PendingChange {
  operationArn: string;
  at: number;
}

export interface ClusterRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  type: ClusterType;
  state: ClusterState;
  stateInfo?: { code: string; message: string };
  createdAt: number;
  /** MSK's CurrentVersion: changes with each update; DeleteCluster and updates must name it. */
  currentVersion: string;
  tags: Record<string, string>;
  kafkaVersion: string;
  brokerNodes: number;
  /** Provisioned: as given, with MSK's defaults filled in. */
  brokerNodeGroupInfo?: K.BrokerNodeGroupInfo;
  /** Serverless: its VPC configs as given. */
  vpcConfigs?: K.VpcConfig[];
  clientAuthentication: ClientAuthenticationRecord;
  clientBroker: ClientBroker;
  inCluster: boolean;
  dataVolumeKmsKeyId?: string;
  enhancedMonitoring?: string;
  openMonitoring?: K.OpenMonitoringInfo;
  loggingInfo?: K.LoggingInfo;
  storageMode?: string;
  configuration?: ConfigurationRef;
  /** The ports its listeners were bound to: asked for again after a restart. */
  ports: Partial<Record<ListenerKind, number>>;
  /** Kafka's cluster id, kept across restarts. */
  kafkaClusterId?: string;
  /** Associated SCRAM secrets, in association order. */
  scramSecrets: string[];
  operations: OperationRecord[];
  pending?: PendingChange;
}

export interface ConfigurationRevisionRecord {
  revision: number;
  description?: string;
  createdAt: number;
  /** The server.properties text as given. */
  serverProperties: string;
}

export interface ConfigurationRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  description?: string;
  kafkaVersions: string[];
  createdAt: number;
  state: 'ACTIVE' | 'DELETING' | 'DELETE_FAILED';
  revisions: ConfigurationRevisionRecord[];
}

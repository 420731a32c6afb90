import type * as K from '@aws-sdk/client-kafka';
import type { ClusterRecord, ConfigurationRecord, OperationRecord } from './records.js';

/** How the API shows clusters, configurations and operations (V1 and V2 forms). */

function clientAuthentication(cluster: ClusterRecord): K.ClientAuthentication {
  const a = cluster.clientAuthentication;
  return {
    Sasl: { Scram: { Enabled: a.scram }, Iam: { Enabled: a.iam } },
    Tls: { CertificateAuthorityArnList: a.certificateAuthorityArns, Enabled: a.tls },
    Unauthenticated: { Enabled: a.unauthenticated },
  };
}

function softwareInfo(cluster: ClusterRecord): K.BrokerSoftwareInfo {
  return {
    ConfigurationArn: cluster.configuration?.arn,
    ConfigurationRevision: cluster.configuration?.revision,
    KafkaVersion: cluster.kafkaVersion,
  };
}

function encryptionInfo(cluster: ClusterRecord): K.EncryptionInfo {
  return {
    EncryptionAtRest: { DataVolumeKMSKeyId: cluster.dataVolumeKmsKeyId },
    EncryptionInTransit: { ClientBroker: cluster.clientBroker, InCluster: cluster.inCluster },
  };
}

const stateInfo = (cluster: ClusterRecord) =>
  cluster.stateInfo ? { Code: cluster.stateInfo.code, Message: cluster.stateInfo.message } : undefined;

const activeOperation = (cluster: ClusterRecord) => cluster.pending?.operationArn;

/** DescribeCluster / ListClusters (provisioned clusters only). */
export function clusterInfo(cluster: ClusterRecord): K.ClusterInfo {
  return {
    ActiveOperationArn: activeOperation(cluster),
    BrokerNodeGroupInfo: cluster.brokerNodeGroupInfo,
    ClientAuthentication: clientAuthentication(cluster),
    ClusterArn: cluster.arn,
    ClusterName: cluster.name,
    CreationTime: new Date(cluster.createdAt),
    CurrentBrokerSoftwareInfo: softwareInfo(cluster),
    CurrentVersion: cluster.currentVersion,
    EncryptionInfo: encryptionInfo(cluster),
    EnhancedMonitoring: cluster.enhancedMonitoring as K.EnhancedMonitoring,
    OpenMonitoring: cluster.openMonitoring,
    LoggingInfo: cluster.loggingInfo,
    NumberOfBrokerNodes: cluster.brokerNodes,
    State: cluster.state,
    StateInfo: stateInfo(cluster),
    Tags: cluster.tags,
    StorageMode: cluster.storageMode as K.StorageMode,
  };
}

/** DescribeClusterV2 / ListClustersV2. */
export function clusterV2(cluster: ClusterRecord): K.Cluster {
  const common = {
    ActiveOperationArn: activeOperation(cluster),
    ClusterType: cluster.type,
    ClusterArn: cluster.arn,
    ClusterName: cluster.name,
    CreationTime: new Date(cluster.createdAt),
    CurrentVersion: cluster.currentVersion,
    State: cluster.state,
    StateInfo: stateInfo(cluster),
    Tags: cluster.tags,
  };
  if (cluster.type === 'SERVERLESS')
    return {
      ...common,
      Serverless: {
        VpcConfigs: cluster.vpcConfigs,
        ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
      },
    };
  return {
    ...common,
    Provisioned: {
      BrokerNodeGroupInfo: cluster.brokerNodeGroupInfo,
      CurrentBrokerSoftwareInfo: softwareInfo(cluster),
      ClientAuthentication: clientAuthentication(cluster),
      EncryptionInfo: encryptionInfo(cluster),
      EnhancedMonitoring: cluster.enhancedMonitoring as K.EnhancedMonitoring,
      OpenMonitoring: cluster.openMonitoring,
      LoggingInfo: cluster.loggingInfo,
      NumberOfBrokerNodes: cluster.brokerNodes,
      StorageMode: cluster.storageMode as K.StorageMode,
    },
  };
}

const configurationInfo = (ref: OperationRecord['source']) =>
  ref ? { ConfigurationInfo: { Arn: ref.arn, Revision: ref.revision } } : undefined;

const errorInfo = (operation: OperationRecord) =>
  operation.error ? { ErrorCode: operation.error.code, ErrorString: operation.error.message } : undefined;

/** DescribeClusterOperation / ListClusterOperations. */
export function operationInfo(cluster: ClusterRecord, operation: OperationRecord): K.ClusterOperationInfo {
  return {
    ClusterArn: cluster.arn,
    CreationTime: new Date(operation.createdAt),
    EndTime: operation.endedAt === undefined ? undefined : new Date(operation.endedAt),
    ErrorInfo: errorInfo(operation),
    OperationArn: operation.arn,
    OperationState: operation.state,
    OperationType: operation.type,
    SourceClusterInfo: configurationInfo(operation.source),
    TargetClusterInfo: configurationInfo(operation.target),
  };
}

export function operationSummaryV2(
  cluster: ClusterRecord,
  operation: OperationRecord,
): K.ClusterOperationV2Summary {
  return {
    ClusterArn: cluster.arn,
    ClusterType: cluster.type,
    StartTime: new Date(operation.createdAt),
    EndTime: operation.endedAt === undefined ? undefined : new Date(operation.endedAt),
    OperationArn: operation.arn,
    OperationState: operation.state,
    OperationType: operation.type,
  };
}

export function operationV2(cluster: ClusterRecord, operation: OperationRecord): K.ClusterOperationV2 {
  const summary = operationSummaryV2(cluster, operation);
  if (cluster.type === 'SERVERLESS') return { ...summary, ErrorInfo: errorInfo(operation), Serverless: {} };
  return {
    ...summary,
    ErrorInfo: errorInfo(operation),
    Provisioned: {
      SourceClusterInfo: configurationInfo(operation.source),
      TargetClusterInfo: configurationInfo(operation.target),
    },
  };
}

export function configurationView(configuration: ConfigurationRecord): K.Configuration {
  const latest = configuration.revisions.at(-1)!;
  return {
    Arn: configuration.arn,
    CreationTime: new Date(configuration.createdAt),
    Description: configuration.description ?? '',
    KafkaVersions: configuration.kafkaVersions,
    LatestRevision: revisionView(latest),
    Name: configuration.name,
    State: configuration.state,
  };
}

export function revisionView(revision: ConfigurationRecord['revisions'][number]): K.ConfigurationRevision {
  return {
    CreationTime: new Date(revision.createdAt),
    Description: revision.description,
    Revision: revision.revision,
  };
}

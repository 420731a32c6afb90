import type { ClusterRecord } from '../../services/kafka/control/records.js';
import type { MskCluster, ScramAssociation } from '../model.js';
import { type LiveSource, liveFile, type Scope } from './sources.js';

/**
 * Amazon MSK for `tideway doctor`: clusters with their client authentication, and the SASL/SCRAM
 * secrets associated with each, so `msk-scram-secret` judges the running associations against
 * the live secrets (Secrets Manager's source) as it judges a template's BatchScramSecret.
 * `clusters` reads the control plane's store, which holds the kept clusters from start.
 */
export function mskSource(clusters: () => ClusterRecord[]): LiveSource {
  return {
    scopes: () => clusters().map((c) => ({ account: c.account, region: c.region })),
    collect(model, scope) {
      for (const cluster of clusters()) {
        if (cluster.account !== scope.account || cluster.region !== scope.region) continue;
        model.clusters.push(liveCluster(cluster, scope));
        // A cluster without secrets has no association, as a template without a BatchScramSecret.
        if (cluster.scramSecrets.length > 0) model.scramAssociations.push(liveAssociation(cluster, scope));
      }
    },
  };
}

/** The authentications a cluster accepts, in DescribeCluster's order: `SASL/SCRAM,SASL/IAM,TLS`. */
function authentications(cluster: ClusterRecord): string {
  const a = cluster.clientAuthentication;
  const kinds = [
    a.scram ? 'SASL/SCRAM' : undefined,
    a.iam ? 'SASL/IAM' : undefined,
    a.tls ? 'TLS' : undefined,
    a.unauthenticated ? 'Unauthenticated' : undefined,
  ];
  return kinds.filter((k) => k !== undefined).join(',');
}

function liveCluster(cluster: ClusterRecord, scope: Scope): MskCluster {
  const serverless = cluster.type === 'SERVERLESS';
  const attributes: Record<string, string> = {
    ClusterName: cluster.name,
    ClusterType: cluster.type,
    State: cluster.state,
    CurrentVersion: cluster.currentVersion,
    CreationTime: new Date(cluster.createdAt).toISOString(),
    ClientAuthentication: authentications(cluster),
    ClientBroker: cluster.clientBroker,
    InCluster: String(cluster.inCluster),
    ScramSecretCount: String(cluster.scramSecrets.length),
  };
  // Serverless clusters show neither a Kafka version nor brokers in the API.
  if (!serverless) {
    attributes.KafkaVersion = cluster.kafkaVersion;
    attributes.NumberOfBrokerNodes = String(cluster.brokerNodes);
    const instanceType = cluster.brokerNodeGroupInfo?.InstanceType;
    if (instanceType) attributes.InstanceType = instanceType;
  }
  if (cluster.stateInfo) attributes.StateInfoCode = cluster.stateInfo.code;
  if (cluster.dataVolumeKmsKeyId) attributes.DataVolumeKMSKeyId = cluster.dataVolumeKmsKeyId;
  if (cluster.configuration) {
    attributes.ConfigurationArn = cluster.configuration.arn;
    attributes.ConfigurationRevision = String(cluster.configuration.revision);
  }
  if (cluster.storageMode) attributes.StorageMode = cluster.storageMode;
  if (cluster.enhancedMonitoring) attributes.EnhancedMonitoring = cluster.enhancedMonitoring;
  return {
    id: cluster.arn,
    type: serverless ? 'AWS::MSK::ServerlessCluster' : 'AWS::MSK::Cluster',
    arn: cluster.arn,
    name: cluster.name,
    origin: { file: liveFile(scope) },
    ignore: [],
    attributes,
    scram: cluster.clientAuthentication.scram,
    iam: cluster.clientAuthentication.iam,
    serverless,
  };
}

/**
 * MSK keeps a cluster's associated secrets as one list (ListScramSecrets), as CloudFormation's
 * BatchScramSecret does. The association has no ARN of its own: its id is the cluster ARN with a
 * fragment, so looking the cluster up by ARN still finds the cluster.
 */
function liveAssociation(cluster: ClusterRecord, scope: Scope): ScramAssociation {
  return {
    id: `${cluster.arn}#scram-secrets`,
    type: 'AWS::MSK::BatchScramSecret',
    origin: { file: liveFile(scope) },
    ignore: [],
    attributes: { ClusterArn: cluster.arn, SecretArnList: cluster.scramSecrets.join(',') },
    cluster: cluster.arn,
    secrets: [...cluster.scramSecrets],
  };
}

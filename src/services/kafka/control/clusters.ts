import type * as K from '@aws-sdk/client-kafka';
import type { RequestContext } from '../../../protocols/service.js';
import type { ListenerKind } from '../broker/types.js';
import { clusterInfo, clusterV2 } from './describe.js';
import { mskError } from './errors.js';
import { type ClientAuthenticationInput, listenerKinds, resolveAuthentication } from './listeners.js';
import { page } from './paging.js';
import type { ClientBroker, ClusterRecord } from './records.js';
import type { MskState } from './state.js';
import { EXPRESS_VERSIONS, SERVERLESS_VERSION, versionEntry } from './versions.js';

const CLUSTER_NAME = /^[0-9A-Za-z][0-9A-Za-z-]*$/;
const STANDARD_TYPE =
  /^kafka\.(t3\.small|m5\.(large|xlarge|2xlarge|4xlarge|8xlarge|12xlarge|16xlarge|24xlarge)|m7g\.(large|xlarge|2xlarge|4xlarge|8xlarge|12xlarge|16xlarge))$/;
const EXPRESS_TYPE = /^express\.m7g\.(large|xlarge|2xlarge|4xlarge|8xlarge|12xlarge|16xlarge)$/;
const SUBNET = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP = /^sg-[0-9a-f]{8,17}$/;

interface ProvisionedInput {
  BrokerNodeGroupInfo?: K.BrokerNodeGroupInfo;
  ClientAuthentication?: ClientAuthenticationInput;
  ConfigurationInfo?: K.ConfigurationInfo;
  EncryptionInfo?: K.EncryptionInfo;
  EnhancedMonitoring?: string;
  OpenMonitoring?: K.OpenMonitoringInfo;
  KafkaVersion?: string;
  LoggingInfo?: K.LoggingInfo;
  NumberOfBrokerNodes?: number;
  StorageMode?: string;
}

function checkName(name: string): void {
  if (!CLUSTER_NAME.test(name))
    throw mskError.badRequest(
      'The cluster name must start with a letter or digit and hold only letters, digits and hyphens.',
      'clusterName',
    );
}

/** AWS's checks of a provisioned cluster's brokers, listeners, version and configuration. */
function provisionedCluster(
  state: MskState,
  ctx: RequestContext,
  base: ClusterRecord,
  input: ProvisionedInput,
): void {
  const group = input.BrokerNodeGroupInfo;
  if (!group)
    throw mskError.badRequest('brokerNodeGroupInfo is a required parameter.', 'brokerNodeGroupInfo');
  const instanceType = group.InstanceType ?? '';
  const express = EXPRESS_TYPE.test(instanceType);
  if (!express && !STANDARD_TYPE.test(instanceType))
    throw mskError.badRequest(`The instance type ${instanceType} is not supported.`, 'instanceType');
  const subnets = group.ClientSubnets ?? [];
  for (const subnet of subnets)
    if (!SUBNET.test(subnet))
      throw mskError.badRequest(`The subnet ${subnet} is not a subnet id.`, 'clientSubnets');
  for (const sg of group.SecurityGroups ?? [])
    if (!SECURITY_GROUP.test(sg))
      throw mskError.badRequest(`The security group ${sg} is not a security group id.`, 'securityGroups');
  const zones = new Set(subnets).size;
  if (zones !== subnets.length)
    throw mskError.badRequest('The client subnets must be distinct.', 'clientSubnets');
  if (zones < 2 || zones > 3)
    throw mskError.badRequest(
      'Specify two or three client subnets, in different Availability Zones.',
      'clientSubnets',
    );
  if (express && zones !== 3)
    throw mskError.badRequest('Clusters of Express brokers need three client subnets.', 'clientSubnets');
  const nodes = input.NumberOfBrokerNodes;
  if (nodes === undefined)
    throw mskError.badRequest('numberOfBrokerNodes is a required parameter.', 'numberOfBrokerNodes');
  if (nodes % zones !== 0)
    throw mskError.badRequest(
      'The number of broker nodes must be a multiple of Availability Zones in the Client Subnets parameter.',
      'numberOfBrokerNodes',
    );
  const version = input.KafkaVersion;
  if (version === undefined)
    throw mskError.badRequest('kafkaVersion is a required parameter.', 'kafkaVersion');
  const entry = versionEntry(version);
  if (entry?.status !== 'ACTIVE')
    throw mskError.badRequest(
      `Kafka version ${version} is not supported for new clusters. Call ListKafkaVersions for the versions you can use.`,
      'kafkaVersion',
    );
  if (express && !EXPRESS_VERSIONS.includes(version))
    throw mskError.badRequest(
      `Express brokers run Kafka versions ${EXPRESS_VERSIONS.join(', ')}, not ${version}.`,
      'kafkaVersion',
    );
  if (express && group.StorageInfo)
    throw mskError.badRequest(
      'Express brokers manage their own storage: storageInfo cannot be set.',
      'storageInfo',
    );

  const clientBroker = (input.EncryptionInfo?.EncryptionInTransit?.ClientBroker ?? 'TLS') as ClientBroker;
  const auth = resolveAuthentication(input.ClientAuthentication);
  listenerKinds(auth, clientBroker);
  const kms = state.deps.kms();
  let dataVolumeKmsKeyId = kms?.awsManagedKey('kafka', base.account, base.region).arn;
  const key = input.EncryptionInfo?.EncryptionAtRest?.DataVolumeKMSKeyId;
  if (key !== undefined) {
    const facts = kms?.describe(key, { account: base.account, region: base.region });
    if (!facts?.ok)
      throw mskError.badRequest(`The KMS key ${key} does not exist or cannot be used.`, 'dataVolumeKMSKeyId');
    dataVolumeKmsKeyId = facts.arn;
  }
  if (input.ConfigurationInfo) {
    const ref = input.ConfigurationInfo;
    const configuration = state.configuration(ref.Arn ?? '', ctx.caller);
    if (!configuration.revisions.some((r) => r.revision === ref.Revision))
      throw mskError.badRequest(
        `The configuration ${ref.Arn} has no revision ${ref.Revision}.`,
        'configurationInfo',
      );
    if (configuration.kafkaVersions.length > 0 && !configuration.kafkaVersions.includes(version))
      throw mskError.badRequest(
        `The configuration ${ref.Arn} is not for Kafka version ${version}.`,
        'configurationInfo',
      );
    base.configuration = { arn: configuration.arn, revision: ref.Revision! };
  }
  Object.assign(base, {
    kafkaVersion: version,
    brokerNodes: nodes,
    brokerNodeGroupInfo: {
      BrokerAZDistribution: group.BrokerAZDistribution ?? 'DEFAULT',
      ClientSubnets: subnets,
      InstanceType: instanceType,
      SecurityGroups: group.SecurityGroups ?? [],
      ...(express ? {} : { StorageInfo: group.StorageInfo ?? { EbsStorageInfo: { VolumeSize: 100 } } }),
      ...(group.ConnectivityInfo ? { ConnectivityInfo: group.ConnectivityInfo } : {}),
    },
    clientAuthentication: auth,
    clientBroker,
    inCluster: input.EncryptionInfo?.EncryptionInTransit?.InCluster ?? true,
    dataVolumeKmsKeyId,
    enhancedMonitoring: input.EnhancedMonitoring ?? 'DEFAULT',
    openMonitoring: input.OpenMonitoring ?? {
      Prometheus: { JmxExporter: { EnabledInBroker: false }, NodeExporter: { EnabledInBroker: false } },
    },
    loggingInfo: input.LoggingInfo,
    storageMode: express ? undefined : (input.StorageMode ?? 'LOCAL'),
  } satisfies Partial<ClusterRecord>);
}

function serverlessCluster(base: ClusterRecord, input: K.ServerlessRequest): void {
  const vpcs = input.VpcConfigs ?? [];
  if (vpcs.length === 0) throw mskError.badRequest('vpcConfigs is a required parameter.', 'vpcConfigs');
  for (const vpc of vpcs) {
    const subnets = vpc.SubnetIds ?? [];
    if (subnets.length < 2)
      throw mskError.badRequest(
        'Each VPC config needs at least two subnets in different Availability Zones.',
        'subnetIds',
      );
    for (const subnet of subnets)
      if (!SUBNET.test(subnet))
        throw mskError.badRequest(`The subnet ${subnet} is not a subnet id.`, 'subnetIds');
  }
  if (input.ClientAuthentication?.Sasl?.Iam?.Enabled !== true)
    throw mskError.badRequest(
      'Serverless clusters support IAM access control only: enable clientAuthentication.sasl.iam.',
      'clientAuthentication',
    );
  Object.assign(base, {
    kafkaVersion: SERVERLESS_VERSION,
    brokerNodes: 3,
    vpcConfigs: vpcs.map((v) => ({ SubnetIds: v.SubnetIds, SecurityGroupIds: v.SecurityGroupIds ?? [] })),
    clientAuthentication: {
      scram: false,
      iam: true,
      tls: false,
      certificateAuthorityArns: [],
      unauthenticated: false,
    },
    clientBroker: 'TLS',
    inCluster: true,
  } satisfies Partial<ClusterRecord>);
}

const BOOTSTRAP_FIELDS: Record<ListenerKind, keyof K.GetBootstrapBrokersResponse> = {
  PLAINTEXT: 'BootstrapBrokerString',
  TLS: 'BootstrapBrokerStringTls',
  SASL_SCRAM: 'BootstrapBrokerStringSaslScram',
  SASL_IAM: 'BootstrapBrokerStringSaslIam',
};

export function clusterOperations(state: MskState) {
  const create = async (
    ctx: RequestContext,
    name: string,
    tags: Record<string, string> | undefined,
    fill: (c: ClusterRecord) => void,
  ) => {
    checkName(name);
    const { account, region } = ctx.caller;
    if (state.clusters.values().some((c) => c.account === account && c.region === region && c.name === name))
      throw mskError.conflict(`A cluster named ${name} already exists.`, 'clusterName');
    const base = {
      arn: state.clusterArn(account, region, name),
      name,
      account,
      region,
      state: 'CREATING',
      createdAt: state.clock.now(),
      currentVersion: state.newVersion(),
      tags: tags ?? {},
      ports: {},
      scramSecrets: [],
      operations: [],
    } as unknown as ClusterRecord;
    fill(base);
    await state.begin(base, 'CREATE');
    return { ClusterArn: base.arn, ClusterName: name, State: 'CREATING' };
  };
  const provisioned = (ctx: RequestContext, arn: string) => {
    const cluster = state.cluster(arn, ctx.caller);
    if (cluster.type === 'SERVERLESS')
      throw mskError.badRequest('This operation is not available for serverless clusters.', 'clusterArn');
    return cluster;
  };
  const visible = (ctx: RequestContext, filter: string | undefined) =>
    state.clusters
      .values()
      .filter(
        (c) =>
          c.account === ctx.caller.account &&
          c.region === ctx.caller.region &&
          (filter === undefined || c.name.startsWith(filter)),
      )
      .sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1));
  return {
    CreateCluster(input: K.CreateClusterRequest, ctx: RequestContext) {
      return create(ctx, input.ClusterName!, input.Tags, (base) => {
        base.type = 'PROVISIONED';
        provisionedCluster(state, ctx, base, input as ProvisionedInput);
      });
    },
    async CreateClusterV2(input: K.CreateClusterV2Request, ctx: RequestContext) {
      if ((input.Provisioned === undefined) === (input.Serverless === undefined))
        throw mskError.badRequest('Specify either provisioned or serverless, and only one of them.');
      const created = await create(ctx, input.ClusterName!, input.Tags, (base) => {
        if (input.Serverless) {
          base.type = 'SERVERLESS';
          serverlessCluster(base, input.Serverless);
        } else {
          base.type = 'PROVISIONED';
          provisionedCluster(state, ctx, base, input.Provisioned as ProvisionedInput);
        }
      });
      return { ...created, ClusterType: input.Serverless ? 'SERVERLESS' : 'PROVISIONED' };
    },
    DescribeCluster(input: K.DescribeClusterRequest, ctx: RequestContext) {
      return { ClusterInfo: clusterInfo(provisioned(ctx, input.ClusterArn!)) };
    },
    DescribeClusterV2(input: K.DescribeClusterV2Request, ctx: RequestContext) {
      return { ClusterInfo: clusterV2(state.cluster(input.ClusterArn!, ctx.caller)) };
    },
    ListClusters(input: K.ListClustersRequest, ctx: RequestContext) {
      const clusters = visible(ctx, input.ClusterNameFilter).filter((c) => c.type === 'PROVISIONED');
      const { items, nextToken } = page(clusters, input.MaxResults, input.NextToken);
      return { ClusterInfoList: items.map(clusterInfo), NextToken: nextToken };
    },
    ListClustersV2(input: K.ListClustersV2Request, ctx: RequestContext) {
      const type = input.ClusterTypeFilter;
      if (type !== undefined && type !== 'PROVISIONED' && type !== 'SERVERLESS')
        throw mskError.badRequest(
          'clusterTypeFilter must be PROVISIONED or SERVERLESS.',
          'clusterTypeFilter',
        );
      const clusters = visible(ctx, input.ClusterNameFilter).filter(
        (c) => type === undefined || c.type === type,
      );
      const { items, nextToken } = page(clusters, input.MaxResults, input.NextToken);
      return { ClusterInfoList: items.map(clusterV2), NextToken: nextToken };
    },
    async DeleteCluster(input: K.DeleteClusterRequest, ctx: RequestContext) {
      const cluster = state.cluster(input.ClusterArn!, ctx.caller);
      if (input.CurrentVersion !== undefined && input.CurrentVersion !== cluster.currentVersion)
        throw mskError.versionMismatch();
      if (cluster.state === 'DELETING') throw mskError.clusterBusy(cluster.state);
      cluster.state = 'DELETING';
      await state.begin(cluster, 'DELETE');
      return { ClusterArn: cluster.arn, State: 'DELETING' };
    },
    GetBootstrapBrokers(input: K.GetBootstrapBrokersRequest, ctx: RequestContext) {
      const cluster = state.cluster(input.ClusterArn!, ctx.caller);
      const runtime = state.deps.brokers.cluster(cluster.arn);
      if (cluster.state === 'CREATING' || !runtime)
        throw mskError.badRequest(
          `The cluster is in the ${cluster.state} state: its bootstrap brokers are known once it is ACTIVE.`,
          'clusterArn',
        );
      const answer: Record<string, string> = {};
      for (const listener of runtime.listeners())
        answer[BOOTSTRAP_FIELDS[listener.kind]] = `${listener.host}:${listener.port}`;
      return answer;
    },
    ListNodes(input: K.ListNodesRequest, ctx: RequestContext) {
      const cluster = provisioned(ctx, input.ClusterArn!);
      const runtime = state.deps.brokers.cluster(cluster.arn);
      const group = cluster.brokerNodeGroupInfo as { ClientSubnets: string[]; InstanceType: string };
      const host = runtime?.listeners()[0]?.host ?? '127.0.0.1';
      const id = cluster.arn.split('/').at(-1);
      const nodes = Array.from({ length: cluster.brokerNodes }, (_, i) => ({
        AddedToClusterTime: new Date(cluster.createdAt).toISOString(),
        BrokerNodeInfo: {
          AttachedENIId: `eni-${(i + 1).toString(16).padStart(17, '0')}`,
          BrokerId: i + 1,
          ClientSubnet: group.ClientSubnets[i % group.ClientSubnets.length],
          ClientVpcIpAddress: host,
          CurrentBrokerSoftwareInfo: {
            ConfigurationArn: cluster.configuration?.arn,
            ConfigurationRevision: cluster.configuration?.revision,
            KafkaVersion: cluster.kafkaVersion,
          },
          Endpoints: [host],
        },
        InstanceType: group.InstanceType,
        NodeARN: `arn:aws:kafka:${cluster.region}:${cluster.account}:broker/${cluster.name}/${id}/${i + 1}`,
        NodeType: 'BROKER',
      }));
      const { items, nextToken } = page(nodes, input.MaxResults, input.NextToken);
      return { NodeInfoList: items, NextToken: nextToken };
    },
  };
}

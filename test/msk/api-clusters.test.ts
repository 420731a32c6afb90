import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateClusterV2Command,
  DeleteClusterCommand,
  DescribeClusterCommand,
  DescribeClusterOperationCommand,
  DescribeClusterOperationV2Command,
  DescribeClusterV2Command,
  GetBootstrapBrokersCommand,
  GetCompatibleKafkaVersionsCommand,
  ListClusterOperationsCommand,
  ListClusterOperationsV2Command,
  ListClustersCommand,
  ListClustersV2Command,
  ListKafkaVersionsCommand,
  ListNodesCommand,
  ListTagsForResourceCommand,
  RebootBrokerCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kafka';
import { withClientServer } from '../support/suite.js';
import { uniqueName } from '../support/tideway.js';
import { mskClient, mskRejects, provisioned, SUBNETS } from './helpers.js';

describe('MSK clusters', () => {
  const suite = withClientServer('msk', (endpoint) => mskClient(endpoint));

  it('creates a provisioned cluster that is ACTIVE with a TLS listener by default', async () => {
    const name = uniqueName('orders');
    const created = await suite.msk.send(
      new CreateClusterCommand(provisioned(name, { Tags: { team: 'core' } })),
    );
    assert.equal(created.State, 'CREATING');
    assert.equal(created.ClusterName, name);
    assert.match(
      created.ClusterArn!,
      new RegExp(`^arn:aws:kafka:us-east-1:000000000000:cluster/${name}/[0-9a-f-]{36}-\\d+$`),
    );
    const { ClusterInfo: info } = await suite.msk.send(
      new DescribeClusterCommand({ ClusterArn: created.ClusterArn }),
    );
    assert.equal(info?.State, 'ACTIVE');
    assert.equal(info?.NumberOfBrokerNodes, 3);
    assert.equal(info?.CurrentBrokerSoftwareInfo?.KafkaVersion, '3.6.0');
    assert.equal(info?.EncryptionInfo?.EncryptionInTransit?.ClientBroker, 'TLS');
    assert.equal(info?.EncryptionInfo?.EncryptionInTransit?.InCluster, true);
    assert.match(
      info?.EncryptionInfo?.EncryptionAtRest?.DataVolumeKMSKeyId ?? '',
      /^arn:aws:kms:us-east-1:000000000000:key\//,
    );
    assert.equal(info?.ClientAuthentication?.Unauthenticated?.Enabled, true);
    assert.deepEqual(info?.Tags, { team: 'core' });
    assert.equal(info?.ActiveOperationArn, undefined);
    const brokers = await suite.msk.send(new GetBootstrapBrokersCommand({ ClusterArn: created.ClusterArn }));
    assert.match(brokers.BootstrapBrokerStringTls ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(brokers.BootstrapBrokerString, undefined);
    assert.equal(brokers.BootstrapBrokerStringSaslScram, undefined);
    const v2 = await suite.msk.send(new DescribeClusterV2Command({ ClusterArn: created.ClusterArn }));
    assert.equal(v2.ClusterInfo?.ClusterType, 'PROVISIONED');
    assert.equal(v2.ClusterInfo?.Provisioned?.NumberOfBrokerNodes, 3);
    await suite.msk.send(new DeleteClusterCommand({ ClusterArn: created.ClusterArn }));
  });

  it('opens one listener per client authentication, as MSK gives each its own port', async () => {
    const created = await suite.msk.send(
      new CreateClusterCommand(
        provisioned(uniqueName('ports'), {
          ClientAuthentication: {
            Sasl: { Scram: { Enabled: true }, Iam: { Enabled: true } },
            Unauthenticated: { Enabled: true },
          },
          EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS_PLAINTEXT' } },
        }),
      ),
    );
    const b = await suite.msk.send(new GetBootstrapBrokersCommand({ ClusterArn: created.ClusterArn }));
    const ports = [
      b.BootstrapBrokerString,
      b.BootstrapBrokerStringTls,
      b.BootstrapBrokerStringSaslScram,
      b.BootstrapBrokerStringSaslIam,
    ];
    for (const address of ports) assert.match(address ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(new Set(ports).size, 4);
    await suite.msk.send(new DeleteClusterCommand({ ClusterArn: created.ClusterArn }));
  });

  it('refuses what AWS refuses: SASL without TLS in transit, bad broker counts, versions, names', async () => {
    await mskRejects(
      suite.msk.send(
        new CreateClusterCommand(
          provisioned(uniqueName('plain'), {
            ClientAuthentication: { Sasl: { Scram: { Enabled: true } } },
            EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'PLAINTEXT' } },
          }),
        ),
      ),
      'BadRequestException',
      /require TLS encryption between clients and brokers/,
    );
    await mskRejects(
      suite.msk.send(new CreateClusterCommand(provisioned(uniqueName('odd'), { NumberOfBrokerNodes: 4 }))),
      'BadRequestException',
      'The number of broker nodes must be a multiple of Availability Zones in the Client Subnets parameter.',
    );
    await mskRejects(
      suite.msk.send(new CreateClusterCommand(provisioned(uniqueName('old'), { KafkaVersion: '2.8.1' }))),
      'BadRequestException',
      /Kafka version 2\.8\.1 is not supported/,
    );
    await mskRejects(
      suite.msk.send(new CreateClusterCommand(provisioned(uniqueName('new'), { KafkaVersion: '9.9.9' }))),
      'BadRequestException',
    );
    await mskRejects(
      suite.msk.send(new CreateClusterCommand(provisioned('_bad name'))),
      'BadRequestException',
    );
    await mskRejects(
      suite.msk.send(
        new CreateClusterCommand(
          provisioned(uniqueName('express'), {
            BrokerNodeGroupInfo: { InstanceType: 'express.m7g.large', ClientSubnets: SUBNETS.slice(0, 2) },
            NumberOfBrokerNodes: 2,
          }),
        ),
      ),
      'BadRequestException',
      /three client subnets/,
    );
    await mskRejects(
      suite.msk.send(
        new CreateClusterCommand(
          provisioned(uniqueName('type'), {
            BrokerNodeGroupInfo: { InstanceType: 'm5.large', ClientSubnets: SUBNETS },
          }),
        ),
      ),
      'BadRequestException',
    );
    const name = uniqueName('twice');
    const first = await suite.msk.send(new CreateClusterCommand(provisioned(name)));
    await mskRejects(suite.msk.send(new CreateClusterCommand(provisioned(name))), 'ConflictException');
    await suite.msk.send(new DeleteClusterCommand({ ClusterArn: first.ClusterArn }));
  });

  it('creates Serverless (IAM only) and Express clusters through CreateClusterV2', async () => {
    const serverless = await suite.msk.send(
      new CreateClusterV2Command({
        ClusterName: uniqueName('sls'),
        Serverless: {
          VpcConfigs: [{ SubnetIds: SUBNETS }],
          ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
        },
      }),
    );
    assert.equal(serverless.ClusterType, 'SERVERLESS');
    const brokers = await suite.msk.send(
      new GetBootstrapBrokersCommand({ ClusterArn: serverless.ClusterArn }),
    );
    assert.match(brokers.BootstrapBrokerStringSaslIam ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(brokers.BootstrapBrokerStringTls, undefined);
    const v2 = await suite.msk.send(new DescribeClusterV2Command({ ClusterArn: serverless.ClusterArn }));
    assert.equal(v2.ClusterInfo?.Serverless?.ClientAuthentication?.Sasl?.Iam?.Enabled, true);
    await mskRejects(
      suite.msk.send(new DescribeClusterCommand({ ClusterArn: serverless.ClusterArn })),
      'BadRequestException',
    );
    await mskRejects(
      suite.msk.send(
        new CreateClusterV2Command({
          ClusterName: uniqueName('sls-scram'),
          Serverless: {
            VpcConfigs: [{ SubnetIds: SUBNETS }],
            ClientAuthentication: { Sasl: { Iam: { Enabled: false } } },
          },
        }),
      ),
      'BadRequestException',
      /IAM access control only/,
    );
    const express = await suite.msk.send(
      new CreateClusterV2Command({
        ClusterName: uniqueName('express'),
        Provisioned: {
          KafkaVersion: '3.6.0',
          NumberOfBrokerNodes: 3,
          BrokerNodeGroupInfo: { InstanceType: 'express.m7g.large', ClientSubnets: SUBNETS },
        },
      }),
    );
    assert.equal(express.ClusterType, 'PROVISIONED');
    const listed = await suite.msk.send(new ListClustersV2Command({ ClusterTypeFilter: 'SERVERLESS' }));
    assert.ok(listed.ClusterInfoList?.every((c) => c.ClusterType === 'SERVERLESS'));
    assert.ok(listed.ClusterInfoList?.some((c) => c.ClusterArn === serverless.ClusterArn));
    const v1 = await suite.msk.send(new ListClustersCommand({}));
    assert.ok(!v1.ClusterInfoList?.some((c) => c.ClusterArn === serverless.ClusterArn));
    assert.ok(v1.ClusterInfoList?.some((c) => c.ClusterArn === express.ClusterArn));
    await suite.msk.send(new DeleteClusterCommand({ ClusterArn: serverless.ClusterArn }));
    await suite.msk.send(new DeleteClusterCommand({ ClusterArn: express.ClusterArn }));
  });

  it('lists clusters by name prefix, page by page', async () => {
    const prefix = uniqueName('page');
    const arns: string[] = [];
    for (const n of [1, 2, 3])
      arns.push((await suite.msk.send(new CreateClusterCommand(provisioned(`${prefix}-${n}`)))).ClusterArn!);
    const first = await suite.msk.send(new ListClustersCommand({ ClusterNameFilter: prefix, MaxResults: 2 }));
    assert.equal(first.ClusterInfoList?.length, 2);
    assert.ok(first.NextToken);
    const second = await suite.msk.send(
      new ListClustersCommand({ ClusterNameFilter: prefix, MaxResults: 2, NextToken: first.NextToken }),
    );
    assert.equal(second.ClusterInfoList?.length, 1);
    assert.equal(second.NextToken, undefined);
    assert.deepEqual(
      [...first.ClusterInfoList!, ...second.ClusterInfoList!].map((c) => c.ClusterArn),
      arns,
    );
    await mskRejects(
      suite.msk.send(new ListClustersCommand({ NextToken: 'nonsense' })),
      'BadRequestException',
    );
    for (const arn of arns) await suite.msk.send(new DeleteClusterCommand({ ClusterArn: arn }));
  });

  it('deletes only at the current version, and the cluster is gone', async () => {
    const created = await suite.msk.send(new CreateClusterCommand(provisioned(uniqueName('gone'))));
    await mskRejects(
      suite.msk.send(
        new DeleteClusterCommand({ ClusterArn: created.ClusterArn, CurrentVersion: 'K0000000000000' }),
      ),
      'BadRequestException',
      "The provided current version does not match the cluster's current version.",
    );
    const { ClusterInfo } = await suite.msk.send(
      new DescribeClusterCommand({ ClusterArn: created.ClusterArn }),
    );
    const deleted = await suite.msk.send(
      new DeleteClusterCommand({
        ClusterArn: created.ClusterArn,
        CurrentVersion: ClusterInfo?.CurrentVersion,
      }),
    );
    assert.equal(deleted.State, 'DELETING');
    await mskRejects(
      suite.msk.send(new DescribeClusterCommand({ ClusterArn: created.ClusterArn })),
      'NotFoundException',
    );
    await mskRejects(
      suite.msk.send(new GetBootstrapBrokersCommand({ ClusterArn: created.ClusterArn })),
      'NotFoundException',
    );
  });

  it('lists nodes, tags, operations and Kafka versions', async () => {
    const created = await suite.msk.send(new CreateClusterCommand(provisioned(uniqueName('nodes'))));
    const arn = created.ClusterArn!;
    const nodes = await suite.msk.send(new ListNodesCommand({ ClusterArn: arn }));
    assert.deepEqual(
      nodes.NodeInfoList?.map((n) => [
        n.BrokerNodeInfo?.BrokerId,
        n.BrokerNodeInfo?.ClientSubnet,
        n.NodeType,
      ]),
      [
        [1, SUBNETS[0], 'BROKER'],
        [2, SUBNETS[1], 'BROKER'],
        [3, SUBNETS[2], 'BROKER'],
      ],
    );
    await suite.msk.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: '1', b: '2' } }));
    await suite.msk.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    assert.deepEqual((await suite.msk.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, {
      b: '2',
    });
    await mskRejects(
      suite.msk.send(new ListTagsForResourceCommand({ ResourceArn: `${arn}x` })),
      'NotFoundException',
    );
    const ops = await suite.msk.send(new ListClusterOperationsCommand({ ClusterArn: arn }));
    assert.equal(ops.ClusterOperationInfoList?.length, 1);
    const create = ops.ClusterOperationInfoList![0]!;
    assert.equal(create.OperationType, 'CREATE');
    assert.equal(create.OperationState, 'UPDATE_COMPLETE');
    const one = await suite.msk.send(
      new DescribeClusterOperationCommand({ ClusterOperationArn: create.OperationArn }),
    );
    assert.equal(one.ClusterOperationInfo?.ClusterArn, arn);
    const v2 = await suite.msk.send(new ListClusterOperationsV2Command({ ClusterArn: arn }));
    assert.equal(v2.ClusterOperationInfoList?.[0]?.OperationArn, create.OperationArn);
    const d2 = await suite.msk.send(
      new DescribeClusterOperationV2Command({ ClusterOperationArn: create.OperationArn }),
    );
    assert.equal(d2.ClusterOperationInfo?.ClusterType, 'PROVISIONED');
    const versions = await suite.msk.send(new ListKafkaVersionsCommand({}));
    assert.ok(versions.KafkaVersions?.some((v) => v.Version === '3.8.x' && v.Status === 'ACTIVE'));
    assert.ok(versions.KafkaVersions?.some((v) => v.Version === '2.8.1' && v.Status === 'DEPRECATED'));
    const compatible = await suite.msk.send(new GetCompatibleKafkaVersionsCommand({ ClusterArn: arn }));
    assert.equal(compatible.CompatibleKafkaVersions?.[0]?.SourceVersion, '3.6.0');
    assert.ok(compatible.CompatibleKafkaVersions?.[0]?.TargetVersions?.includes('3.8.x'));
    assert.ok(!compatible.CompatibleKafkaVersions?.[0]?.TargetVersions?.includes('3.8.x.kraft'));
    await suite.msk.send(new DeleteClusterCommand({ ClusterArn: arn }));
  });

  it('answers the operations it does not serve with a clear BadRequestException', async () => {
    await mskRejects(
      suite.msk.send(
        new RebootBrokerCommand({
          ClusterArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/x/y',
          BrokerIds: ['1'],
        }),
      ),
      'BadRequestException',
      /Tideway does not support RebootBroker/,
    );
  });
});

/** The cluster's state once it has left `from` (the change completes asynchronously after the clock moves). */
async function settled(
  describe: () => Promise<{ ClusterInfo?: { State?: string } }>,
  from: string,
): Promise<string | undefined> {
  for (let i = 0; i < 50; i++) {
    let state: string | undefined;
    try {
      state = (await describe()).ClusterInfo?.State;
    } catch (err) {
      if ((err as Error).name === 'NotFoundException') return 'gone';
      throw err;
    }
    if (state !== from) return state;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return from;
}

describe('MSK cluster states on the clock', () => {
  const suite = withClientServer('msk', (endpoint) => mskClient(endpoint), { mskStatusDelayMs: 60_000 });

  it('goes CREATING → ACTIVE and DELETING → gone as the clock passes the delay', async () => {
    const created = await suite.msk.send(new CreateClusterCommand(provisioned(uniqueName('slow'))));
    const describe = () => suite.msk.send(new DescribeClusterCommand({ ClusterArn: created.ClusterArn }));
    const creating = await describe();
    assert.equal(creating.ClusterInfo?.State, 'CREATING');
    assert.match(creating.ClusterInfo?.ActiveOperationArn ?? '', /:cluster-operation\//);
    await mskRejects(
      suite.msk.send(new GetBootstrapBrokersCommand({ ClusterArn: created.ClusterArn })),
      'BadRequestException',
    );
    suite.server.clock.advance(60_000);
    assert.equal(await settled(describe, 'CREATING'), 'ACTIVE');
    await suite.msk.send(new DeleteClusterCommand({ ClusterArn: created.ClusterArn }));
    assert.equal((await describe()).ClusterInfo?.State, 'DELETING');
    suite.server.clock.advance(60_000);
    assert.equal(await settled(describe, 'DELETING'), 'gone');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateConfigurationCommand,
  DeleteClusterCommand,
  DeleteConfigurationCommand,
  DescribeClusterCommand,
  DescribeClusterOperationCommand,
  DescribeConfigurationCommand,
  DescribeConfigurationRevisionCommand,
  ListClusterOperationsCommand,
  ListConfigurationRevisionsCommand,
  ListConfigurationsCommand,
  UpdateClusterConfigurationCommand,
  UpdateConfigurationCommand,
} from '@aws-sdk/client-kafka';
import { withClientServer } from '../support/suite.js';
import { uniqueName } from '../support/tideway.js';
import { mskClient, mskRejects, provisioned } from './helpers.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('MSK configurations', () => {
  const suite = withClientServer('msk', (endpoint) => mskClient(endpoint));

  it('keeps server.properties in numbered revisions', async () => {
    const name = uniqueName('cfg');
    const created = await suite.msk.send(
      new CreateConfigurationCommand({
        Name: name,
        Description: 'first',
        KafkaVersions: ['3.6.0'],
        ServerProperties: text('auto.create.topics.enable=true\n# a comment\nlog.retention.hours=24\n'),
      }),
    );
    assert.match(created.Arn!, new RegExp(`^arn:aws:kafka:us-east-1:000000000000:configuration/${name}/`));
    assert.equal(created.LatestRevision?.Revision, 1);
    assert.equal(created.State, 'ACTIVE');
    const updated = await suite.msk.send(
      new UpdateConfigurationCommand({
        Arn: created.Arn,
        Description: 'second',
        ServerProperties: text('num.partitions=6'),
      }),
    );
    assert.equal(updated.LatestRevision?.Revision, 2);
    const described = await suite.msk.send(new DescribeConfigurationCommand({ Arn: created.Arn }));
    assert.equal(described.LatestRevision?.Revision, 2);
    assert.deepEqual(described.KafkaVersions, ['3.6.0']);
    const first = await suite.msk.send(
      new DescribeConfigurationRevisionCommand({ Arn: created.Arn, Revision: 1 }),
    );
    assert.equal(
      new TextDecoder().decode(first.ServerProperties),
      'auto.create.topics.enable=true\n# a comment\nlog.retention.hours=24\n',
    );
    assert.equal(first.Description, 'first');
    const revisions = await suite.msk.send(new ListConfigurationRevisionsCommand({ Arn: created.Arn }));
    assert.deepEqual(
      revisions.Revisions?.map((r) => [r.Revision, r.Description]),
      [
        [1, 'first'],
        [2, 'second'],
      ],
    );
    const listed = await suite.msk.send(new ListConfigurationsCommand({}));
    assert.ok(listed.Configurations?.some((c) => c.Arn === created.Arn));
    await mskRejects(
      suite.msk.send(new DescribeConfigurationRevisionCommand({ Arn: created.Arn, Revision: 3 })),
      'NotFoundException',
    );
    await mskRejects(
      suite.msk.send(
        new CreateConfigurationCommand({ Name: name, ServerProperties: text('num.partitions=1') }),
      ),
      'ConflictException',
    );
    const deleted = await suite.msk.send(new DeleteConfigurationCommand({ Arn: created.Arn }));
    assert.equal(deleted.State, 'DELETING');
    await mskRejects(
      suite.msk.send(new DescribeConfigurationCommand({ Arn: created.Arn })),
      'NotFoundException',
    );
  });

  it('refuses properties MSK manages, unknown ones and bad values', async () => {
    for (const [properties, pattern] of [
      ['broker.id=3', /The property broker\.id cannot be set/],
      ['no.such.property=1', /The property no\.such\.property cannot be set/],
      ['auto.create.topics.enable=yes', /not valid for the property auto\.create\.topics\.enable/],
      ['num.partitions=many', /not valid for the property num\.partitions/],
      ['compression.type=brotli', /not valid for the property compression\.type/],
      ['just some words', /is not a property of the form name=value/],
    ] as const)
      await mskRejects(
        suite.msk.send(
          new CreateConfigurationCommand({ Name: uniqueName('bad'), ServerProperties: text(properties) }),
        ),
        'BadRequestException',
        pattern,
      );
  });

  it('applies a configuration to a cluster through UPDATING, as an operation', async () => {
    const configuration = await suite.msk.send(
      new CreateConfigurationCommand({
        Name: uniqueName('apply'),
        ServerProperties: text('log.retention.hours=1'),
      }),
    );
    const cluster = await suite.msk.send(new CreateClusterCommand(provisioned(uniqueName('apply'))));
    const before = (await suite.msk.send(new DescribeClusterCommand({ ClusterArn: cluster.ClusterArn })))
      .ClusterInfo!;
    await mskRejects(
      suite.msk.send(
        new UpdateClusterConfigurationCommand({
          ClusterArn: cluster.ClusterArn,
          ConfigurationInfo: { Arn: configuration.Arn, Revision: 1 },
          CurrentVersion: 'WRONG',
        }),
      ),
      'BadRequestException',
    );
    const update = await suite.msk.send(
      new UpdateClusterConfigurationCommand({
        ClusterArn: cluster.ClusterArn,
        ConfigurationInfo: { Arn: configuration.Arn, Revision: 1 },
        CurrentVersion: before.CurrentVersion,
      }),
    );
    assert.match(update.ClusterOperationArn!, /:cluster-operation\//);
    const after = (await suite.msk.send(new DescribeClusterCommand({ ClusterArn: cluster.ClusterArn })))
      .ClusterInfo!;
    assert.equal(after.State, 'ACTIVE');
    assert.notEqual(after.CurrentVersion, before.CurrentVersion);
    assert.equal(after.CurrentBrokerSoftwareInfo?.ConfigurationArn, configuration.Arn);
    assert.equal(after.CurrentBrokerSoftwareInfo?.ConfigurationRevision, 1);
    const op = await suite.msk.send(
      new DescribeClusterOperationCommand({ ClusterOperationArn: update.ClusterOperationArn }),
    );
    assert.equal(op.ClusterOperationInfo?.OperationType, 'UPDATE_CLUSTER_CONFIGURATION');
    assert.equal(op.ClusterOperationInfo?.OperationState, 'UPDATE_COMPLETE');
    assert.equal(op.ClusterOperationInfo?.TargetClusterInfo?.ConfigurationInfo?.Arn, configuration.Arn);
    const ops = await suite.msk.send(new ListClusterOperationsCommand({ ClusterArn: cluster.ClusterArn }));
    assert.deepEqual(
      ops.ClusterOperationInfoList?.map((o) => o.OperationType),
      ['UPDATE_CLUSTER_CONFIGURATION', 'CREATE'],
    );
    await mskRejects(
      suite.msk.send(new DeleteConfigurationCommand({ Arn: configuration.Arn })),
      'BadRequestException',
      /in use/,
    );
    await suite.msk.send(new DeleteClusterCommand({ ClusterArn: cluster.ClusterArn }));
    await suite.msk.send(new DeleteConfigurationCommand({ Arn: configuration.Arn }));
  });

  it('creates a cluster with a configuration, checked against its Kafka versions', async () => {
    const configuration = await suite.msk.send(
      new CreateConfigurationCommand({
        Name: uniqueName('ver'),
        KafkaVersions: ['3.8.x'],
        ServerProperties: text('num.partitions=3'),
      }),
    );
    await mskRejects(
      suite.msk.send(
        new CreateClusterCommand(
          provisioned(uniqueName('ver'), { ConfigurationInfo: { Arn: configuration.Arn, Revision: 1 } }),
        ),
      ),
      'BadRequestException',
      /not for Kafka version 3\.6\.0/,
    );
    const cluster = await suite.msk.send(
      new CreateClusterCommand(
        provisioned(uniqueName('ver'), {
          KafkaVersion: '3.8.x',
          ConfigurationInfo: { Arn: configuration.Arn, Revision: 1 },
        }),
      ),
    );
    const info = (await suite.msk.send(new DescribeClusterCommand({ ClusterArn: cluster.ClusterArn })))
      .ClusterInfo!;
    assert.equal(info.CurrentBrokerSoftwareInfo?.ConfigurationArn, configuration.Arn);
    await suite.msk.send(new DeleteClusterCommand({ ClusterArn: cluster.ClusterArn }));
  });
});

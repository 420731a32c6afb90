// With --data-dir MSK clusters and configurations survive a restart (docs/msk.md, "Persistence"):
// the cluster is ACTIVE again on the ports it had, with its configuration, tags and SCRAM secrets.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateConfigurationCommand,
  DescribeClusterCommand,
  DescribeConfigurationRevisionCommand,
  GetBootstrapBrokersCommand,
  ListScramSecretsCommand,
} from '@aws-sdk/client-kafka';
import { startServer, uniqueName } from '../support/tideway.js';
import { customerKey, kmsClient, mskClient, provisioned, scramSecret, secretsClient } from './helpers.js';

describe('MSK across restarts', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-msk-restart-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps clusters, their ports, configurations and SCRAM secrets', async () => {
    const first = await startServer({ dataDir: dir });
    const msk = mskClient(first.endpoint);
    const sm = secretsClient(first.endpoint);
    const kms = kmsClient(first.endpoint);
    const configuration = await msk.send(
      new CreateConfigurationCommand({
        Name: uniqueName('kept'),
        ServerProperties: new TextEncoder().encode('num.partitions=4'),
      }),
    );
    const created = await msk.send(
      new CreateClusterCommand(
        provisioned(uniqueName('kept'), {
          ClientAuthentication: { Sasl: { Scram: { Enabled: true } }, Unauthenticated: { Enabled: true } },
          ConfigurationInfo: { Arn: configuration.Arn, Revision: 1 },
          Tags: { kept: 'yes' },
        }),
      ),
    );
    const secret = await scramSecret(
      sm,
      uniqueName('AmazonMSK_kept'),
      { username: 'kept', password: 'pw' },
      await customerKey(kms),
    );
    const { BatchAssociateScramSecretCommand } = await import('@aws-sdk/client-kafka');
    await msk.send(
      new BatchAssociateScramSecretCommand({ ClusterArn: created.ClusterArn, SecretArnList: [secret] }),
    );
    const before = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: created.ClusterArn }));
    for (const client of [msk, sm, kms]) client.destroy();
    await first.stop();

    const second = await startServer({ dataDir: dir });
    const again = mskClient(second.endpoint);
    try {
      const info = (await again.send(new DescribeClusterCommand({ ClusterArn: created.ClusterArn })))
        .ClusterInfo!;
      assert.equal(info.State, 'ACTIVE');
      assert.deepEqual(info.Tags, { kept: 'yes' });
      assert.equal(info.CurrentBrokerSoftwareInfo?.ConfigurationArn, configuration.Arn);
      const after = await again.send(new GetBootstrapBrokersCommand({ ClusterArn: created.ClusterArn }));
      assert.equal(after.BootstrapBrokerStringTls, before.BootstrapBrokerStringTls);
      assert.equal(after.BootstrapBrokerStringSaslScram, before.BootstrapBrokerStringSaslScram);
      const secrets = await again.send(new ListScramSecretsCommand({ ClusterArn: created.ClusterArn }));
      assert.deepEqual(secrets.SecretArnList, [secret]);
      const revision = await again.send(
        new DescribeConfigurationRevisionCommand({ Arn: configuration.Arn, Revision: 1 }),
      );
      assert.equal(new TextDecoder().decode(revision.ServerProperties), 'num.partitions=4');
    } finally {
      again.destroy();
      await second.stop();
    }
  });
});

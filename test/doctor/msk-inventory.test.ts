import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BatchAssociateScramSecretCommand,
  BatchDisassociateScramSecretCommand,
  CreateClusterCommand,
  CreateClusterV2Command,
  DeleteClusterCommand,
  KafkaClient,
} from '@aws-sdk/client-kafka';
import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { type SecretsManagerClient, UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { runDoctor } from '../../src/knowhow/doctor.js';
import { fetchInventory, type LiveInventory } from '../../src/knowhow/live/inventory.js';
import type { MskCluster, ScramAssociation } from '../../src/knowhow/model.js';
import {
  customerKey,
  kmsClient,
  mskClient,
  provisioned,
  SUBNETS,
  scramSecret,
  secretsClient,
} from '../msk/helpers.js';
import { credentials, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

// `tideway doctor` sees the running MSK clusters and their SCRAM secret associations as it sees a
// template's, so `msk-scram-secret` judges the live secrets (their name and key) against them.

const ACCOUNT = '000000000000';
const SCRAM = { ClientAuthentication: { Sasl: { Scram: { Enabled: true }, Iam: { Enabled: true } } } };
const USER = { username: 'alice', password: 'alice-secret' };

function clusterIn(inventory: LiveInventory, arn: string): { scope: string; cluster: MskCluster }[] {
  return inventory.scopes.flatMap((s) =>
    s.model.clusters
      .filter((c) => c.arn === arn)
      .map((cluster) => ({ scope: `${s.account}/${s.region}`, cluster })),
  );
}

function associationOf(inventory: LiveInventory, clusterArn: string): ScramAssociation | undefined {
  return inventory.scopes.flatMap((s) => s.model.scramAssociations).find((a) => a.cluster === clusterArn);
}

async function scramFindings(server: RunningTideway) {
  const { findings } = await runDoctor({ endpoint: server.endpoint });
  return findings.filter((f) => f.rule === 'msk-scram-secret');
}

describe('doctor inventory of MSK clusters', () => {
  let server: RunningTideway;
  let msk: KafkaClient;
  let sm: SecretsManagerClient;
  let kms: KMSClient;
  let key: string;
  before(async () => {
    server = await startServer();
    msk = mskClient(server.endpoint);
    sm = secretsClient(server.endpoint);
    kms = kmsClient(server.endpoint);
    key = await customerKey(kms);
  });
  after(async () => {
    for (const client of [msk, sm, kms]) client?.destroy();
    await server?.stop();
  });

  const scramCluster = async () =>
    (await msk.send(new CreateClusterCommand(provisioned(uniqueName('doctor-msk'), SCRAM)))).ClusterArn!;
  const associate = (ClusterArn: string, ...SecretArnList: string[]) =>
    msk.send(new BatchAssociateScramSecretCommand({ ClusterArn, SecretArnList }));

  it('lists provisioned and serverless clusters in their scope, with authentication and attributes', async () => {
    const name = uniqueName('doctor-msk');
    const provisionedArn = (await msk.send(new CreateClusterCommand(provisioned(name, SCRAM)))).ClusterArn!;
    const serverlessArn = (
      await msk.send(
        new CreateClusterV2Command({
          ClusterName: uniqueName('doctor-sls'),
          Serverless: {
            VpcConfigs: [{ SubnetIds: SUBNETS }],
            ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
          },
        }),
      )
    ).ClusterArn!;
    const ireland = new KafkaClient({
      endpoint: server.endpoint,
      region: 'eu-west-1',
      credentials,
      maxAttempts: 1,
    });
    const elsewhere = (await ireland.send(new CreateClusterCommand(provisioned(uniqueName('doctor-eu')))))
      .ClusterArn!;
    ireland.destroy();

    const inventory = await fetchInventory(server.endpoint);
    const [found] = clusterIn(inventory, provisionedArn);
    assert.equal(found?.scope, `${ACCOUNT}/us-east-1`);
    const { cluster } = found!;
    assert.equal(cluster.id, provisionedArn);
    assert.equal(cluster.type, 'AWS::MSK::Cluster');
    assert.equal(cluster.name, name);
    assert.equal(cluster.origin.file, `tideway://${ACCOUNT}/us-east-1`);
    assert.equal(cluster.scram, true);
    assert.equal(cluster.iam, true);
    assert.equal(cluster.serverless, false);
    assert.equal(cluster.attributes?.State, 'ACTIVE');
    assert.equal(cluster.attributes?.ClusterType, 'PROVISIONED');
    assert.equal(cluster.attributes?.KafkaVersion, '3.6.0');
    assert.equal(cluster.attributes?.NumberOfBrokerNodes, '3');
    assert.equal(cluster.attributes?.InstanceType, 'kafka.m5.large');
    assert.equal(cluster.attributes?.ClientAuthentication, 'SASL/SCRAM,SASL/IAM');
    assert.equal(cluster.attributes?.ClientBroker, 'TLS');
    assert.equal(cluster.attributes?.ScramSecretCount, '0');
    assert.match(cluster.attributes?.CurrentVersion ?? '', /^[A-Z0-9]{14}$/);
    assert.match(cluster.attributes?.DataVolumeKMSKeyId ?? '', /^arn:aws:kms:us-east-1:000000000000:key\//);
    // No secret is associated yet: no association, as in a template without a BatchScramSecret.
    assert.equal(associationOf(inventory, provisionedArn), undefined);

    const [sls] = clusterIn(inventory, serverlessArn);
    assert.equal(sls?.cluster.type, 'AWS::MSK::ServerlessCluster');
    assert.equal(sls?.cluster.serverless, true);
    assert.equal(sls?.cluster.scram, false);
    assert.equal(sls?.cluster.iam, true);
    assert.equal(sls?.cluster.attributes?.ClusterType, 'SERVERLESS');
    assert.equal(sls?.cluster.attributes?.ClientAuthentication, 'SASL/IAM');
    assert.equal(sls?.cluster.attributes?.KafkaVersion, undefined);
    assert.equal(sls?.cluster.attributes?.NumberOfBrokerNodes, undefined);

    assert.deepEqual(
      clusterIn(inventory, elsewhere).map((c) => c.scope),
      [`${ACCOUNT}/eu-west-1`],
    );
    const only = await fetchInventory(server.endpoint, { region: 'eu-west-1' });
    assert.deepEqual(clusterIn(only, provisionedArn), []);
    assert.equal(clusterIn(only, elsewhere).length, 1);

    await msk.send(new DeleteClusterCommand({ ClusterArn: serverlessArn }));
    assert.deepEqual(clusterIn(await fetchInventory(server.endpoint), serverlessArn), []);
  });

  it('lists the associated secrets, and follows BatchDisassociateScramSecret', async () => {
    const clusterArn = await scramCluster();
    const good = await scramSecret(sm, uniqueName('AmazonMSK_alice'), USER, key);
    const unprefixed = await scramSecret(sm, uniqueName('alice'), USER, key);
    const answer = await associate(clusterArn, good, unprefixed);
    assert.deepEqual(
      answer.UnprocessedScramSecrets?.map((u) => u.SecretArn),
      [unprefixed],
    );
    const inventory = await fetchInventory(server.endpoint);
    const association = associationOf(inventory, clusterArn);
    assert.ok(association, 'an association for the cluster');
    assert.equal(association.type, 'AWS::MSK::BatchScramSecret');
    assert.deepEqual(association.secrets, [good]);
    assert.equal(association.attributes?.SecretArnList, good);
    assert.equal(clusterIn(inventory, clusterArn)[0]?.cluster.attributes?.ScramSecretCount, '1');
    // The association's secret is the live secret of Secrets Manager's inventory.
    const scope = inventory.scopes.find((s) => s.region === 'us-east-1')!;
    assert.equal(scope.model.secrets.find((s) => s.arn === good)?.kmsKey, key);
    // The secret is named and encrypted as MSK needs: nothing to report on it.
    assert.deepEqual(
      (await scramFindings(server)).filter((f) => f.resource === good || f.message.includes(clusterArn)),
      [],
    );

    await msk.send(
      new BatchDisassociateScramSecretCommand({ ClusterArn: clusterArn, SecretArnList: [good] }),
    );
    assert.equal(associationOf(await fetchInventory(server.endpoint), clusterArn), undefined);
  });

  it('flags an associated secret moved to the default key, by alias or by the key id', async () => {
    const clusterArn = await scramCluster();
    const byAlias = await scramSecret(sm, uniqueName('AmazonMSK_alias'), USER, key);
    const byKeyId = await scramSecret(sm, uniqueName('AmazonMSK_keyid'), USER, key);
    const kept = await scramSecret(sm, uniqueName('AmazonMSK_kept'), USER, key);
    assert.deepEqual((await associate(clusterArn, byAlias, byKeyId, kept)).UnprocessedScramSecrets, []);

    // MSK checked the keys when it associated the secrets; their owner may change them after.
    await sm.send(new UpdateSecretCommand({ SecretId: byAlias, KmsKeyId: 'alias/aws/secretsmanager' }));
    const managed = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' }));
    const managedId = managed.KeyMetadata!.KeyId!;
    assert.equal(managed.KeyMetadata?.KeyManager, 'AWS');
    await sm.send(new UpdateSecretCommand({ SecretId: byKeyId, KmsKeyId: managedId }));

    const findings = await scramFindings(server);
    const onAlias = findings.filter((f) => f.resource === byAlias);
    assert.equal(onAlias.length, 1, JSON.stringify(findings));
    assert.equal(onAlias[0]!.severity, 'error');
    assert.equal(onAlias[0]!.file, `tideway://${ACCOUNT}/us-east-1`);
    assert.match(onAlias[0]!.message, /default key alias\/aws\/secretsmanager/);
    assert.ok(onAlias[0]!.message.includes(clusterArn), onAlias[0]!.message);
    const onKeyId = findings.filter((f) => f.resource === byKeyId);
    assert.equal(onKeyId.length, 1, JSON.stringify(findings));
    assert.ok(
      onKeyId[0]!.message.includes(`AWS managed key ${managedId} (alias/aws/secretsmanager)`),
      onKeyId[0]!.message,
    );
    assert.deepEqual(
      findings.filter((f) => f.resource === kept),
      [],
    );
  });
});

describe('doctor inventory of MSK clusters after a restart', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-mskdoctor-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lists the kept clusters and their secrets before any MSK request', async () => {
    const first = await startServer({ dataDir: dir });
    let clusterArn: string;
    let secret: string;
    try {
      const msk = mskClient(first.endpoint);
      const sm = secretsClient(first.endpoint);
      const kms = kmsClient(first.endpoint);
      clusterArn = (await msk.send(new CreateClusterCommand(provisioned(uniqueName('doctor-kept'), SCRAM))))
        .ClusterArn!;
      secret = await scramSecret(sm, uniqueName('AmazonMSK_kept'), USER, await customerKey(kms));
      await msk.send(
        new BatchAssociateScramSecretCommand({ ClusterArn: clusterArn, SecretArnList: [secret] }),
      );
      for (const client of [msk, sm, kms]) client.destroy();
    } finally {
      await first.stop();
    }
    const second = await startServer({ dataDir: dir });
    try {
      const inventory = await fetchInventory(second.endpoint);
      assert.equal(clusterIn(inventory, clusterArn)[0]?.cluster.attributes?.State, 'ACTIVE');
      assert.deepEqual(associationOf(inventory, clusterArn)?.secrets, [secret]);
    } finally {
      await second.stop();
    }
  });
});

// SCRAM over TLS end to end: a secret associated through the MSK API is a user of the cluster's
// SASL/SCRAM listener, which KafkaJS reaches with the CA served at /_tideway/kafka/ca.pem; a wrong
// password is refused, and after PutSecretValue the old password stops working, as in MSK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  CreateConfigurationCommand,
  DescribeClusterCommand,
  GetBootstrapBrokersCommand,
  type KafkaClient,
  UpdateClusterConfigurationCommand,
  UpdateConfigurationCommand,
} from '@aws-sdk/client-kafka';
import type { KMSClient } from '@aws-sdk/client-kms';
import {
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import kafkajs from 'kafkajs';
import { type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

const { ConfigResourceTypes, Kafka, logLevel } = kafkajs;

import { mskClient, provisioned, scramCluster } from './helpers.js';

describe('MSK SASL/SCRAM over TLS with KafkaJS', () => {
  let server: RunningTideway;
  let msk: KafkaClient;
  let sm: SecretsManagerClient;
  let kms: KMSClient;
  let bootstrap: string;
  let ca: string;
  let secretArn: string;

  before(async () => {
    server = await startServer();
    const cluster = await scramCluster(
      server.endpoint,
      'scram-e2e',
      { username: 'bob', password: 'bob-secret' },
      { Sasl: { Scram: { Enabled: true } } },
    );
    ({ msk, sm, kms, secretArn, ca } = cluster);
    bootstrap = cluster.brokers.BootstrapBrokerStringSaslScram!;
  });
  after(async () => {
    for (const client of [msk, sm, kms]) client?.destroy();
    await server?.stop();
  });

  const admin = (password: string) =>
    new Kafka({
      clientId: 'msk-e2e',
      brokers: [bootstrap],
      ssl: { ca: [ca] },
      sasl: { mechanism: 'scram-sha-512', username: 'bob', password },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 3000,
    }).admin();

  it('accepts the associated user and refuses a wrong password', async () => {
    const ok = admin('bob-secret');
    await ok.connect();
    await ok.createTopics({ topics: [{ topic: 'scram-orders', numPartitions: 1 }] });
    assert.ok((await ok.listTopics()).includes('scram-orders'));
    await ok.disconnect();
    const wrong = admin('not-bobs');
    await assert.rejects(wrong.connect(), /SASL SCRAM SHA512 authentication failed|Authentication failed/i);
    await wrong.disconnect();
  });

  it('stops taking the old password once the secret changes', async () => {
    await sm.send(
      new PutSecretValueCommand({
        SecretId: secretArn,
        SecretString: JSON.stringify({ username: 'bob', password: 'rotated' }),
      }),
    );
    // The change reaches the broker asynchronously (the secret's observers), within a few event-loop turns.
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      const old = admin('bob-secret');
      try {
        await old.connect();
        await old.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 20));
      } catch {
        refused = true;
      }
    }
    assert.ok(refused, 'the old password still works');
    const fresh = admin('rotated');
    await fresh.connect();
    await fresh.disconnect();
  });

  it('stops taking the user once its secret moves to the default key, which MSK cannot read', async () => {
    await sm.send(new UpdateSecretCommand({ SecretId: secretArn, KmsKeyId: 'alias/aws/secretsmanager' }));
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      const user = admin('rotated');
      try {
        await user.connect();
        await user.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 20));
      } catch {
        refused = true;
      }
    }
    assert.ok(refused, 'the user of a secret under the default key still signs in');
  });
});

describe('MSK TLS and plaintext listeners with KafkaJS', () => {
  let server: RunningTideway;
  let msk: KafkaClient;
  before(async () => {
    server = await startServer();
    msk = mskClient(server.endpoint);
  });
  after(async () => {
    msk?.destroy();
    await server?.stop();
  });

  it("hands the brokers a configuration's properties, and a new revision through UpdateClusterConfiguration", async () => {
    const configuration = await msk.send(
      new CreateConfigurationCommand({
        Name: uniqueName('e2e'),
        ServerProperties: new TextEncoder().encode('num.partitions=3'),
      }),
    );
    const created = await msk.send(
      new CreateClusterCommand(
        provisioned(uniqueName('cfg-e2e'), {
          ConfigurationInfo: { Arn: configuration.Arn, Revision: 1 },
          EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'PLAINTEXT' } },
        }),
      ),
    );
    const brokers = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: created.ClusterArn }));
    const admin = new Kafka({
      brokers: [brokers.BootstrapBrokerString!],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const numPartitions = async () => {
      const described = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configNames: ['num.partitions'] }],
        includeSynonyms: false,
      });
      return described.resources[0]?.configEntries.find((e) => e.configName === 'num.partitions')
        ?.configValue;
    };
    try {
      assert.equal(await numPartitions(), '3');
      await msk.send(
        new UpdateConfigurationCommand({
          Arn: configuration.Arn,
          ServerProperties: new TextEncoder().encode('num.partitions=5'),
        }),
      );
      const { ClusterInfo } = await msk.send(new DescribeClusterCommand({ ClusterArn: created.ClusterArn }));
      await msk.send(
        new UpdateClusterConfigurationCommand({
          ClusterArn: created.ClusterArn,
          ConfigurationInfo: { Arn: configuration.Arn, Revision: 2 },
          CurrentVersion: ClusterInfo?.CurrentVersion,
        }),
      );
      assert.equal(await numPartitions(), '5');
    } finally {
      await admin.disconnect();
    }
  });

  it('serves unauthenticated clients over TLS with the CA, and in plaintext where allowed', async () => {
    const created = await msk.send(
      new CreateClusterCommand(
        provisioned(uniqueName('tls-e2e'), {
          EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS_PLAINTEXT' } },
        }),
      ),
    );
    const brokers = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: created.ClusterArn }));
    const ca = await (await fetch(`${server.endpoint}/_tideway/kafka/ca.pem`)).text();
    const tls = new Kafka({
      brokers: [brokers.BootstrapBrokerStringTls!],
      ssl: { ca: [ca] },
      logLevel: logLevel.NOTHING,
    }).admin();
    await tls.connect();
    await tls.createTopics({ topics: [{ topic: 'tls-orders', numPartitions: 2 }] });
    await tls.disconnect();
    const plain = new Kafka({
      brokers: [brokers.BootstrapBrokerString!],
      logLevel: logLevel.NOTHING,
    }).admin();
    await plain.connect();
    assert.ok((await plain.listTopics()).includes('tls-orders'));
    await plain.disconnect();
  });
});

// An MSK cluster's TLS, SASL/SCRAM and IAM listeners through real clients, with the CA served at
// /_tideway/kafka/ca.pem: kcat and confluent_kafka (librdkafka) and kafka-python for SCRAM over
// TLS, right and wrong passwords; KafkaJS and confluent_kafka for IAM with aws-msk-iam-sasl-signer
// tokens, refused once the server's clock passes their expiry.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KafkaClient } from '@aws-sdk/client-kafka';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { scramCluster } from '../msk/helpers.js';
import { kafkajs, kafkaPython, kcatMetadata, runChild, runPython } from '../support/kafka-tools.js';
import { advance, credentials, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

function iamToken(region = 'us-east-1') {
  return generateAuthTokenFromCredentialsProvider({
    region,
    awsCredentialsProvider: async () => credentials,
  });
}

describe('MSK listeners: TLS, SASL/SCRAM and IAM with real clients', () => {
  let server: RunningTideway;
  let msk: KafkaClient;
  let sm: SecretsManagerClient;
  let kms: KMSClient;
  let brokers: { tls: string; scram: string; iam: string };
  let ca: string;
  let caFile: string;
  let folder: string;

  before(async () => {
    server = await startServer();
    const cluster = await scramCluster(
      server.endpoint,
      'auth-listeners',
      { username: 'carol', password: 'carol-secret' },
      { Sasl: { Scram: { Enabled: true }, Iam: { Enabled: true } }, Unauthenticated: { Enabled: true } },
    );
    ({ msk, sm, kms, ca } = cluster);
    const got = cluster.brokers;
    brokers = {
      tls: got.BootstrapBrokerStringTls as string,
      scram: got.BootstrapBrokerStringSaslScram as string,
      iam: got.BootstrapBrokerStringSaslIam as string,
    };
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-msk-'));
    caFile = path.join(folder, 'ca.pem');
    fs.writeFileSync(caFile, ca);
  });
  after(async () => {
    for (const client of [msk, sm, kms]) client?.destroy();
    await server?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  const scram = (password: string) => ({
    'security.protocol': 'SASL_SSL',
    'sasl.mechanisms': 'SCRAM-SHA-512',
    'sasl.username': 'carol',
    'sasl.password': password,
    'ssl.ca.location': caFile,
  });

  it('serves TLS that librdkafka verifies against the served CA', async () => {
    const metadata = await kcatMetadata(brokers.tls, undefined, {
      config: { 'security.protocol': 'SSL', 'ssl.ca.location': caFile },
    });
    assert.equal(metadata.brokers.length, 1);
  });

  it('takes kcat over SASL_SSL with the associated password and refuses a wrong one', async () => {
    const metadata = await kcatMetadata(brokers.scram, undefined, { config: scram('carol-secret') });
    assert.ok(metadata.brokers.length > 0);
    const args = ['-L', '-b', brokers.scram, '-m', '3'];
    for (const [name, value] of Object.entries(scram('wrong'))) args.push('-X', `${name}=${value}`);
    const refused = await runChild('kcat', args);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512/,
    );
  });

  it('takes kafka-python over SASL_SSL (handshake v0, bare tokens) and refuses a wrong password', async () => {
    const topic = uniqueName('auth-scram-py');
    const config = (password: string) => ({
      security_protocol: 'SASL_SSL',
      sasl_mechanism: 'SCRAM-SHA-512',
      sasl_plain_username: 'carol',
      sasl_plain_password: password,
      ssl_cafile: caFile,
    });
    const admin = kafkajs(brokers.scram, {
      ssl: { ca: [ca] },
      sasl: { mechanism: 'scram-sha-512', username: 'carol', password: 'carol-secret' },
    }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const ok = await kafkaPython('produce', {
      bootstrap: brokers.scram,
      topic,
      messages: [{ value: 'over SCRAM' }],
      config: config('carol-secret'),
    });
    assert.deepEqual(ok.reports, [{ error: null, partition: 0, offset: 0 }]);
    await assert.rejects(
      kafkaPython(
        'produce',
        {
          bootstrap: brokers.scram,
          topic,
          messages: [{ value: 'x' }],
          config: { ...config('nope'), max_block_ms: 3000 },
        },
        { timeoutMs: 30_000 },
      ),
    );
  });

  it('takes KafkaJS over IAM (OAUTHBEARER) with an aws-msk-iam-sasl-signer token', async () => {
    const admin = kafkajs(brokers.iam, {
      ssl: { ca: [ca] },
      sasl: {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => ({ value: (await iamToken()).token }),
      },
    }).admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      assert.equal(cluster.brokers.length, 1);
    } finally {
      await admin.disconnect();
    }
    const wrongRegion = kafkajs(brokers.iam, {
      ssl: { ca: [ca] },
      retry: { retries: 0 },
      sasl: {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => ({ value: (await iamToken('eu-west-1')).token }),
      },
    }).admin();
    await assert.rejects(wrongRegion.connect(), /Invalid authentication payload/);
    await wrongRegion.disconnect();
  });

  it('takes confluent_kafka (librdkafka) over IAM with the same tokens', async () => {
    const made = await iamToken();
    const result = await runPython('auth_oauthbearer.py', {
      bootstrap: brokers.iam,
      ca: caFile,
      token: made.token,
      expiry_ms: made.expiryTime,
    });
    assert.deepEqual(result, { brokers: [1], error: null });
  });

  it("refuses a token once the server's clock passes its expiry", async () => {
    const made = await iamToken();
    await advance(server, 901);
    const admin = kafkajs(brokers.iam, {
      ssl: { ca: [ca] },
      retry: { retries: 0 },
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: made.token }) },
    }).admin();
    await assert.rejects(admin.connect(), /Invalid authentication payload/);
    await admin.disconnect();
  });
});

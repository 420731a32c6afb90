import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchAssociateScramSecretCommand,
  BatchDisassociateScramSecretCommand,
  CreateClusterCommand,
  type KafkaClient,
  ListScramSecretsCommand,
} from '@aws-sdk/client-kafka';
import type { KMSClient } from '@aws-sdk/client-kms';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { credentials, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';
import {
  customerKey,
  kmsClient,
  mskClient,
  mskRejects,
  provisioned,
  scramSecret,
  secretsClient,
} from './helpers.js';

const PREFIX_REFUSED =
  "The provided secret arn cannot be used with Amazon MSK. Secret names must have the prefix 'AmazonMSK_'";
const NO_ACCESS = "Amazon MSK wasn't able to access the provided secret.";

describe('MSK SCRAM secret association', () => {
  let server: RunningTideway;
  let msk: KafkaClient;
  let sm: SecretsManagerClient;
  let kms: KMSClient;
  let clusterArn: string;
  let key: string;
  const user = { username: 'alice', password: 'alice-secret' };

  before(async () => {
    server = await startServer();
    msk = mskClient(server.endpoint);
    sm = secretsClient(server.endpoint);
    kms = kmsClient(server.endpoint);
    key = await customerKey(kms);
    const created = await msk.send(
      new CreateClusterCommand(
        provisioned(uniqueName('scram'), { ClientAuthentication: { Sasl: { Scram: { Enabled: true } } } }),
      ),
    );
    clusterArn = created.ClusterArn!;
  });
  after(async () => {
    for (const client of [msk, sm, kms]) client?.destroy();
    await server?.stop();
  });

  const associate = (...arns: string[]) =>
    msk.send(new BatchAssociateScramSecretCommand({ ClusterArn: clusterArn, SecretArnList: arns }));

  it('associates a secret under a customer managed key, and lists it', async () => {
    const arn = await scramSecret(sm, uniqueName('AmazonMSK_alice'), user, key);
    const answer = await associate(arn);
    assert.equal(answer.$metadata.httpStatusCode, 200);
    assert.equal(answer.ClusterArn, clusterArn);
    assert.deepEqual(answer.UnprocessedScramSecrets, []);
    const listed = await msk.send(new ListScramSecretsCommand({ ClusterArn: clusterArn }));
    assert.ok(listed.SecretArnList?.includes(arn));
    const again = await associate(arn);
    assert.deepEqual(again.UnprocessedScramSecrets, []);
    const gone = await msk.send(
      new BatchDisassociateScramSecretCommand({ ClusterArn: clusterArn, SecretArnList: [arn] }),
    );
    assert.deepEqual(gone.UnprocessedScramSecrets, []);
    assert.ok(
      !(await msk.send(new ListScramSecretsCommand({ ClusterArn: clusterArn }))).SecretArnList?.includes(arn),
    );
    const twice = await msk.send(
      new BatchDisassociateScramSecretCommand({ ClusterArn: clusterArn, SecretArnList: [arn] }),
    );
    assert.equal(twice.UnprocessedScramSecrets?.[0]?.ErrorCode, 'InvalidSecretArn');
  });

  it('answers 200 with the refused secrets: no AmazonMSK_ prefix, the default key, one it cannot read', async () => {
    const good = await scramSecret(sm, uniqueName('AmazonMSK_good'), user, key);
    const unprefixed = await scramSecret(sm, uniqueName('alice'), user, key);
    const defaultKey = await scramSecret(sm, uniqueName('AmazonMSK_default'), user);
    const awsAlias = await scramSecret(sm, uniqueName('AmazonMSK_alias'), user, 'alias/aws/secretsmanager');
    const missing = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:AmazonMSK_nothing-AbCdEf';
    const deleted = await scramSecret(sm, uniqueName('AmazonMSK_deleted'), user, key);
    await sm.send(new DeleteSecretCommand({ SecretId: deleted, RecoveryWindowInDays: 7 }));
    const answer = await associate(good, unprefixed, defaultKey, awsAlias, missing, deleted);
    assert.equal(answer.$metadata.httpStatusCode, 200);
    const refused = new Map(answer.UnprocessedScramSecrets?.map((u) => [u.SecretArn, u]));
    assert.equal(refused.size, 5);
    assert.ok(!refused.has(good));
    assert.deepEqual(refused.get(unprefixed), {
      SecretArn: unprefixed,
      ErrorCode: 'InvalidSecretArn',
      ErrorMessage: PREFIX_REFUSED,
    });
    assert.equal(refused.get(defaultKey)?.ErrorCode, 'InvalidSecretArn');
    assert.match(refused.get(defaultKey)?.ErrorMessage ?? '', /default AWS KMS key/);
    assert.match(refused.get(awsAlias)?.ErrorMessage ?? '', /default AWS KMS key/);
    assert.equal(refused.get(missing)?.ErrorMessage, NO_ACCESS);
    assert.equal(refused.get(deleted)?.ErrorMessage, NO_ACCESS);
    const listed =
      (await msk.send(new ListScramSecretsCommand({ ClusterArn: clusterArn }))).SecretArnList ?? [];
    assert.ok(listed.includes(good));
    assert.ok(!listed.includes(unprefixed) && !listed.includes(defaultKey));
  });

  it('refuses a secret without a username and password in its value', async () => {
    const { CreateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    const made = await sm.send(
      new CreateSecretCommand({
        Name: uniqueName('AmazonMSK_plain'),
        SecretString: 'just-a-password',
        KmsKeyId: key,
      }),
    );
    const answer = await associate(made.ARN!);
    assert.match(answer.UnprocessedScramSecrets?.[0]?.ErrorMessage ?? '', /username and a password/);
  });

  it("refuses another account's or Region's secrets", async () => {
    const otherAccount = secretsClient(server.endpoint, '111122223333');
    const otherKms = kmsClient(server.endpoint, '111122223333');
    const foreign = await scramSecret(
      otherAccount,
      uniqueName('AmazonMSK_foreign'),
      user,
      await customerKey(otherKms),
    );
    const west = new SecretsManagerClient({
      endpoint: server.endpoint,
      region: 'us-west-2',
      credentials,
      maxAttempts: 1,
    });
    const westSecret = await scramSecret(west, uniqueName('AmazonMSK_west'), user);
    const answer = await associate(foreign, westSecret);
    assert.deepEqual(
      answer.UnprocessedScramSecrets?.map((u) => [u.SecretArn, u.ErrorCode]),
      [
        [foreign, 'InvalidSecretArn'],
        [westSecret, 'InvalidSecretArn'],
      ],
    );
    for (const c of [otherAccount, otherKms, west]) c.destroy();
  });

  it('takes at most 10 secrets per call', async () => {
    const arns = Array.from(
      { length: 11 },
      (_, i) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:AmazonMSK_${i}-AbCdEf`,
    );
    await mskRejects(associate(...arns), 'BadRequestException', /at most 10 secrets/);
  });

  it('refuses clusters without SASL/SCRAM, and unknown clusters', async () => {
    const plain = await msk.send(new CreateClusterCommand(provisioned(uniqueName('noscram'))));
    const arn = await scramSecret(sm, uniqueName('AmazonMSK_x'), user, key);
    await mskRejects(
      msk.send(new BatchAssociateScramSecretCommand({ ClusterArn: plain.ClusterArn, SecretArnList: [arn] })),
      'BadRequestException',
      /SASL\/SCRAM authentication is not enabled/,
    );
    await mskRejects(
      msk.send(new BatchAssociateScramSecretCommand({ ClusterArn: `${clusterArn}0`, SecretArnList: [arn] })),
      'NotFoundException',
    );
  });
});

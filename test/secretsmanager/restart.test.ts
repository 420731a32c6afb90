import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { advance, errorOf, type RunningTideway, startServer } from '../support/tideway.js';
import { assertSmError, kmsClient, smClient } from './support.js';

const MARKER = 'plaintext-that-must-never-be-stored';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' }],
});

// With --data-dir an acknowledged write survives a restart: secrets, versions (as ciphertext
// only), labels, policies, tags and deletion dates, in the journal's `secrets` table; the keys
// they are encrypted under in KMS's tables beside them.
describe('Secrets Manager persistence across restarts', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tideway-secrets-restart-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps secrets, versions, labels, policies, tags and deletion dates; never the plaintext', async () => {
    let server: RunningTideway = await startServer({ dataDir: dir });
    let sm = smClient(server.endpoint);
    let kms = kmsClient(server.endpoint);
    const key = await kms.send(new CreateKeyCommand({}));
    const v1 = await sm.send(
      new CreateSecretCommand({ Name: 'kept', SecretString: MARKER, Description: 'd' }),
    );
    const v2 = await sm.send(
      new PutSecretValueCommand({ SecretId: 'kept', SecretBinary: Buffer.from([1, 2, 3]) }),
    );
    await sm.send(new TagResourceCommand({ SecretId: 'kept', Tags: [{ Key: 'team', Value: 'core' }] }));
    await sm.send(new PutResourcePolicyCommand({ SecretId: 'kept', ResourcePolicy: POLICY }));
    await sm.send(
      new CreateSecretCommand({ Name: 'cmk', SecretString: 'c', KmsKeyId: key.KeyMetadata!.KeyId }),
    );
    await sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'x' }));
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }));
    const before = await sm.send(new DescribeSecretCommand({ SecretId: 'kept' }));
    sm.destroy();
    kms.destroy();
    await server.stop();

    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, file));
      assert.ok(!bytes.includes(MARKER), `${file} holds the secret in plaintext`);
    }

    server = await startServer({ dataDir: dir });
    sm = smClient(server.endpoint);
    kms = kmsClient(server.endpoint);
    try {
      const described = await sm.send(new DescribeSecretCommand({ SecretId: 'kept' }));
      assert.equal(described.ARN, v1.ARN);
      assert.deepEqual(described.VersionIdsToStages, before.VersionIdsToStages);
      assert.deepEqual(described.Tags, [{ Key: 'team', Value: 'core' }]);
      assert.equal(described.Description, 'd');
      assert.deepEqual(
        Buffer.from((await sm.send(new GetSecretValueCommand({ SecretId: 'kept' }))).SecretBinary!),
        Buffer.from([1, 2, 3]),
      );
      const previous = await sm.send(
        new GetSecretValueCommand({ SecretId: 'kept', VersionStage: 'AWSPREVIOUS' }),
      );
      assert.equal(previous.SecretString, MARKER);
      assert.notEqual(v1.VersionId, v2.VersionId);
      assert.equal(
        (await sm.send(new GetResourcePolicyCommand({ SecretId: 'kept' }))).ResourcePolicy,
        POLICY,
      );
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'cmk' }))).SecretString, 'c');
      const doomed = await sm.send(new DescribeSecretCommand({ SecretId: 'doomed' }));
      assert.ok(doomed.DeletedDate instanceof Date);
      // The key's state is still checked on every read after the restart.
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyMetadata!.KeyId }));
      assertSmError(
        await errorOf(() => sm.send(new GetSecretValueCommand({ SecretId: 'cmk' }))),
        'DecryptionFailure',
      );
      // The recovery window still ends on the clock.
      const left = Math.ceil((deleted.DeletionDate!.getTime() - Date.now()) / 1000) + 60;
      await advance(server, left);
      assertSmError(
        await errorOf(() => sm.send(new DescribeSecretCommand({ SecretId: 'doomed' }))),
        'ResourceNotFoundException',
      );
    } finally {
      sm.destroy();
      kms.destroy();
      await server.stop();
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { errorOf, uniqueName } from '../support/tideway.js';
import { assertSmError, withSmServer } from './support.js';

const tail = (code: string) =>
  `\\(Service: AWSKMS; Status Code: 400; Error Code: ${code}; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`;
const failed = (verb: string, arn: string, state: string, code: string) =>
  new RegExp(`^Secrets Manager can't ${verb} the secret value: ${arn} is ${state}\\. ${tail(code)}`);

// Secret encryption (Secrets Manager User Guide, "Secret encryption and decryption"): each value is
// sealed with a data key from KMS under the secret's key, or under aws/secretsmanager, which
// Secrets Manager creates on first use; every read asks KMS again, so the key's state decides it.
// DescribeSecret shows KmsKeyId only for a customer key.
describe('Secrets Manager encryption through KMS', () => {
  const t = withSmServer();

  it('creates alias/aws/secretsmanager on first use', async () => {
    const before = await t.kms.send(new ListAliasesCommand({}));
    // KMS lists the aliases of AWS-managed keys not created yet, without a target.
    const unused = before.Aliases!.find((a) => a.AliasName === 'alias/aws/secretsmanager');
    assert.equal(unused?.TargetKeyId, undefined);
    await t.sm.send(new CreateSecretCommand({ Name: uniqueName('managed'), SecretString: 'x' }));
    const after = await t.kms.send(new ListAliasesCommand({}));
    const alias = after.Aliases!.find((a) => a.AliasName === 'alias/aws/secretsmanager');
    assert.ok(alias?.TargetKeyId, 'the AWS-managed key and its alias exist');
  });

  it('round-trips a value under a customer key given by id, ARN or alias', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const alias = `alias/${uniqueName('sm')}`;
    await t.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyMetadata!.KeyId }));
    for (const keyId of [KeyMetadata!.KeyId!, KeyMetadata!.Arn!, alias]) {
      const name = uniqueName('cmk');
      await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'top secret', KmsKeyId: keyId }));
      assert.equal(
        (await t.sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString,
        'top secret',
      );
      assert.equal((await t.sm.send(new DescribeSecretCommand({ SecretId: name }))).KmsKeyId, keyId);
      const { Versions } = await t.sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
      assert.deepEqual(Versions![0]!.KmsKeyIds, [keyId]);
    }
  });

  it('a disabled key fails reads with DecryptionFailure and writes with EncryptionFailure', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const name = uniqueName('disabled');
    await t.sm.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v1', KmsKeyId: KeyMetadata!.KeyId }),
    );
    await t.kms.send(new DisableKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    assertSmError(
      await errorOf(() => t.sm.send(new GetSecretValueCommand({ SecretId: name }))),
      'DecryptionFailure',
      failed('decrypt', KeyMetadata!.Arn!, 'disabled', 'DisabledException'),
    );
    assertSmError(
      await errorOf(() => t.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v2' }))),
      'EncryptionFailure',
      failed('encrypt', KeyMetadata!.Arn!, 'disabled', 'DisabledException'),
    );
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new CreateSecretCommand({
            Name: uniqueName('new'),
            SecretString: 'v',
            KmsKeyId: KeyMetadata!.KeyId,
          }),
        ),
      ),
      'EncryptionFailure',
      failed('encrypt', KeyMetadata!.Arn!, 'disabled', 'DisabledException'),
    );
    // Nothing was written by the failed calls: one version, and the value reads again once enabled.
    await t.kms.send(new EnableKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    const { Versions } = await t.sm.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
    );
    assert.equal(Versions!.length, 1);
    assert.equal((await t.sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'v1');
  });

  it('a key pending deletion fails reads and writes too', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const name = uniqueName('pending');
    await t.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v1', KmsKeyId: KeyMetadata!.Arn }));
    await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata!.KeyId, PendingWindowInDays: 7 }));
    assertSmError(
      await errorOf(() => t.sm.send(new GetSecretValueCommand({ SecretId: name }))),
      'DecryptionFailure',
      failed('decrypt', KeyMetadata!.Arn!, 'pending deletion', 'KMSInvalidStateException'),
    );
    assertSmError(
      await errorOf(() => t.sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: 'v2' }))),
      'EncryptionFailure',
      failed('encrypt', KeyMetadata!.Arn!, 'pending deletion', 'KMSInvalidStateException'),
    );
  });

  it('a missing key fails the write that names it', async () => {
    assertSmError(
      await errorOf(() =>
        t.sm.send(
          new CreateSecretCommand({
            Name: uniqueName('missing'),
            SecretString: 'v',
            KmsKeyId: 'alias/no-such-key',
          }),
        ),
      ),
      'InvalidParameterException',
      /^The operation failed because of an invalid KMS key: Alias arn:aws:kms:us-east-1:\d{12}:alias\/no-such-key is not found\.$/,
    );
  });

  it('UpdateSecret moves the labelled versions to a new key', async () => {
    const first = await t.kms.send(new CreateKeyCommand({}));
    const second = await t.kms.send(new CreateKeyCommand({}));
    const name = uniqueName('rekey');
    await t.sm.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v1', KmsKeyId: first.KeyMetadata!.KeyId }),
    );
    await t.sm.send(new UpdateSecretCommand({ SecretId: name, KmsKeyId: second.KeyMetadata!.KeyId }));
    await t.kms.send(new DisableKeyCommand({ KeyId: first.KeyMetadata!.KeyId }));
    assert.equal((await t.sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'v1');
    assert.equal(
      (await t.sm.send(new DescribeSecretCommand({ SecretId: name }))).KmsKeyId,
      second.KeyMetadata!.KeyId,
    );
  });
});

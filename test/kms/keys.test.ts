import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { kmsClient, kmsRejects, withKmsServer } from '../support/kms.js';
import { advance } from '../support/tideway.js';

// KMS API Reference (CreateKey, DescribeKey, EnableKey, DisableKey, ScheduleKeyDeletion,
// CancelKeyDeletion) and the texts recorded against real KMS.
describe('KMS keys', () => {
  const t = withKmsServer();

  it('creates a symmetric encryption key by default and describes it by id, ARN and alias', async () => {
    const created = await t.kms.send(new CreateKeyCommand({ Description: 'test key 123' }));
    const meta = created.KeyMetadata!;
    assert.match(meta.KeyId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(meta.Arn, `arn:aws:kms:us-east-1:000000000000:key/${meta.KeyId}`);
    assert.equal(meta.AWSAccountId, '000000000000');
    assert.equal(meta.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(meta.CustomerMasterKeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(meta.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(meta.KeyState, 'Enabled');
    assert.equal(meta.Enabled, true);
    assert.equal(meta.KeyManager, 'CUSTOMER');
    assert.equal(meta.Origin, 'AWS_KMS');
    assert.equal(meta.MultiRegion, false);
    assert.deepEqual(meta.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.equal(meta.Description, 'test key 123');
    assert.ok(meta.CreationDate instanceof Date);

    await t.kms.send(new CreateAliasCommand({ AliasName: 'alias/described', TargetKeyId: meta.KeyId }));
    for (const name of [
      meta.KeyId!,
      meta.Arn!,
      'alias/described',
      'arn:aws:kms:us-east-1:000000000000:alias/described',
    ]) {
      const described = await t.kms.send(new DescribeKeyCommand({ KeyId: name }));
      assert.equal(described.KeyMetadata?.Arn, meta.Arn, name);
    }
  });

  it('answers NotFoundException with KMS texts for unknown keys and aliases', async () => {
    const id = '11111111-2222-3333-4444-555555555555';
    await kmsRejects(
      t.kms.send(new DescribeKeyCommand({ KeyId: id })),
      'NotFoundException',
      `Key 'arn:aws:kms:us-east-1:000000000000:key/${id}' does not exist`,
    );
    await kmsRejects(
      t.kms.send(new DescribeKeyCommand({ KeyId: 'fake-key-id' })),
      'NotFoundException',
      "Invalid keyId 'fake-key-id'",
    );
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const west = kmsClient(t.server.endpoint, { region: 'us-west-2' });
    try {
      await kmsRejects(
        west.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.Arn })),
        'NotFoundException',
        'Invalid arn us-east-1',
      );
      await kmsRejects(
        west.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId })),
        'NotFoundException',
        `Key 'arn:aws:kms:us-west-2:000000000000:key/${KeyMetadata!.KeyId}' does not exist`,
      );
    } finally {
      west.destroy();
    }
    await kmsRejects(
      t.kms.send(new DescribeKeyCommand({ KeyId: 'alias/nothing' })),
      'NotFoundException',
      'Alias arn:aws:kms:us-east-1:000000000000:alias/nothing is not found.',
    );
  });

  it('encrypts and decrypts with an encryption context, and refuses a wrong context or a changed blob', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const context = { purpose: 'test', order: '42' };
    const plaintext = Buffer.from('the secret');
    const enc = await t.kms.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: plaintext, EncryptionContext: context }),
    );
    assert.equal(enc.KeyId, KeyMetadata!.Arn);
    assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const dec = await t.kms.send(
      new DecryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        EncryptionContext: { order: '42', purpose: 'test' },
      }),
    );
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'the secret');
    assert.equal(dec.KeyId, KeyMetadata!.Arn);
    assert.equal(dec.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');

    await kmsRejects(
      t.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
      'InvalidCiphertextException',
      '',
    );
    await kmsRejects(
      t.kms.send(
        new DecryptCommand({
          CiphertextBlob: enc.CiphertextBlob,
          EncryptionContext: { purpose: 'test', order: '43' },
        }),
      ),
      'InvalidCiphertextException',
      '',
    );
    const tampered = Buffer.from(enc.CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    await kmsRejects(
      t.kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context })),
      'InvalidCiphertextException',
      '',
    );
    await kmsRejects(
      t.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a blob of ours') })),
      'InvalidCiphertextException',
      '',
    );

    const other = await t.kms.send(new CreateKeyCommand({}));
    await kmsRejects(
      t.kms.send(
        new DecryptCommand({
          CiphertextBlob: enc.CiphertextBlob,
          EncryptionContext: context,
          KeyId: other.KeyMetadata!.KeyId,
        }),
      ),
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    );
  });

  it('generates data keys that decrypt to the same bytes', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const data = await t.kms.send(
      new GenerateDataKeyCommand({ KeyId: KeyMetadata!.Arn, KeySpec: 'AES_256' }),
    );
    assert.equal(data.Plaintext?.length, 32);
    assert.equal(data.KeyId, KeyMetadata!.Arn);
    const dec = await t.kms.send(new DecryptCommand({ CiphertextBlob: data.CiphertextBlob }));
    assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(data.Plaintext!));
    const short = await t.kms.send(
      new GenerateDataKeyCommand({ KeyId: KeyMetadata!.KeyId, KeySpec: 'AES_128' }),
    );
    assert.equal(short.Plaintext?.length, 16);
    const bytes = await t.kms.send(
      new GenerateDataKeyCommand({ KeyId: KeyMetadata!.KeyId, NumberOfBytes: 64 }),
    );
    assert.equal(bytes.Plaintext?.length, 64);
  });

  it('refuses a disabled key until it is enabled again', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    const enc = await t.kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
    await t.kms.send(new DisableKeyCommand({ KeyId: arn }));
    const described = await t.kms.send(new DescribeKeyCommand({ KeyId: arn }));
    assert.equal(described.KeyMetadata?.KeyState, 'Disabled');
    assert.equal(described.KeyMetadata?.Enabled, false);
    await kmsRejects(
      t.kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
      'DisabledException',
      `${arn} is disabled.`,
    );
    await kmsRejects(
      t.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
      'DisabledException',
      `${arn} is disabled.`,
    );
    await t.kms.send(new EnableKeyCommand({ KeyId: arn }));
    await t.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
  });

  it('deletes a key when its window has passed on the clock, and cancels back to Disabled', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    const scheduled = await t.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }),
    );
    assert.equal(scheduled.KeyId, arn);
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.equal(scheduled.PendingWindowInDays, 7);
    const described = await t.kms.send(new DescribeKeyCommand({ KeyId: arn }));
    assert.equal(described.KeyMetadata?.KeyState, 'PendingDeletion');
    assert.equal(described.KeyMetadata?.PendingDeletionWindowInDays, 7);
    assert.equal(described.KeyMetadata?.DeletionDate?.getTime(), scheduled.DeletionDate?.getTime());
    await kmsRejects(
      t.kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
      'KMSInvalidStateException',
      `${arn} is pending deletion.`,
    );
    const cancelled = await t.kms.send(new CancelKeyDeletionCommand({ KeyId: arn }));
    assert.equal(cancelled.KeyId, arn);
    assert.equal(
      (await t.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState,
      'Disabled',
    );

    await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    await advance(t.server, 7 * 86400 - 60);
    assert.equal(
      (await t.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState,
      'PendingDeletion',
    );
    await advance(t.server, 120);
    await kmsRejects(
      t.kms.send(new DescribeKeyCommand({ KeyId: arn })),
      'NotFoundException',
      `Key '${arn}' does not exist`,
    );
  });

  it('forgets every key and alias on an admin reset', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    await t.kms.send(
      new CreateAliasCommand({ AliasName: 'alias/before-reset', TargetKeyId: KeyMetadata!.KeyId }),
    );
    await t.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/kinesis' }));
    const reset = await fetch(`${t.server.endpoint}/_tideway/reset`, { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.deepEqual((await t.kms.send(new ListKeysCommand({}))).Keys, []);
    const aliases = await t.kms.send(new ListAliasesCommand({}));
    assert.deepEqual(
      aliases.Aliases?.filter((a) => a.TargetKeyId !== undefined),
      [],
    );
    await kmsRejects(
      t.kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.Arn })),
      'NotFoundException',
      `Key '${KeyMetadata!.Arn}' does not exist`,
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { kmsRejects, withKmsServer } from '../support/kms.js';

// Texts recorded against real KMS (ValidationException lists, NumberOfBytes, KeyUsage) and the
// API Reference (GenerateRandom, GenerateDataKey, ReEncrypt, ListKeys, key rotation).
describe('KMS requests and their checks', () => {
  const t = withKmsServer();

  it('limits plaintext, data key and random sizes as the model does', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await kmsRejects(
      t.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(4097) })),
      'ValidationException',
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
    await t.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(4096, 1) }));
    await kmsRejects(
      t.kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })),
      'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
    await kmsRejects(
      t.kms.send(new GenerateRandomCommand({ NumberOfBytes: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await kmsRejects(
      t.kms.send(new GenerateRandomCommand({})),
      'ValidationException',
      'NumberOfBytes is required.',
    );
    for (const n of [1, 44, 1024]) {
      assert.equal((await t.kms.send(new GenerateRandomCommand({ NumberOfBytes: n }))).Plaintext?.length, n);
    }
    await kmsRejects(
      t.kms.send(new GenerateDataKeyCommand({ KeyId: keyId })),
      'ValidationException',
      'Please specify either number of bytes or key spec.',
    );
    const without = await t.kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_256' }),
    );
    assert.equal((without as { Plaintext?: unknown }).Plaintext, undefined);
    const opened = await t.kms.send(new DecryptCommand({ CiphertextBlob: without.CiphertextBlob }));
    assert.equal(opened.Plaintext?.length, 32);
  });

  it('checks CreateKey choices: symmetric keys only, with the usage they allow', async () => {
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ KeyUsage: 'RANDOM' as never })),
      'ValidationException',
      // AWS lists the set in its own (hash) order; the values are the model's.
      /^1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: \[[A-Z_, ]+\]$/,
    );
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256' })),
      'ValidationException',
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    );
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' })),
      'UnsupportedOperationException',
      /Tideway does not support KeySpec ML_DSA_44/,
    );
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'ENCRYPT_DECRYPT' })),
      'ValidationException',
      'KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256',
    );
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY' })),
      'ValidationException',
      'KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT',
    );
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' })),
      'UnsupportedOperationException',
    );
    const multi = await t.kms.send(new CreateKeyCommand({ MultiRegion: true }));
    assert.match(multi.KeyMetadata!.KeyId!, /^mrk-[0-9a-f]{32}$/);
    assert.equal(multi.KeyMetadata?.MultiRegion, true);
    assert.equal(multi.KeyMetadata?.MultiRegionConfiguration?.MultiRegionKeyType, 'PRIMARY');
  });

  it('answers operations it does not model with UnsupportedOperationException', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    await kmsRejects(
      t.kms.send(new ListKeyRotationsCommand({ KeyId: KeyMetadata!.KeyId })),
      'UnsupportedOperationException',
      'Tideway does not support ListKeyRotations (docs/kms.md lists what it does).',
    );
  });

  it('re-encrypts under another key and context', async () => {
    const source = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const destination = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const sealed = await t.kms.send(
      new EncryptCommand({
        KeyId: source.KeyId,
        Plaintext: Buffer.from('move me'),
        EncryptionContext: { a: '1' },
      }),
    );
    const moved = await t.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: sealed.CiphertextBlob,
        SourceEncryptionContext: { a: '1' },
        DestinationKeyId: destination.KeyId,
        DestinationEncryptionContext: { b: '2' },
      }),
    );
    assert.equal(moved.SourceKeyId, source.Arn);
    assert.equal(moved.KeyId, destination.Arn);
    assert.equal(moved.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal(moved.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const opened = await t.kms.send(
      new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { b: '2' } }),
    );
    assert.equal(Buffer.from(opened.Plaintext!).toString(), 'move me');
    assert.equal(opened.KeyId, destination.Arn);
    await kmsRejects(
      t.kms.send(
        new ReEncryptCommand({
          CiphertextBlob: sealed.CiphertextBlob,
          SourceEncryptionContext: { a: '1' },
          SourceKeyId: destination.KeyId,
          DestinationKeyId: destination.KeyId,
        }),
      ),
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    );
    await kmsRejects(
      t.kms.send(
        new EncryptCommand({
          KeyId: source.KeyId,
          Plaintext: Buffer.from('x'),
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
      ),
      'InvalidKeyUsageException',
    );
  });

  it('keeps the rotation setting and its next date', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    assert.equal(
      (await t.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled,
      false,
    );
    await t.kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    const status = await t.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 90);
    assert.equal(status.KeyId, KeyMetadata!.Arn);
    const days = (status.NextRotationDate!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 89 && days <= 90.1, `next rotation in ${days} days`);
    await kmsRejects(
      t.kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 30 })),
      'ValidationException',
      "1 validation error detected: Value '30' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90",
    );
    await t.kms.send(new DisableKeyRotationCommand({ KeyId: keyId }));
    assert.equal(
      (await t.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled,
      false,
    );
  });

  it('updates descriptions and checks the deletion window', async () => {
    const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({ Description: 'before' }));
    const keyId = KeyMetadata!.KeyId!;
    await t.kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'after' }));
    assert.equal(
      (await t.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.Description,
      'after',
    );
    await kmsRejects(
      t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 6 })),
      'ValidationException',
      "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
    );
    const scheduled = await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
    assert.equal(scheduled.PendingWindowInDays, 30);
  });

  it('pages ListKeys with Limit and Marker', async () => {
    const mine = new Set<string>();
    for (let i = 0; i < 3; i++) mine.add((await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await t.kms.send(new ListKeysCommand({ Limit: 2, Marker: marker }));
      assert.ok((page.Keys?.length ?? 0) <= 2);
      for (const k of page.Keys ?? []) {
        assert.equal(k.KeyArn, `arn:aws:kms:us-east-1:000000000000:key/${k.KeyId}`);
        seen.push(k.KeyId!);
      }
      marker = page.NextMarker;
    } while (marker);
    assert.equal(new Set(seen).size, seen.length, 'no key twice');
    for (const id of mine) assert.ok(seen.includes(id));
  });
});

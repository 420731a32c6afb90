import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateMacCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { kmsRejects, withKmsServer } from '../support/kms.js';

// KMS API Reference: GenerateMac, VerifyMac, CreateKey with HMAC key specs; texts recorded
// against real KMS (InvalidKeyUsageException, KMSInvalidMacException with no text).
describe('KMS HMAC keys', () => {
  const t = withKmsServer();

  it('creates HMAC keys that generate and verify MACs', async () => {
    for (const [spec, algorithm, bytes] of [
      ['HMAC_224', 'HMAC_SHA_224', 28],
      ['HMAC_256', 'HMAC_SHA_256', 32],
      ['HMAC_384', 'HMAC_SHA_384', 48],
      ['HMAC_512', 'HMAC_SHA_512', 64],
    ] as const) {
      const { KeyMetadata } = await t.kms.send(
        new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'test key' }),
      );
      assert.equal(KeyMetadata?.KeySpec, spec);
      assert.equal(KeyMetadata?.CustomerMasterKeySpec, spec);
      assert.equal(KeyMetadata?.KeyUsage, 'GENERATE_VERIFY_MAC');
      assert.deepEqual(KeyMetadata?.MacAlgorithms, [algorithm]);
      assert.equal(KeyMetadata?.EncryptionAlgorithms, undefined);
      const message = Buffer.from('some important message');
      const generated = await t.kms.send(
        new GenerateMacCommand({ KeyId: KeyMetadata!.KeyId, Message: message, MacAlgorithm: algorithm }),
      );
      assert.equal(generated.KeyId, KeyMetadata!.Arn);
      assert.equal(generated.MacAlgorithm, algorithm);
      assert.equal(generated.Mac?.length, bytes);
      const verified = await t.kms.send(
        new VerifyMacCommand({
          KeyId: KeyMetadata!.Arn,
          Message: message,
          MacAlgorithm: algorithm,
          Mac: generated.Mac,
        }),
      );
      assert.equal(verified.MacValid, true);
      assert.equal(verified.KeyId, KeyMetadata!.Arn);
      await kmsRejects(
        t.kms.send(
          new VerifyMacCommand({
            KeyId: KeyMetadata!.KeyId,
            Message: Buffer.from('some different important message'),
            MacAlgorithm: algorithm,
            Mac: generated.Mac,
          }),
        ),
        'KMSInvalidMacException',
        '',
      );
    }
  });

  it('refuses the wrong algorithm, usage and key spec with KMS texts', async () => {
    const hmac = (
      await t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' }))
    ).KeyMetadata!;
    await kmsRejects(
      t.kms.send(
        new GenerateMacCommand({
          KeyId: hmac.KeyId,
          Message: Buffer.from('m'),
          MacAlgorithm: 'HMAC_SHA_256',
        }),
      ),
      'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.',
    );
    await kmsRejects(
      t.kms.send(new EncryptCommand({ KeyId: hmac.KeyId, Plaintext: Buffer.from('m') })),
      'InvalidKeyUsageException',
      `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.`,
    );
    const symmetric = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kmsRejects(
      t.kms.send(
        new GenerateMacCommand({
          KeyId: symmetric.KeyId,
          Message: Buffer.from('m'),
          MacAlgorithm: 'HMAC_SHA_256',
        }),
      ),
      'InvalidKeyUsageException',
      `${symmetric.Arn} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`,
    );
    const sealed = await t.kms.send(
      new EncryptCommand({ KeyId: symmetric.KeyId, Plaintext: Buffer.from('m') }),
    );
    await kmsRejects(
      t.kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, KeyId: hmac.KeyId })),
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    );
    await kmsRejects(
      t.kms.send(
        new GenerateMacCommand({ KeyId: 'key_id', Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }),
      ),
      'NotFoundException',
      "Invalid keyId 'key_id'",
    );
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'ENCRYPT_DECRYPT' })),
      'ValidationException',
      'KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec HMAC_256',
    );
    await kmsRejects(
      t.kms.send(new EnableKeyRotationCommand({ KeyId: hmac.KeyId })),
      'UnsupportedOperationException',
    );
    assert.equal(
      (await t.kms.send(new DescribeKeyCommand({ KeyId: hmac.Arn }))).KeyMetadata?.KeyState,
      'Enabled',
    );
  });
});

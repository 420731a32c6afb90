import assert from 'node:assert/strict';
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  verify,
} from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { kmsRejects, withKmsServer } from '../support/kms.js';

// Scenarios recorded against real KMS (LocalStack's AWS-validated test_kms snapshots): the answer
// Tideway gives must be the recorded one, field for field and down to the error text.
const KEY_SPECS =
  '[RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, ECC_SECG_P256K1, RSA_4096, SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512]';

/** The KeyMetadata members real KMS printed for the key, besides the common ones. */
const COMMON = [
  'AWSAccountId',
  'Arn',
  'CreationDate',
  'CustomerMasterKeySpec',
  'Description',
  'Enabled',
  'KeyId',
  'KeyManager',
  'KeySpec',
  'KeyState',
  'KeyUsage',
  'MultiRegion',
  'Origin',
];

function members(meta: object, ...extra: string[]): void {
  assert.deepEqual(Object.keys(meta).sort(), [...COMMON, ...extra].sort());
}

describe('KMS conformance with recorded AWS answers', () => {
  const t = withKmsServer();

  it('prints the members AWS prints in KeyMetadata for each kind of key', async () => {
    const sym = (await t.kms.send(new CreateKeyCommand({ Description: 'test key 123' }))).KeyMetadata!;
    members(sym, 'EncryptionAlgorithms', 'CurrentKeyMaterialId');
    assert.deepEqual(sym.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    const described = (await t.kms.send(new DescribeKeyCommand({ KeyId: sym.KeyId }))).KeyMetadata!;
    members(described, 'EncryptionAlgorithms', 'CurrentKeyMaterialId');
    assert.equal(described.KeyManager, 'CUSTOMER');
    assert.equal(described.Origin, 'AWS_KMS');
    assert.equal(described.MultiRegion, false);

    const hmac = (
      await t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))
    ).KeyMetadata!;
    members(hmac, 'MacAlgorithms');
    assert.deepEqual(hmac.MacAlgorithms, ['HMAC_SHA_256']);

    const mrk = (await t.kms.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    members(mrk, 'EncryptionAlgorithms', 'CurrentKeyMaterialId', 'MultiRegionConfiguration');
    assert.deepEqual(mrk.MultiRegionConfiguration, {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: mrk.Arn, Region: 'us-east-1' },
      ReplicaKeys: [],
    });

    const ecc = (
      await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!;
    members(ecc, 'SigningAlgorithms');
    assert.deepEqual(ecc.SigningAlgorithms, ['ECDSA_SHA_384']);
  });

  it('lists enum values in the order real KMS printed them', async () => {
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_random' as never })),
      'ValidationException',
      `1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: ${KEY_SPECS}`,
    );
    await kmsRejects(
      t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' as never })),
      'ValidationException',
      "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]",
    );
    const hmac = (
      await t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))
    ).KeyMetadata!;
    await kmsRejects(
      t.kms.send(
        new GenerateMacCommand({
          KeyId: hmac.KeyId,
          MacAlgorithm: 'INVALID' as never,
          Message: Buffer.from('m'),
        }),
      ),
      'ValidationException',
      "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]",
    );
    // KMS checks GenerateDataKey's keySpec against CreateKey's set of key specs.
    const sym = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kmsRejects(
      t.kms.send(new GenerateDataKeyCommand({ KeyId: sym.KeyId, KeySpec: 'AES-256' as never })),
      'ValidationException',
      `1 validation error detected: Value 'AES-256' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: ${KEY_SPECS}`,
    );
  });

  it('generates data key pairs sealed under a symmetric key', async () => {
    const key = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const context = { purpose: 'test' };
    const pair = await t.kms.send(
      new GenerateDataKeyPairCommand({
        KeyId: key.KeyId,
        KeyPairSpec: 'RSA_2048',
        EncryptionContext: context,
      }),
    );
    assert.equal(pair.KeyId, key.Arn);
    assert.equal(pair.KeyPairSpec, 'RSA_2048');
    assert.ok(pair.PrivateKeyCiphertextBlob && pair.PrivateKeyPlaintext && pair.PublicKey);
    // The private key is PKCS#8 DER and the public key its SubjectPublicKeyInfo DER.
    const privateKey = createPrivateKey({
      key: Buffer.from(pair.PrivateKeyPlaintext),
      format: 'der',
      type: 'pkcs8',
    });
    const publicKey = createPublicKey({ key: Buffer.from(pair.PublicKey), format: 'der', type: 'spki' });
    const sealed = publicEncrypt({ key: publicKey, oaepHash: 'sha256' }, Buffer.from('hello'));
    assert.equal(
      privateDecrypt(
        { key: privateKey, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING },
        sealed,
      ).toString(),
      'hello',
    );
    const opened = await t.kms.send(
      new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob, EncryptionContext: context }),
    );
    assert.deepEqual(Buffer.from(opened.Plaintext!), Buffer.from(pair.PrivateKeyPlaintext));
    await kmsRejects(
      t.kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob })),
      'InvalidCiphertextException',
      '',
    );

    const bare = await t.kms.send(
      new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: key.KeyId, KeyPairSpec: 'ECC_NIST_P256' }),
    );
    assert.equal(bare.KeyId, key.Arn);
    assert.equal(bare.KeyPairSpec, 'ECC_NIST_P256');
    assert.equal((bare as { PrivateKeyPlaintext?: unknown }).PrivateKeyPlaintext, undefined);
    const ecPublic = createPublicKey({ key: Buffer.from(bare.PublicKey!), format: 'der', type: 'spki' });
    assert.equal(ecPublic.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const ecPrivate = await t.kms.send(new DecryptCommand({ CiphertextBlob: bare.PrivateKeyCiphertextBlob }));
    const derived = createPublicKey(
      createPrivateKey({ key: Buffer.from(ecPrivate.Plaintext!), format: 'der', type: 'pkcs8' }),
    );
    assert.deepEqual(derived.export({ format: 'der', type: 'spki' }), Buffer.from(bare.PublicKey!));
  });

  it('answers DryRun on data key pairs with DryRunOperationException', async () => {
    const key = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const text = 'The request would have succeeded, but the DryRun option is set.';
    await kmsRejects(
      t.kms.send(new GenerateDataKeyPairCommand({ KeyId: key.KeyId, KeyPairSpec: 'RSA_2048', DryRun: true })),
      'DryRunOperationException',
      text,
    );
    await kmsRejects(
      t.kms.send(
        new GenerateDataKeyPairWithoutPlaintextCommand({
          KeyId: key.KeyId,
          KeyPairSpec: 'RSA_2048',
          DryRun: true,
        }),
      ),
      'DryRunOperationException',
      text,
    );
  });

  it('dry-runs Decrypt and ReEncrypt without a ciphertext when told to ignore it', async () => {
    const key = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const other = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const text = 'The request would have succeeded, but the DryRun option is set.';
    await kmsRejects(
      t.kms.send(
        new DecryptCommand({ KeyId: key.KeyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }),
      ),
      'DryRunOperationException',
      text,
    );
    await kmsRejects(
      t.kms.send(
        new ReEncryptCommand({
          SourceKeyId: key.KeyId,
          DestinationKeyId: other.KeyId,
          DryRun: true,
          DryRunModifiers: ['IGNORE_CIPHERTEXT'],
        }),
      ),
      'DryRunOperationException',
      text,
    );
    // Without the modifier the ciphertext is checked before the dry run answers.
    await kmsRejects(
      t.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.alloc(64, 1), DryRun: true })),
      'InvalidCiphertextException',
      '',
    );
    // The key's state is still checked.
    await t.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await kmsRejects(
      t.kms.send(
        new DecryptCommand({ KeyId: key.KeyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }),
      ),
      'DisabledException',
      `${key.Arn} is disabled.`,
    );
  });

  it('signs and verifies RAW and DIGEST messages with every recorded pairing', async () => {
    const pairs: Array<[string, string, string]> = [
      ['RSA_2048', 'RSASSA_PSS_SHA_256', 'sha256'],
      ['RSA_2048', 'RSASSA_PSS_SHA_384', 'sha384'],
      ['RSA_2048', 'RSASSA_PSS_SHA_512', 'sha512'],
      ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_256', 'sha256'],
      ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_512', 'sha512'],
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256'],
      ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256'],
      ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384'],
      ['ECC_NIST_P521', 'ECDSA_SHA_512', 'sha512'],
    ];
    const keys = new Map<string, { KeyId?: string; Arn?: string }>();
    const message = Buffer.from('a message to sign');
    for (const [spec, algorithm, hash] of pairs) {
      if (!keys.has(spec)) {
        const created = await t.kms.send(
          new CreateKeyCommand({ KeySpec: spec as never, KeyUsage: 'SIGN_VERIFY' }),
        );
        keys.set(spec, created.KeyMetadata!);
      }
      const key = keys.get(spec)!;
      const base = { KeyId: key.KeyId, SigningAlgorithm: algorithm as never };
      const digest = createHash(hash).update(message).digest();
      const raw = await t.kms.send(new SignCommand({ ...base, Message: message, MessageType: 'RAW' }));
      assert.equal(raw.KeyId, key.Arn);
      assert.equal(raw.SigningAlgorithm, algorithm);
      const verified = await t.kms.send(
        new VerifyCommand({ ...base, Message: message, MessageType: 'RAW', Signature: raw.Signature }),
      );
      assert.deepEqual(
        {
          KeyId: verified.KeyId,
          SignatureValid: verified.SignatureValid,
          SigningAlgorithm: verified.SigningAlgorithm,
        },
        { KeyId: key.Arn, SignatureValid: true, SigningAlgorithm: algorithm },
      );
      // A signed digest verifies as a digest, against its message, and offline.
      const signed = await t.kms.send(new SignCommand({ ...base, Message: digest, MessageType: 'DIGEST' }));
      const asDigest = await t.kms.send(
        new VerifyCommand({ ...base, Message: digest, MessageType: 'DIGEST', Signature: signed.Signature }),
      );
      assert.equal(asDigest.SignatureValid, true, `${spec} ${algorithm} DIGEST`);
      const asRaw = await t.kms.send(
        new VerifyCommand({ ...base, Message: message, MessageType: 'RAW', Signature: signed.Signature }),
      );
      assert.equal(asRaw.SignatureValid, true, `${spec} ${algorithm} DIGEST as RAW`);
      const publicKey = createPublicKey({
        key: Buffer.from((await t.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }))).PublicKey!),
        format: 'der',
        type: 'spki',
      });
      const options = algorithm.startsWith('RSASSA_PSS')
        ? {
            key: publicKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
          }
        : { key: publicKey, dsaEncoding: 'der' as const };
      assert.ok(
        verify(hash, message, options, Buffer.from(signed.Signature!)),
        `${spec} ${algorithm} offline`,
      );

      await kmsRejects(
        t.kms.send(new SignCommand({ ...base, Message: message, MessageType: 'DIGEST' })),
        'ValidationException',
        `Digest is invalid length for algorithm ${algorithm}.`,
      );
      await kmsRejects(
        t.kms.send(
          new VerifyCommand({ ...base, Message: message, MessageType: 'RAW', Signature: Buffer.from('bad') }),
        ),
        'KMSInvalidSignatureException',
        '',
      );
      // Another message with the right signature: as RAW it does not verify, as DIGEST it is too short.
      for (const [messageType, code, text] of [
        ['RAW', 'KMSInvalidSignatureException', ''],
        ['DIGEST', 'ValidationException', `Digest is invalid length for algorithm ${algorithm}.`],
      ] as const) {
        await kmsRejects(
          t.kms.send(
            new VerifyCommand({
              ...base,
              Message: Buffer.from('bad'),
              MessageType: messageType,
              Signature: raw.Signature,
            }),
          ),
          code,
          text,
        );
      }
    }
  });

  it('refuses a data key pair under a key that cannot seal it', async () => {
    const signing = (
      await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!;
    await kmsRejects(
      t.kms.send(new GenerateDataKeyPairCommand({ KeyId: signing.KeyId, KeyPairSpec: 'RSA_2048' })),
      'InvalidKeyUsageException',
      `${signing.Arn} key usage is SIGN_VERIFY which is not valid for GenerateDataKeyPair.`,
    );
    await kmsRejects(
      t.kms.send(new GenerateDataKeyPairCommand({ KeyId: 'not-a-key', KeyPairSpec: 'RSA_2048' })),
      'NotFoundException',
      "Invalid keyId 'not-a-key'",
    );
  });

  it('refuses automatic rotation of HMAC and asymmetric keys with no text', async () => {
    const hmac = (
      await t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))
    ).KeyMetadata!;
    const rsa = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!;
    for (const key of [hmac, rsa]) {
      await kmsRejects(
        t.kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })),
        'UnsupportedOperationException',
        '',
      );
      await kmsRejects(
        t.kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId })),
        'UnsupportedOperationException',
        '',
      );
    }
  });

  it('names the wrong key usage per operation as recorded', async () => {
    const sym = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const hmac = (
      await t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))
    ).KeyMetadata!;
    const signing = (
      await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!;
    const message = Buffer.from('message');
    await kmsRejects(
      t.kms.send(
        new GenerateMacCommand({ KeyId: sym.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message }),
      ),
      'InvalidKeyUsageException',
      `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`,
    );
    await kmsRejects(
      t.kms.send(new SignCommand({ KeyId: hmac.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: message })),
      'InvalidKeyUsageException',
      `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Sign.`,
    );
    await kmsRejects(
      t.kms.send(
        new VerifyCommand({
          KeyId: sym.KeyId,
          SigningAlgorithm: 'ECDSA_SHA_256',
          Message: message,
          Signature: message,
        }),
      ),
      'InvalidKeyUsageException',
      `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Verify.`,
    );
    await kmsRejects(
      t.kms.send(new EncryptCommand({ KeyId: signing.KeyId, Plaintext: message })),
      'InvalidKeyUsageException',
      `${signing.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`,
    );
    const sealed = await t.kms.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: message }));
    assert.equal(sealed.KeyId, sym.Arn);
    assert.equal(sealed.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    await kmsRejects(
      t.kms.send(new DecryptCommand({ KeyId: signing.KeyId, CiphertextBlob: sealed.CiphertextBlob })),
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    );
  });

  it('refuses to import material into a key whose material KMS made', async () => {
    const key = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kmsRejects(
      t.kms.send(
        new GetParametersForImportCommand({
          KeyId: key.KeyId,
          WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          WrappingKeySpec: 'RSA_2048',
        }),
      ),
      'UnsupportedOperationException',
      `${key.Arn} origin is AWS_KMS which is not valid for this operation.`,
    );
    await kmsRejects(
      t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId })),
      'UnsupportedOperationException',
      `${key.Arn} origin is AWS_KMS which is not valid for this operation.`,
    );
    await kmsRejects(
      t.kms.send(
        new GetParametersForImportCommand({
          KeyId: '11111111-2222-3333-4444-555555555555',
          WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          WrappingKeySpec: 'RSA_2048',
        }),
      ),
      'NotFoundException',
      "Key 'arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555' does not exist",
    );
  });

  it('checks RotateKeyOnDemand and DeriveSharedSecret keys as recorded', async () => {
    const sym = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const rsa = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!;
    await kmsRejects(
      t.kms.send(new RotateKeyOnDemandCommand({ KeyId: rsa.KeyId })),
      'UnsupportedOperationException',
      '',
    );
    await kmsRejects(
      t.kms.send(new RotateKeyOnDemandCommand({ KeyId: '11111111-2222-3333-4444-555555555555' })),
      'NotFoundException',
      "Key 'arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555' does not exist",
    );
    await kmsRejects(
      t.kms.send(
        new DeriveSharedSecretCommand({
          KeyId: rsa.KeyId,
          KeyAgreementAlgorithm: 'ECDH',
          PublicKey: Buffer.from('k'),
        }),
      ),
      'InvalidKeyUsageException',
      `${rsa.Arn} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.`,
    );
    await kmsRejects(
      t.kms.send(
        new DeriveSharedSecretCommand({
          KeyId: sym.KeyId,
          KeyAgreementAlgorithm: 'ECDH',
          PublicKey: Buffer.from('k'),
        }),
      ),
      'InvalidKeyUsageException',
      `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for DeriveSharedSecret.`,
    );
    await t.kms.send(new DisableKeyCommand({ KeyId: sym.KeyId }));
    await kmsRejects(
      t.kms.send(new RotateKeyOnDemandCommand({ KeyId: sym.KeyId })),
      'DisabledException',
      `${sym.Arn} is disabled.`,
    );
  });

  it('checks GenerateRandom as recorded', async () => {
    await kmsRejects(
      t.kms.send(new GenerateRandomCommand({})),
      'ValidationException',
      'NumberOfBytes is required.',
    );
    await kmsRejects(
      t.kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })),
      'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
    for (const n of [1, 44, 1024]) {
      assert.equal((await t.kms.send(new GenerateRandomCommand({ NumberOfBytes: n }))).Plaintext!.length, n);
    }
  });
});

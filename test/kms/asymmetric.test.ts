import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetPublicKeyCommand,
  ReEncryptCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { kmsRejects, withKmsServer } from '../support/kms.js';

// KMS API Reference: Sign, Verify, GetPublicKey, Encrypt/Decrypt with RSAES-OAEP; texts recorded
// against real KMS (digest length, OAEP size limits, KMSInvalidSignatureException with no text).
describe('KMS asymmetric keys', () => {
  const t = withKmsServer();

  it('signs and verifies with RSA and ECC keys, and the public key checks the signature', async () => {
    for (const [spec, algorithm, hash] of [
      ['RSA_2048', 'RSASSA_PSS_SHA_256', 'sha256'],
      ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_512', 'sha512'],
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256'],
      ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384'],
      ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256'],
    ] as const) {
      const { KeyMetadata } = await t.kms.send(
        new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }),
      );
      assert.equal(KeyMetadata?.KeySpec, spec);
      assert.ok(KeyMetadata?.SigningAlgorithms?.includes(algorithm));
      const message = Buffer.from('sign me');
      const signed = await t.kms.send(
        new SignCommand({ KeyId: KeyMetadata!.KeyId, Message: message, SigningAlgorithm: algorithm }),
      );
      assert.equal(signed.KeyId, KeyMetadata!.Arn);
      assert.equal(signed.SigningAlgorithm, algorithm);
      const verified = await t.kms.send(
        new VerifyCommand({
          KeyId: KeyMetadata!.KeyId,
          Message: message,
          Signature: signed.Signature,
          SigningAlgorithm: algorithm,
        }),
      );
      assert.equal(verified.SignatureValid, true);
      await kmsRejects(
        t.kms.send(
          new VerifyCommand({
            KeyId: KeyMetadata!.KeyId,
            Message: Buffer.from('another'),
            Signature: signed.Signature,
            SigningAlgorithm: algorithm,
          }),
        ),
        'KMSInvalidSignatureException',
        '',
      );
      const pub = await t.kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata!.Arn }));
      assert.equal(pub.KeyUsage, 'SIGN_VERIFY');
      assert.deepEqual(pub.SigningAlgorithms, KeyMetadata?.SigningAlgorithms);
      const key = createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' });
      const options = algorithm.startsWith('RSASSA_PSS')
        ? { key, padding: 6, saltLength: -1 }
        : { key, dsaEncoding: 'der' as const };
      assert.ok(
        verify(hash, message, options, Buffer.from(signed.Signature!)),
        `${spec} ${algorithm} offline`,
      );
    }
  });

  it('checks digests, algorithms and usage', async () => {
    const rsa = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!;
    await kmsRejects(
      t.kms.send(
        new SignCommand({
          KeyId: rsa.KeyId,
          Message: Buffer.alloc(10),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'RSASSA_PSS_SHA_256',
        }),
      ),
      'ValidationException',
      'Digest is invalid length for algorithm RSASSA_PSS_SHA_256.',
    );
    const digest = createHash('sha256').update('m').digest();
    const signed = await t.kms.send(
      new SignCommand({
        KeyId: rsa.KeyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }),
    );
    const raw = await t.kms.send(
      new VerifyCommand({
        KeyId: rsa.KeyId,
        Message: Buffer.from('m'),
        Signature: signed.Signature,
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }),
    );
    assert.equal(raw.SignatureValid, true, 'a signed digest verifies against its message');
    const ecc = (
      await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!;
    await kmsRejects(
      t.kms.send(
        new SignCommand({ KeyId: ecc.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_384' }),
      ),
      'InvalidKeyUsageException',
      'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.',
    );
    await kmsRejects(
      t.kms.send(new EncryptCommand({ KeyId: rsa.KeyId, Plaintext: Buffer.from('m') })),
      'InvalidKeyUsageException',
      `${rsa.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`,
    );
    const symmetric = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kmsRejects(
      t.kms.send(
        new SignCommand({
          KeyId: symmetric.KeyId,
          Message: Buffer.from('m'),
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
      'InvalidKeyUsageException',
      `${symmetric.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`,
    );
    await kmsRejects(
      t.kms.send(new GetPublicKeyCommand({ KeyId: symmetric.KeyId })),
      'UnsupportedOperationException',
    );
  });

  it('encrypts with RSAES-OAEP within its size limit, and re-encrypts under a symmetric key', async () => {
    const rsa = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })))
      .KeyMetadata!;
    assert.deepEqual(rsa.EncryptionAlgorithms, ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    await kmsRejects(
      t.kms.send(
        new EncryptCommand({
          KeyId: rsa.KeyId,
          Plaintext: Buffer.alloc(215),
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
        }),
      ),
      'ValidationException',
      'Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data larger than 214 bytes.',
    );
    await kmsRejects(
      t.kms.send(
        new EncryptCommand({
          KeyId: rsa.KeyId,
          Plaintext: Buffer.alloc(191),
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
      ),
      'ValidationException',
      'Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.',
    );
    await kmsRejects(
      t.kms.send(new EncryptCommand({ KeyId: rsa.KeyId, Plaintext: Buffer.from('m') })),
      'InvalidKeyUsageException',
      'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    );
    await kmsRejects(
      t.kms.send(new GenerateDataKeyCommand({ KeyId: rsa.KeyId, KeySpec: 'AES_256' })),
      'InvalidKeyUsageException',
    );
    const sealed = await t.kms.send(
      new EncryptCommand({
        KeyId: rsa.KeyId,
        Plaintext: Buffer.from('oaep'),
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    assert.equal(sealed.EncryptionAlgorithm, 'RSAES_OAEP_SHA_256');
    const opened = await t.kms.send(
      new DecryptCommand({
        KeyId: rsa.Arn,
        CiphertextBlob: sealed.CiphertextBlob,
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    assert.equal(Buffer.from(opened.Plaintext!).toString(), 'oaep');
    assert.equal(opened.EncryptionAlgorithm, 'RSAES_OAEP_SHA_256');
    await kmsRejects(
      t.kms.send(
        new DecryptCommand({
          KeyId: rsa.Arn,
          CiphertextBlob: sealed.CiphertextBlob,
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
        }),
      ),
      'InvalidCiphertextException',
      '',
    );
    const symmetric = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const moved = await t.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: sealed.CiphertextBlob,
        SourceKeyId: rsa.KeyId,
        SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        DestinationKeyId: symmetric.KeyId,
      }),
    );
    assert.equal(moved.SourceKeyId, rsa.Arn);
    assert.equal(moved.SourceEncryptionAlgorithm, 'RSAES_OAEP_SHA_256');
    assert.equal(moved.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const back = await t.kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob }));
    assert.equal(Buffer.from(back.Plaintext!).toString(), 'oaep');
  });
});

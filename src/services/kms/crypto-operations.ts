import { randomBytes } from 'node:crypto';
import type {
  DecryptRequest,
  EncryptRequest,
  GenerateDataKeyRequest,
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateRandomRequest,
  ReEncryptRequest,
} from '@aws-sdk/client-kms';
import type { RequestContext } from '../../protocols/service.js';
import { failureError, kmsError, required } from './errors.js';
import type { KeyFailure } from './front-door.js';
import { userOf } from './key-operations.js';
import type { Keyring } from './keyring.js';
import type { KeyRecord } from './keys.js';

const SYMMETRIC = 'SYMMETRIC_DEFAULT';

function unwrap<T extends object>(result: T | KeyFailure): T {
  if ('ok' in result && result.ok === false) throw failureError(result as KeyFailure);
  return result as T;
}

/** A symmetric key encrypts with SYMMETRIC_DEFAULT only. */
function checkAlgorithm(key: KeyRecord, algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== SYMMETRIC) {
    throw failureError({
      ok: false,
      code: 'InvalidKeyUsageException',
      message: `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`,
    });
  }
}

function dataKeyLength(input: GenerateDataKeyRequest): number {
  if (input.KeySpec !== undefined && input.NumberOfBytes !== undefined) {
    throw kmsError.validation('Please specify either number of bytes or key spec.');
  }
  if (input.KeySpec === undefined && input.NumberOfBytes === undefined) {
    throw kmsError.validation('Please specify either number of bytes or key spec.');
  }
  return input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
}

export function cryptoOperations(keyring: Keyring) {
  /** The key for a request that encrypts: resolved, usable, allowed, the algorithm fits. */
  const encryptingKey = (
    keyId: string,
    action: string,
    ctx: RequestContext,
    context: Record<string, string> | undefined,
    grantTokens: string[] | undefined,
    algorithm?: string,
  ): KeyRecord => {
    const user = userOf(ctx);
    const key = unwrap(keyring.resolve(keyId, user));
    const refused =
      keyring.usable(key) ??
      keyring.authorize(key, action, user, context, grantTokens) ??
      keyring.usage(key, 'ENCRYPT_DECRYPT', action.slice('kms:'.length));
    if (refused) throw failureError(refused);
    checkAlgorithm(key, algorithm);
    return key;
  };

  const dataKey = (input: GenerateDataKeyRequest, ctx: RequestContext, action: string) => {
    const length = dataKeyLength(input);
    const key = encryptingKey(input.KeyId!, action, ctx, input.EncryptionContext, input.GrantTokens);
    if (input.Recipient) throw kmsError.notSupported('Recipient (Nitro Enclaves attestation)');
    if (input.DryRun) throw kmsError.dryRun();
    const plaintext = randomBytes(length);
    const blob = unwrap(keyring.seal(key, plaintext, input.EncryptionContext));
    return { key, plaintext, blob };
  };

  return {
    Encrypt: (input: EncryptRequest, ctx: RequestContext) => {
      const key = encryptingKey(
        input.KeyId!,
        'kms:Encrypt',
        ctx,
        input.EncryptionContext,
        input.GrantTokens,
        input.EncryptionAlgorithm,
      );
      if (input.DryRun) throw kmsError.dryRun();
      const blob = unwrap(keyring.seal(key, input.Plaintext!, input.EncryptionContext));
      return { CiphertextBlob: blob, KeyId: key.arn, EncryptionAlgorithm: SYMMETRIC };
    },

    Decrypt: (input: DecryptRequest, ctx: RequestContext) => {
      if (input.Recipient) throw kmsError.notSupported('Recipient (Nitro Enclaves attestation)');
      const opened = unwrap(
        keyring.openBlob(
          required(input.CiphertextBlob, 'ciphertextBlob'),
          input.EncryptionContext,
          userOf(ctx),
          'kms:Decrypt',
          input.KeyId,
          input.GrantTokens,
        ),
      );
      checkAlgorithm(opened.record, input.EncryptionAlgorithm);
      if (input.DryRun) throw kmsError.dryRun();
      return {
        KeyId: opened.record.arn,
        Plaintext: opened.plaintext,
        EncryptionAlgorithm: SYMMETRIC,
        KeyMaterialId: opened.record.materialId,
      };
    },

    ReEncrypt: (input: ReEncryptRequest, ctx: RequestContext) => {
      const user = userOf(ctx);
      const source = unwrap(
        keyring.openBlob(
          required(input.CiphertextBlob, 'ciphertextBlob'),
          input.SourceEncryptionContext,
          user,
          'kms:ReEncryptFrom',
          input.SourceKeyId,
          input.GrantTokens,
        ),
      );
      checkAlgorithm(source.record, input.SourceEncryptionAlgorithm);
      const destination = encryptingKey(
        input.DestinationKeyId!,
        'kms:ReEncryptTo',
        ctx,
        input.DestinationEncryptionContext,
        input.GrantTokens,
        input.DestinationEncryptionAlgorithm,
      );
      if (input.DryRun) throw kmsError.dryRun();
      const blob = unwrap(keyring.seal(destination, source.plaintext, input.DestinationEncryptionContext));
      return {
        CiphertextBlob: blob,
        SourceKeyId: source.record.arn,
        KeyId: destination.arn,
        SourceEncryptionAlgorithm: SYMMETRIC,
        DestinationEncryptionAlgorithm: SYMMETRIC,
        SourceKeyMaterialId: source.record.materialId,
        DestinationKeyMaterialId: destination.materialId,
      };
    },

    GenerateDataKey: (input: GenerateDataKeyRequest, ctx: RequestContext) => {
      const { key, plaintext, blob } = dataKey(input, ctx, 'kms:GenerateDataKey');
      return { CiphertextBlob: blob, Plaintext: plaintext, KeyId: key.arn, KeyMaterialId: key.materialId };
    },

    GenerateDataKeyWithoutPlaintext: (input: GenerateDataKeyWithoutPlaintextRequest, ctx: RequestContext) => {
      const { key, blob } = dataKey(input, ctx, 'kms:GenerateDataKeyWithoutPlaintext');
      return { CiphertextBlob: blob, KeyId: key.arn, KeyMaterialId: key.materialId };
    },

    GenerateRandom: (input: GenerateRandomRequest) => {
      if (input.NumberOfBytes === undefined) throw kmsError.validation('NumberOfBytes is required.');
      if (input.CustomKeyStoreId) throw kmsError.notSupported('custom key stores');
      if (input.Recipient) throw kmsError.notSupported('Recipient (Nitro Enclaves attestation)');
      return { Plaintext: randomBytes(input.NumberOfBytes) };
    },
  };
}

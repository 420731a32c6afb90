import { randomBytes } from 'node:crypto';
import type {
  DecryptRequest,
  EncryptRequest,
  GenerateDataKeyPairRequest,
  GenerateDataKeyPairWithoutPlaintextRequest,
  GenerateDataKeyRequest,
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateRandomRequest,
  ReEncryptRequest,
} from '@aws-sdk/client-kms';
import type { RequestContext } from '../../protocols/service.js';
import {
  ASYMMETRIC_SPECS,
  generatePrivateKey,
  oaepDecrypt,
  oaepEncrypt,
  oaepLimit,
  publicKeyOf,
} from './asymmetric.js';
import { failureError, kmsError, kmsFailure, required } from './errors.js';
import type { EncryptionContext, KeyFailure } from './front-door.js';
import { keyFor, materialFor, usageFor, userOf } from './key-operations.js';
import type { Keyring } from './keyring.js';
import type { KeyRecord } from './keys.js';

const SYMMETRIC = 'SYMMETRIC_DEFAULT';

function unwrap<T extends object>(result: T | KeyFailure): T {
  if ('ok' in result && result.ok === false) throw failureError(result as KeyFailure);
  return result as T;
}

/** The encryption algorithm a request names must be one the key lists (SYMMETRIC_DEFAULT by default). */
function algorithmFor(key: KeyRecord, algorithm: string | undefined): string {
  const chosen = algorithm ?? SYMMETRIC;
  const listed = ASYMMETRIC_SPECS[key.keySpec]?.encryption ?? [SYMMETRIC];
  if (!listed.includes(chosen)) throw failureError(kmsFailure.incompatibleAlgorithm(chosen, key.keySpec));
  return chosen;
}

function noContextForRsa(key: KeyRecord, context: EncryptionContext | undefined): void {
  if (key.keySpec !== SYMMETRIC && context && Object.keys(context).length > 0) {
    throw kmsError.validation('EncryptionContext is supported only with symmetric encryption KMS keys.');
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

interface Opened {
  record: KeyRecord;
  plaintext: Buffer;
  algorithm: string;
}

export function cryptoOperations(keyring: Keyring) {
  /** The key for a request that encrypts: resolved, usable, allowed, of the right usage. */
  const encryptingKey = (
    keyId: string,
    action: string,
    ctx: RequestContext,
    context: EncryptionContext | undefined,
    grantTokens: string[] | undefined,
    envelope: boolean,
  ): KeyRecord => {
    const operation = action.slice('kms:'.length);
    return keyFor(
      keyring,
      keyId,
      action,
      ctx,
      (key) =>
        envelope ? keyring.envelopeKey(key, operation) : keyring.usage(key, 'ENCRYPT_DECRYPT', operation),
      { context, grantTokens },
    );
  };

  /** Encrypt's own step: the envelope under a symmetric key, RSAES-OAEP under an RSA key. */
  const encryptWith = (
    key: KeyRecord,
    plaintext: Uint8Array,
    algorithm: string,
    context: EncryptionContext | undefined,
  ): Buffer => {
    if (algorithm === SYMMETRIC) return unwrap(keyring.seal(key, plaintext, context));
    const limit = oaepLimit(key.keySpec, algorithm);
    if (plaintext.length > limit) {
      throw kmsError.validation(
        `Algorithm ${algorithm} and key spec ${key.keySpec} cannot encrypt data larger than ${limit} bytes.`,
      );
    }
    return oaepEncrypt(materialFor(keyring, key), algorithm, plaintext);
  };

  /**
   * Decrypt's steps: a KeyId naming an RSA key decrypts RSAES-OAEP ciphertext with it; otherwise the
   * blob names its symmetric key (and a KeyId must be that key).
   */
  const decryptAny = (
    blob: Uint8Array,
    context: EncryptionContext | undefined,
    ctx: RequestContext,
    action: string,
    keyId: string | undefined,
    algorithm: string | undefined,
    grantTokens: string[] | undefined,
  ): Opened => {
    const user = userOf(ctx);
    if (keyId !== undefined) {
      const named = unwrap(keyring.resolve(keyId, user));
      if (named.keySpec !== SYMMETRIC && ASYMMETRIC_SPECS[named.keySpec]?.encryption) {
        const refused = keyring.permits(
          named,
          action,
          user,
          (key) => keyring.usage(key, 'ENCRYPT_DECRYPT', 'Decrypt'),
          { context, grantTokens },
        );
        if (refused) throw failureError(refused);
        noContextForRsa(named, context);
        const chosen = algorithmFor(named, algorithm);
        const plaintext = oaepDecrypt(materialFor(keyring, named), chosen, blob);
        if (!plaintext) throw failureError(kmsFailure.invalidCiphertext());
        return { record: named, plaintext, algorithm: chosen };
      }
    }
    const opened = unwrap(keyring.openBlob(blob, context, user, action, keyId, grantTokens));
    algorithmFor(opened.record, algorithm);
    return { record: opened.record, plaintext: opened.plaintext, algorithm: SYMMETRIC };
  };

  const dataKey = (input: GenerateDataKeyRequest, ctx: RequestContext, action: string) => {
    const length = dataKeyLength(input);
    const key = encryptingKey(input.KeyId!, action, ctx, input.EncryptionContext, input.GrantTokens, true);
    if (input.Recipient) throw kmsError.notSupported('Recipient (Nitro Enclaves attestation)');
    if (input.DryRun) throw kmsError.dryRun();
    const plaintext = randomBytes(length);
    const blob = unwrap(keyring.seal(key, plaintext, input.EncryptionContext));
    return { key, plaintext, blob };
  };

  /**
   * A data key pair: a fresh private key (PKCS#8 DER) sealed under the symmetric key, and its
   * public key (SubjectPublicKeyInfo DER), as GetPublicKey prints one.
   */
  const dataKeyPair = async (input: GenerateDataKeyPairRequest, ctx: RequestContext, action: string) => {
    const spec = required(input.KeyPairSpec, 'keyPairSpec');
    const key = encryptingKey(input.KeyId!, action, ctx, input.EncryptionContext, input.GrantTokens, true);
    if (input.Recipient) throw kmsError.notSupported('Recipient (Nitro Enclaves attestation)');
    if (!ASYMMETRIC_SPECS[spec]) throw kmsError.notSupported(`KeyPairSpec ${spec}`);
    if (input.DryRun) throw kmsError.dryRun();
    const privateKey = await generatePrivateKey(spec);
    const blob = unwrap(keyring.seal(key, privateKey, input.EncryptionContext));
    return {
      key,
      privateKey,
      pair: {
        PrivateKeyCiphertextBlob: blob,
        PublicKey: publicKeyOf(privateKey),
        KeyId: key.arn,
        KeyPairSpec: spec,
        KeyMaterialId: key.materialId,
      },
    };
  };

  /**
   * DryRun with DryRunModifiers IGNORE_CIPHERTEXT tests only the caller's right to decrypt with the
   * named key: no ciphertext is needed or read, so the key must be named.
   */
  const ignoresCiphertext = (input: { DryRun?: boolean; DryRunModifiers?: string[] }): boolean =>
    input.DryRun === true && (input.DryRunModifiers ?? []).includes('IGNORE_CIPHERTEXT');

  const decryptingKey = (keyId: string, action: string, ctx: RequestContext, grantTokens?: string[]) =>
    keyFor(keyring, keyId, action, ctx, usageFor(keyring, 'ENCRYPT_DECRYPT', action), { grantTokens });

  return {
    Encrypt: (input: EncryptRequest, ctx: RequestContext) => {
      const key = encryptingKey(
        input.KeyId!,
        'kms:Encrypt',
        ctx,
        input.EncryptionContext,
        input.GrantTokens,
        false,
      );
      const algorithm = algorithmFor(key, input.EncryptionAlgorithm);
      noContextForRsa(key, input.EncryptionContext);
      const blob = encryptWith(key, input.Plaintext!, algorithm, input.EncryptionContext);
      if (input.DryRun) throw kmsError.dryRun();
      return { CiphertextBlob: blob, KeyId: key.arn, EncryptionAlgorithm: algorithm };
    },

    Decrypt: (input: DecryptRequest, ctx: RequestContext) => {
      if (input.Recipient) throw kmsError.notSupported('Recipient (Nitro Enclaves attestation)');
      if (ignoresCiphertext(input)) {
        decryptingKey(required(input.KeyId, 'keyId'), 'kms:Decrypt', ctx, input.GrantTokens);
        throw kmsError.dryRun();
      }
      const opened = decryptAny(
        required(input.CiphertextBlob, 'ciphertextBlob'),
        input.EncryptionContext,
        ctx,
        'kms:Decrypt',
        input.KeyId,
        input.EncryptionAlgorithm,
        input.GrantTokens,
      );
      if (input.DryRun) throw kmsError.dryRun();
      return {
        KeyId: opened.record.arn,
        Plaintext: opened.plaintext,
        EncryptionAlgorithm: opened.algorithm,
        ...(opened.algorithm === SYMMETRIC ? { KeyMaterialId: opened.record.materialId } : {}),
      };
    },

    ReEncrypt: (input: ReEncryptRequest, ctx: RequestContext) => {
      // Checked after the source key in both paths, so called where each path reaches it.
      const destinationKey = () =>
        encryptingKey(
          input.DestinationKeyId!,
          'kms:ReEncryptTo',
          ctx,
          input.DestinationEncryptionContext,
          input.GrantTokens,
          false,
        );
      if (ignoresCiphertext(input)) {
        decryptingKey(
          required(input.SourceKeyId, 'sourceKeyId'),
          'kms:ReEncryptFrom',
          ctx,
          input.GrantTokens,
        );
        const destination = destinationKey();
        algorithmFor(destination, input.DestinationEncryptionAlgorithm);
        throw kmsError.dryRun();
      }
      const source = decryptAny(
        required(input.CiphertextBlob, 'ciphertextBlob'),
        input.SourceEncryptionContext,
        ctx,
        'kms:ReEncryptFrom',
        input.SourceKeyId,
        input.SourceEncryptionAlgorithm,
        input.GrantTokens,
      );
      const destination = destinationKey();
      const algorithm = algorithmFor(destination, input.DestinationEncryptionAlgorithm);
      noContextForRsa(destination, input.DestinationEncryptionContext);
      const blob = encryptWith(destination, source.plaintext, algorithm, input.DestinationEncryptionContext);
      if (input.DryRun) throw kmsError.dryRun();
      return {
        CiphertextBlob: blob,
        SourceKeyId: source.record.arn,
        KeyId: destination.arn,
        SourceEncryptionAlgorithm: source.algorithm,
        DestinationEncryptionAlgorithm: algorithm,
        ...(source.algorithm === SYMMETRIC ? { SourceKeyMaterialId: source.record.materialId } : {}),
        ...(algorithm === SYMMETRIC ? { DestinationKeyMaterialId: destination.materialId } : {}),
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

    GenerateDataKeyPair: async (input: GenerateDataKeyPairRequest, ctx: RequestContext) => {
      const { privateKey, pair } = await dataKeyPair(input, ctx, 'kms:GenerateDataKeyPair');
      return { ...pair, PrivateKeyPlaintext: privateKey };
    },

    GenerateDataKeyPairWithoutPlaintext: async (
      input: GenerateDataKeyPairWithoutPlaintextRequest,
      ctx: RequestContext,
    ) => (await dataKeyPair(input, ctx, 'kms:GenerateDataKeyPairWithoutPlaintext')).pair,

    GenerateRandom: (input: GenerateRandomRequest) => {
      if (input.NumberOfBytes === undefined) throw kmsError.validation('NumberOfBytes is required.');
      if (input.CustomKeyStoreId) throw kmsError.notSupported('custom key stores');
      if (input.Recipient) throw kmsError.notSupported('Recipient (Nitro Enclaves attestation)');
      return { Plaintext: randomBytes(input.NumberOfBytes) };
    },
  };
}

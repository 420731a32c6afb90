import type { GetPublicKeyRequest, SignRequest, VerifyRequest } from '@aws-sdk/client-kms';
import type { RequestContext } from '../../protocols/service.js';
import { ASYMMETRIC_SPECS, hashOf, publicKeyOf, signMessage, verifyMessage } from './asymmetric.js';
import { failureError, kmsError, kmsFailure } from './errors.js';
import type { KeyFailure } from './front-door.js';
import { keyFor, managedBy, materialFor, usageFor, userOf } from './key-operations.js';
import type { Keyring } from './keyring.js';
import type { KeyRecord } from './keys.js';

/** Asymmetric keys' own operations: Sign, Verify (RSA and ECC) and GetPublicKey. */
export function signOperations(keyring: Keyring) {
  /** What Sign and Verify share: the key and its checks, the algorithm, and the message as given. */
  const signingKey = (
    input: SignRequest | VerifyRequest,
    action: 'kms:Sign' | 'kms:Verify',
    ctx: RequestContext,
  ): { key: KeyRecord; material: Buffer; algorithm: string; message: Buffer; digest: boolean } => {
    const algorithm = input.SigningAlgorithm!;
    const key = keyFor(keyring, input.KeyId!, action, ctx, usageFor(keyring, 'SIGN_VERIFY', action), {
      grantTokens: input.GrantTokens,
    });
    if (!ASYMMETRIC_SPECS[key.keySpec]?.signing.includes(algorithm)) {
      throw failureError(kmsFailure.incompatibleAlgorithm(algorithm, key.keySpec));
    }
    if (input.MessageType === 'EXTERNAL_MU') {
      throw kmsError.notSupported('MessageType EXTERNAL_MU (ML-DSA keys)');
    }
    const digest = input.MessageType === 'DIGEST';
    const message = Buffer.from(input.Message!);
    if (digest && message.length !== hashOf(algorithm).bytes) {
      throw kmsError.validation(`Digest is invalid length for algorithm ${algorithm}.`);
    }
    return { key, material: materialFor(keyring, key), algorithm, message, digest };
  };

  return {
    Sign: (input: SignRequest, ctx: RequestContext) => {
      const { key, material, algorithm, message, digest } = signingKey(input, 'kms:Sign', ctx);
      if (input.DryRun) throw kmsError.dryRun();
      const signature = signMessage(material, algorithm, message, digest);
      return { KeyId: key.arn, Signature: signature, SigningAlgorithm: algorithm };
    },

    Verify: (input: VerifyRequest, ctx: RequestContext) => {
      const { key, material, algorithm, message, digest } = signingKey(input, 'kms:Verify', ctx);
      if (input.DryRun) throw kmsError.dryRun();
      const valid = verifyMessage(material, algorithm, message, digest, Buffer.from(input.Signature!));
      // AWS answers a signature that does not verify with KMSInvalidSignatureException and no text.
      if (!valid) throw kmsError.invalidSignature();
      return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
    },

    // Tideway holds no KEY_AGREEMENT key, so every key it resolves fails DeriveSharedSecret's usage
    // check, with AWS's recorded text; the key's state and policy are checked first, as for Sign.
    DeriveSharedSecret: (
      input: { KeyId?: string; GrantTokens?: string[]; DryRun?: boolean },
      ctx: RequestContext,
    ) => {
      const refused = keyring.usableFor(
        input.KeyId!,
        'kms:DeriveSharedSecret',
        userOf(ctx),
        (key) => kmsFailure.keyUsage(key.arn, key.keyUsage, 'DeriveSharedSecret'),
        { grantTokens: input.GrantTokens },
      );
      // The usage check refuses every key, so what comes back is always a failure.
      throw failureError(refused as KeyFailure);
    },

    GetPublicKey: (input: GetPublicKeyRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:GetPublicKey', ctx);
      const kind = ASYMMETRIC_SPECS[key.keySpec];
      if (!kind) {
        throw kmsError.unsupported(`${key.arn} key spec ${key.keySpec} has no public key.`);
      }
      const refused = keyring.usable(key);
      if (refused) throw failureError(refused);
      const material = materialFor(keyring, key);
      return {
        KeyId: key.arn,
        PublicKey: publicKeyOf(material),
        CustomerMasterKeySpec: key.keySpec,
        KeySpec: key.keySpec,
        KeyUsage: key.keyUsage,
        ...(key.keyUsage === 'SIGN_VERIFY'
          ? { SigningAlgorithms: kind.signing }
          : { EncryptionAlgorithms: kind.encryption }),
      };
    },
  };
}

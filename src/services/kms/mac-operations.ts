import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GenerateMacRequest, VerifyMacRequest } from '@aws-sdk/client-kms';
import type { RequestContext } from '../../protocols/service.js';
import { failureError, kmsError } from './errors.js';
import { userOf } from './key-operations.js';
import type { Keyring } from './keyring.js';
import { HMAC_SPECS, type KeyRecord } from './keys.js';

/** HMAC keys: GenerateMac and VerifyMac with the key's one algorithm (RFC 2104, node:crypto). */
export function macOperations(keyring: Keyring) {
  const macKey = (
    keyId: string,
    action: 'kms:GenerateMac' | 'kms:VerifyMac',
    algorithm: string,
    ctx: RequestContext,
    grantTokens: string[] | undefined,
  ): { key: KeyRecord; mac: (message: Uint8Array) => Buffer } => {
    const user = userOf(ctx);
    const key = keyring.resolve(keyId, user);
    if ('ok' in key) throw failureError(key);
    const refused =
      keyring.usable(key) ??
      keyring.authorize(key, action, user, undefined, grantTokens) ??
      keyring.usage(key, 'GENERATE_VERIFY_MAC', action.slice('kms:'.length));
    if (refused) throw failureError(refused);
    const spec = HMAC_SPECS[key.keySpec]!;
    if (spec.algorithm !== algorithm) {
      throw failureError({
        ok: false,
        code: 'InvalidKeyUsageException',
        message: `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`,
      });
    }
    const material = keyring.materialOf(key);
    if (!material) {
      throw failureError({
        ok: false,
        code: 'KeyUnavailableException',
        message: `${key.arn} key material cannot be unwrapped with this server's KMS master key.`,
      });
    }
    return { key, mac: (message) => createHmac(spec.hash, material).update(message).digest() };
  };

  return {
    GenerateMac: (input: GenerateMacRequest, ctx: RequestContext) => {
      const { key, mac } = macKey(
        input.KeyId!,
        'kms:GenerateMac',
        input.MacAlgorithm!,
        ctx,
        input.GrantTokens,
      );
      if (input.DryRun) throw kmsError.dryRun();
      return { Mac: mac(input.Message!), MacAlgorithm: input.MacAlgorithm, KeyId: key.arn };
    },

    VerifyMac: (input: VerifyMacRequest, ctx: RequestContext) => {
      const { key, mac } = macKey(input.KeyId!, 'kms:VerifyMac', input.MacAlgorithm!, ctx, input.GrantTokens);
      if (input.DryRun) throw kmsError.dryRun();
      const expected = mac(input.Message!);
      const given = Buffer.from(input.Mac!);
      // AWS answers a MAC that does not match with KMSInvalidMacException and no text.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw kmsError.invalidMac();
      }
      return { KeyId: key.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
    },
  };
}

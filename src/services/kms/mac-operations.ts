import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GenerateMacRequest, VerifyMacRequest } from '@aws-sdk/client-kms';
import type { RequestContext } from '../../protocols/service.js';
import { failureError, kmsError, kmsFailure } from './errors.js';
import { keyFor, materialFor, usageFor } from './key-operations.js';
import type { Keyring } from './keyring.js';
import { HMAC_SPECS, type KeyRecord } from './keys.js';

/** HMAC keys: GenerateMac and VerifyMac with the key's one algorithm (RFC 2104, node:crypto). */
export function macOperations(keyring: Keyring) {
  /** What GenerateMac and VerifyMac share: the key and its checks, then the MAC of a message under it. */
  const macKey = (
    input: GenerateMacRequest | VerifyMacRequest,
    action: 'kms:GenerateMac' | 'kms:VerifyMac',
    ctx: RequestContext,
  ): { key: KeyRecord; mac: (message: Uint8Array) => Buffer } => {
    const algorithm = input.MacAlgorithm!;
    const key = keyFor(keyring, input.KeyId!, action, ctx, usageFor(keyring, 'GENERATE_VERIFY_MAC', action), {
      grantTokens: input.GrantTokens,
    });
    const spec = HMAC_SPECS[key.keySpec]!;
    if (spec.algorithm !== algorithm) {
      throw failureError(kmsFailure.incompatibleAlgorithm(algorithm, key.keySpec));
    }
    const material = materialFor(keyring, key);
    return { key, mac: (message) => createHmac(spec.hash, material).update(message).digest() };
  };

  return {
    GenerateMac: (input: GenerateMacRequest, ctx: RequestContext) => {
      const { key, mac } = macKey(input, 'kms:GenerateMac', ctx);
      if (input.DryRun) throw kmsError.dryRun();
      return { Mac: mac(input.Message!), MacAlgorithm: input.MacAlgorithm, KeyId: key.arn };
    },

    VerifyMac: (input: VerifyMacRequest, ctx: RequestContext) => {
      const { key, mac } = macKey(input, 'kms:VerifyMac', ctx);
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

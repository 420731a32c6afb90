import type {
  CancelKeyDeletionRequest,
  CreateKeyRequest,
  DescribeKeyRequest,
  DisableKeyRequest,
  DisableKeyRotationRequest,
  EnableKeyRequest,
  EnableKeyRotationRequest,
  GetKeyRotationStatusRequest,
  ListKeysRequest,
  ScheduleKeyDeletionRequest,
  UpdateKeyDescriptionRequest,
} from '@aws-sdk/client-kms';
import type { RequestContext } from '../../protocols/service.js';
import { ASYMMETRIC_SPECS, generatePrivateKey } from './asymmetric.js';
import { failureError, kmsError } from './errors.js';
import type { EncryptionContext, KeyFailure, KeyUser } from './front-door.js';
import type { Keyring } from './keyring.js';
import { defaultKeyPolicy, HMAC_SPECS, type KeyRecord, type KeySpec, type KeyUsage } from './keys.js';
import { keyMetadata } from './metadata.js';
import { page } from './paging.js';
import { checkPolicyDocument } from './policy-documents.js';
import { checkTags } from './tags.js';

const DAY_MS = 86_400_000;

export function userOf(ctx: RequestContext): KeyUser {
  return { account: ctx.caller.account, region: ctx.caller.region };
}

/**
 * The key a management operation names, after its key policy allowed `action` for the caller
 * (an AWS-managed key's policy leaves its account only Describe*, Get*, List* and RevokeGrant).
 */
export function managedBy(
  keyring: Keyring,
  keyId: string,
  action: string,
  ctx: RequestContext,
  createManaged = false,
): KeyRecord {
  const user = userOf(ctx);
  const key = keyring.resolve(keyId, user, createManaged);
  if ('ok' in key) throw failureError(key);
  const denied = keyring.authorize(key, action, user);
  if (denied) throw failureError(denied);
  return key;
}

/**
 * The key a cryptographic operation names, after `Keyring.usableFor`'s checks in KMS's order
 * (found, state, policy or grant, then `fits`: the usage and spec the operation needs).
 */
export function keyFor(
  keyring: Keyring,
  keyId: string,
  action: string,
  ctx: RequestContext,
  fits: (key: KeyRecord) => KeyFailure | undefined,
  request: { context?: EncryptionContext; grantTokens?: readonly string[] } = {},
): KeyRecord {
  const key = keyring.usableFor(keyId, action, userOf(ctx), fits, request);
  if ('ok' in key) throw failureError(key);
  return key;
}

/** `keyFor`'s usual `fits`: the key's usage must be `wanted`; KMS's text names the operation. */
export function usageFor(
  keyring: Keyring,
  wanted: KeyUsage,
  action: string,
): (key: KeyRecord) => KeyFailure | undefined {
  return (key) => keyring.usage(key, wanted, action.slice('kms:'.length));
}

/** The key's material, or KeyUnavailableException when this server's master key cannot unwrap it. */
export function materialFor(keyring: Keyring, key: KeyRecord): Buffer {
  const material = keyring.materialFor(key);
  if (!Buffer.isBuffer(material)) throw failureError(material);
  return material;
}

function notPendingDeletion(key: KeyRecord): void {
  if (key.state === 'PendingDeletion') throw kmsError.invalidState(`${key.arn} is pending deletion.`);
}

/** The key's state allows a change of its settings: Enabled (DisabledException, KMSInvalidStateException). */
function usableNow(key: KeyRecord): void {
  if (key.state === 'Disabled') throw kmsError.disabled(`${key.arn} is disabled.`);
  notPendingDeletion(key);
}

/**
 * Automatic rotation is for symmetric encryption keys only. AWS refuses the others with an
 * UnsupportedOperationException that carries no text (recorded for RotateKeyOnDemand, and seen
 * from EnableKeyRotation on a SIGN_VERIFY key).
 */
function rotatable(key: KeyRecord): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw kmsError.unsupported('');
}

function notExternal(key: KeyRecord): never {
  throw kmsError.unsupported(`${key.arn} origin is ${key.origin} which is not valid for this operation.`);
}

/** CreateKey's choices Tideway keeps: symmetric encryption and HMAC keys, in KMS's own key store. */
function checkKeyKind(input: CreateKeyRequest): { spec: KeySpec; usage: KeyUsage } {
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (input.KeySpec && input.CustomerMasterKeySpec) {
    throw kmsError.validation(
      'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec parameter is deprecated. Use KeySpec parameter instead.',
    );
  }
  const hmac = HMAC_SPECS[spec] !== undefined;
  const asymmetric = ASYMMETRIC_SPECS[spec];
  if (spec !== 'SYMMETRIC_DEFAULT' && !input.KeyUsage) {
    throw kmsError.validation(
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    );
  }
  if (spec !== 'SYMMETRIC_DEFAULT' && !hmac && !asymmetric) {
    throw kmsError.unsupported(
      `Tideway does not support KeySpec ${spec} (docs/kms.md lists the key specs it has).`,
    );
  }
  const usage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  const allowed = hmac
    ? ['GENERATE_VERIFY_MAC']
    : asymmetric
      ? asymmetric.encryption
        ? ['SIGN_VERIFY', 'ENCRYPT_DECRYPT']
        : ['SIGN_VERIFY', 'KEY_AGREEMENT']
      : ['ENCRYPT_DECRYPT'];
  if (!allowed.includes(usage)) {
    throw kmsError.validation(`KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
  }
  if (usage === 'KEY_AGREEMENT') {
    throw kmsError.unsupported('Tideway does not support KEY_AGREEMENT keys (docs/kms.md).');
  }
  if (input.Origin && input.Origin !== 'AWS_KMS') {
    throw kmsError.unsupported(`Tideway does not support Origin ${input.Origin} (docs/kms.md).`);
  }
  if (input.CustomKeyStoreId || input.XksKeyId) {
    throw kmsError.unsupported('Tideway does not support custom key stores (docs/kms.md).');
  }
  return { spec: spec as KeySpec, usage: usage as KeyUsage };
}

export function keyOperations(keyring: Keyring) {
  const now = () => keyring.clock.now();
  return {
    CreateKey: async (input: CreateKeyRequest, ctx: RequestContext) => {
      const kind = checkKeyKind(input);
      const { account, region } = ctx.caller;
      if (input.Policy !== undefined)
        checkPolicyDocument(input.Policy, account, input.BypassPolicyLockoutSafetyCheck);
      const tags = checkTags([], input.Tags ?? []);
      const key = keyring.newKey({
        account,
        region,
        description: input.Description ?? '',
        keyUsage: kind.usage,
        keySpec: kind.spec,
        origin: 'AWS_KMS',
        manager: 'CUSTOMER',
        multiRegion: input.MultiRegion ?? false,
        state: 'Enabled',
        policy: input.Policy ?? defaultKeyPolicy(account),
        tags,
        ...(ASYMMETRIC_SPECS[kind.spec] ? { material: await generatePrivateKey(kind.spec) } : {}),
      });
      await keyring.keys.put(key.arn, key);
      return { KeyMetadata: keyMetadata(key) };
    },

    DescribeKey: async (input: DescribeKeyRequest, ctx: RequestContext) => {
      // Naming an AWS-managed alias creates its key, as KMS does; it is durable before the answer.
      const key = managedBy(keyring, input.KeyId!, 'kms:DescribeKey', ctx, true);
      await keyring.settled();
      return { KeyMetadata: keyMetadata(key) };
    },

    ListKeys: (input: ListKeysRequest, ctx: RequestContext) => {
      const keys = keyring.keysOf(ctx.caller.account, ctx.caller.region);
      const { items, next } = page(keys, (k) => k.keyId, input.Limit, input.Marker);
      return {
        Keys: items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
        Truncated: next !== undefined,
        ...(next !== undefined ? { NextMarker: next } : {}),
      };
    },

    UpdateKeyDescription: async (input: UpdateKeyDescriptionRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:UpdateKeyDescription', ctx);
      notPendingDeletion(key);
      await keyring.keys.put(key.arn, { ...key, description: input.Description! });
      return {};
    },

    EnableKey: async (input: EnableKeyRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:EnableKey', ctx);
      notPendingDeletion(key);
      if (key.state !== 'Enabled') await keyring.keys.put(key.arn, { ...key, state: 'Enabled' });
      return {};
    },

    DisableKey: async (input: DisableKeyRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:DisableKey', ctx);
      notPendingDeletion(key);
      if (key.state !== 'Disabled') await keyring.keys.put(key.arn, { ...key, state: 'Disabled' });
      return {};
    },

    ScheduleKeyDeletion: async (input: ScheduleKeyDeletionRequest, ctx: RequestContext) => {
      const days = input.PendingWindowInDays ?? 30;
      // The model allows 1–365 (replica keys); a key's own window is 7–30 days.
      if (days < 7 || days > 30) {
        const bound = days < 7 ? 'greater than or equal to 7' : 'less than or equal to 30';
        throw kmsError.validation(
          `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${bound}`,
        );
      }
      const key = managedBy(keyring, input.KeyId!, 'kms:ScheduleKeyDeletion', ctx);
      notPendingDeletion(key);
      const deletionDate = now() + days * DAY_MS;
      await keyring.keys.put(key.arn, {
        ...key,
        state: 'PendingDeletion',
        deletionDate,
        pendingWindowInDays: days,
      });
      return {
        KeyId: key.arn,
        DeletionDate: new Date(deletionDate),
        KeyState: 'PendingDeletion',
        PendingWindowInDays: days,
      };
    },

    EnableKeyRotation: async (input: EnableKeyRotationRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:EnableKeyRotation', ctx);
      usableNow(key);
      rotatable(key);
      const periodInDays = input.RotationPeriodInDays ?? key.rotation?.periodInDays ?? 365;
      await keyring.keys.put(key.arn, {
        ...key,
        rotation: { enabled: true, periodInDays, enabledAt: now() },
      });
      return {};
    },

    DisableKeyRotation: async (input: DisableKeyRotationRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:DisableKeyRotation', ctx);
      usableNow(key);
      rotatable(key);
      const periodInDays = key.rotation?.periodInDays ?? 365;
      await keyring.keys.put(key.arn, {
        ...key,
        rotation: { enabled: false, periodInDays, enabledAt: now() },
      });
      return {};
    },

    GetKeyRotationStatus: (input: GetKeyRotationStatusRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:GetKeyRotationStatus', ctx);
      const rotation = key.rotation;
      if (!rotation?.enabled) return { KeyId: key.arn, KeyRotationEnabled: false };
      // The next rotation is a period after rotation was turned on, then every period after that.
      const period = rotation.periodInDays * DAY_MS;
      const elapsed = Math.max(0, now() - rotation.enabledAt);
      const next = rotation.enabledAt + (Math.floor(elapsed / period) + 1) * period;
      return {
        KeyId: key.arn,
        KeyRotationEnabled: true,
        RotationPeriodInDays: rotation.periodInDays,
        NextRotationDate: new Date(next),
      };
    },

    // Every key Tideway holds has its material made by KMS (Origin AWS_KMS), and AWS refuses the
    // import operations on such a key with this text (recorded for GetParametersForImport).
    GetParametersForImport: (input: { KeyId?: string }, ctx: RequestContext) =>
      notExternal(managedBy(keyring, input.KeyId!, 'kms:GetParametersForImport', ctx)),
    ImportKeyMaterial: (input: { KeyId?: string }, ctx: RequestContext) =>
      notExternal(managedBy(keyring, input.KeyId!, 'kms:ImportKeyMaterial', ctx)),
    DeleteImportedKeyMaterial: (input: { KeyId?: string }, ctx: RequestContext) =>
      notExternal(managedBy(keyring, input.KeyId!, 'kms:DeleteImportedKeyMaterial', ctx)),

    // On-demand rotation needs blobs that name their material, which Tideway's do not yet: the
    // checks AWS makes before rotating are made, and a key that passes them is refused as such.
    RotateKeyOnDemand: (input: { KeyId?: string }, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:RotateKeyOnDemand', ctx);
      usableNow(key);
      rotatable(key);
      throw kmsError.notSupported('RotateKeyOnDemand of a symmetric key (its material is never rotated)');
    },

    CancelKeyDeletion: async (input: CancelKeyDeletionRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:CancelKeyDeletion', ctx);
      if (key.state !== 'PendingDeletion') throw kmsError.invalidState(`${key.arn} is not pending deletion.`);
      const { deletionDate: _d, pendingWindowInDays: _w, ...rest } = key;
      await keyring.keys.put(key.arn, { ...rest, state: 'Disabled' });
      return { KeyId: key.arn };
    },
  };
}

import { createHash, randomBytes } from 'node:crypto';
import type {
  CreateGrantRequest,
  GrantListEntry,
  ListGrantsRequest,
  ListRetirableGrantsRequest,
  RetireGrantRequest,
  RevokeGrantRequest,
} from '@aws-sdk/client-kms';
import type { RequestContext } from '../../protocols/service.js';
import { failureError, kmsError, required } from './errors.js';
import type { GrantRecord } from './grants.js';
import { managedBy, userOf } from './key-operations.js';
import type { Keyring } from './keyring.js';
import { page } from './paging.js';

// What a key can be granted, by its usage; the others belong to asymmetric keys.
const GRANTABLE: Record<string, Set<string>> = {
  ENCRYPT_DECRYPT: new Set([
    'Decrypt',
    'Encrypt',
    'GenerateDataKey',
    'GenerateDataKeyWithoutPlaintext',
    'ReEncryptFrom',
    'ReEncryptTo',
    'CreateGrant',
    'RetireGrant',
    'DescribeKey',
  ]),
  GENERATE_VERIFY_MAC: new Set(['GenerateMac', 'VerifyMac', 'CreateGrant', 'RetireGrant', 'DescribeKey']),
};
// Encryption-context constraints only make sense for the operations that take a context.
const CONTEXT_FREE = new Set(['CreateGrant', 'RetireGrant', 'DescribeKey']);

function entry(grant: GrantRecord): GrantListEntry {
  return {
    KeyId: grant.keyArn,
    GrantId: grant.grantId,
    ...(grant.name !== undefined ? { Name: grant.name } : {}),
    CreationDate: new Date(grant.createdAt),
    GranteePrincipal: grant.granteePrincipal,
    ...(grant.retiringPrincipal !== undefined ? { RetiringPrincipal: grant.retiringPrincipal } : {}),
    IssuingAccount: `arn:aws:iam::${grant.issuingAccount}:root`,
    Operations: grant.operations as GrantListEntry['Operations'],
    ...(grant.constraints ? { Constraints: grant.constraints } : {}),
  };
}

export function grantOperations(keyring: Keyring) {
  const grantOf = (keyArn: string, grantId: string): GrantRecord => {
    const grant = keyring.grants.get(grantId);
    if (!grant || grant.keyArn !== keyArn) throw kmsError.notFound(`Grant ID ${grantId} not found`);
    return grant;
  };

  return {
    CreateGrant: async (input: CreateGrantRequest, ctx: RequestContext) => {
      const grantee = input.GranteePrincipal ?? input.GranteeServicePrincipal;
      if (!grantee) {
        throw kmsError.validation(
          "1 validation error detected: Value null at 'granteePrincipal' failed to satisfy constraint: Member must not be null",
        );
      }
      const key = managedBy(keyring, input.KeyId!, 'kms:CreateGrant', ctx);
      const refused = keyring.usable(key);
      if (refused) throw failureError(refused);
      const operations = input.Operations!;
      for (const op of operations) {
        if (!GRANTABLE[key.keyUsage]?.has(op)) {
          throw kmsError.validation(`Grant operations ${op} are not valid for key spec ${key.keySpec}.`);
        }
      }
      const constraints = input.Constraints;
      if (constraints && operations.some((op) => CONTEXT_FREE.has(op))) {
        throw kmsError.validation(
          'Grant constraints are not valid for the CreateGrant, RetireGrant or DescribeKey operations.',
        );
      }
      if (input.DryRun) throw kmsError.dryRun();
      const retiring = input.RetiringPrincipal ?? input.RetiringServicePrincipal;
      // The same grant asked for again (same name and terms) is the same grant, as KMS answers it.
      if (input.Name !== undefined) {
        for (const grant of keyring.grants.values()) {
          if (
            grant.keyArn === key.arn &&
            grant.name === input.Name &&
            grant.granteePrincipal === grantee &&
            grant.retiringPrincipal === retiring &&
            [...grant.operations].sort().join() === [...operations].sort().join() &&
            JSON.stringify(grant.constraints ?? null) === JSON.stringify(constraints ?? null)
          ) {
            return { GrantId: grant.grantId, GrantToken: grant.grantToken };
          }
        }
      }
      const grantId = createHash('sha256').update(randomBytes(32)).digest('hex');
      const grant: GrantRecord = {
        grantId,
        grantToken: randomBytes(96).toString('base64url'),
        keyArn: key.arn,
        keyId: key.keyId,
        account: key.account,
        region: key.region,
        ...(input.Name !== undefined ? { name: input.Name } : {}),
        granteePrincipal: grantee,
        ...(retiring !== undefined ? { retiringPrincipal: retiring } : {}),
        issuingAccount: ctx.caller.account,
        operations: [...operations],
        ...(constraints
          ? {
              constraints: {
                ...(constraints.EncryptionContextSubset
                  ? { EncryptionContextSubset: constraints.EncryptionContextSubset }
                  : {}),
                ...(constraints.EncryptionContextEquals
                  ? { EncryptionContextEquals: constraints.EncryptionContextEquals }
                  : {}),
              },
            }
          : {}),
        createdAt: keyring.clock.now(),
      };
      await keyring.grants.put(grantId, grant);
      return { GrantId: grantId, GrantToken: grant.grantToken };
    },

    ListGrants: (input: ListGrantsRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:ListGrants', ctx);
      const grantee = input.GranteePrincipal ?? input.GranteeServicePrincipal;
      const grants = keyring.grants
        .values()
        .filter(
          (g) =>
            g.keyArn === key.arn &&
            (input.GrantId === undefined || g.grantId === input.GrantId) &&
            (grantee === undefined || g.granteePrincipal === grantee),
        );
      const { items, next } = page(grants, (g) => g.grantId, input.Limit, input.Marker);
      return {
        Grants: items.map(entry),
        Truncated: next !== undefined,
        ...(next !== undefined ? { NextMarker: next } : {}),
      };
    },

    ListRetirableGrants: (input: ListRetirableGrantsRequest, ctx: RequestContext) => {
      const retiring = required(
        input.RetiringPrincipal ?? input.RetiringServicePrincipal,
        'retiringPrincipal',
      );
      const { account, region } = ctx.caller;
      const grants = keyring.grants
        .values()
        .filter(
          (g) =>
            g.retiringPrincipal === retiring &&
            g.region === region &&
            keyring.live(keyring.keys.get(g.keyArn)) !== undefined &&
            (g.account === account || retiring.includes(account)),
        );
      const { items, next } = page(grants, (g) => g.grantId, input.Limit, input.Marker);
      return {
        Grants: items.map(entry),
        Truncated: next !== undefined,
        ...(next !== undefined ? { NextMarker: next } : {}),
      };
    },

    RetireGrant: async (input: RetireGrantRequest, ctx: RequestContext) => {
      let grant: GrantRecord | undefined;
      if (input.GrantToken !== undefined) {
        grant = keyring.grants.values().find((g) => g.grantToken === input.GrantToken);
        if (!grant) throw kmsError.invalidGrantToken('Invalid grant token');
      } else if (input.KeyId !== undefined && input.GrantId !== undefined) {
        const key = keyring.resolve(input.KeyId, userOf(ctx));
        if ('ok' in key) throw failureError(key);
        grant = grantOf(key.arn, input.GrantId);
      } else {
        throw kmsError.validation('Grant token OR (grant ID, key ID) must be specified');
      }
      if (input.DryRun) throw kmsError.dryRun();
      await keyring.grants.delete(grant.grantId);
      return {};
    },

    RevokeGrant: async (input: RevokeGrantRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:RevokeGrant', ctx);
      const grant = grantOf(key.arn, input.GrantId!);
      if (input.DryRun) throw kmsError.dryRun();
      await keyring.grants.delete(grant.grantId);
      return {};
    },
  };
}

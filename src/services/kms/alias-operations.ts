import type {
  AliasListEntry,
  CreateAliasRequest,
  DeleteAliasRequest,
  ListAliasesRequest,
  UpdateAliasRequest,
} from '@aws-sdk/client-kms';
import type { RequestContext } from '../../protocols/service.js';
import { failureError, kmsError } from './errors.js';
import { managedBy, userOf } from './key-operations.js';
import type { Keyring } from './keyring.js';
import { type AliasRecord, AWS_MANAGED, aliasArn, type KeyRecord, newAlias } from './keys.js';
import { page } from './paging.js';

/** An alias name a user may create or change: `alias/…`, never `alias/aws/…`. */
function checkAliasName(name: string): void {
  if (!name.startsWith('alias/')) {
    throw kmsError.validation(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  // The alias/aws/ names belong to AWS-managed keys; KMS refuses them without a text.
  if (name.startsWith('alias/aws/')) throw kmsError.notAuthorized();
}

export function aliasOperations(keyring: Keyring) {
  /** The customer-managed key an alias may point at. */
  const target = (keyId: string, action: string, ctx: RequestContext): KeyRecord => {
    if (keyId.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(keyId)) {
      throw kmsError.validation('Aliases must refer to keys. Not aliases');
    }
    const key = managedBy(keyring, keyId, action, ctx);
    if (key.state === 'PendingDeletion') throw kmsError.invalidState(`${key.arn} is pending deletion.`);
    return key;
  };

  const existing = (name: string, ctx: RequestContext): AliasRecord => {
    const { account, region } = ctx.caller;
    const arn = aliasArn(region, account, name);
    const alias = keyring.aliases.get(arn);
    if (!alias || !keyring.aliasTarget(alias)) throw kmsError.notFound(`Alias ${arn} is not found.`);
    return alias;
  };

  return {
    CreateAlias: async (input: CreateAliasRequest, ctx: RequestContext) => {
      const name = input.AliasName!;
      checkAliasName(name);
      const key = target(input.TargetKeyId!, 'kms:CreateAlias', ctx);
      const { account, region } = ctx.caller;
      const arn = aliasArn(region, account, name);
      if (keyring.aliasTarget(keyring.aliases.get(arn))) {
        throw kmsError.alreadyExists(`An alias with the name ${arn} already exists`);
      }
      await keyring.aliases.put(arn, newAlias(name, account, region, key.keyId, keyring.clock.now()));
      return {};
    },

    UpdateAlias: async (input: UpdateAliasRequest, ctx: RequestContext) => {
      const name = input.AliasName!;
      checkAliasName(name);
      const alias = existing(name, ctx);
      const key = target(input.TargetKeyId!, 'kms:UpdateAlias', ctx);
      await keyring.aliases.put(alias.arn, {
        ...alias,
        targetKeyId: key.keyId,
        updatedAt: keyring.clock.now(),
      });
      return {};
    },

    DeleteAlias: async (input: DeleteAliasRequest, ctx: RequestContext) => {
      const name = input.AliasName!;
      checkAliasName(name);
      const alias = existing(name, ctx);
      await keyring.aliases.delete(alias.arn);
      return {};
    },

    ListAliases: (input: ListAliasesRequest, ctx: RequestContext) => {
      const { account, region } = ctx.caller;
      let keyId: string | undefined;
      if (input.KeyId !== undefined) {
        const key = keyring.resolve(input.KeyId, userOf(ctx));
        if ('ok' in key) throw failureError(key);
        keyId = key.keyId;
      }
      const entries: AliasListEntry[] = [];
      const named = new Set<string>();
      for (const alias of keyring.aliases.values()) {
        if (alias.account !== account || alias.region !== region) continue;
        if (!keyring.aliasTarget(alias)) continue;
        if (keyId !== undefined && alias.targetKeyId !== keyId) continue;
        named.add(alias.name);
        entries.push({
          AliasName: alias.name,
          AliasArn: alias.arn,
          TargetKeyId: alias.targetKeyId,
          CreationDate: new Date(alias.createdAt),
          LastUpdatedDate: new Date(alias.updatedAt),
        });
      }
      // AWS lists the aliases of AWS-managed keys it has not created yet, without a target.
      if (keyId === undefined) {
        for (const service of Object.keys(AWS_MANAGED)) {
          const name = `alias/aws/${service}`;
          if (!named.has(name)) entries.push({ AliasName: name, AliasArn: aliasArn(region, account, name) });
        }
      }
      entries.sort((a, b) => (a.AliasName! < b.AliasName! ? -1 : 1));
      const { items, next } = page(entries, (a) => a.AliasName!, input.Limit, input.Marker);
      return {
        Aliases: items,
        Truncated: next !== undefined,
        ...(next !== undefined ? { NextMarker: next } : {}),
      };
    },
  };
}

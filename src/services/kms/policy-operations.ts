import type {
  GetKeyPolicyRequest,
  ListKeyPoliciesRequest,
  ListResourceTagsRequest,
  PutKeyPolicyRequest,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-kms';
import type { RequestContext } from '../../protocols/service.js';
import { kmsError } from './errors.js';
import { managedBy } from './key-operations.js';
import type { Keyring } from './keyring.js';
import type { KeyRecord } from './keys.js';
import { page } from './paging.js';
import { checkPolicyDocument } from './policy-documents.js';
import { checkTags } from './tags.js';

/** A key has one policy, named `default`. */
function policyName(name: string | undefined): void {
  if (name !== undefined && name !== 'default') throw kmsError.notFound('No such policy exists');
}

function notPendingDeletion(key: KeyRecord): void {
  if (key.state === 'PendingDeletion') throw kmsError.invalidState(`${key.arn} is pending deletion.`);
}

/** Key policies and tags: a key's settings that are neither its state nor its aliases. */
export function policyOperations(keyring: Keyring) {
  return {
    GetKeyPolicy: (input: GetKeyPolicyRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:GetKeyPolicy', ctx);
      policyName(input.PolicyName);
      return { Policy: key.policy, PolicyName: 'default' };
    },

    PutKeyPolicy: async (input: PutKeyPolicyRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:PutKeyPolicy', ctx);
      policyName(input.PolicyName);
      checkPolicyDocument(input.Policy!, key.account, input.BypassPolicyLockoutSafetyCheck);
      await keyring.keys.put(key.arn, { ...key, policy: input.Policy! });
      return {};
    },

    ListKeyPolicies: (input: ListKeyPoliciesRequest, ctx: RequestContext) => {
      managedBy(keyring, input.KeyId!, 'kms:ListKeyPolicies', ctx);
      return { PolicyNames: ['default'], Truncated: false };
    },

    TagResource: async (input: TagResourceRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:TagResource', ctx);
      notPendingDeletion(key);
      await keyring.keys.put(key.arn, { ...key, tags: checkTags(key.tags, input.Tags!) });
      return {};
    },

    UntagResource: async (input: UntagResourceRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:UntagResource', ctx);
      notPendingDeletion(key);
      const dropped = new Set(input.TagKeys!);
      await keyring.keys.put(key.arn, { ...key, tags: key.tags.filter((t) => !dropped.has(t.TagKey)) });
      return {};
    },

    ListResourceTags: (input: ListResourceTagsRequest, ctx: RequestContext) => {
      const key = managedBy(keyring, input.KeyId!, 'kms:ListResourceTags', ctx);
      const { items, next } = page(key.tags, (t) => t.TagKey, input.Limit, input.Marker);
      return {
        Tags: items,
        Truncated: next !== undefined,
        ...(next !== undefined ? { NextMarker: next } : {}),
      };
    },
  };
}

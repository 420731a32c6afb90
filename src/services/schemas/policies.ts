import { randomUUID } from 'node:crypto';
import type * as S from '@aws-sdk/client-schemas';
import { PolicyError, parsePolicy } from '../../core/policy.js';
import type { RequestContext } from '../../protocols/service.js';
import { schemasError } from './errors.js';
import type { RegistryRecord } from './records.js';
import type { SchemasState } from './state.js';

/** A registry's resource policy, with a revision id that a Put may require to be current. */
export function policyOperations(state: SchemasState) {
  const registryOf = (ctx: RequestContext, name: string | undefined): RegistryRecord => {
    if (name === undefined) throw schemasError.badRequest('RegistryName is a required parameter.');
    return state.ownRegistry(ctx.caller.account, ctx.caller.region, name);
  };
  const policyText = (policy: unknown): string =>
    typeof policy === 'string' ? policy : JSON.stringify(policy);

  return {
    async PutResourcePolicy(input: S.PutResourcePolicyRequest, ctx: RequestContext) {
      const registry = registryOf(ctx, input.RegistryName);
      const policy = policyText(input.Policy);
      try {
        parsePolicy(policy);
      } catch (err) {
        if (err instanceof PolicyError) throw schemasError.badRequest(`Invalid policy: ${err.message}`);
        throw err;
      }
      if (input.RevisionId !== undefined && input.RevisionId !== registry.revisionId)
        throw schemasError.preconditionFailed(
          `The revision id ${input.RevisionId} does not match the policy's current revision.`,
        );
      const revisionId = randomUUID();
      await state.registries.put(registry.arn, { ...registry, policy, revisionId });
      return { Policy: policy, RevisionId: revisionId };
    },

    GetResourcePolicy(input: S.GetResourcePolicyRequest, ctx: RequestContext) {
      const registry = registryOf(ctx, input.RegistryName);
      if (registry.policy === undefined)
        throw schemasError.notFound(`Resource policy for registry ${registry.name} does not exist.`);
      return { Policy: registry.policy, RevisionId: registry.revisionId };
    },

    async DeleteResourcePolicy(input: S.DeleteResourcePolicyRequest, ctx: RequestContext) {
      const registry = registryOf(ctx, input.RegistryName);
      if (registry.policy === undefined)
        throw schemasError.notFound(`Resource policy for registry ${registry.name} does not exist.`);
      const { policy: _policy, revisionId: _revision, ...rest } = registry;
      await state.registries.put(registry.arn, rest);
      return {};
    },
  };
}

import type * as S from '@aws-sdk/client-schemas';
import type { RequestContext } from '../../protocols/service.js';
import { awsEventsRegistry } from './aws-registry.js';
import { schemasError } from './errors.js';
import { page } from './paging.js';
import type { RegistryRecord } from './records.js';
import type { SchemasState } from './state.js';

/** Registries: the containers of schemas; the account's own, `discovered-schemas`, and AWS's `aws.events`. */
export function registryOperations(state: SchemasState) {
  const describe = (r: RegistryRecord) => ({
    Description: r.description,
    RegistryArn: r.arn,
    RegistryName: r.name,
    Tags: r.tags,
  });
  return {
    async CreateRegistry(input: S.CreateRegistryRequest, ctx: RequestContext) {
      const { account, region } = ctx.caller;
      const name = input.RegistryName as string;
      if (state.registry(account, region, name))
        throw schemasError.conflict(`Registry with name ${name} already exists.`);
      const registry: RegistryRecord = {
        arn: state.registryArn(account, region, name),
        name,
        account,
        region,
        description: input.Description,
        tags: input.Tags ?? {},
      };
      await state.registries.put(registry.arn, registry);
      return describe(registry);
    },

    DescribeRegistry(input: S.DescribeRegistryRequest, ctx: RequestContext) {
      return describe(
        state.requireRegistry(ctx.caller.account, ctx.caller.region, input.RegistryName as string),
      );
    },

    async UpdateRegistry(input: S.UpdateRegistryRequest, ctx: RequestContext) {
      const registry = state.ownRegistry(ctx.caller.account, ctx.caller.region, input.RegistryName as string);
      const updated = { ...registry, description: input.Description ?? registry.description };
      await state.registries.put(updated.arn, updated);
      return describe(updated);
    },

    async DeleteRegistry(input: S.DeleteRegistryRequest, ctx: RequestContext) {
      const { account, region } = ctx.caller;
      const registry = state.ownRegistry(account, region, input.RegistryName as string);
      // A registry goes with its schemas.
      for (const schema of state.schemasOf(account, region, registry.name))
        await state.schemas.delete(schema.arn);
      await state.registries.delete(registry.arn);
      return {};
    },

    ListRegistries(input: S.ListRegistriesRequest, ctx: RequestContext) {
      const { account, region } = ctx.caller;
      const scope = input.Scope;
      if (scope !== undefined && scope !== 'LOCAL' && scope !== 'AWS')
        throw schemasError.badRequest(`Scope must be LOCAL or AWS.`);
      const own = state.registries
        .values()
        .filter((r) => r.account === account && r.region === region)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const all = [
        ...(scope === 'LOCAL' ? [] : [awsEventsRegistry(region)]),
        ...(scope === 'AWS' ? [] : own),
      ];
      const prefix = input.RegistryNamePrefix ?? '';
      const { items, nextToken } = page(
        all.filter((r) => r.name.startsWith(prefix)),
        input.Limit,
        input.NextToken,
      );
      return {
        Registries: items.map((r) => ({ RegistryArn: r.arn, RegistryName: r.name, Tags: r.tags })),
        NextToken: nextToken,
      };
    },
  };
}

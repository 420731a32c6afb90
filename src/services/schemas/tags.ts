import type * as S from '@aws-sdk/client-schemas';
import type { RequestContext } from '../../protocols/service.js';
import { schemasError } from './errors.js';
import type { SchemasState } from './state.js';

/** Tags on registries, schemas and discoverers, by ARN. */
export function tagOperations(state: SchemasState) {
  const resourceOf = (ctx: RequestContext, arn: string) => {
    const found = state.taggable(arn);
    if (!found || found.account !== ctx.caller.account || found.region !== ctx.caller.region)
      throw schemasError.notFound(`Resource ${arn} does not exist.`);
    return found;
  };
  const save = async (resource: ReturnType<typeof resourceOf>, tags: Record<string, string>) => {
    if ('id' in resource) await state.discoverers.put(resource.arn, { ...resource, tags });
    else if ('versions' in resource) await state.schemas.put(resource.arn, { ...resource, tags });
    else await state.registries.put(resource.arn, { ...resource, tags });
  };
  return {
    async TagResource(input: S.TagResourceRequest, ctx: RequestContext) {
      const resource = resourceOf(ctx, input.ResourceArn as string);
      await save(resource, { ...resource.tags, ...input.Tags });
      return {};
    },
    async UntagResource(input: S.UntagResourceRequest, ctx: RequestContext) {
      const resource = resourceOf(ctx, input.ResourceArn as string);
      const tags = { ...resource.tags };
      for (const key of input.TagKeys ?? []) delete tags[key];
      await save(resource, tags);
      return {};
    },
    ListTagsForResource(input: S.ListTagsForResourceRequest, ctx: RequestContext) {
      return { Tags: resourceOf(ctx, input.ResourceArn as string).tags };
    },
  };
}

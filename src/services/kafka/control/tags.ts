import type * as K from '@aws-sdk/client-kafka';
import type { RequestContext } from '../../../protocols/service.js';
import { mskError } from './errors.js';
import type { MskState } from './state.js';

/** MSK's tag limits: 50 per resource, keys of 1–128 characters and values of at most 256. */
const MAX_TAGS = 50;

/** Tags on clusters, by ARN. */
export function tagOperations(state: MskState) {
  const clusterOf = (ctx: RequestContext, arn: string) => {
    const cluster = state.clusters.get(arn);
    if (!cluster || cluster.account !== ctx.caller.account || cluster.region !== ctx.caller.region)
      throw mskError.notFound(`The resource ${arn} does not exist.`, 'resourceArn');
    return cluster;
  };
  return {
    async TagResource(input: K.TagResourceRequest, ctx: RequestContext) {
      const cluster = clusterOf(ctx, input.ResourceArn!);
      for (const [key, value] of Object.entries(input.Tags ?? {})) {
        if (key.length < 1 || key.length > 128 || key.startsWith('aws:'))
          throw mskError.badRequest(`The tag key ${key} is not valid.`, 'tags');
        if (value.length > 256)
          throw mskError.badRequest(`The value of tag ${key} is longer than 256 characters.`, 'tags');
      }
      const tags = { ...cluster.tags, ...input.Tags };
      if (Object.keys(tags).length > MAX_TAGS)
        throw mskError.badRequest(`A resource can have at most ${MAX_TAGS} tags.`, 'tags');
      cluster.tags = tags;
      await state.clusters.put(cluster.arn, cluster);
      return {};
    },
    async UntagResource(input: K.UntagResourceRequest, ctx: RequestContext) {
      const cluster = clusterOf(ctx, input.ResourceArn!);
      const tags = { ...cluster.tags };
      for (const key of input.TagKeys ?? []) delete tags[key];
      cluster.tags = tags;
      await state.clusters.put(cluster.arn, cluster);
      return {};
    },
    ListTagsForResource(input: K.ListTagsForResourceRequest, ctx: RequestContext) {
      return { Tags: clusterOf(ctx, input.ResourceArn!).tags };
    },
  };
}

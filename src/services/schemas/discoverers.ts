import type * as S from '@aws-sdk/client-schemas';
import { parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../protocols/service.js';
import type { EventsFrontDoor } from '../events/state.js';
import { discoveredRegistry } from './discovery.js';
import { schemasError } from './errors.js';
import { page } from './paging.js';
import type { DiscovererRecord } from './records.js';
import type { SchemasState } from './state.js';

/** A discoverer's id is named after its bus, so a bus has at most one (AWS's ids read so too). */
function discovererId(busName: string): string {
  return `events-event-bus-${busName}`;
}

/** Discoverers: schema discovery turned on for one event bus. */
export function discovererOperations(state: SchemasState, events: EventsFrontDoor | undefined) {
  // ListDiscoverers answers each without its Description.
  const summary = (d: DiscovererRecord) => ({
    DiscovererArn: d.arn,
    DiscovererId: d.id,
    SourceArn: d.sourceArn,
    State: d.state,
    CrossAccount: d.crossAccount,
    Tags: d.tags,
  });
  const describe = (d: DiscovererRecord) => ({ Description: d.description, ...summary(d) });
  const find = (ctx: RequestContext, id: string): DiscovererRecord => {
    const found = state.discoverers.get(state.discovererArn(ctx.caller.account, ctx.caller.region, id));
    if (!found) throw schemasError.discovererNotFound(id);
    return found;
  };
  const setState = async (ctx: RequestContext, id: string, to: DiscovererRecord['state']) => {
    const discoverer = find(ctx, id);
    await state.discoverers.put(discoverer.arn, { ...discoverer, state: to });
    return { DiscovererId: discoverer.id, State: to };
  };

  return {
    async CreateDiscoverer(input: S.CreateDiscovererRequest, ctx: RequestContext) {
      const { account, region } = ctx.caller;
      const sourceArn = input.SourceArn as string;
      const arn = parseArn(sourceArn);
      const busName = arn?.service === 'events' ? /^event-bus\/(.+)$/.exec(arn.resource)?.[1] : undefined;
      if (!arn || busName === undefined)
        throw schemasError.badRequest(`SourceArn ${sourceArn} is not the ARN of an event bus.`);
      if (arn.account !== account || arn.region !== region)
        throw schemasError.badRequest(`Event bus ${sourceArn} is not in this account and Region.`);
      const bus = events?.describeBus(sourceArn);
      // Every account's default bus exists, whether or not EventBridge has been called yet.
      if (!bus && busName !== 'default')
        throw schemasError.badRequest(`Event bus ${sourceArn} does not exist.`);
      if (bus?.kmsKeyIdentifier !== undefined)
        throw schemasError.badRequest(
          'Schema discovery is not supported for event buses encrypted using a customer managed key.',
        );
      const id = discovererId(busName);
      const discovererArn = state.discovererArn(account, region, id);
      if (state.discoverers.get(discovererArn))
        throw schemasError.conflict(`Discoverer for event bus ${sourceArn} already exists.`);
      const discoverer: DiscovererRecord = {
        arn: discovererArn,
        id,
        account,
        region,
        sourceArn,
        description: input.Description,
        state: 'STARTED',
        crossAccount: input.CrossAccount ?? true,
        tags: input.Tags ?? {},
      };
      await discoveredRegistry(state, account, region);
      await state.discoverers.put(discoverer.arn, discoverer);
      return describe(discoverer);
    },

    DescribeDiscoverer(input: S.DescribeDiscovererRequest, ctx: RequestContext) {
      return describe(find(ctx, input.DiscovererId as string));
    },

    async UpdateDiscoverer(input: S.UpdateDiscovererRequest, ctx: RequestContext) {
      const discoverer = find(ctx, input.DiscovererId as string);
      const updated: DiscovererRecord = {
        ...discoverer,
        description: input.Description ?? discoverer.description,
        crossAccount: input.CrossAccount ?? discoverer.crossAccount,
      };
      await state.discoverers.put(updated.arn, updated);
      return describe(updated);
    },

    async DeleteDiscoverer(input: S.DeleteDiscovererRequest, ctx: RequestContext) {
      const discoverer = find(ctx, input.DiscovererId as string);
      await state.discoverers.delete(discoverer.arn);
      return {};
    },

    StartDiscoverer: (input: S.StartDiscovererRequest, ctx: RequestContext) =>
      setState(ctx, input.DiscovererId as string, 'STARTED'),

    StopDiscoverer: (input: S.StopDiscovererRequest, ctx: RequestContext) =>
      setState(ctx, input.DiscovererId as string, 'STOPPED'),

    ListDiscoverers(input: S.ListDiscoverersRequest, ctx: RequestContext) {
      const { account, region } = ctx.caller;
      const idPrefix = input.DiscovererIdPrefix ?? '';
      const sourcePrefix = input.SourceArnPrefix ?? '';
      const all = state.discoverers
        .values()
        .filter(
          (d) =>
            d.account === account &&
            d.region === region &&
            d.id.startsWith(idPrefix) &&
            d.sourceArn.startsWith(sourcePrefix),
        )
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const { items, nextToken } = page(all, input.Limit, input.NextToken);
      return {
        Discoverers: items.map(summary),
        NextToken: nextToken,
      };
    },
  };
}

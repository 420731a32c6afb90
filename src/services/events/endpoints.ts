import { randomInt } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import { formatArn, parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../protocols/service.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import { pageByName } from './paging.js';
import type { EndpointRecord } from './records.js';
import type { EventsState } from './state.js';

/**
 * Global endpoints: a name in the home (primary) region, two same-named buses (one in the home
 * region, one in the failover region), a Route 53 health check and optional replication. Tideway
 * keeps and checks them and gives each its EndpointId and URL; it has no Route 53, so nothing
 * fails over and PutEvents through an EndpointId is another part's concern.
 */

const endpointNotFound = (name: string) => eventsError.notFound(`Endpoint ${name} does not exist.`);

/** An EndpointId in AWS's form, e.g. `abcde.veo`: two DNS labels, lowercase letters and digits. */
function newEndpointId(): string {
  const label = (length: number, alphabet: string) =>
    Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${label(5, 'abcdefghijklmnopqrstuvwxyz0123456789')}.${label(3, 'abcdefghijklmnopqrstuvwxyz')}`;
}

/** The settings an endpoint is made or updated with, checked together. */
interface EndpointSettings {
  routingConfig: EB.RoutingConfig;
  replicationConfig: EB.ReplicationConfig;
  eventBuses: EB.EndpointEventBus[];
  roleArn?: string;
}

/**
 * The checks the API reference states: the two buses have the same name, one is in the
 * endpoint's region and the other in the failover Route's region, both in the caller's account;
 * the failover region is another region; replication (ENABLED unless DISABLED) needs a RoleArn.
 */
function checkSettings(settings: EndpointSettings, ctx: RequestContext): void {
  const { account, region } = ctx.caller;
  const route = settings.routingConfig.FailoverConfig?.Secondary?.Route as string;
  if (route === region) {
    throw eventsError.validation(
      'Parameter RoutingConfig.FailoverConfig.Secondary.Route is not valid. Reason: The secondary Region must be different from the primary Region.',
    );
  }
  const buses = settings.eventBuses.map((b) => parseArn(b.EventBusArn as string));
  const names = new Set(buses.map((b) => b?.resource.replace(/^event-bus\//, '')));
  const regions = buses.map((b) => b?.region).sort();
  if (
    names.size !== 1 ||
    buses.some((b) => b?.account !== account) ||
    regions.join(' ') !== [region, route].sort().join(' ')
  ) {
    throw eventsError.validation(
      `Parameter EventBuses is not valid. Reason: The event buses must have the same name and be in this account, one in ${region} and one in ${route}.`,
    );
  }
  if (settings.replicationConfig.State !== 'DISABLED' && settings.roleArn === undefined) {
    throw eventsError.validation(
      'Parameter RoleArn is not valid. Reason: A RoleArn is required when event replication is ENABLED.',
    );
  }
}

/** Handlers of: CreateEndpoint DeleteEndpoint DescribeEndpoint ListEndpoints UpdateEndpoint. */
export function endpointHandlers(state: EventsState): EventsHandlers {
  const arnOf = (account: string, region: string, name: string) =>
    formatArn('events', region, account, `endpoint/${name}`);

  const find = (ctx: RequestContext, name: string, homeRegion?: string): EndpointRecord => {
    const endpoint = state.endpoints.get(arnOf(ctx.caller.account, homeRegion ?? ctx.caller.region, name));
    if (!endpoint) throw endpointNotFound(name);
    return endpoint;
  };

  // What CreateEndpoint, UpdateEndpoint and DescribeEndpoint all answer with.
  const configured = (e: EndpointRecord) => ({
    Name: e.name,
    Arn: e.arn,
    RoutingConfig: e.routingConfig,
    ReplicationConfig: e.replicationConfig,
    EventBuses: e.eventBuses,
    RoleArn: e.roleArn,
  });

  const described = (e: EndpointRecord) => ({
    ...configured(e),
    Description: e.description,
    EndpointId: e.endpointId,
    EndpointUrl: e.endpointUrl,
    State: e.state,
    StateReason: e.stateReason,
    CreationTime: new Date(e.createdAt),
    LastModifiedTime: new Date(e.lastModifiedAt),
  });

  return {
    CreateEndpoint: async (input: EB.CreateEndpointRequest, ctx) => {
      const { account, region } = ctx.caller;
      const name = input.Name as string;
      const arn = arnOf(account, region, name);
      if (state.endpoints.get(arn)) throw eventsError.alreadyExists(`Endpoint ${name} already exists.`);
      const settings: EndpointSettings = {
        routingConfig: input.RoutingConfig as EB.RoutingConfig,
        replicationConfig: input.ReplicationConfig ?? { State: 'ENABLED' },
        eventBuses: input.EventBuses as EB.EndpointEventBus[],
        roleArn: input.RoleArn,
      };
      checkSettings(settings, ctx);
      const endpointId = newEndpointId();
      const now = state.clock.now();
      // AWS answers CREATING and the endpoint turns ACTIVE once made; here it is made at once.
      const endpoint: EndpointRecord = {
        arn,
        name,
        account,
        region,
        endpointId,
        description: input.Description,
        ...settings,
        endpointUrl: `https://${endpointId}.endpoints.event.amazonaws.com`,
        state: 'ACTIVE',
        createdAt: now,
        lastModifiedAt: now,
      };
      await state.endpoints.put(arn, endpoint);
      return { ...configured(endpoint), State: 'CREATING' };
    },

    UpdateEndpoint: async (input: EB.UpdateEndpointRequest, ctx) => {
      const endpoint = find(ctx, input.Name as string);
      const settings: EndpointSettings = {
        routingConfig: input.RoutingConfig ?? endpoint.routingConfig,
        replicationConfig: input.ReplicationConfig ?? endpoint.replicationConfig ?? { State: 'ENABLED' },
        eventBuses: input.EventBuses ?? endpoint.eventBuses,
        roleArn: input.RoleArn ?? endpoint.roleArn,
      };
      checkSettings(settings, ctx);
      const updated: EndpointRecord = {
        ...endpoint,
        ...settings,
        description: input.Description ?? endpoint.description,
        lastModifiedAt: state.clock.now(),
      };
      await state.endpoints.put(updated.arn, updated);
      return {
        ...configured(updated),
        EndpointId: updated.endpointId,
        EndpointUrl: updated.endpointUrl,
        State: 'UPDATING',
      };
    },

    DeleteEndpoint: async (input: EB.DeleteEndpointRequest, ctx) => {
      const endpoint = find(ctx, input.Name as string);
      await state.endpoints.delete(endpoint.arn);
      return {};
    },

    DescribeEndpoint: (input: EB.DescribeEndpointRequest, ctx) =>
      described(find(ctx, input.Name as string, input.HomeRegion)),

    ListEndpoints: (input: EB.ListEndpointsRequest, ctx) => {
      const home = input.HomeRegion ?? ctx.caller.region;
      const prefix = input.NamePrefix ?? '';
      const mine = state.endpoints
        .values()
        .filter((e) => e.account === ctx.caller.account && e.region === home && e.name.startsWith(prefix));
      const page = pageByName(mine, (e) => e.name, input.MaxResults, input.NextToken);
      return { Endpoints: page.items.map(described), NextToken: page.nextToken };
    },
  };
}

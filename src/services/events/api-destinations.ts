import { randomUUID } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import { formatArn } from '../../core/arn.js';
import type { RequestContext } from '../../protocols/service.js';
import { checkHttpUrl } from './connection-auth.js';
import { connectionNotFound } from './connections.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import { pageByOffset } from './paging.js';
import type { ApiDestinationRecord, ConnectionRecord } from './records.js';
import type { EventsState } from './state.js';

/** AWS's default InvocationRateLimitPerSecond (its recorded DescribeApiDestination). */
export const DEFAULT_INVOCATION_RATE = 300;

/** AWS's recorded answer for an API destination that is not there (DescribeApiDestination). */
function notFound(name: string) {
  return eventsError.notFound(
    `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`,
  );
}

/**
 * ACTIVE while its connection is AUTHORIZED, INACTIVE otherwise (AWS's recorded answers: an OAuth
 * connection still AUTHORIZING gives an INACTIVE destination). Read live, so it follows the connection.
 */
export function destinationState(state: EventsState, d: ApiDestinationRecord): EB.ApiDestinationState {
  return state.connections.get(d.connectionArn)?.state === 'AUTHORIZED' ? 'ACTIVE' : 'INACTIVE';
}

/** The connection an ARN names, in the caller's account and region. */
function connectionByArn(state: EventsState, ctx: RequestContext, arn: string): ConnectionRecord {
  const found = state.connections.get(arn);
  if (!found || found.account !== ctx.caller.account || found.region !== ctx.caller.region) {
    throw connectionNotFound(arn.split('/')[1] ?? arn);
  }
  return found;
}

export function apiDestinationHandlers(state: EventsState): EventsHandlers {
  const mine = (ctx: RequestContext) =>
    state.apiDestinations
      .values()
      .filter((d) => d.account === ctx.caller.account && d.region === ctx.caller.region);
  const find = (ctx: RequestContext, name: string) => {
    const found = mine(ctx).find((d) => d.name === name);
    if (!found) throw notFound(name);
    return found;
  };
  const summary = (d: ApiDestinationRecord) => ({
    ApiDestinationArn: d.arn,
    ApiDestinationState: destinationState(state, d),
    CreationTime: new Date(d.createdAt),
    LastModifiedTime: new Date(d.lastModifiedAt),
  });
  const listed = (d: ApiDestinationRecord): EB.ApiDestination => ({
    ApiDestinationArn: d.arn,
    Name: d.name,
    ApiDestinationState: destinationState(state, d),
    ConnectionArn: d.connectionArn,
    InvocationEndpoint: d.invocationEndpoint,
    HttpMethod: d.httpMethod,
    InvocationRateLimitPerSecond: d.invocationRateLimitPerSecond,
    CreationTime: new Date(d.createdAt),
    LastModifiedTime: new Date(d.lastModifiedAt),
  });

  return {
    async CreateApiDestination(
      input: EB.CreateApiDestinationRequest,
      ctx: RequestContext,
    ): Promise<EB.CreateApiDestinationResponse> {
      const name = input.Name!;
      const existing = mine(ctx);
      if (existing.some((d) => d.name === name)) {
        throw eventsError.alreadyExists(`An api-destination '${name}' already exists.`);
      }
      checkHttpUrl('InvocationEndpoint', input.InvocationEndpoint!);
      const connection = connectionByArn(state, ctx, input.ConnectionArn!);
      const quota = state.quota('api-destinations-per-account');
      if (quota !== undefined && existing.length >= quota) {
        throw eventsError.limitExceeded('The requested resource exceeds the maximum number allowed.');
      }
      const now = state.clock.now();
      const { account, region } = ctx.caller;
      const record: ApiDestinationRecord = {
        arn: formatArn('events', region, account, `api-destination/${name}/${randomUUID()}`),
        name,
        account,
        region,
        description: input.Description,
        connectionArn: connection.arn,
        invocationEndpoint: input.InvocationEndpoint!,
        httpMethod: input.HttpMethod!,
        invocationRateLimitPerSecond: input.InvocationRateLimitPerSecond ?? DEFAULT_INVOCATION_RATE,
        state: 'ACTIVE',
        createdAt: now,
        lastModifiedAt: now,
      };
      record.state = destinationState(state, record);
      await state.apiDestinations.put(record.arn, record);
      return summary(record);
    },

    DescribeApiDestination(
      input: EB.DescribeApiDestinationRequest,
      ctx: RequestContext,
    ): EB.DescribeApiDestinationResponse {
      const d = find(ctx, input.Name!);
      return { ...listed(d), Description: d.description };
    },

    ListApiDestinations(
      input: EB.ListApiDestinationsRequest,
      ctx: RequestContext,
    ): EB.ListApiDestinationsResponse {
      const matching = mine(ctx)
        .filter((d) => input.NamePrefix === undefined || d.name.startsWith(input.NamePrefix))
        .filter((d) => input.ConnectionArn === undefined || d.connectionArn === input.ConnectionArn)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const { items, next } = pageByOffset(matching, input.NextToken, input.Limit);
      return { ApiDestinations: items.map(listed), NextToken: next };
    },

    async UpdateApiDestination(
      input: EB.UpdateApiDestinationRequest,
      ctx: RequestContext,
    ): Promise<EB.UpdateApiDestinationResponse> {
      const d = find(ctx, input.Name!);
      if (input.InvocationEndpoint !== undefined)
        checkHttpUrl('InvocationEndpoint', input.InvocationEndpoint);
      const connection =
        input.ConnectionArn === undefined ? undefined : connectionByArn(state, ctx, input.ConnectionArn);
      const record: ApiDestinationRecord = {
        ...d,
        description: input.Description ?? d.description,
        connectionArn: connection?.arn ?? d.connectionArn,
        invocationEndpoint: input.InvocationEndpoint ?? d.invocationEndpoint,
        httpMethod: input.HttpMethod ?? d.httpMethod,
        invocationRateLimitPerSecond: input.InvocationRateLimitPerSecond ?? d.invocationRateLimitPerSecond,
        lastModifiedAt: state.clock.now(),
      };
      record.state = destinationState(state, record);
      await state.apiDestinations.put(record.arn, record);
      return summary(record);
    },

    async DeleteApiDestination(
      input: EB.DeleteApiDestinationRequest,
      ctx: RequestContext,
    ): Promise<EB.DeleteApiDestinationResponse> {
      const d = find(ctx, input.Name!);
      await state.apiDestinations.delete(d.arn);
      return {};
    },
  };
}

import { randomUUID } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import { formatArn } from '../../core/arn.js';
import type { RequestContext } from '../../protocols/service.js';
import { apiDestinationRuntime } from './api-destination-runtime.js';
import { apiDestinationHandlers } from './api-destinations.js';
import {
  type ConnectionCredentials,
  checkCredentials,
  credentialsFromSecret,
  mergeCredentials,
  publicAuthParameters,
  secretText,
  withoutCredentials,
} from './connection-auth.js';
import { eventsError } from './errors.js';
import type { EventsHandlers } from './operations.js';
import { pageByOffset } from './paging.js';
import type { ConnectionRecord } from './records.js';
import type { EventsState } from './state.js';

/** AWS's recorded answer for a connection that is not there (DescribeConnection). */
export function connectionNotFound(name: string) {
  return eventsError.notFound(`Failed to describe the connection(s). Connection '${name}' does not exist.`);
}

export function connectionArnOf(account: string, region: string, name: string, id: string): string {
  return formatArn('events', region, account, `connection/${name}/${id}`);
}

/** The connection of the caller's account and region by name. */
export function findConnection(state: EventsState, ctx: RequestContext, name: string): ConnectionRecord {
  const { account, region } = ctx.caller;
  const found = state.connections
    .values()
    .find((c) => c.name === name && c.account === account && c.region === region);
  if (!found) throw connectionNotFound(name);
  return found;
}

const times = (c: ConnectionRecord) => ({
  CreationTime: new Date(c.createdAt),
  LastModifiedTime: new Date(c.lastModifiedAt),
  ...(c.lastAuthorizedAt !== undefined && { LastAuthorizedTime: new Date(c.lastAuthorizedAt) }),
});

/** Private APIs reach through VPC Lattice resource configurations, which Tideway does not have. */
function refuseConnectivity(input: {
  InvocationConnectivityParameters?: unknown;
  AuthParameters?: { ConnectivityParameters?: unknown };
}) {
  if (input.InvocationConnectivityParameters !== undefined) {
    throw eventsError.notSupported('connections to private APIs (InvocationConnectivityParameters)');
  }
  if (input.AuthParameters?.ConnectivityParameters !== undefined) {
    throw eventsError.notSupported('private OAuth endpoints (ConnectivityParameters)');
  }
}

/**
 * Connections: their credentials live in an `events!connection/<name>/<uuid>` secret of the
 * account, made and kept by EventBridge. Basic and API-key connections are AUTHORIZED at once;
 * OAuth ones are AUTHORIZING until the authorization endpoint has given a token.
 */
export function connectionHandlers(state: EventsState): EventsHandlers {
  const runtime = apiDestinationRuntime(state);

  const stripSecrets = (credentials: ConnectionCredentials) => publicAuthParameters(credentials);

  /** Stores the connection and, for OAuth, starts its authorization. */
  const settle = async (record: ConnectionRecord, credentials: ConnectionCredentials) => {
    await state.connections.put(record.arn, record);
    runtime.forget(record.arn);
    if (record.state === 'AUTHORIZING') void runtime.authorize(record, credentials);
  };

  return {
    async CreateConnection(
      input: EB.CreateConnectionRequest,
      ctx: RequestContext,
    ): Promise<EB.CreateConnectionResponse> {
      const name = input.Name!;
      const type = input.AuthorizationType!;
      const { ConnectivityParameters: _, ...credentials } = input.AuthParameters!;
      refuseConnectivity(input);
      const { account, region } = ctx.caller;
      const mine = state.connections.values().filter((c) => c.account === account && c.region === region);
      if (mine.some((c) => c.name === name)) {
        throw eventsError.alreadyExists(`Connection ${name} already exists.`);
      }
      checkCredentials(type, credentials);
      const quota = state.quota('connections-per-account');
      if (quota !== undefined && mine.length >= quota) {
        throw eventsError.limitExceeded('The requested resource exceeds the maximum number allowed.');
      }
      const id = randomUUID();
      const secretArn = await runtime
        .secrets()
        .create(account, region, `events!connection/${name}/${id}`, secretText(credentials), {
          kmsKeyId: input.KmsKeyIdentifier,
          owningService: 'events',
        });
      const now = state.clock.now();
      const record: ConnectionRecord = {
        arn: connectionArnOf(account, region, name, id),
        name,
        account,
        region,
        description: input.Description,
        authorizationType: type,
        authParameters: stripSecrets(credentials),
        secretArn,
        state: type === 'OAUTH_CLIENT_CREDENTIALS' ? 'AUTHORIZING' : 'AUTHORIZED',
        kmsKeyIdentifier: input.KmsKeyIdentifier,
        createdAt: now,
        lastModifiedAt: now,
        // AWS's recorded DescribeConnection shows LastAuthorizedTime from creation, even while AUTHORIZING.
        lastAuthorizedAt: now,
      };
      await settle(record, credentials);
      return {
        ConnectionArn: record.arn,
        ConnectionState: record.state,
        CreationTime: new Date(record.createdAt),
        LastModifiedTime: new Date(record.lastModifiedAt),
      };
    },

    DescribeConnection(
      input: EB.DescribeConnectionRequest,
      ctx: RequestContext,
    ): EB.DescribeConnectionResponse {
      const c = findConnection(state, ctx, input.Name!);
      return {
        ConnectionArn: c.arn,
        Name: c.name,
        Description: c.description,
        ConnectionState: c.state,
        StateReason: c.stateReason,
        AuthorizationType: c.authorizationType,
        SecretArn: c.secretArn,
        KmsKeyIdentifier: c.kmsKeyIdentifier,
        AuthParameters: c.authParameters,
        ...times(c),
      };
    },

    ListConnections(input: EB.ListConnectionsRequest, ctx: RequestContext): EB.ListConnectionsResponse {
      const { account, region } = ctx.caller;
      const matching = state.connections
        .values()
        .filter((c) => c.account === account && c.region === region)
        .filter((c) => input.NamePrefix === undefined || c.name.startsWith(input.NamePrefix))
        .filter((c) => input.ConnectionState === undefined || c.state === input.ConnectionState)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const { items, next } = pageByOffset(matching, input.NextToken, input.Limit);
      return {
        Connections: items.map((c) => ({
          ConnectionArn: c.arn,
          Name: c.name,
          ConnectionState: c.state,
          StateReason: c.stateReason,
          AuthorizationType: c.authorizationType,
          ...times(c),
        })),
        NextToken: next,
      };
    },

    async UpdateConnection(
      input: EB.UpdateConnectionRequest,
      ctx: RequestContext,
    ): Promise<EB.UpdateConnectionResponse> {
      const c = findConnection(state, ctx, input.Name!);
      refuseConnectivity(input);
      const type = input.AuthorizationType ?? c.authorizationType;
      const stored = credentialsFromSecret(await runtime.secrets().read(c.secretArn));
      const credentials = mergeCredentials(type, c.authorizationType, stored, input.AuthParameters);
      await runtime.secrets().update(c.secretArn, secretText(credentials));
      const now = state.clock.now();
      const record: ConnectionRecord = {
        ...c,
        description: input.Description ?? c.description,
        authorizationType: type,
        authParameters: stripSecrets(credentials),
        kmsKeyIdentifier: input.KmsKeyIdentifier ?? c.kmsKeyIdentifier,
        state: type === 'OAUTH_CLIENT_CREDENTIALS' ? 'AUTHORIZING' : 'AUTHORIZED',
        stateReason: undefined,
        lastModifiedAt: now,
        lastAuthorizedAt: type === 'OAUTH_CLIENT_CREDENTIALS' ? c.lastAuthorizedAt : now,
      };
      await settle(record, credentials);
      return {
        ConnectionArn: record.arn,
        ConnectionState: record.state,
        ...times(record),
      };
    },

    async DeauthorizeConnection(
      input: EB.DeauthorizeConnectionRequest,
      ctx: RequestContext,
    ): Promise<EB.DeauthorizeConnectionResponse> {
      const c = findConnection(state, ctx, input.Name!);
      const stored = credentialsFromSecret(await runtime.secrets().read(c.secretArn));
      await runtime.secrets().update(c.secretArn, secretText(withoutCredentials(stored)));
      const now = state.clock.now();
      // The answer says DEAUTHORIZING; the credentials are gone at once, so the work is done by the
      // time anyone looks again.
      const record: ConnectionRecord = {
        ...c,
        state: 'DEAUTHORIZED',
        stateReason: undefined,
        lastModifiedAt: now,
      };
      await state.connections.put(record.arn, record);
      runtime.forget(record.arn);
      return {
        ConnectionArn: record.arn,
        ConnectionState: 'DEAUTHORIZING',
        ...times(record),
      };
    },

    async DeleteConnection(
      input: EB.DeleteConnectionRequest,
      ctx: RequestContext,
    ): Promise<EB.DeleteConnectionResponse> {
      const c = findConnection(state, ctx, input.Name!);
      await state.connections.delete(c.arn);
      runtime.forget(c.arn);
      await runtime.secrets().remove(c.secretArn);
      // AWS's recorded answer: DELETING, with the times the connection had.
      return { ConnectionArn: c.arn, ConnectionState: 'DELETING', ...times(c) };
    },

    ...apiDestinationHandlers(state),
  };
}

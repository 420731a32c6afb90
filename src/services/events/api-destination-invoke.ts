import type * as EB from '@aws-sdk/client-eventbridge';
import { type IncomingAnswer, type OutgoingRequest, send } from './api-destination-http.js';
import type { ConnectionCredentials } from './connection-auth.js';
import type { OAuthTokens } from './oauth-tokens.js';
import type { ApiDestinationRecord } from './records.js';
import type { TargetResult } from './state.js';

/**
 * The headers EventBridge sets on every call (user guide, "Headers included in requests to API
 * destinations"); no parameter overrides them. Content-Type is its default only.
 */
const FIXED_HEADERS: [string, string][] = [
  ['User-Agent', 'Amazon/EventBridge/ApiDestinations'],
  ['Range', 'bytes=0-1048575'],
  ['Accept-Encoding', 'gzip,deflate'],
  ['Connection', 'close'],
];
const DEFAULT_CONTENT_TYPE = 'application/json; charset=utf-8';

/** One call of an API destination: the destination, its connection's credentials, the target's parameters. */
export interface ApiDestinationCall {
  destination: Pick<ApiDestinationRecord, 'invocationEndpoint' | 'httpMethod'>;
  connectionArn: string;
  credentials: ConnectionCredentials;
  /** The target's HttpParameters. */
  httpParameters?: EB.HttpParameters;
  /** The rendered input. */
  payload: string;
}

/** Header names are one name whatever their case; a later value replaces an earlier one. */
class Headers {
  private readonly byName = new Map<string, [string, string]>();
  set(name: string, value: string): void {
    this.byName.set(name.toLowerCase(), [name, value]);
  }
  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }
  record(): Record<string, string> {
    return Object.fromEntries(this.byName.values());
  }
}

const pairs = (list: { Key?: string; Value?: string }[] | undefined): [string, string][] =>
  (list ?? []).filter((p) => p.Key !== undefined).map((p) => [p.Key!, p.Value ?? '']);

/**
 * The request for one call: PathParameterValues fill the endpoint's `*` in order; the target's
 * headers and query string come first and the connection's InvocationHttpParameters take
 * precedence (API reference, CreateConnectionAuthRequestParameters); its body parameters join a
 * JSON object payload. GET and HEAD carry no body.
 */
export function buildRequest(call: ApiDestinationCall, auth?: [string, string]): OutgoingRequest {
  const target = call.httpParameters ?? {};
  const connection = call.credentials.InvocationHttpParameters ?? {};
  let endpoint = call.destination.invocationEndpoint;
  for (const value of target.PathParameterValues ?? []) {
    if (!endpoint.includes('*')) break;
    endpoint = endpoint.replace('*', value);
  }
  const url = new URL(endpoint);
  for (const [k, v] of Object.entries(target.QueryStringParameters ?? {})) url.searchParams.set(k, v);
  for (const [k, v] of pairs(connection.QueryStringParameters)) url.searchParams.set(k, v);
  const headers = new Headers();
  for (const [k, v] of Object.entries(target.HeaderParameters ?? {})) headers.set(k, v);
  for (const [k, v] of pairs(connection.HeaderParameters)) headers.set(k, v);
  if (auth) headers.set(auth[0], auth[1]);
  if (!headers.has('Content-Type')) headers.set('Content-Type', DEFAULT_CONTENT_TYPE);
  for (const [k, v] of FIXED_HEADERS) headers.set(k, v);
  const method = call.destination.httpMethod;
  const body =
    method === 'GET' || method === 'HEAD' ? undefined : withBodyParameters(call.payload, connection);
  return { method, url: url.toString(), headers: headers.record(), body };
}

function withBodyParameters(payload: string, connection: EB.ConnectionHttpParameters): string {
  const extra = pairs(connection.BodyParameters);
  if (extra.length === 0) return payload;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return payload;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return payload;
  return JSON.stringify({ ...(parsed as object), ...Object.fromEntries(extra) });
}

/**
 * What an answer means (user guide, "API destination error codes"): 2xx is delivered, 429 and 5xx
 * are retried, every other status is not; a negative Retry-After stops the retries.
 */
export function outcome(answer: IncomingAnswer): TargetResult {
  const status = answer.status;
  if (status >= 200 && status <= 299) return { kind: 'delivered' };
  const errorCode = 'SDK_CLIENT_ERROR';
  const errorMessage = `Unable to invoke ApiDestination endpoint: The endpoint answered HTTP ${status}.`;
  const retryAfter = Number(answer.headers['retry-after']);
  if ((status === 429 || (status >= 500 && status <= 599)) && !(retryAfter < 0)) {
    // "EventBridge chooses the more conservative value between the defined retry policy and the
    // Retry-After header": the router keeps the longer wait.
    return Number.isFinite(retryAfter) && retryAfter > 0
      ? { kind: 'retryable', errorCode, errorMessage, retryAfterSeconds: retryAfter }
      : { kind: 'retryable', errorCode, errorMessage };
  }
  return { kind: 'failed', errorCode, errorMessage };
}

/**
 * Makes one call with the connection's credentials: Basic and API-key headers from the secret, an
 * OAuth token from the cache; a 401 or 407 under OAuth fetches a new token and calls once more.
 */
export async function invoke(call: ApiDestinationCall, tokens: OAuthTokens): Promise<TargetResult> {
  const creds = call.credentials;
  const oauth = creds.OAuthParameters;
  const authFor = async (fresh: boolean): Promise<[string, string] | undefined> => {
    if (creds.BasicAuthParameters) {
      const { Username, Password } = creds.BasicAuthParameters;
      return ['Authorization', `Basic ${Buffer.from(`${Username}:${Password}`).toString('base64')}`];
    }
    if (creds.ApiKeyAuthParameters) {
      return [creds.ApiKeyAuthParameters.ApiKeyName!, creds.ApiKeyAuthParameters.ApiKeyValue ?? ''];
    }
    if (oauth) return ['Authorization', await tokens.header(call.connectionArn, oauth, fresh)];
    return undefined;
  };
  try {
    let answer = await send(buildRequest(call, await authFor(false)));
    if (oauth && (answer.status === 401 || answer.status === 407)) {
      answer = await send(buildRequest(call, await authFor(true)));
    }
    return outcome(answer);
  } catch (err) {
    return {
      kind: 'retryable',
      errorCode: 'SDK_CLIENT_ERROR',
      errorMessage: `Unable to invoke ApiDestination endpoint: ${(err as Error).message}`,
    };
  }
}

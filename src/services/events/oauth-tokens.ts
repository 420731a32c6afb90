import type * as EB from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../core/clock.js';
import { type OutgoingRequest, send } from './api-destination-http.js';

/**
 * "EventBridge refreshes OAuth tokens … proactively during an HTTPS invocation, if the token
 * expires within 60 seconds" (user guide, Authorization methods for connections).
 */
export const REFRESH_BEFORE_MS = 60_000;

interface CachedToken {
  /** The Authorization header's value: `<token_type> <access_token>`. */
  header: string;
  /** Clock time it expires, when the authorization server said (`expires_in`). */
  expiresAt?: number;
}

export class TokenError extends Error {}

type Params = Pick<
  EB.ConnectionHttpParameters,
  'HeaderParameters' | 'QueryStringParameters' | 'BodyParameters'
>;

const pairs = (list: { Key?: string; Value?: string }[] | undefined): [string, string][] =>
  (list ?? []).filter((p) => p.Key !== undefined).map((p) => [p.Key!, p.Value ?? '']);

/**
 * The client-credentials request to the connection's authorization endpoint: its HttpMethod, the
 * OAuthHttpParameters' query string on the URL and headers on the request, the client id and
 * secret as HTTP Basic credentials (RFC 6749 §2.3.1) and the body parameters form-encoded.
 */
export function tokenRequest(oauth: EB.CreateConnectionOAuthRequestParameters): OutgoingRequest {
  const extra: Params = oauth.OAuthHttpParameters ?? {};
  const url = new URL(oauth.AuthorizationEndpoint!);
  for (const [k, v] of pairs(extra.QueryStringParameters)) url.searchParams.append(k, v);
  const client = oauth.ClientParameters!;
  const headers: Record<string, string> = {
    'User-Agent': 'Amazon/EventBridge/ApiDestinations',
    Accept: 'application/json',
  };
  for (const [k, v] of pairs(extra.HeaderParameters)) headers[k] = v;
  headers.Authorization = `Basic ${Buffer.from(`${client.ClientID}:${client.ClientSecret}`).toString('base64')}`;
  const method = oauth.HttpMethod ?? 'POST';
  const form = new URLSearchParams(pairs(extra.BodyParameters));
  if (method === 'GET') {
    for (const [k, v] of form) url.searchParams.append(k, v);
    return { method, url: url.toString(), headers };
  }
  headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return { method, url: url.toString(), headers, body: form.toString() };
}

/**
 * Access tokens by connection ARN: fetched on first use, kept until 60 seconds before they expire,
 * fetched again when the endpoint answers 401 or 407, and dropped when the connection changes.
 */
export class OAuthTokens {
  private readonly cache = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();

  constructor(private readonly clock: Clock) {}

  /** The Authorization header for the connection; `fresh` fetches a new token whatever the cache holds. */
  async header(
    connectionArn: string,
    oauth: EB.CreateConnectionOAuthRequestParameters,
    fresh = false,
  ): Promise<string> {
    const cached = this.cache.get(connectionArn);
    const usable =
      cached && (cached.expiresAt === undefined || cached.expiresAt - this.clock.now() > REFRESH_BEFORE_MS);
    if (usable && !fresh) return cached.header;
    return (await this.fetch(connectionArn, oauth)).header;
  }

  forget(connectionArn: string): void {
    this.cache.delete(connectionArn);
  }

  /** One request at a time per connection: events arriving together share it. */
  fetch(connectionArn: string, oauth: EB.CreateConnectionOAuthRequestParameters): Promise<CachedToken> {
    let running = this.pending.get(connectionArn);
    if (!running) {
      running = this.request(oauth).finally(() => this.pending.delete(connectionArn));
      this.pending.set(connectionArn, running);
      running.then(
        (token) => this.cache.set(connectionArn, token),
        () => this.cache.delete(connectionArn),
      );
    }
    return running;
  }

  private async request(oauth: EB.CreateConnectionOAuthRequestParameters): Promise<CachedToken> {
    let answer: Awaited<ReturnType<typeof send>>;
    try {
      answer = await send(tokenRequest(oauth));
    } catch (err) {
      throw new TokenError(`The authorization endpoint could not be reached: ${(err as Error).message}`);
    }
    if (answer.status < 200 || answer.status > 299) {
      throw new TokenError(`The authorization endpoint answered HTTP ${answer.status}.`);
    }
    let body: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(answer.body);
    } catch {
      throw new TokenError('The authorization endpoint did not answer JSON.');
    }
    if (typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new TokenError('The authorization endpoint answered no access_token.');
    }
    const type = typeof body.token_type === 'string' && body.token_type !== '' ? body.token_type : 'Bearer';
    const seconds = Number(body.expires_in);
    return {
      header: `${type.toLowerCase() === 'bearer' ? 'Bearer' : type} ${body.access_token}`,
      expiresAt: Number.isFinite(seconds) && seconds > 0 ? this.clock.now() + seconds * 1000 : undefined,
    };
  }
}

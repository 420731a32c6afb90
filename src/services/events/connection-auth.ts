import type * as EB from '@aws-sdk/client-eventbridge';
import { eventsError } from './errors.js';

/**
 * A connection's credentials in full, in the request's own shape: what its secret holds. Describe
 * answers only the part without secrets (publicAuthParameters).
 */
export type ConnectionCredentials = Omit<EB.CreateConnectionAuthRequestParameters, 'ConnectivityParameters'>;

type HttpParameter = { Key?: string; Value?: string; IsValueSecret?: boolean };

const BLOCK: Record<EB.ConnectionAuthorizationType, keyof ConnectionCredentials> = {
  BASIC: 'BasicAuthParameters',
  API_KEY: 'ApiKeyAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
};

/** "You must include only authorization parameters for the AuthorizationType you specify" (API reference). */
export function checkCredentials(type: EB.ConnectionAuthorizationType, params: ConnectionCredentials): void {
  const wanted = BLOCK[type];
  if (!params[wanted]) {
    throw eventsError.validation(`${wanted} must be specified for authorization type ${type}.`);
  }
  for (const [other, block] of Object.entries(BLOCK)) {
    if (block !== wanted && params[block] !== undefined) {
      throw eventsError.validation(
        `${block} cannot be specified for authorization type ${type}; it belongs to ${other}.`,
      );
    }
  }
  if (type === 'OAUTH_CLIENT_CREDENTIALS')
    checkHttpUrl('AuthorizationEndpoint', params.OAuthParameters!.AuthorizationEndpoint!);
}

/**
 * AWS takes only HTTPS URLs; Tideway takes plain HTTP as well, so that a receiver on the test's
 * own machine can be the endpoint (docs/eventbridge/api-destinations.md).
 */
export function checkHttpUrl(field: string, value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw eventsError.validation(`Invalid ${field}: '${value}' is not an HTTPS URL.`);
  }
}

/**
 * UpdateConnection's parameters laid over the stored ones: a field left out keeps its value, a new
 * authorization type needs its own block complete.
 */
export function mergeCredentials(
  type: EB.ConnectionAuthorizationType,
  previousType: EB.ConnectionAuthorizationType,
  stored: ConnectionCredentials,
  update: EB.UpdateConnectionAuthRequestParameters | undefined,
): ConnectionCredentials {
  const base: ConnectionCredentials = type === previousType ? stored : {};
  const merged: ConnectionCredentials = {};
  const basic = { ...base.BasicAuthParameters, ...defined(update?.BasicAuthParameters) };
  const apiKey = { ...base.ApiKeyAuthParameters, ...defined(update?.ApiKeyAuthParameters) };
  const oauthUpdate = update?.OAuthParameters;
  const oauth = {
    ...base.OAuthParameters,
    ...defined({ ...oauthUpdate, ClientParameters: undefined }),
    ClientParameters: {
      ...base.OAuthParameters?.ClientParameters,
      ...defined(oauthUpdate?.ClientParameters),
    },
  } as EB.CreateConnectionOAuthRequestParameters;
  if (type === 'BASIC') {
    requireFields('BasicAuthParameters', basic, ['Username', 'Password']);
    merged.BasicAuthParameters = basic as EB.CreateConnectionBasicAuthRequestParameters;
  } else if (type === 'API_KEY') {
    requireFields('ApiKeyAuthParameters', apiKey, ['ApiKeyName', 'ApiKeyValue']);
    merged.ApiKeyAuthParameters = apiKey as EB.CreateConnectionApiKeyAuthRequestParameters;
  } else {
    requireFields('OAuthParameters', oauth, ['AuthorizationEndpoint', 'HttpMethod']);
    requireFields('OAuthParameters.ClientParameters', oauth.ClientParameters ?? {}, [
      'ClientID',
      'ClientSecret',
    ]);
    checkHttpUrl('AuthorizationEndpoint', oauth.AuthorizationEndpoint!);
    merged.OAuthParameters = oauth;
  }
  const invocation = update?.InvocationHttpParameters ?? stored.InvocationHttpParameters;
  if (invocation) merged.InvocationHttpParameters = invocation;
  return merged;
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function requireFields(block: string, value: object, fields: string[]): void {
  const missing = fields.filter((f) => (value as Record<string, unknown>)[f] === undefined);
  if (missing.length > 0) {
    throw eventsError.validation(
      `${block} is missing ${missing.join(', ')}: the connection has no stored value for it.`,
    );
  }
}

/** The parameters as DescribeConnection shows them: no password, key value, client secret or secret parameter value. */
export function publicAuthParameters(params: ConnectionCredentials): EB.ConnectionAuthResponseParameters {
  const out: EB.ConnectionAuthResponseParameters = {};
  if (params.BasicAuthParameters) out.BasicAuthParameters = { Username: params.BasicAuthParameters.Username };
  if (params.ApiKeyAuthParameters)
    out.ApiKeyAuthParameters = { ApiKeyName: params.ApiKeyAuthParameters.ApiKeyName };
  if (params.OAuthParameters) {
    const oauth = params.OAuthParameters;
    out.OAuthParameters = {
      AuthorizationEndpoint: oauth.AuthorizationEndpoint,
      ClientParameters: { ClientID: oauth.ClientParameters?.ClientID },
      HttpMethod: oauth.HttpMethod,
      ...(oauth.OAuthHttpParameters && {
        OAuthHttpParameters: publicHttpParameters(oauth.OAuthHttpParameters),
      }),
    };
  }
  if (params.InvocationHttpParameters) {
    out.InvocationHttpParameters = publicHttpParameters(params.InvocationHttpParameters);
  }
  return out;
}

function publicHttpParameters(params: EB.ConnectionHttpParameters): EB.ConnectionHttpParameters {
  const strip = (list: HttpParameter[] | undefined) =>
    list?.map((p) => (p.IsValueSecret ? { Key: p.Key, IsValueSecret: true } : { ...p }));
  const out: EB.ConnectionHttpParameters = {};
  if (params.HeaderParameters) out.HeaderParameters = strip(params.HeaderParameters);
  if (params.QueryStringParameters) out.QueryStringParameters = strip(params.QueryStringParameters);
  if (params.BodyParameters) out.BodyParameters = strip(params.BodyParameters);
  return out;
}

/**
 * The secret's text, in the keys AWS's recorded GetSecretValue shows: username/password,
 * api_key_name/api_key_value, client_id/client_secret/authorization_endpoint/http_method, and
 * invocation_http_parameters when the connection has them.
 */
export function secretText(params: ConnectionCredentials): string {
  const out: Record<string, unknown> = {};
  if (params.BasicAuthParameters) {
    out.username = params.BasicAuthParameters.Username;
    out.password = params.BasicAuthParameters.Password;
  }
  if (params.ApiKeyAuthParameters) {
    out.api_key_name = params.ApiKeyAuthParameters.ApiKeyName;
    out.api_key_value = params.ApiKeyAuthParameters.ApiKeyValue;
  }
  if (params.OAuthParameters) {
    const oauth = params.OAuthParameters;
    out.client_id = oauth.ClientParameters?.ClientID;
    out.client_secret = oauth.ClientParameters?.ClientSecret;
    out.authorization_endpoint = oauth.AuthorizationEndpoint;
    out.http_method = oauth.HttpMethod;
    if (oauth.OAuthHttpParameters) out.oauth_http_parameters = oauth.OAuthHttpParameters;
  }
  if (params.InvocationHttpParameters) out.invocation_http_parameters = params.InvocationHttpParameters;
  return JSON.stringify(out);
}

/** The credentials back from the secret's text (secretText's inverse). */
export function credentialsFromSecret(text: string): ConnectionCredentials {
  const s = JSON.parse(text) as Record<string, any>;
  const out: ConnectionCredentials = {};
  if ('username' in s) out.BasicAuthParameters = { Username: s.username, Password: s.password };
  if ('api_key_name' in s)
    out.ApiKeyAuthParameters = { ApiKeyName: s.api_key_name, ApiKeyValue: s.api_key_value };
  if ('client_id' in s) {
    out.OAuthParameters = {
      ClientParameters: { ClientID: s.client_id, ClientSecret: s.client_secret },
      AuthorizationEndpoint: s.authorization_endpoint,
      HttpMethod: s.http_method,
      ...(s.oauth_http_parameters && { OAuthHttpParameters: s.oauth_http_parameters }),
    };
  }
  if (s.invocation_http_parameters) out.InvocationHttpParameters = s.invocation_http_parameters;
  return out;
}

/** What a deauthorized connection's secret keeps: everything but the credentials themselves. */
export function withoutCredentials(params: ConnectionCredentials): ConnectionCredentials {
  const out: ConnectionCredentials = { ...params };
  if (out.BasicAuthParameters)
    out.BasicAuthParameters = { Username: out.BasicAuthParameters.Username, Password: undefined };
  if (out.ApiKeyAuthParameters)
    out.ApiKeyAuthParameters = { ApiKeyName: out.ApiKeyAuthParameters.ApiKeyName, ApiKeyValue: undefined };
  if (out.OAuthParameters) {
    out.OAuthParameters = {
      ...out.OAuthParameters,
      ClientParameters: { ClientID: out.OAuthParameters.ClientParameters?.ClientID, ClientSecret: undefined },
    };
  }
  return out;
}

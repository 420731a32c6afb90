import type { ServiceDefinition, WireProtocol } from '../protocols/service.js';

export interface CredentialScope {
  accessKeyId: string;
  region: string;
  service: string;
}

/** Reads the SigV4 credential scope from the Authorization header or a presigned URL's query. */
export function credentialScope(
  authorization: string | undefined,
  query: URLSearchParams,
): CredentialScope | undefined {
  let credential: string | null = null;
  if (authorization) {
    const at = authorization.indexOf('Credential=');
    if (at >= 0) {
      const start = at + 'Credential='.length;
      let end = authorization.indexOf(',', start);
      if (end < 0) end = authorization.length;
      credential = authorization.slice(start, end).trim();
    }
  }
  credential ??= query.get('X-Amz-Credential');
  // <access key>/<yyyymmdd>/<region>/<service>/aws4_request
  const parts = credential?.split('/');
  if (parts?.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  return { accessKeyId: parts[0], region: parts[2], service: parts[3] };
}

export interface Route {
  service: ServiceDefinition;
  protocol: WireProtocol;
  operation: string;
}

export interface RouteInput {
  scope?: CredentialScope;
  target?: string;
  action?: string;
  version?: string;
  path: string;
}

/**
 * Picks the service in a stated order: the credential scope's service, then
 * X-Amz-Target, then Action with Version, then the path. Action alone is
 * ambiguous (SQS and SNS both have AddPermission), hence Version.
 */
export function route(services: readonly ServiceDefinition[], input: RouteInput): Route | undefined {
  const protocolOf = (): { protocol: WireProtocol; operation: string } | undefined => {
    if (input.target) {
      const dot = input.target.lastIndexOf('.');
      return { protocol: 'json', operation: input.target.slice(dot + 1) };
    }
    if (input.action) return { protocol: 'query', operation: input.action };
    return undefined;
  };
  const how = protocolOf();
  if (!how) return undefined;
  const pick = (service: ServiceDefinition | undefined): Route | undefined => {
    if (!service) return undefined;
    if (how.protocol === 'json' && !service.json) return undefined;
    if (how.protocol === 'query' && !service.query) return undefined;
    return { service, ...how };
  };
  if (input.scope) {
    const byScope = pick(services.find((s) => s.signingName === input.scope!.service));
    if (byScope) return byScope;
  }
  if (input.target) {
    const prefix = input.target.slice(0, input.target.lastIndexOf('.'));
    const byTarget = pick(services.find((s) => s.json?.targetPrefix === prefix));
    if (byTarget) return byTarget;
  }
  if (input.action && input.version) {
    const byVersion = pick(services.find((s) => s.query?.version === input.version));
    if (byVersion) return byVersion;
  }
  if (/^\/\d{12}\/[^/]+$/.test(input.path)) return pick(services.find((s) => s.name === 'sqs'));
  return undefined;
}

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
export class Router {
  private readonly bySigningName = new Map<string, ServiceDefinition>();
  private readonly byTargetPrefix = new Map<string, ServiceDefinition>();
  private readonly byQueryVersion = new Map<string, ServiceDefinition>();
  private readonly sqs?: ServiceDefinition;

  constructor(services: readonly ServiceDefinition[]) {
    for (const s of services) {
      this.bySigningName.set(s.signingName, s);
      if (s.json) this.byTargetPrefix.set(s.json.targetPrefix, s);
      if (s.query) this.byQueryVersion.set(s.query.version, s);
    }
    this.sqs = services.find((s) => s.name === 'sqs');
  }

  route(input: RouteInput): Route | undefined {
    const { target, action } = input;
    let protocol: WireProtocol;
    let operation: string;
    if (target) {
      protocol = 'json';
      operation = target.slice(target.lastIndexOf('.') + 1);
    } else if (action) {
      protocol = 'query';
      operation = action;
    } else {
      return undefined;
    }
    const speaks = (service: ServiceDefinition | undefined): service is ServiceDefinition =>
      service !== undefined && (protocol === 'json' ? service.json : service.query) !== undefined;
    let service: ServiceDefinition | undefined = input.scope && this.bySigningName.get(input.scope.service);
    if (!speaks(service) && target)
      service = this.byTargetPrefix.get(target.slice(0, target.lastIndexOf('.')));
    if (!speaks(service) && action && input.version) service = this.byQueryVersion.get(input.version);
    if (!speaks(service) && /^\/\d{12}\/[^/]+$/.test(input.path)) service = this.sqs;
    return speaks(service) ? { service, protocol, operation } : undefined;
  }
}

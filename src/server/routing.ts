import type { IncomingHttpHeaders } from 'node:http';
import { accountForAccessKey, type Caller } from '../core/accounts.js';
import type { RestService } from '../protocols/rest-dispatch.js';
import { virtualHostBucket } from '../protocols/rest-router.js';
import type { ServiceDefinition, WireProtocol } from '../protocols/service.js';

export interface CredentialScope {
  accessKeyId: string;
  region: string;
  service: string;
  /** Who calls, derived once per distinct credential: a client repeats the same one on every call. */
  caller: Caller;
}

const scopes = new Map<string, CredentialScope | undefined>();
const SCOPES_LIMIT = 10_000;

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
  if (!credential) return undefined;
  const known = scopes.get(credential);
  if (known !== undefined || scopes.has(credential)) return known;
  if (scopes.size >= SCOPES_LIMIT) scopes.clear();
  // <access key>/<yyyymmdd>/<region>/<service>/aws4_request
  const parts = credential.split('/');
  const scope =
    parts.length === 5 && parts[4] === 'aws4_request'
      ? {
          accessKeyId: parts[0],
          region: parts[2],
          service: parts[3],
          caller: { account: accountForAccessKey(parts[0]), region: parts[2], accessKeyId: parts[0] },
        }
      : undefined;
  scopes.set(credential, scope);
  return scope;
}

export interface Route {
  service: ServiceDefinition;
  protocol: WireProtocol;
  operation: string;
}

export interface RestRoute {
  service: ServiceDefinition;
  rest: RestService;
  scope?: CredentialScope;
  /**
   * An unsigned path-style request the service may not own (an OPTIONS preflight): the service's
   * `claims` decides once it is loaded, and an unclaimed request is answered as an RPC one.
   */
  tentative?: boolean;
}

const NO_QUERY: URLSearchParams = new URLSearchParams();
/** A queue URL's path, which SQS's query clients post to (and browsers preflight). */
const SQS_QUEUE_PATH = /^\/\d{12}\/[^/]+$/;

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
  /** Actions a service answers without Version: the unsigned links it hands out (SNS SubscribeURL, UnsubscribeURL). */
  private readonly byOwnAction = new Map<string, ServiceDefinition | null>();
  private readonly sqs?: ServiceDefinition;
  private readonly restBySigningName = new Map<string, ServiceDefinition>();
  /** The REST service that takes a virtual-hosted bucket in the Host (S3). */
  private readonly byBucketHost?: ServiceDefinition;
  /** Some service speaks REST: only then does a request's head get looked at before its body. */
  readonly hasRest: boolean;

  constructor(services: readonly ServiceDefinition[]) {
    for (const s of services) {
      this.bySigningName.set(s.signingName, s);
      if (s.rest) this.restBySigningName.set(s.signingName, s);
      if (s.json) this.byTargetPrefix.set(s.json.targetPrefix, s);
      if (s.query) this.byQueryVersion.set(s.query.version, s);
      for (const name of s.unversionedActions ?? [])
        this.byOwnAction.set(name, this.byOwnAction.has(name) ? null : s);
    }
    this.sqs = services.find((s) => s.name === 'sqs');
    this.byBucketHost = services.find((s) => s.rest?.s3);
    this.hasRest = this.restBySigningName.size > 0;
  }

  /**
   * The REST service a request is for, from its head alone (its body is still unread): the
   * credential scope's service (Authorization, or a presigned URL's X-Amz-Credential), else, for
   * an unsigned request, a virtual-hosted bucket in the Host. An unsigned request that names an
   * RPC operation (an SNS confirmation link followed from a `*.localhost` endpoint) stays RPC.
   */
  routeRest(headers: IncomingHttpHeaders, url: string, method = 'GET'): RestRoute | undefined {
    const authorization = headers.authorization;
    let query = NO_QUERY;
    const mark = url.indexOf('?');
    if (authorization === undefined && mark >= 0) query = new URLSearchParams(url.slice(mark + 1));
    const scope = credentialScope(authorization, query);
    if (scope) {
      const service = this.restBySigningName.get(scope.service);
      return service?.rest && { service, rest: service.rest, scope };
    }
    const service = this.byBucketHost;
    if (!service?.rest || query.has('Action') || headers['x-amz-target'] !== undefined) return undefined;
    // S3's own signature version 2, in the header (`AWS <key>:<signature>`) or a presigned query.
    if (authorization?.startsWith('AWS ') || (query.has('AWSAccessKeyId') && query.has('Signature')))
      return { service, rest: service.rest };
    const host = headers[':authority'] ?? headers.host;
    if (virtualHostBucket(typeof host === 'string' ? host : undefined) !== undefined)
      return { service, rest: service.rest };
    // A browser's preflight is unsigned: on a path that could name a bucket, S3 decides.
    const path = mark < 0 ? url : url.slice(0, mark);
    if (method === 'OPTIONS' && authorization === undefined && path !== '/' && !SQS_QUEUE_PATH.test(path))
      return { service, rest: service.rest, tentative: true };
    return undefined;
  }

  route(input: RouteInput): Route | undefined {
    const { target, action } = input;
    let protocol: WireProtocol;
    let operation: string;
    // Targets hold one dot: <prefix>.<operation>.
    const dot = target ? target.indexOf('.') : -1;
    if (target) {
      protocol = 'json';
      operation = target.slice(dot + 1);
    } else if (action) {
      protocol = 'query';
      operation = action;
    } else {
      return undefined;
    }
    const speaks = (service: ServiceDefinition | undefined): service is ServiceDefinition =>
      service !== undefined && (protocol === 'json' ? service.json : service.query) !== undefined;
    let service: ServiceDefinition | undefined = input.scope && this.bySigningName.get(input.scope.service);
    if (!speaks(service) && target) service = this.byTargetPrefix.get(target.slice(0, dot));
    if (!speaks(service) && action && input.version) service = this.byQueryVersion.get(input.version);
    if (!speaks(service) && SQS_QUEUE_PATH.test(input.path)) service = this.sqs;
    if (!speaks(service) && action && !input.scope) service = this.byOwnAction.get(action) ?? undefined;
    return speaks(service) ? { service, protocol, operation } : undefined;
  }
}

import type { HttpReply } from '../../protocols/service.js';
import { s3Error, s3Failure } from './errors.js';

/**
 * Bucket CORS as S3 applies it: the rules PutBucketCors stores, a preflight (OPTIONS) answered
 * from the first rule that allows its origin, method and headers, and the same rule's headers on
 * an actual request that names an Origin. Nothing is sent for a request no rule allows.
 */

export interface CorsRule {
  ID?: string;
  AllowedHeaders?: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

export const MAX_CORS_RULES = 100;
const METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

const invalidRequest = (message: string) => s3Failure('InvalidRequest', 400, message);

/** Checks PutBucketCors's configuration as S3 does and returns its rules as stored. */
export function validCorsRules(configuration: unknown): CorsRule[] {
  const rules = (configuration as { CORSRules?: unknown } | undefined)?.CORSRules;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > MAX_CORS_RULES)
    throw s3Error.malformedXml();
  return rules.map((raw) => {
    const rule = raw as Partial<CorsRule>;
    if (!isStringList(rule.AllowedMethods) || !isStringList(rule.AllowedOrigins))
      throw s3Error.malformedXml();
    if (rule.AllowedMethods.length === 0 || rule.AllowedOrigins.length === 0) throw s3Error.malformedXml();
    for (const method of rule.AllowedMethods) {
      if (!METHODS.has(method))
        throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
    }
    for (const origin of rule.AllowedOrigins) {
      if (wildcards(origin) > 1)
        throw invalidRequest(`AllowedOrigin "${origin}" can not have more than one wildcard.`);
    }
    for (const header of rule.AllowedHeaders ?? []) {
      if (wildcards(header) > 1)
        throw invalidRequest(`AllowedHeader "${header}" can not have more than one wildcard.`);
    }
    if (rule.ID !== undefined && rule.ID.length > 255)
      throw invalidRequest('The ID of a CORS rule must be no longer than 255 characters.');
    return stripUndefined(rule as CorsRule);
  });
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function wildcards(text: string): number {
  return text.split('*').length - 1;
}

function stripUndefined(rule: CorsRule): CorsRule {
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as unknown as CorsRule;
}

/** `*` matches any run of characters, once; everything else literally. */
function wildcardMatch(pattern: string, value: string, caseless: boolean): boolean {
  const p = caseless ? pattern.toLowerCase() : pattern;
  const v = caseless ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The requested header names of a preflight, lower-cased, in order. */
function requestedHeaders(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

interface Match {
  rule: CorsRule;
  /** The rule allows any origin: the answer names `*` and no credentials. */
  anyOrigin: boolean;
}

function matchRule(rules: CorsRule[], origin: string, method: string, headers: string[]): Match | undefined {
  for (const rule of rules) {
    const origins = rule.AllowedOrigins.filter((o) => wildcardMatch(o, origin, false));
    if (origins.length === 0 || !rule.AllowedMethods.includes(method)) continue;
    const allowed = rule.AllowedHeaders ?? [];
    if (!headers.every((h) => allowed.some((a) => wildcardMatch(a, h, true)))) continue;
    return { rule, anyOrigin: origins.includes('*') };
  }
  return undefined;
}

function ruleHeaders({ rule, anyOrigin }: Match, origin: string): Record<string, string> {
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.AllowedMethods.join(', '),
    vary: VARY,
  };
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (rule.ExposeHeaders && rule.ExposeHeaders.length > 0)
    headers['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.MaxAgeSeconds);
  return headers;
}

function forbidden(message: string, method: string, resourceType: 'BUCKET' | 'OBJECT') {
  return s3Failure('AccessForbidden', 403, `CORSResponse: ${message}`, {
    Method: method,
    ResourceType: resourceType,
  });
}

export interface PreflightRequest {
  origin?: string;
  /** Access-Control-Request-Method. */
  method?: string;
  /** Access-Control-Request-Headers. */
  headers?: string;
  /** Whether the path names a key (the errors say OBJECT) or only the bucket. */
  object: boolean;
}

/**
 * The answer to an OPTIONS request on a bucket or object: the matching rule's headers, or S3's
 * 400 without an Origin and 403 without a configuration, a bucket or a matching rule.
 */
export function preflightAnswer(
  request: PreflightRequest,
  bucketExists: boolean,
  rules: CorsRule[] | undefined,
): Record<string, string> {
  if (!request.origin)
    throw s3Failure('BadRequest', 400, 'Insufficient information. Origin request header needed.');
  const resourceType = request.object ? 'OBJECT' : 'BUCKET';
  const method = request.method ?? 'OPTIONS';
  if (!bucketExists) throw forbidden('Bucket not found', method, 'BUCKET');
  // Without a configuration AWS names the bucket as the resource, even on an object's URL.
  if (!rules || rules.length === 0) throw forbidden('CORS is not enabled for this bucket.', method, 'BUCKET');
  const asked = requestedHeaders(request.headers);
  const match =
    request.method === undefined ? undefined : matchRule(rules, request.origin, request.method, asked);
  if (!match)
    throw forbidden(
      "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      method,
      resourceType,
    );
  const headers = ruleHeaders(match, request.origin);
  if (asked.length > 0) headers['access-control-allow-headers'] = asked.join(', ');
  return headers;
}

/** Adds the headers of the rule allowing an actual request's origin and method, if one does. */
export function decorateActual(
  reply: HttpReply,
  origin: string,
  method: string,
  rules: CorsRule[] | undefined,
): void {
  if (!rules) return;
  const match = matchRule(rules, origin, method, []);
  if (match) Object.assign(reply.headers, ruleHeaders(match, origin));
}

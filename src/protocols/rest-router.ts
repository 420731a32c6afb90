import type { HttpBinding, StructureShape } from './shapes.js';

/**
 * Matches a REST request (method, path, query) to one of a service's operations by the URI
 * templates of their HTTP bindings, most specific first: more literal path segments, then no
 * greedy label, then more required query literals (`?uploads`, `?list-type=2`), as AWS's own
 * front ends pick `POST /{Bucket}/{Key+}?uploads` over `POST /{Bucket}/{Key+}`.
 */

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  operation: string;
  method: string;
  segments: Segment[];
  /** Query keys the template requires, with the value it requires when it names one. */
  query: ReadonlyArray<readonly [string, string | undefined]>;
  literals: number;
  greedy: boolean;
  /** Headers the operation's input requires (S3's CopyObject: x-amz-copy-source), lower-cased. */
  headers: string[];
  /** Query keys the input requires beyond the template's (S3's AbortMultipartUpload: uploadId). */
  required: string[];
}

export interface RouteMatch {
  operation: string;
  /** Label values, percent-decoded; a greedy label keeps its slashes. */
  labels: Record<string, string>;
}

export interface RestRouter {
  /**
   * With `headers`, a route whose required header or query value is absent yields to another
   * that fits (S3's PutObject and CopyObject share `PUT /{Bucket}/{Key+}`, told apart by
   * x-amz-copy-source; DeleteObject and AbortMultipartUpload by uploadId).
   */
  match(
    method: string,
    path: string,
    query: URLSearchParams,
    headers?: Record<string, string | string[] | undefined>,
  ): RouteMatch | undefined;
  /** True when some operation's template fits the path under another method (S3's 405). */
  pathKnown(path: string, query: URLSearchParams): boolean;
}

function requiredLocated(input: StructureShape | undefined, location: 'header' | 'querystring'): string[] {
  if (!input) return [];
  return input.required.flatMap((name) => {
    const member = input.members[name];
    if (member?.location !== location) return [];
    const wire = member.locationName ?? name;
    return [location === 'header' ? wire.toLowerCase() : wire];
  });
}

function parseTemplate(operation: string, http: HttpBinding, input?: StructureShape): Route {
  const [pathPart, queryPart = ''] = http.requestUri.split('?', 2);
  const segments: Segment[] = [];
  let literals = 0;
  let greedy = false;
  for (const raw of pathPart.split('/').slice(1)) {
    if (raw === '') continue;
    const label = /^\{([^}+]+)(\+?)\}$/.exec(raw);
    if (label) {
      segments.push({ label: label[1], greedy: label[2] === '+' });
      if (label[2] === '+') greedy = true;
    } else {
      segments.push({ literal: raw });
      literals++;
    }
  }
  const query: Array<readonly [string, string | undefined]> = [];
  for (const pair of queryPart.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    query.push(eq < 0 ? [pair, undefined] : [pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  return {
    operation,
    method: http.method.toUpperCase(),
    segments,
    query,
    literals,
    greedy,
    headers: requiredLocated(input, 'header'),
    required: requiredLocated(input, 'querystring'),
  };
}

function moreSpecific(a: Route, b: Route): number {
  return (
    b.literals - a.literals ||
    Number(a.greedy) - Number(b.greedy) ||
    b.query.length - a.query.length ||
    b.segments.length - a.segments.length
  );
}

/** Splits a raw path into percent-decoded segments; undefined when an escape is malformed. */
function pathSegments(path: string): string[] | undefined {
  const raw = path.split('/').slice(1);
  try {
    return raw.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function matchRoute(
  route: Route,
  segments: string[],
  query: URLSearchParams,
): Record<string, string> | undefined {
  for (const [key, value] of route.query) {
    const actual = query.get(key);
    if (actual === null || (value !== undefined && actual !== value)) return undefined;
  }
  const labels: Record<string, string> = {};
  let i = 0;
  for (const segment of route.segments) {
    if ('literal' in segment) {
      if (segments[i] !== segment.literal) return undefined;
      i++;
    } else if (segment.greedy) {
      const rest = segments.slice(i).join('/');
      if (rest === '') return undefined;
      labels[segment.label] = rest;
      i = segments.length;
    } else {
      if (segments[i] === undefined || segments[i] === '') return undefined;
      labels[segment.label] = segments[i];
      i++;
    }
  }
  // Nothing may be left over but the empty segment of a trailing slash.
  while (i < segments.length) if (segments[i++] !== '') return undefined;
  return labels;
}

/** Builds the matcher once per service from its operations' bindings. */
export function restRouter(
  operations: Record<string, { http?: HttpBinding; input?: StructureShape }>,
): RestRouter {
  const routes: Route[] = [];
  for (const [name, op] of Object.entries(operations)) {
    if (op.http) routes.push(parseTemplate(name, op.http, op.input));
  }
  routes.sort(moreSpecific);
  return {
    match(method, path, query, headers) {
      const segments = pathSegments(path);
      if (!segments) return undefined;
      const upper = method.toUpperCase();
      let lacking: RouteMatch | undefined;
      for (const route of routes) {
        if (route.method !== upper) continue;
        const labels = matchRoute(route, segments, query);
        if (!labels) continue;
        if (
          headers &&
          (route.headers.some((h) => headers[h] === undefined) || route.required.some((q) => !query.has(q)))
        ) {
          lacking ??= { operation: route.operation, labels };
          continue;
        }
        return { operation: route.operation, labels };
      }
      return lacking;
    },
    pathKnown(path, query) {
      const segments = pathSegments(path);
      return (
        segments !== undefined && routes.some((route) => matchRoute(route, segments, query) !== undefined)
      );
    },
  };
}

/**
 * The bucket of a virtual-hosted S3 request, from its Host: `<bucket>.s3.<anything>`
 * (`b.s3.localhost.localstack.cloud`, `b.s3.us-east-1.amazonaws.com`) or `<bucket>.localhost`.
 * Undefined for path-style hosts (`localhost`, `s3.localhost`, an IP address).
 */
export function virtualHostBucket(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  if (/^[\d.]+$/.test(name) || name.startsWith('[')) return undefined;
  const s3 = name.indexOf('.s3.');
  if (s3 > 0) return name.slice(0, s3);
  if (name.endsWith('.localhost')) {
    const bucket = name.slice(0, -'.localhost'.length);
    return bucket === 's3' ? undefined : bucket;
  }
  return undefined;
}

/**
 * The request path as the URI templates see it: a virtual-hosted bucket moves from the Host
 * to the first segment, so one set of templates (`/{Bucket}/{Key+}`) serves both styles.
 */
export function s3TemplatePath(host: string | undefined, path: string): string {
  const bucket = virtualHostBucket(host);
  return bucket === undefined ? path : `/${encodeURIComponent(bucket)}${path === '/' ? '' : path}`;
}

import type { ServerResponse } from 'node:http';
import { accountForAccessKey, type Caller } from '../core/accounts.js';
import type { Clock } from '../core/clock.js';
import { newRequestId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { CBOR_CONTENT_TYPE } from '../protocols/cbor.js';
import { dispatchCbor, dispatchJson, dispatchQuery } from '../protocols/dispatch.js';
import { ServiceError } from '../protocols/errors.js';
import { parseForm, type QueryParams } from '../protocols/query.js';
import type {
  HttpReply,
  RequestContext,
  RestProtocol,
  ServiceDefinition,
  WireProtocol,
} from '../protocols/service.js';
import { type AdminHost, handleAdmin } from './admin.js';
import { addCorsHeaders, isPreflight, preflightReply } from './cors.js';
import type { AnyRequest, AnyResponse } from './listener.js';
import { credentialScope, type RestRoute, type Route, Router } from './routing.js';
import { errorInLook, requestLook, unroutedReply } from './unrouted.js';

const NO_QUERY: URLSearchParams = new URLSearchParams();
const NO_BODY: Buffer = Buffer.alloc(0);

/** Far above any valid request (SQS batches stop at 1 MiB), low enough to refuse abuse early. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Text answers longer than this are turned into bytes before writing (see respond). */
const LARGE_TEXT_BODY = 16 * 1024;

export interface AppOptions {
  services: ServiceDefinition[];
  clock: Clock;
  log: Logger;
  region: string;
  admin: AdminHost;
  /** Services that answer browsers (CORS): their answers carry the CORS headers, and preflights are answered. */
  cors?: ReadonlySet<string>;
  /** Used when a request carries no Host header. */
  fallbackHost: () => string;
  /** Documents served by GET at a fixed path, as AWS serves them (the SNS signing certificate). */
  documents?: Record<string, () => HttpReply | Promise<HttpReply>>;
}

/** Turns one HTTP request into a service call: read, route, dispatch, answer. */
export function createRequestHandler(options: AppOptions) {
  const debug = options.log.isLevelEnabled('debug');
  const anonymous: Caller = { account: accountForAccessKey(undefined), region: options.region };
  const router = new Router(options.services);
  const cors = options.cors ?? new Set<string>();
  const anyRest = router.hasRest;
  return (req: AnyRequest, res: AnyResponse): void => {
    const started = debug ? performance.now() : 0;
    const requestId = newRequestId();
    // A REST request is picked from its head, before any of its body is read: an upload streams
    // to its handler, never capped or held whole as the RPC bodies below are.
    const rest = anyRest ? restRoute(options, router, req) : undefined;
    if (rest) {
      serveRest(options, cors, anonymous, rest, req, res, requestId, router).then(
        (handled) => respond(options.log, debug, req, res, requestId, started, handled),
        (err: unknown) =>
          respond(options.log, debug, req, res, requestId, started, failed(options.log, err, requestId)),
      );
      return;
    }
    // Nearly every body comes in one chunk: no array unless a second one does.
    let first: Buffer | undefined;
    let more: Buffer[] | undefined;
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else if (first === undefined) first = chunk;
      else if (more === undefined) more = [first, chunk];
      else more.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const body = more ? Buffer.concat(more) : (first ?? NO_BODY);
      let handled: Handled | Promise<Handled>;
      try {
        handled = handle(options, cors, router, anonymous, req, res, body, requestId, tooLarge);
      } catch (err) {
        handled = failed(options.log, err, requestId);
      }
      // A call that had nothing to wait for (an in-memory SendMessage) is answered right here.
      if (handled instanceof Promise) {
        handled.then(
          (h) => respond(options.log, debug, req, res, requestId, started, h),
          (err: unknown) =>
            respond(options.log, debug, req, res, requestId, started, failed(options.log, err, requestId)),
        );
      } else {
        respond(options.log, debug, req, res, requestId, started, handled);
      }
    });
  };
}

function respond(
  log: Logger,
  debug: boolean,
  req: AnyRequest,
  res: AnyResponse,
  requestId: string,
  started: number,
  { reply, service, operation, cors, rest }: Handled,
): void {
  if (res.destroyed) {
    // The client left before the answer began: a streamed body lets go of what it holds (an S3
    // read keeps its object's bodies until it ends).
    const stop = reply.stream?.[Symbol.asyncIterator]().return?.();
    stop?.catch(() => {});
    return;
  }
  // A REST answer carries its request id as its protocol does (S3: x-amz-request-id).
  if (!rest) reply.headers['x-amzn-requestid'] = requestId;
  if (cors && req.headers.origin !== undefined) addCorsHeaders(reply.headers);
  if (reply.stream) {
    res.writeHead(reply.status, reply.headers);
    pump(reply.stream, res, log, requestId);
    return;
  }
  // A large answer goes out as bytes: Node would otherwise join the head and the text into one
  // more string (a copy of the whole answer on the heap) before writing them.
  const body =
    typeof reply.body === 'string' && reply.body.length > LARGE_TEXT_BODY
      ? Buffer.from(reply.body)
      : reply.body;
  // Without a length, a response whose head is written first goes out chunked: more bytes,
  // and several writes where one will do. A HEAD answer keeps the length of what GET would send.
  if (!(rest && req.method === 'HEAD' && reply.headers['content-length'] !== undefined))
    reply.headers['content-length'] = String(
      typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    );
  res.writeHead(reply.status, reply.headers);
  res.end(body);
  if (debug) {
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    const { method, url: path } = req;
    log.debug({ requestId, method, path, service, operation, status: reply.status, ms }, 'request');
  }
}

/**
 * Writes a streamed answer piece by piece, waiting when the client reads slowly, and stops
 * producing when the client goes away.
 */
async function pump(stream: AsyncIterable<Uint8Array>, res: AnyResponse, log: Logger, requestId: string) {
  const iterator = stream[Symbol.asyncIterator]();
  // One wait at a time, which the close wakes. Racing every step against one long-lived "gone"
  // promise would keep each step's result (every piece of a body) reachable until the answer
  // ended: a 1 GiB download held 1 GiB.
  let closed = false;
  let wake: (() => void) | undefined;
  res.once('close', () => {
    closed = true;
    wake?.();
  });
  const orGone = <T>(step: Promise<T>): Promise<T | undefined> => {
    if (closed) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve, reject) => {
      wake = () => resolve(undefined);
      step.then(resolve, reject);
    }).finally(() => {
      wake = undefined;
    });
  };
  try {
    for (;;) {
      const next = await orGone(iterator.next());
      if (!next || next.done || res.destroyed) break;
      // Each event goes out at once: a consumer waits on it.
      if (!(res as ServerResponse).write(next.value)) {
        await orGone(new Promise((resolve) => res.once('drain', resolve)));
      }
    }
  } catch (err) {
    log.error({ err, requestId }, 'streamed answer failed');
  } finally {
    iterator.return?.();
    if (!res.destroyed) res.end();
  }
}

interface Handled {
  reply: HttpReply;
  service?: string;
  operation?: string;
  /** The answer carries CORS headers when the request has an Origin. */
  cors?: boolean;
  /** Answered by a REST service, whose reply already names its request id. */
  rest?: boolean;
}

/** The REST service a request is for, or none: admin paths and fixed documents are never REST. */
function restRoute(options: AppOptions, router: Router, req: AnyRequest): RestRoute | undefined {
  const url = req.url ?? '/';
  if (url.startsWith('/_tideway/')) return undefined;
  const found = router.routeRest(req.headers, url, req.method);
  if (!found || !options.documents) return found;
  const mark = url.indexOf('?');
  return Object.hasOwn(options.documents, mark < 0 ? url : url.slice(0, mark)) ? undefined : found;
}

/**
 * One REST request: the service matches its operation by method and URI template and reads the
 * body itself, as a stream. Whatever of the body its handler left unread (an error answered
 * before the upload ended) is drained, so the connection serves the next request.
 */
async function serveRest(
  options: AppOptions,
  cors: ReadonlySet<string>,
  anonymous: Caller,
  { service, rest, scope, tentative }: RestRoute,
  req: AnyRequest,
  res: AnyResponse,
  requestId: string,
  router: Router,
): Promise<Handled> {
  req.on('error', () => res.destroy());
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  const ctx = new Context(
    requestId,
    scope?.caller ?? anonymous,
    header(req.headers[':authority']) ?? header(req.headers.host) ?? options.fallbackHost(),
    'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted),
    rest.protocol,
    mark < 0 ? url : url.slice(0, mark),
    options.log,
    res,
    '',
  );
  // The REST codecs (and the XML parser behind them) load with the first REST request: a server
  // with no REST service never pays for them at start-up.
  const { dispatchRest, restError } = await import('../protocols/rest-dispatch.js');
  let reply: HttpReply;
  try {
    if (service.load) await service.load();
    // A preflight on a path the service does not own (another REST service's) is answered as before.
    if (tentative && !rest.claims?.(mark < 0 ? url : url.slice(0, mark))) {
      req.resume();
      return handle(options, cors, router, anonymous, req, res, NO_BODY, requestId, false);
    }
    reply = await dispatchRest(
      rest,
      // A handler that stops reading early must not destroy the request: that would close the
      // connection before its (error) answer is written.
      {
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body: req.iterator({ destroyOnReturn: false }),
      },
      ctx,
    );
  } catch (err) {
    options.log.error({ err, requestId }, 'request failed');
    const failure = new ServiceError('InternalFailure', `Request ${requestId} failed.`, { status: 500 });
    reply = restError(rest, failure, requestId, req.method === 'HEAD');
  }
  if (!req.complete) req.resume();
  return { reply, service: service.name, operation: ctx.operation, cors: cors.has(service.name), rest: true };
}

function failed(log: Logger, err: unknown, requestId: string): Handled {
  log.error({ err, requestId }, 'request failed');
  return {
    reply: {
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ __type: 'InternalFailure', message: `Request ${requestId} failed.` }),
    },
  };
}

/** Not async: see dispatch.ts's `run`. What it throws, the caller answers as an internal error. */
function handle(
  options: AppOptions,
  cors: ReadonlySet<string>,
  router: Router,
  anonymous: Caller,
  req: AnyRequest,
  res: AnyResponse,
  body: Buffer,
  requestId: string,
  tooLarge: boolean,
): Handled | Promise<Handled> {
  const rawUrl = req.url ?? '/';
  const mark = rawUrl.indexOf('?');
  const pathname = mark < 0 ? rawUrl : rawUrl.slice(0, mark);
  const search = mark < 0 ? NO_QUERY : new URLSearchParams(rawUrl.slice(mark + 1));
  const method = req.method ?? 'GET';
  if (pathname.startsWith('/_tideway/')) {
    return handleAdmin(options.admin, method, pathname, body, search).then((reply) => ({
      reply,
      service: 'admin',
    }));
  }
  if (method === 'GET' && options.documents && Object.hasOwn(options.documents, pathname)) {
    const reply = options.documents[pathname]();
    if (reply instanceof Promise) return reply.then((r) => ({ reply: r, service: 'documents' }));
    return { reply, service: 'documents' };
  }
  const headers = req.headers;
  // Unrouted answers serve browsers too when any service does: a page must be able to read them.
  const anyCors = cors.size > 0;
  if (anyCors && isPreflight(method, headers)) return { reply: preflightReply(headers), service: 'cors' };
  const target = header(headers['x-amz-target']);
  const contentType = header(headers['content-type']) ?? '';
  const form = contentType.startsWith('application/x-www-form-urlencoded');
  if (tooLarge) {
    const action = search.get('Action') ?? undefined;
    const look = requestLook({ method, target, contentType, accept: header(headers.accept), action, form });
    const message = `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`;
    return {
      reply: errorInLook(look, requestId, contentType, 413, 'RequestEntityTooLarge', message),
      cors: anyCors,
    };
  }
  let params: QueryParams | undefined;
  if (!target) {
    params = new Map(search);
    if (form || (method === 'POST' && !contentType)) {
      for (const [k, v] of parseForm(body.toString('utf8'))) params.set(k, v);
    }
  }
  const scope = credentialScope(header(headers.authorization), search);
  const found = router.route({
    scope,
    target,
    action: params?.get('Action'),
    version: params?.get('Version'),
    path: pathname,
  });
  if (!found) {
    const action = params?.get('Action');
    const look = requestLook({ method, target, contentType, accept: header(headers.accept), action, form });
    return { reply: unroutedReply(look, requestId, { action, contentType }), cors: anyCors };
  }
  const host = header(headers[':authority']) ?? header(headers.host) ?? options.fallbackHost();
  const secure = 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const ctx = new Context(
    requestId,
    scope?.caller ?? anonymous,
    host,
    secure,
    found.protocol,
    pathname,
    options.log,
    res,
    found.operation,
  );
  const service = found.service.name;
  const operation = found.operation;
  const withCors = cors.has(service);
  const load = found.service.load;
  if (load) {
    return load().then(() =>
      Promise.resolve(dispatch(found, contentType, body, params, ctx)).then((reply) => ({
        reply,
        service,
        operation,
        cors: withCors,
      })),
    );
  }
  const reply = dispatch(found, contentType, body, params, ctx);
  if (reply instanceof Promise) return reply.then((r) => ({ reply: r, service, operation, cors: withCors }));
  return { reply, service, operation, cors: withCors };
}

function dispatch(
  found: Route,
  contentType: string,
  body: Buffer,
  params: QueryParams | undefined,
  ctx: Context,
): HttpReply | Promise<HttpReply> {
  if (found.protocol === 'query') return dispatchQuery(found.service, found.operation, params!, ctx);
  // One flag read for services without CBOR; the content type is looked at only for those with it.
  return found.service.json!.cbor && contentType.startsWith(CBOR_CONTENT_TYPE)
    ? dispatchCbor(found.service, found.operation, body, ctx)
    : dispatchJson(found.service, found.operation, body, ctx);
}

/**
 * A class rather than an object literal: a literal with a getter keeps V8 from
 * optimising the function that builds it, which cost every request several µs.
 */
class Context implements RequestContext {
  constructor(
    readonly requestId: string,
    readonly caller: Caller,
    private readonly host: string,
    readonly secure: boolean,
    readonly protocol: WireProtocol | RestProtocol,
    readonly path: string,
    readonly log: Logger,
    private readonly res: AnyResponse,
    /** A REST request's is known once its URI template is matched. */
    public operation: string,
  ) {}

  private controller: AbortController | undefined = undefined;

  // Built when asked: few calls hand back a URL.
  get baseUrl(): string {
    return this.secure ? `https://${this.host}` : `http://${this.host}`;
  }

  // Only a call that waits (a long poll) asks for the signal; most requests never pay for it.
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = new AbortController();
      const res = this.res;
      // Closed before we ended the answer: the client went away. (Not writableFinished: an HTTP/2
      // stream the client reset reports itself finished.)
      res.on('close', () => {
        if (!res.writableEnded) controller.abort();
      });
      this.controller = controller;
    }
    return this.controller.signal;
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

import { randomBytes } from 'node:crypto';
import { isAwsChunked } from './aws-chunked.js';
import { CORAL, isServiceError, ServiceError } from './errors.js';
import { decodeLocated, encodeLocated, inBody, type RequestParts } from './http-bindings.js';
import { readAll, requestBody } from './rest-checksums.js';
import {
  decodeJsonBody,
  decodeJsonValue,
  encodeJsonBody,
  encodeJsonValue,
  parseJsonDocument,
  REST_JSON_CONTENT_TYPE,
  restJsonError,
} from './rest-json.js';
import { type RestRouter, restRouter, s3TemplatePath } from './rest-router.js';
import {
  decodeXmlBody,
  decodeXmlPayload,
  encodeXmlDocument,
  parseXmlDocument,
  REST_XML_CONTENT_TYPE,
  restXmlErrorBody,
  s3ErrorBody,
} from './rest-xml.js';
import type { HttpReply, Operation, RequestContext } from './service.js';
import type { HttpBinding, Member, StructureShape, ValidationErrors } from './shapes.js';

/**
 * One REST request (restJson1 or restXml) from routing to answer: match the operation by its
 * HTTP binding, read the input from labels, query, headers and body, run the handler, and write
 * the output back into status, headers and body. A streaming payload reaches the handler as an
 * async iterable of the (aws-chunked-decoded, checksum-verified) body, and a streaming output is
 * sent as `HttpReply.stream`; neither is ever held whole.
 */

export interface RestOperation extends Operation {
  http: HttpBinding;
}

export interface RestService {
  name: string;
  protocol: 'rest-json' | 'rest-xml';
  operations: Record<string, RestOperation>;
  validation: ValidationErrors;
  /** The XML namespace of restXml documents and errors. */
  xmlNamespace?: string;
  /**
   * S3's own ways: the bucket may be in the Host, errors are `<Error>` at the root, the request
   * id travels in `x-amz-request-id` (with `x-amz-id-2`), bodies may be aws-chunked and their
   * declared checksums are verified.
   */
  s3?: boolean;
  /** The answer for a request no operation's template fits. */
  unknownOperation(method: string, path: string, pathKnown: boolean): ServiceError;
  /** The answer for a path with a malformed percent-escape (S3: InvalidURI); else unknownOperation's. */
  invalidUri?(): ServiceError;
  /** Largest body read whole for a non-streaming payload; a streamed one is not bounded here. */
  maxDocumentBytes?: number;
  /** Authentication checks on the request's head before it is routed (S3: a presigned URL's expiry). */
  admit?(head: RestHead, ctx: RequestContext): void;
  /** Access checks once the operation is known, before any of the body is read (S3: bucket policies). */
  authorize?(operation: string, labels: Record<string, string>, head: RestHead, ctx: RequestContext): void;
  /** The answer to an OPTIONS request (S3: a CORS preflight answered from the bucket's rules). */
  preflight?(head: RestHead, ctx: RequestContext): HttpReply;
  /** Whether an unsigned path-style request is this service's (S3: its first segment names a bucket). */
  claims?(path: string): boolean;
  /** Last touches on every answer, errors included (S3: the matching CORS rule's headers). */
  decorate?(head: RestHead, reply: HttpReply, ctx: RequestContext): void;
}

/** A request's head as a service's hooks see it: for S3 the virtual-hosted bucket is in the path. */
export interface RestHead {
  method: string;
  /** The template path, percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: RestRequest['headers'];
}

/**
 * An error carrying the modeled members AWS puts beside the code and message (S3's `<Key>`,
 * MSK's `invalidParameter`), keyed by their wire names.
 */
export class RestServiceError extends ServiceError {
  constructor(
    code: string,
    message: string,
    readonly fields: Record<string, unknown>,
    options: ConstructorParameters<typeof ServiceError>[2] = {},
  ) {
    super(code, message, options);
  }
}

/**
 * A handler's output may carry the HTTP status under this key when it depends on the answer
 * rather than on a modeled member (S3's 206 for a ranged GetObject).
 */
export const HTTP_STATUS = Symbol.for('tideway.rest.status');

export interface RestRequest {
  method: string;
  /** The request target: path and query, as received (percent-encoded). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as it arrives (a node:http IncomingMessage is one); not yet read. */
  body: AsyncIterable<Uint8Array>;
}

const routers = new WeakMap<RestService, RestRouter>();

function routerOf(service: RestService): RestRouter {
  let router = routers.get(service);
  if (!router) {
    router = restRouter(service.operations);
    routers.set(service, router);
  }
  return router;
}

const DEFAULT_DOCUMENT_LIMIT = 20 * 1024 * 1024;

export async function dispatchRest(
  service: RestService,
  request: RestRequest,
  ctx: RequestContext,
): Promise<HttpReply> {
  const head = request.method.toUpperCase() === 'HEAD';
  let restHead: RestHead | undefined;
  let reply: HttpReply;
  try {
    const q = request.url.indexOf('?');
    const rawPath = q < 0 ? request.url : request.url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1));
    // HTTP/2 names the host in its :authority pseudo-header.
    const host = request.headers.host ?? request.headers[':authority'];
    const path = service.s3 ? s3TemplatePath(typeof host === 'string' ? host : undefined, rawPath) : rawPath;
    restHead = { method: request.method.toUpperCase(), path, query, headers: request.headers };
    service.admit?.(restHead, ctx);
    if (service.preflight && restHead.method === 'OPTIONS') {
      reply = service.preflight(restHead, ctx);
      Object.assign(reply.headers, requestIdHeaders(service, ctx.requestId));
    } else {
      const router = routerOf(service);
      const route = router.match(request.method, path, query, request.headers);
      if (!route) {
        if (service.invalidUri && !wellEscaped(path)) throw service.invalidUri();
        throw service.unknownOperation(request.method, path, router.pathKnown(path, query));
      }
      const operation = service.operations[route.operation];
      ctx.operation = route.operation;
      service.authorize?.(route.operation, route.labels, restHead, ctx);
      const input = await decodeInput(
        service,
        operation,
        {
          labels: route.labels,
          query,
          headers: service.s3 ? withoutChunkedEncoding(request.headers) : request.headers,
        },
        // Only S3's clients frame bodies as aws-chunked and declare checksums, and the errors are S3's.
        service.s3
          ? requestBody(bodyChecksumHeaders(route.operation, request.headers), request.body, {
              md5ExpectedAsHex: route.operation === 'PutObject',
            })
          : request.body,
      );
      const output = (await operation.handle(input, ctx)) as Record<string, unknown> | undefined;
      reply = encodeOutput(service, operation, output ?? {}, ctx.requestId, head);
    }
  } catch (err) {
    reply = restError(service, toServiceError(err, ctx), ctx.requestId, head);
  }
  if (restHead && service.decorate) {
    try {
      service.decorate(restHead, reply, ctx);
    } catch (err) {
      ctx.log.error({ err }, 'answer decoration failed');
    }
  }
  return reply;
}

/**
 * The headers that describe the body's checksum. CompleteMultipartUpload's `x-amz-checksum-*`
 * headers name the whole object's checksum, which S3 checks against its parts, not the XML body.
 */
function bodyChecksumHeaders(operation: string, headers: RestRequest['headers']): RestRequest['headers'] {
  if (operation !== 'CompleteMultipartUpload') return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('x-amz-checksum-')));
}

function wellEscaped(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The headers as the object has them, without the aws-chunked framing: AWS drops `aws-chunked`
 * from Content-Encoding (S3 keeps `gzip` of `aws-chunked,gzip`) and reports the decoded length
 * as the Content-Length.
 */
function withoutChunkedEncoding(headers: RestRequest['headers']): RestRequest['headers'] {
  if (!isAwsChunked(headers)) return headers;
  const encoding = headers['content-encoding'];
  const rest = (typeof encoding === 'string' ? encoding : '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== 'aws-chunked' && e !== '');
  const decoded = headers['x-amz-decoded-content-length'];
  return {
    ...headers,
    'content-encoding': rest.length > 0 ? rest.join(',') : undefined,
    'content-length': decoded ?? headers['content-length'],
  };
}

async function decodeInput(
  service: RestService,
  operation: RestOperation,
  parts: RequestParts,
  stream: AsyncIterable<Uint8Array>,
): Promise<Record<string, unknown>> {
  const shape = operation.input;
  const errors = service.validation;
  const input: Record<string, unknown> = {};
  decodeLocated(shape, parts, errors, input);
  const payloadName = shape.payload;
  const payload = payloadName === undefined ? undefined : shape.members[payloadName];
  if (payloadName !== undefined && payload && payload.shape.type !== 'structure') {
    if (payload.shape.type === 'blob' && payload.shape.streaming) {
      input[payloadName] = stream;
    } else {
      const whole = await readDocument(service, stream);
      if (whole.length > 0)
        input[payloadName] = payload.shape.type === 'string' ? whole.toString('utf8') : whole;
    }
  } else if ((payloadName !== undefined && payload) || shape.memberList.some(([, m]) => inBody(m))) {
    const whole = await readDocument(service, stream);
    decodeDocument(service, shape, payloadName, payload, whole, input);
  }
  for (const name of shape.required) {
    if (input[name] === undefined) throw errors.missing(name);
  }
  return input;
}

function decodeDocument(
  service: RestService,
  shape: StructureShape,
  payloadName: string | undefined,
  payload: Member | undefined,
  whole: Buffer,
  input: Record<string, unknown>,
): void {
  const errors = service.validation;
  if (service.protocol === 'rest-json') {
    const document = parseJsonDocument(whole, errors);
    if (payloadName !== undefined && payload) {
      const value = decodeJsonValue(payload, document, payloadName, errors);
      if (value !== undefined) input[payloadName] = value;
    } else {
      decodeJsonBody(shape, document, errors, input);
    }
    return;
  }
  const document = parseXmlDocument(whole, errors);
  if (!document) return;
  if (payloadName !== undefined && payload) {
    const expected = payload.xmlName ?? payload.locationName ?? payload.shape.name;
    if (expected !== undefined && document.root !== expected)
      throw errors.malformed('The XML you provided was not well-formed.');
    input[payloadName] = decodeXmlPayload(payload, document.node, payloadName, errors);
  } else {
    decodeXmlBody(shape, document.node, errors, input);
  }
}

function readDocument(service: RestService, body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const limit = service.maxDocumentBytes ?? DEFAULT_DOCUMENT_LIMIT;
  return readAll(
    body,
    limit,
    () =>
      new ServiceError('RequestEntityTooLarge', `Request body larger than ${limit} bytes.`, { status: 413 }),
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function requestIdHeaders(service: RestService, requestId: string): Record<string, string> {
  return service.s3
    ? { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId) }
    : { 'x-amzn-requestid': requestId };
}

/** S3's extended request id: opaque, base64, one per request. */
function hostId(requestId: string): string {
  return Buffer.concat([Buffer.from(requestId), randomBytes(24)]).toString('base64');
}

function encodeOutput(
  service: RestService,
  operation: RestOperation,
  output: Record<string, unknown>,
  requestId: string,
  head: boolean,
): HttpReply {
  const headers = requestIdHeaders(service, requestId);
  const shape = operation.output;
  const located = shape && encodeLocated(shape, output, headers);
  const chosen = (output as { [HTTP_STATUS]?: number })[HTTP_STATUS];
  const status = chosen ?? located ?? operation.http.responseCode ?? 200;
  if (!shape || head) return { status, headers, body: '' };
  const payloadName = shape.payload;
  if (payloadName !== undefined) {
    const payload = shape.members[payloadName];
    const value = output[payloadName];
    if (value === undefined || value === null) return { status, headers, body: '' };
    if (payload.shape.type === 'blob' || payload.shape.type === 'string') {
      headers['content-type'] ??= payload.shape.type === 'string' ? 'text/plain' : 'application/octet-stream';
      if (isAsyncIterable(value)) return { status, headers, body: '', stream: value };
      return { status, headers, body: typeof value === 'string' ? value : Buffer.from(value as Uint8Array) };
    }
    if (service.protocol === 'rest-json') {
      headers['content-type'] = REST_JSON_CONTENT_TYPE;
      return { status, headers, body: encodeJsonValue(payload, value) };
    }
    headers['content-type'] = REST_XML_CONTENT_TYPE;
    const root = payload.xmlName ?? payload.locationName ?? payload.shape.name ?? payloadName;
    const structure = payload.shape as StructureShape;
    const ns = payload.xmlNamespace?.uri ?? structure.xmlNamespace?.uri ?? service.xmlNamespace;
    return {
      status,
      headers,
      body: encodeXmlDocument(root, ns, structure, value as Record<string, unknown>, false),
    };
  }
  if (!shape.memberList.some(([, m]) => inBody(m))) return { status, headers, body: '' };
  if (service.protocol === 'rest-json') {
    headers['content-type'] = REST_JSON_CONTENT_TYPE;
    return { status, headers, body: encodeJsonBody(shape, output) };
  }
  headers['content-type'] = REST_XML_CONTENT_TYPE;
  const root = shape.xmlName ?? shape.name ?? 'Result';
  const ns = shape.xmlNamespace?.uri ?? service.xmlNamespace;
  return { status, headers, body: encodeXmlDocument(root, ns, shape, output, true) };
}

/** A REST error in the service's form; a HEAD answer carries the status and headers only. */
export function restError(
  service: RestService,
  err: ServiceError,
  requestId: string,
  head = false,
): HttpReply {
  const fields = err instanceof RestServiceError ? err.fields : undefined;
  if (service.protocol === 'rest-json') {
    const plain = restJsonError(err, requestId, fields);
    const reply = err.headers ? { ...plain, headers: { ...plain.headers, ...err.headers } } : plain;
    return head ? { ...reply, body: '' } : reply;
  }
  // A 304 has no body (RFC 9110), so nothing to type; its headers describe the unchanged object.
  const headers: Record<string, string> = {
    ...requestIdHeaders(service, requestId),
    ...(err.status === 304 ? {} : { 'content-type': REST_XML_CONTENT_TYPE }),
    ...err.headers,
  };
  if (head || err.status === 304) return { status: err.status, headers, body: '' };
  const body = service.s3
    ? s3ErrorBody(err, requestId, headers['x-amz-id-2'] ?? '', fields)
    : restXmlErrorBody(err, requestId, service.xmlNamespace, fields);
  return { status: err.status, headers, body };
}

function toServiceError(err: unknown, ctx: RequestContext): ServiceError {
  if (isServiceError(err)) return err;
  ctx.log.error({ err }, 'internal error');
  return new ServiceError(
    'InternalFailure',
    'The request processing has failed because of an unknown error.',
    {
      status: 500,
      namespace: CORAL,
    },
  );
}

import { CBOR_CONTENT_TYPE, decodeCbor, encodeCbor, encodeCborValue } from './cbor.js';
import { CORAL, isServiceError, ServiceError as SE, type ServiceError } from './errors.js';
import {
  EVENT_STREAM_CONTENT_TYPE,
  EventStreamOutput,
  encodeEventStream,
  type PayloadFormat,
} from './event-stream.js';
import { decodeJson, encodeJson } from './json.js';
import { decodeQuery, encodeXmlMembers, escapeXml, type QueryParams } from './query.js';
import type { HttpReply, Operation, RequestContext, ServiceDefinition, WireProtocol } from './service.js';
import type { StructureShape } from './shapes.js';
import { findViolations } from './validate.js';

function operationOf(service: ServiceDefinition, name: string, protocol: WireProtocol): Operation {
  // Own properties only: an operation named like an Object.prototype member is unknown, not a crash.
  if (!Object.hasOwn(service.operations, name)) throw service.unknownOperation(protocol, name);
  return service.operations[name];
}

/**
 * The decoded input once it meets its model's constraints: AWS checks the body's types first (the
 * codecs), then every constraint over the whole input (here), then the handler its own rules.
 */
function validated(service: ServiceDefinition, operation: Operation, input: Record<string, unknown>) {
  const report = service.validation.constraints;
  if (report) {
    const violations = findViolations(operation.input, input);
    const error = violations.length > 0 ? report(violations) : undefined;
    if (error) throw error;
  }
  return input;
}

/** An answer, or a promise of one when the handler waits: see `run`. */
export type Dispatched = HttpReply | Promise<HttpReply>;

type Answer = (
  service: ServiceDefinition,
  operationName: string,
  operation: Operation,
  output: unknown,
  ctx: RequestContext,
) => HttpReply;
type Failure = (service: ServiceDefinition, err: ServiceError, requestId: string) => HttpReply;

/**
 * Calls the handler and builds the answer, at once when the handler answered at once (an
 * in-memory SendMessage), else when its promise settles. Not async on purpose: an async function
 * costs every request promises, closures and microtask turns even when nothing waits. The caller
 * turns what this throws synchronously into an error answer.
 */
function run(
  service: ServiceDefinition,
  operationName: string,
  operation: Operation,
  input: unknown,
  ctx: RequestContext,
  answer: Answer,
  fail: Failure,
): Dispatched {
  const output = operation.handle(input, ctx);
  if (!(output instanceof Promise)) return answer(service, operationName, operation, output, ctx);
  return output.then(
    (value) => {
      try {
        return answer(service, operationName, operation, value, ctx);
      } catch (err) {
        return fail(service, toServiceError(err, ctx), ctx.requestId);
      }
    },
    (err) => fail(service, toServiceError(err, ctx), ctx.requestId),
  );
}

/** Runs one operation for a request that arrived as awsJson. */
export function dispatchJson(
  service: ServiceDefinition,
  operationName: string,
  body: Buffer,
  ctx: RequestContext,
): Dispatched {
  try {
    const operation = operationOf(service, operationName, 'json');
    const input = validated(service, operation, decodeJson(operation.input, body, service.validation));
    return run(service, operationName, operation, input, ctx, jsonAnswer, jsonError);
  } catch (err) {
    return jsonError(service, toServiceError(err, ctx), ctx.requestId);
  }
}

function jsonAnswer(
  service: ServiceDefinition,
  _name: string,
  operation: Operation,
  output: unknown,
  ctx: RequestContext,
): HttpReply {
  if (output instanceof EventStreamOutput) return eventStreamReply(operation, output, 'json', ctx);
  return {
    status: 200,
    headers: { 'content-type': service.json!.contentType, 'x-amzn-requestid': ctx.requestId },
    body: operation.output ? encodeJson(operation.output, output as Record<string, unknown>) : '{}',
  };
}

export function jsonError(service: ServiceDefinition, err: ServiceError, requestId: string): HttpReply {
  const json = service.json!;
  const headers: Record<string, string> = { 'content-type': json.contentType, 'x-amzn-requestid': requestId };
  if (json.queryCompatible) headers['x-amzn-query-error'] = `${err.queryCode};${err.fault}`;
  return {
    status: err.status,
    headers,
    body: JSON.stringify({
      __type: `${err.namespace ?? json.errorNamespace}${err.code}`,
      [json.errorMessageKey ?? 'message']: err.message || undefined,
    }),
  };
}

/**
 * Runs one operation for a request that arrived as awsJson over CBOR (`application/x-amz-cbor-1.1`,
 * the Java SDKs' Kinesis wire format): the same operations and errors as awsJson, answered in CBOR.
 */
export function dispatchCbor(
  service: ServiceDefinition,
  operationName: string,
  body: Buffer,
  ctx: RequestContext,
): Dispatched {
  try {
    const operation = operationOf(service, operationName, 'json');
    const input = validated(service, operation, decodeCbor(operation.input, body, service.validation));
    return run(service, operationName, operation, input, ctx, cborAnswer, cborError);
  } catch (err) {
    return cborError(service, toServiceError(err, ctx), ctx.requestId);
  }
}

function cborAnswer(
  _service: ServiceDefinition,
  _name: string,
  operation: Operation,
  output: unknown,
  ctx: RequestContext,
): HttpReply {
  if (output instanceof EventStreamOutput) return eventStreamReply(operation, output, 'cbor', ctx);
  return {
    status: 200,
    headers: { 'content-type': CBOR_CONTENT_TYPE, 'x-amzn-requestid': ctx.requestId },
    body: encodeCbor(operation.output ?? EMPTY, output as Record<string, unknown> | undefined),
  };
}

const EMPTY: StructureShape = { type: 'structure', members: {}, memberList: [], required: [] };

/** An awsJson error in CBOR: a map of `__type` and `message`, with the status JSON would have. */
export function cborError(service: ServiceDefinition, err: ServiceError, requestId: string): HttpReply {
  const json = service.json!;
  const headers: Record<string, string> = {
    'content-type': CBOR_CONTENT_TYPE,
    'x-amzn-requestid': requestId,
  };
  if (json.queryCompatible) headers['x-amzn-query-error'] = `${err.queryCode};${err.fault}`;
  const payload: Record<string, string> = { __type: `${err.namespace ?? json.errorNamespace}${err.code}` };
  if (err.message) payload.message = err.message;
  return { status: err.status, headers, body: encodeCborValue(payload) };
}

/** Runs one operation for a request that arrived as awsQuery. */
export function dispatchQuery(
  service: ServiceDefinition,
  operationName: string,
  params: QueryParams,
  ctx: RequestContext,
): Dispatched {
  try {
    const operation = operationOf(service, operationName, 'query');
    service.queryParamsFromPath?.(params, ctx);
    const input = validated(service, operation, decodeQuery(operation.input, params, service.validation));
    return run(service, operationName, operation, input, ctx, queryAnswer, queryError);
  } catch (err) {
    return queryError(service, toServiceError(err, ctx), ctx.requestId);
  }
}

function queryAnswer(
  service: ServiceDefinition,
  operationName: string,
  operation: Operation,
  output: unknown,
  ctx: RequestContext,
): HttpReply {
  const result =
    operation.output && output
      ? `<${operationName}Result>${encodeXmlMembers(operation.output, output as Record<string, unknown>)}</${operationName}Result>`
      : '';
  const xml =
    `<?xml version="1.0"?><${operationName}Response xmlns="${service.query!.xmlNamespace}">${result}` +
    `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${operationName}Response>`;
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
    body: xml,
  };
}

export function queryError(service: ServiceDefinition, err: ServiceError, requestId: string): HttpReply {
  const ns = service.query?.xmlNamespace ?? '';
  const xml =
    `<?xml version="1.0"?><ErrorResponse xmlns="${ns}"><Error><Type>${err.fault}</Type>` +
    `<Code>${escapeXml(err.queryCode)}</Code><Message>${escapeXml(err.queryMessage)}</Message><Detail/></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return {
    status: err.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: xml,
  };
}

/** An event-stream answer: headers now, then each event as the handler produces it. */
function eventStreamReply(
  operation: Operation,
  output: EventStreamOutput,
  format: PayloadFormat,
  ctx: RequestContext,
): HttpReply {
  return {
    status: 200,
    headers: { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amzn-requestid': ctx.requestId },
    body: '',
    stream: encodeEventStream(output, operation.eventStream ?? {}, format, (err) => toServiceError(err, ctx)),
  };
}

function toServiceError(err: unknown, ctx: RequestContext): ServiceError {
  if (isServiceError(err)) return err;
  ctx.log.error({ err }, 'internal error');
  return new SE('InternalFailure', 'The request processing has failed because of an unknown error.', {
    status: 500,
    namespace: CORAL,
  });
}

import { CBOR_CONTENT_TYPE, decodeCbor, encodeCbor, encodeCborValue } from './cbor.js';
import { CORAL, isServiceError, ServiceError as SE, type ServiceError } from './errors.js';
import { decodeJson, encodeJson } from './json.js';
import { decodeQuery, encodeXmlMembers, escapeXml, type QueryParams } from './query.js';
import type { HttpReply, Operation, RequestContext, ServiceDefinition, WireProtocol } from './service.js';
import type { StructureShape } from './shapes.js';

function operationOf(service: ServiceDefinition, name: string, protocol: WireProtocol): Operation {
  // Own properties only: an operation named like an Object.prototype member is unknown, not a crash.
  if (!Object.hasOwn(service.operations, name)) throw service.unknownOperation(protocol, name);
  return service.operations[name];
}

/** Runs one operation for a request that arrived as awsJson. */
export async function dispatchJson(
  service: ServiceDefinition,
  operationName: string,
  body: Buffer,
  ctx: RequestContext,
): Promise<HttpReply> {
  const json = service.json!;
  try {
    const operation = operationOf(service, operationName, 'json');
    const input = decodeJson(operation.input, body, service.validation);
    const output = await operation.handle(input, ctx);
    return {
      status: 200,
      headers: { 'content-type': json.contentType, 'x-amzn-requestid': ctx.requestId },
      body: operation.output ? encodeJson(operation.output, output as Record<string, unknown>) : '{}',
    };
  } catch (err) {
    return jsonError(service, toServiceError(err, ctx), ctx.requestId);
  }
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
      message: err.message || undefined,
    }),
  };
}

/**
 * Runs one operation for a request that arrived as awsJson over CBOR (`application/x-amz-cbor-1.1`,
 * the Java SDKs' Kinesis wire format): the same operations and errors as awsJson, answered in CBOR.
 */
export async function dispatchCbor(
  service: ServiceDefinition,
  operationName: string,
  body: Buffer,
  ctx: RequestContext,
): Promise<HttpReply> {
  try {
    const operation = operationOf(service, operationName, 'json');
    const input = decodeCbor(operation.input, body, service.validation);
    const output = await operation.handle(input, ctx);
    return {
      status: 200,
      headers: { 'content-type': CBOR_CONTENT_TYPE, 'x-amzn-requestid': ctx.requestId },
      body: encodeCbor(operation.output ?? EMPTY, output as Record<string, unknown> | undefined),
    };
  } catch (err) {
    return cborError(service, toServiceError(err, ctx), ctx.requestId);
  }
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
export async function dispatchQuery(
  service: ServiceDefinition,
  operationName: string,
  params: QueryParams,
  ctx: RequestContext,
): Promise<HttpReply> {
  const query = service.query!;
  try {
    const operation = operationOf(service, operationName, 'query');
    service.queryParamsFromPath?.(params, ctx);
    const input = decodeQuery(operation.input, params, service.validation);
    const output = await operation.handle(input, ctx);
    const result =
      operation.output && output
        ? `<${operationName}Result>${encodeXmlMembers(operation.output, output as Record<string, unknown>)}</${operationName}Result>`
        : '';
    const xml =
      `<?xml version="1.0"?><${operationName}Response xmlns="${query.xmlNamespace}">${result}` +
      `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${operationName}Response>`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
      body: xml,
    };
  } catch (err) {
    return queryError(service, toServiceError(err, ctx), ctx.requestId);
  }
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

function toServiceError(err: unknown, ctx: RequestContext): ServiceError {
  if (isServiceError(err)) return err;
  ctx.log.error({ err }, 'internal error');
  return new SE('InternalFailure', 'The request processing has failed because of an unknown error.', {
    status: 500,
    namespace: CORAL,
  });
}

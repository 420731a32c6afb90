import type { Caller } from '../core/accounts.js';
import type { Logger } from '../core/logger.js';
import type { ServiceError } from './errors.js';
import type { RestService } from './rest-dispatch.js';
import type { OperationShapes, StructureShape, ValidationErrors } from './shapes.js';

/** The RPC protocols: the operation is named in the request (X-Amz-Target or Action). */
export type WireProtocol = 'json' | 'query';
/** The REST protocols: the operation is found by method and URI template (rest-dispatch.ts). */
export type RestProtocol = 'rest-json' | 'rest-xml';

/** What a handler knows about the request beyond its input. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  /** `<scheme>://<host>:<port>` as the client reached us, for URLs we hand back. */
  baseUrl: string;
  secure: boolean;
  protocol: WireProtocol | RestProtocol;
  /** The operation the request runs (resource policies decide per operation). */
  operation: string;
  path: string;
  log: Logger;
  /** Aborted when the client goes away, so a waiting call can give up. */
  signal?: AbortSignal;
}

export interface Operation {
  input: StructureShape;
  output?: StructureShape;
  /** Event types of an event-stream output (the handler then answers an EventStreamOutput). */
  eventStream?: Record<string, StructureShape>;
  // Handlers receive input already validated against `input`; each one narrows it to its SDK type.
  handle(input: any, ctx: RequestContext): Promise<object | undefined> | object | undefined;
}

export interface ServiceDefinition {
  name: string;
  /** SigV4 credential-scope service name. */
  signingName: string;
  json?: {
    targetPrefix: string;
    contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1';
    errorNamespace: string;
    /** Query-compatible services also send the awsQuery code in `x-amzn-query-error`. */
    queryCompatible: boolean;
    /** Also answers awsJson over CBOR (`application/x-amz-cbor-1.1`), as the Java SDKs send to Kinesis. */
    cbor?: boolean;
    /** The error body's text member: `message` unless the service writes `Message` (Secrets Manager). */
    errorMessageKey?: 'message' | 'Message';
  };
  query?: { version: string; xmlNamespace: string };
  /**
   * Its REST protocol (restJson1 or restXml), with its own operations and their HTTP bindings:
   * chosen by the credential scope (and S3's Host) before the body is read, which reaches the
   * handlers unread. A REST-only service is built with `restServiceDefinition`.
   */
  rest?: RestService;
  operations: Record<string, Operation>;
  validation: ValidationErrors;
  unknownOperation(protocol: WireProtocol, name: string): ServiceError;
  /** Query actions routed without a Version: links the service hands out, followed unsigned. */
  unversionedActions?: readonly string[];
  /** Present until the service's code is loaded: its first request waits for this. */
  load?: () => Promise<void>;
  /** Lets a service fill query parameters from the request path (SQS: QueueUrl), before validation. */
  queryParamsFromPath?(params: Map<string, string>, ctx: RequestContext): void;
}

/**
 * The definition of a service that speaks a REST protocol only: it has no RPC operations, so the
 * router never sends it an X-Amz-Target or Action request, and its unknown-operation answer is
 * the REST one.
 */
export function restServiceDefinition(
  signingName: string,
  rest: RestService,
  load?: () => Promise<void>,
): ServiceDefinition {
  return {
    name: rest.name,
    signingName,
    rest,
    operations: {},
    validation: rest.validation,
    unknownOperation: () => rest.unknownOperation('POST', '/', false),
    load,
  };
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  /** An answer sent piece by piece as it is produced (an event stream); `body` is then empty. */
  stream?: AsyncIterable<Uint8Array>;
}

type Handler = (input: any, ctx: RequestContext) => unknown;

/**
 * Joins a service's model with its handlers; an operation without one gets `fallback`'s. Handlers
 * are keyed by the model's operation names, so a misspelt one does not compile.
 */
export function operationTable<Name extends string>(
  shapes: Record<Name, OperationShapes>,
  handlers: Partial<Record<Name, Handler>>,
  fallback?: (name: string) => Handler,
): Record<string, Operation> {
  const operations: Record<string, Operation> = {};
  for (const [name, shape] of Object.entries(shapes) as [Name, OperationShapes][]) {
    const handler = handlers[name] ?? fallback?.(name);
    if (!handler) throw new Error(`no handler for ${name}`);
    operations[name] = {
      input: shape.input,
      output: shape.output,
      eventStream: shape.eventStream,
      handle: handler as Operation['handle'],
    };
  }
  return operations;
}

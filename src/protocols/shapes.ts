/**
 * Declared operation shapes: the one description of an operation's input and
 * output that every codec (awsJson, awsQuery, and later restXml and CBOR)
 * reads to parse, validate and serialise. Names follow the Smithy models the
 * official SDKs are generated from, including their xmlName/xmlFlattened traits.
 */
import type { Violation } from './validate.js';

export type ScalarKind = 'string' | 'integer' | 'long' | 'boolean' | 'blob' | 'timestamp' | 'double';

/**
 * Constraints from the service model (botocore's min, max, pattern and enum), checked before the
 * handler runs. `min`/`max` bound the length of strings, blobs, lists and maps, and the value of
 * numbers. Absent on the shared scalars below, which hand-declared shapes use.
 */
export interface Constraints {
  min?: number;
  max?: number;
  pattern?: string;
  enum?: readonly string[];
}

export type TimestampFormat = 'iso8601' | 'unixTimestamp' | 'rfc822';

export interface ScalarShape extends Constraints {
  type: ScalarKind;
  /** The model's shape name, where validation or documentation needs it. */
  name?: string;
  timestampFormat?: TimestampFormat;
  /** A blob payload that reaches the handler as a stream (restXml/restJson1 uploads). */
  streaming?: boolean;
}

export interface ListShape extends Constraints {
  type: 'list';
  name?: string;
  member: Shape;
  /** XML / query name of each item when the list is not flattened. */
  memberName?: string;
}

export interface MapShape extends Constraints {
  type: 'map';
  name?: string;
  /** The key's own constraints, where the model has any; keys are strings. */
  key?: ScalarShape;
  value: Shape;
  keyName?: string;
  valueName?: string;
}

export interface Member {
  shape: Shape;
  /** Wire name on XML and query protocols when it differs from the member name. */
  xmlName?: string;
  flattened?: boolean;
  /** Where a REST protocol carries the member; absent: in the body (or the query form). */
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  /** The label, query key or header name (the prefix, for `headers`) of a located member. */
  locationName?: string;
  xmlAttribute?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  /** The awsJson/restJson1 key when it differs from the member name. */
  jsonName?: string;
  idempotencyToken?: boolean;
  /** The member's own timestamp format, overriding the shape's and the protocol's default. */
  timestampFormat?: TimestampFormat;
}

/** An error shape's wire identity, from the model's `error` and `exception` traits. */
export interface ErrorTrait {
  /** The query/XML code (the shape name unless the model names another, as SQS's query codes do). */
  code: string;
  status: number;
  senderFault: boolean;
}

export interface StructureShape {
  type: 'structure';
  members: Record<string, Member>;
  /** The members as a list, so codecs walk them without building one per request. */
  memberList: ReadonlyArray<readonly [string, Member]>;
  required: readonly string[];
  name?: string;
  /** The member sent as the whole HTTP body on REST protocols. */
  payload?: string;
  xmlName?: string;
  xmlNamespace?: { uri: string; prefix?: string };
  /** Present on error shapes. */
  error?: ErrorTrait;
  union?: boolean;
  /** An event stream (a union of event structures). */
  eventStream?: boolean;
}

export type Shape = ScalarShape | ListShape | MapShape | StructureShape;

export const string: ScalarShape = { type: 'string' };
export const integer: ScalarShape = { type: 'integer' };
export const long: ScalarShape = { type: 'long' };
export const boolean: ScalarShape = { type: 'boolean' };
export const blob: ScalarShape = { type: 'blob' };
export const timestamp: ScalarShape = { type: 'timestamp' };

export function list(member: Shape, memberName?: string): ListShape {
  return { type: 'list', member, memberName };
}

export function map(value: Shape, keyName?: string, valueName?: string): MapShape {
  return { type: 'map', value, keyName, valueName };
}

type MemberSpec = Shape | Member;

function isMember(spec: MemberSpec): spec is Member {
  return 'shape' in spec;
}

export function structure(
  members: Record<string, MemberSpec>,
  required: readonly string[] = [],
): StructureShape {
  const normalised: Record<string, Member> = {};
  for (const [name, spec] of Object.entries(members)) {
    normalised[name] = isMember(spec) ? spec : { shape: spec };
  }
  return { type: 'structure', members: normalised, memberList: Object.entries(normalised), required };
}

/** A member serialised as repeated elements named `xmlName` (Smithy's xmlFlattened). */
export function flat(shape: Shape, xmlName: string): Member {
  return { shape, xmlName, flattened: true };
}

const PLAIN = Symbol('jsonPlain');

/** True when a value of this shape serialises to JSON as it is (no blobs or timestamps inside). */
export function isJsonPlain(shape: Shape): boolean {
  // Memoised on the shape itself: asked on every response.
  const memo = shape as Shape & { [PLAIN]?: boolean };
  let plain = memo[PLAIN];
  if (plain === undefined) {
    switch (shape.type) {
      case 'structure':
        plain = shape.memberList.every(([, m]) => isJsonPlain(m.shape));
        break;
      case 'list':
        plain = isJsonPlain(shape.member);
        break;
      case 'map':
        plain = isJsonPlain(shape.value);
        break;
      default:
        plain = shape.type !== 'blob' && shape.type !== 'timestamp';
    }
    memo[PLAIN] = plain;
  }
  return plain;
}

/**
 * The codec reports problems it finds against a shape through these, so each
 * service answers with its own AWS error codes and texts.
 */
export interface ValidationErrors {
  missing(path: string): Error;
  invalidType(
    path: string,
    value: unknown,
    expected: ScalarKind | 'list' | 'map' | 'structure',
    protocol: 'json' | 'query',
  ): Error;
  malformed(detail: string): Error;
  /**
   * Where the service checks the model's constraints: the error for what `findViolations` found
   * (validate.ts), after the body decoded and before the handler runs. The codecs then leave
   * required members to it too, so a missing one is reported with the others, as AWS does.
   * Undefined: none of these is the service's to answer here (its handlers check them).
   */
  constraints?(violations: readonly Violation[]): Error | undefined;
  /** An empty query value for a number counts as absent (S3 ignores `?max-parts=`). */
  emptyQueryNumberIsAbsent?: boolean;
}

/** An operation's HTTP binding, for the REST protocols (RPC protocols post to `/`). */
export interface HttpBinding {
  method: string;
  /** The URI template: `/{Bucket}/{Key+}?uploads`, labels in braces, `+` for a greedy one. */
  requestUri: string;
  responseCode?: number;
}

export interface OperationShapes {
  http?: HttpBinding;
  /** The error shapes the model declares for the operation. */
  errors?: readonly StructureShape[];
  input: StructureShape;
  output?: StructureShape;
  /** For an output that is an event stream: the structure of each event type, by name. */
  eventStream?: Record<string, StructureShape>;
}

/** A service's metadata as its model gives it. */
export interface ServiceMetadata {
  apiVersion: string;
  protocol: 'json' | 'query' | 'rest-json' | 'rest-xml' | 'ec2';
  signingName: string;
  endpointPrefix: string;
  serviceId: string;
  jsonVersion?: string;
  targetPrefix?: string;
  xmlNamespace?: string;
  /** awsJson services that also answer their old query codes (`x-amzn-query-error`). */
  awsQueryCompatible?: boolean;
}

/**
 * Declared operation shapes: the one description of an operation's input and
 * output that every codec (awsJson, awsQuery, and later restXml and CBOR)
 * reads to parse, validate and serialise. Names follow the Smithy models the
 * official SDKs are generated from, including their xmlName/xmlFlattened traits.
 */
export type ScalarKind = 'string' | 'integer' | 'long' | 'boolean' | 'blob' | 'timestamp' | 'double';

export interface ScalarShape {
  type: ScalarKind;
}

export interface ListShape {
  type: 'list';
  member: Shape;
  /** XML / query name of each item when the list is not flattened. */
  memberName?: string;
}

export interface MapShape {
  type: 'map';
  value: Shape;
  keyName?: string;
  valueName?: string;
}

export interface Member {
  shape: Shape;
  /** Wire name on XML and query protocols when it differs from the member name. */
  xmlName?: string;
  flattened?: boolean;
}

export interface StructureShape {
  type: 'structure';
  members: Record<string, Member>;
  /** The members as a list, so codecs walk them without building one per request. */
  memberList: ReadonlyArray<readonly [string, Member]>;
  required: readonly string[];
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
}

export interface OperationShapes {
  input: StructureShape;
  output?: StructureShape;
  /** For an output that is an event stream: the structure of each event type, by name. */
  eventStream?: Record<string, StructureShape>;
}

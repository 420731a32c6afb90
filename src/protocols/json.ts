import { setEntry } from '../core/entries.js';
import { isJsonPlain, type Shape, type StructureShape, type ValidationErrors } from './shapes.js';

/**
 * awsJson 1.0 / 1.1 body codec. Input is checked against the declared shape:
 * required members, scalar types, and blobs decoded from base64.
 */
export function decodeJson(
  shape: StructureShape,
  body: Buffer,
  errors: ValidationErrors,
): Record<string, unknown> {
  const parsed = parseBody(body, errors);
  try {
    return decodeValue(shape, parsed, undefined, errors) as Record<string, unknown>;
  } catch (err) {
    if (err !== RETRY_WITH_PATHS) throw err;
    // The first pass names no member (a path string per member and list item was most of what a
    // 500-record PutRecords allocated); a bad input is decoded again to say where it is wrong.
    return decodeValue(shape, parseBody(body, errors), '', errors) as Record<string, unknown>;
  }
}

function parseBody(body: Buffer, errors: ValidationErrors): object {
  let parsed: unknown;
  if (body.length === 0) {
    parsed = {};
  } else {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw errors.malformed('Start of structure or map found where not expected.');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw errors.malformed('Start of structure or map found where not expected.');
  }
  return parsed;
}

const RETRY_WITH_PATHS = Symbol('decode again, naming members');

// These take what they need as arguments rather than closing over it: a closure would make every
// decodeValue call allocate a context for the variables it captures, error or not.

/** On the first pass (no paths) asks for a second; on the second, throws the codec's error. */
function wrongType(
  path: string | undefined,
  errors: ValidationErrors,
  value: unknown,
  expected: Parameters<ValidationErrors['invalidType']>[2],
): never {
  if (path === undefined) throw RETRY_WITH_PATHS;
  throw errors.invalidType(path, value, expected, 'json');
}

function missingMember(path: string | undefined, errors: ValidationErrors): never {
  if (path === undefined) throw RETRY_WITH_PATHS;
  throw errors.missing(path);
}

function member(path: string | undefined, name: string): string | undefined {
  if (path === undefined) return undefined;
  return path ? `${path}.${name}` : name;
}

function item(path: string | undefined, index: number | string): string | undefined {
  return path === undefined ? undefined : `${path}.${index}`;
}

function decodeValue(
  shape: Shape,
  value: unknown,
  path: string | undefined,
  errors: ValidationErrors,
): unknown {
  switch (shape.type) {
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        wrongType(path, errors, value, 'structure');
      // Checked and converted in place: the parsed object is ours, and copying it costs every request.
      const input = value as Record<string, unknown>;
      for (const [name, m] of shape.memberList) {
        const v = input[name];
        if (v === undefined) continue;
        if (v === null) {
          input[name] = undefined;
          continue;
        }
        const decoded = decodeValue(m.shape, v, member(path, name), errors);
        if (decoded !== v) input[name] = decoded;
      }
      // A service that checks constraints reports missing members itself, with the other failures.
      if (!errors.constraints) {
        for (const name of shape.required) {
          if (input[name] === undefined) missingMember(member(path, name), errors);
        }
      }
      return input;
    }
    case 'list': {
      if (!Array.isArray(value)) return wrongType(path, errors, value, 'list');
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        const decoded = decodeValue(shape.member, v, item(path, i + 1), errors);
        if (decoded !== v) value[i] = decoded;
      }
      return value;
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        wrongType(path, errors, value, 'map');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === null) continue;
        setEntry(out, k, decodeValue(shape.value, v, item(path, k), errors));
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') wrongType(path, errors, value, shape.type);
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) wrongType(path, errors, value, shape.type);
      return value;
    case 'double':
      if (typeof value !== 'number') wrongType(path, errors, value, shape.type);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') wrongType(path, errors, value, shape.type);
      return value;
    case 'timestamp':
      if (typeof value !== 'number') wrongType(path, errors, value, shape.type);
      return new Date((value as number) * 1000);
    case 'blob':
      if (typeof value !== 'string') wrongType(path, errors, value, shape.type);
      return Buffer.from(value as string, 'base64');
  }
}

/** Serialises an output value; members absent from the shape are not sent. */
export function encodeJson(shape: StructureShape, value: Record<string, unknown> | undefined): string {
  if (!value) return '{}';
  const flat = flatMembers(shape);
  if (flat) return encodeFlat(flat, value);
  return JSON.stringify(isJsonPlain(shape) ? value : encodeValue(shape, value));
}

interface FlatMember {
  name: string;
  /** `"Name":`, ready to append. */
  key: string;
}

const FLAT = Symbol('jsonFlat');
const SCALARS = new Set(['string', 'integer', 'long', 'double', 'boolean']);
// Nothing JSON.stringify would escape: no quote, backslash, control character or surrogate (a lone
// one is escaped; paired ones simply go the slow way too).
const PLAIN_TEXT = /^[\x20\x21\x23-\x5b\x5d-\ud7ff\ue000-\uffff]*$/;

/** The members of a structure made only of strings, numbers and booleans; null for any other. */
function flatMembers(shape: StructureShape): readonly FlatMember[] | null {
  // Memoised on the shape itself, as isJsonPlain is: asked on every response.
  const memo = shape as StructureShape & { [FLAT]?: readonly FlatMember[] | null };
  let flat = memo[FLAT];
  if (flat === undefined) {
    flat = shape.memberList.every(([, m]) => SCALARS.has(m.shape.type))
      ? shape.memberList.map(([name]) => ({ name, key: `${JSON.stringify(name)}:` }))
      : null;
    memo[FLAT] = flat;
  }
  return flat;
}

/**
 * A flat answer (SendMessage's, GetQueueUrl's...) written out member by member: half the work of
 * JSON.stringify, which sets up a serialiser on every call. Absent and null members are left out.
 */
function encodeFlat(members: readonly FlatMember[], value: Record<string, unknown>): string {
  let out = '';
  for (const { name, key } of members) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    out += out.length === 0 ? `{${key}` : `,${key}`;
    out += typeof v === 'string' && PLAIN_TEXT.test(v) ? `"${v}"` : JSON.stringify(v);
  }
  return out.length === 0 ? '{}' : `${out}}`;
}

function encodeValue(shape: Shape, value: unknown): unknown {
  if (isJsonPlain(shape)) return value;
  switch (shape.type) {
    case 'structure': {
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, member] of shape.memberList) {
        const v = input[name];
        if (v !== undefined && v !== null) out[name] = encodeValue(member.shape, v);
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => encodeValue(shape.member, item));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        setEntry(out, k, encodeValue(shape.value, v));
      return out;
    }
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'timestamp':
      return value instanceof Date ? value.getTime() / 1000 : value;
    default:
      return value;
  }
}

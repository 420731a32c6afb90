import type { ServiceError } from './errors.js';
import { formatTimestamp, inBody, parseTimestamp } from './http-bindings.js';
import type { Member, Shape, StructureShape, ValidationErrors } from './shapes.js';

/**
 * restJson1 bodies: a JSON document whose keys are the members' JSON names (the model's
 * `locationName`/`jsonName` on a body member, else the member name), blobs in base64, and
 * timestamps as epoch seconds unless the model names another format. The located members
 * (labels, query, headers) are http-bindings.ts's.
 */

export const REST_JSON_CONTENT_TYPE = 'application/json';

/** The JSON key of a body member. */
function keyOf(name: string, member: Member): string {
  return member.jsonName ?? (member.location === undefined ? member.locationName : undefined) ?? name;
}

export function parseJsonDocument(body: Buffer, errors: ValidationErrors): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw errors.malformed('Start of structure or map found where not expected.');
  }
}

/** The body members of `shape`, from a parsed document, into `input`. */
export function decodeJsonBody(
  shape: StructureShape,
  document: unknown,
  errors: ValidationErrors,
  input: Record<string, unknown>,
): void {
  if (document === undefined || document === null) return;
  if (typeof document !== 'object' || Array.isArray(document))
    throw errors.invalidType('', document, 'structure', 'json');
  const source = document as Record<string, unknown>;
  for (const [name, member] of shape.memberList) {
    if (!inBody(member)) continue;
    const value = source[keyOf(name, member)];
    if (value === undefined || value === null) continue;
    input[name] = decodeValue(member, member.shape, value, name, errors);
  }
}

/** A payload member that is a structure: the whole body is that structure's document. */
export function decodeJsonValue(
  member: Member,
  document: unknown,
  path: string,
  errors: ValidationErrors,
): unknown {
  return document === undefined || document === null
    ? undefined
    : decodeValue(member, member.shape, document, path, errors);
}

function decodeValue(
  member: Member,
  shape: Shape,
  value: unknown,
  path: string,
  errors: ValidationErrors,
): unknown {
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw errors.invalidType(path, value, 'structure', 'json');
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, m] of shape.memberList) {
        const v = source[keyOf(name, m)];
        if (v === undefined || v === null) continue;
        out[name] = decodeValue(m, m.shape, v, `${path}.${name}`, errors);
      }
      for (const name of shape.required) if (out[name] === undefined) throw errors.missing(`${path}.${name}`);
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) throw errors.invalidType(path, value, 'list', 'json');
      return value
        .map((v, i) =>
          v === null
            ? undefined
            : decodeValue({ shape: shape.member }, shape.member, v, `${path}.${i + 1}`, errors),
        )
        .filter((v) => v !== undefined);
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw errors.invalidType(path, value, 'map', 'json');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== null) out[k] = decodeValue({ shape: shape.value }, shape.value, v, `${path}.${k}`, errors);
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw errors.invalidType(path, value, 'string', 'json');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw errors.invalidType(path, value, shape.type, 'json');
      return value;
    case 'double':
      if (typeof value === 'number') return value;
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      throw errors.invalidType(path, value, 'double', 'json');
    case 'boolean':
      if (typeof value !== 'boolean') throw errors.invalidType(path, value, 'boolean', 'json');
      return value;
    case 'blob':
      if (typeof value !== 'string') throw errors.invalidType(path, value, 'blob', 'json');
      return Buffer.from(value, 'base64');
    case 'timestamp': {
      if (typeof value !== 'number' && typeof value !== 'string')
        throw errors.invalidType(path, value, 'timestamp', 'json');
      const date =
        typeof value === 'number'
          ? new Date(value * 1000)
          : parseTimestamp(value, member.timestampFormat ?? shape.timestampFormat ?? 'unixTimestamp');
      if (!date || Number.isNaN(date.getTime())) throw errors.invalidType(path, value, 'timestamp', 'json');
      return date;
    }
  }
}

/** The JSON document of an output's body members (or of its structure payload). */
export function encodeJsonBody(shape: StructureShape, output: Record<string, unknown>): string {
  return JSON.stringify(encodeStructure(shape, output, true));
}

export function encodeJsonValue(member: Member, value: unknown): string {
  return JSON.stringify(encodeValue(member, member.shape, value));
}

function encodeStructure(
  shape: StructureShape,
  value: Record<string, unknown>,
  bodyOnly: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of shape.memberList) {
    if (bodyOnly && !inBody(member)) continue;
    const v = value[name];
    if (v === undefined || v === null) continue;
    out[keyOf(name, member)] = encodeValue(member, member.shape, v);
  }
  return out;
}

function encodeValue(member: Member, shape: Shape, value: unknown): unknown {
  switch (shape.type) {
    case 'structure':
      return encodeStructure(shape, value as Record<string, unknown>, false);
    case 'list':
      return (value as unknown[]).map((v) => encodeValue({ shape: shape.member }, shape.member, v));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined && v !== null) out[k] = encodeValue({ shape: shape.value }, shape.value, v);
      }
      return out;
    }
    case 'blob':
      return Buffer.from(value as Uint8Array | string).toString('base64');
    case 'timestamp':
      return formatTimestamp(value, member.timestampFormat ?? shape.timestampFormat ?? 'unixTimestamp');
    case 'double':
      return Number.isFinite(value) ? value : String(value);
    default:
      return value;
  }
}

/**
 * A restJson1 error: the code in `x-amzn-ErrorType` (what the SDKs read first), the message and
 * any modeled members in the body.
 */
export function restJsonError(
  err: ServiceError,
  requestId: string,
  fields?: Record<string, unknown>,
): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const body: Record<string, unknown> = { ...fields };
  // A service whose error shapes name their text `Message` (the schema registry) sends that alone.
  if (err.message && !('Message' in body)) body.message = err.message;
  return {
    status: err.status,
    headers: {
      'content-type': REST_JSON_CONTENT_TYPE,
      'x-amzn-errortype': err.code,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify(body),
  };
}

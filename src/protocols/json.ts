import type { Shape, StructureShape, ValidationErrors } from './shapes.js';

/**
 * awsJson 1.0 / 1.1 body codec. Input is checked against the declared shape:
 * required members, scalar types, and blobs decoded from base64.
 */
export function decodeJson(
  shape: StructureShape,
  body: Buffer,
  errors: ValidationErrors,
): Record<string, unknown> {
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
  return decodeValue(shape, parsed, '', errors) as Record<string, unknown>;
}

function decodeValue(shape: Shape, value: unknown, path: string, errors: ValidationErrors): unknown {
  switch (shape.type) {
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw errors.invalidType(path, value, 'structure', 'json');
      }
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const v = input[name];
        if (v === undefined || v === null) continue;
        out[name] = decodeValue(member.shape, v, path ? `${path}.${name}` : name, errors);
      }
      for (const name of shape.required) {
        if (out[name] === undefined) throw errors.missing(path ? `${path}.${name}` : name);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw errors.invalidType(path, value, 'list', 'json');
      return value.map((item, i) => decodeValue(shape.member, item, `${path}.${i + 1}`, errors));
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw errors.invalidType(path, value, 'map', 'json');
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === null) continue;
        out[k] = decodeValue(shape.value, v, `${path}.${k}`, errors);
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw errors.invalidType(path, value, shape.type, 'json');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw errors.invalidType(path, value, shape.type, 'json');
      return value;
    case 'double':
      if (typeof value !== 'number') throw errors.invalidType(path, value, shape.type, 'json');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw errors.invalidType(path, value, shape.type, 'json');
      return value;
    case 'timestamp':
      if (typeof value !== 'number') throw errors.invalidType(path, value, shape.type, 'json');
      return new Date(value * 1000);
    case 'blob':
      if (typeof value !== 'string') throw errors.invalidType(path, value, shape.type, 'json');
      return Buffer.from(value, 'base64');
  }
}

/** Serialises an output value; members absent from the shape are not sent. */
export function encodeJson(shape: StructureShape, value: Record<string, unknown> | undefined): string {
  if (!value) return '{}';
  return JSON.stringify(encodeValue(shape, value));
}

function encodeValue(shape: Shape, value: unknown): unknown {
  switch (shape.type) {
    case 'structure': {
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
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
        out[k] = encodeValue(shape.value, v);
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

import { createRequire } from 'node:module';
import type { Tag as CborTag, Decoder, Encoder } from 'cbor-x';
import { setEntry } from '../core/entries.js';
import type { Shape, StructureShape, ValidationErrors } from './shapes.js';

/**
 * The CBOR variant of awsJson (`application/x-amz-cbor-1.1`) that the AWS Java SDKs speak to
 * Kinesis: the same members as awsJson in a CBOR map, blobs as byte strings, and timestamps as
 * tag 1 over an integer count of epoch **milliseconds**, not the seconds RFC 8949 means: the SDK
 * writes `instant.toEpochMilli()` after tag 1 and reads payload timestamps back as
 * UNIX_TIMESTAMP_MILLIS (aws-sdk-java-v2 SdkCborGenerator and AwsCborProtocolFactory; v1's
 * SdkCborGenerator writes `date.getTime()` the same way).
 *
 * cbor-x does the byte-level work; this file only walks the declared shapes, as json.ts does.
 */

export const CBOR_CONTENT_TYPE = 'application/x-amz-cbor-1.1';

// 64-bit integer heads (Jackson writes epoch milliseconds with one) come back as numbers, as JSON's do.
// (A documented option its type declarations lack, hence the variable.)
const decoderOptions = { mapsAsObjects: true, useRecords: false, int64AsNumber: true };

interface Cbor {
  decoder: Decoder;
  encoder: Encoder;
  Tag: typeof CborTag;
}
let loaded: Cbor | undefined;

// cbor-x is loaded on the first CBOR request: only Java clients of Kinesis send one, and every
// start would otherwise pay for it (cold start is measured against a bare Node server).
function cbor(): Cbor {
  if (!loaded) {
    const lib = createRequire(import.meta.url)('cbor-x') as typeof import('cbor-x');
    loaded = {
      decoder: new lib.Decoder(decoderOptions),
      // Plain CBOR only: no record or typed-array extensions a Java client could not read.
      encoder: new lib.Encoder({
        useRecords: false,
        mapsAsObjects: true,
        variableMapSize: true,
        tagUint8Array: false,
      }),
      Tag: lib.Tag,
    };
  }
  return loaded;
}

/** The tag RFC 8949 gives epoch-based date/time, over milliseconds as the Java SDK uses it. */
const EPOCH_TAG = 1;

/** Decodes and checks a CBOR request body against the operation's input shape. */
export function decodeCbor(
  shape: StructureShape,
  body: Uint8Array,
  errors: ValidationErrors,
): Record<string, unknown> {
  // An empty body is not a CBOR value: Kinesis answers SerializationException, with no message.
  if (body.length === 0) throw errors.malformed('');
  let parsed: unknown;
  try {
    parsed = cbor().decoder.decode(body);
  } catch {
    throw errors.malformed('The request body is not well-formed CBOR.');
  }
  if (!isPlainMap(parsed)) {
    throw errors.malformed('Start of structure or map found where not expected.');
  }
  return decodeValue(shape, parsed, '', errors) as Record<string, unknown>;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function decodeValue(shape: Shape, value: unknown, path: string, errors: ValidationErrors): unknown {
  switch (shape.type) {
    case 'structure': {
      if (!isPlainMap(value)) throw errors.invalidType(path, value, 'structure', 'json');
      const out: Record<string, unknown> = {};
      for (const [name, member] of shape.memberList) {
        const v = value[name];
        if (v === undefined || v === null) continue;
        out[name] = decodeValue(member.shape, v, path ? `${path}.${name}` : name, errors);
      }
      // A service that checks constraints reports missing members itself, with the other failures.
      if (!errors.constraints) {
        for (const name of shape.required) {
          if (out[name] === undefined) throw errors.missing(path ? `${path}.${name}` : name);
        }
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw errors.invalidType(path, value, 'list', 'json');
      return value.map((item, i) => decodeValue(shape.member, item, `${path}.${i + 1}`, errors));
    }
    case 'map': {
      if (!isPlainMap(value)) throw errors.invalidType(path, value, 'map', 'json');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === null || v === undefined) continue;
        setEntry(out, k, decodeValue(shape.value, v, `${path}.${k}`, errors));
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw errors.invalidType(path, value, shape.type, 'json');
      return value;
    case 'integer':
    case 'long': {
      const n = integral(value);
      if (n === undefined) throw errors.invalidType(path, value, shape.type, 'json');
      return n;
    }
    case 'double':
      if (typeof value !== 'number') throw errors.invalidType(path, value, shape.type, 'json');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw errors.invalidType(path, value, shape.type, 'json');
      return value;
    case 'timestamp': {
      const millis = epochMillis(value);
      if (millis === undefined) throw errors.invalidType(path, value, shape.type, 'json');
      return new Date(millis);
    }
    case 'blob':
      // A byte string; a text string is taken as its UTF-8 bytes, as Jackson's binary reader does.
      if (Buffer.isBuffer(value)) return value;
      if (value instanceof Uint8Array) return toBuffer(value);
      if (typeof value === 'string') return Buffer.from(value, 'utf8');
      throw errors.invalidType(path, value, shape.type, 'json');
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A whole number. */
function integral(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  // Not produced with int64AsNumber; taken as JSON.parse takes a long past 2^53, to the nearest double.
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** Epoch milliseconds from a tag-1 value (or an untagged number, which Jackson also reads). */
function epochMillis(value: unknown): number | undefined {
  let millis: number | undefined;
  if (value instanceof Date) {
    // cbor-x turns tag 1 into a Date reading its number as seconds (`new Date(round(n * 1000))`);
    // the number was milliseconds, and dividing back is exact for any date Date can hold.
    millis = value.getTime() / 1000;
  } else if (typeof value === 'number') {
    millis = value;
  } else if (typeof value === 'bigint') {
    millis = Number(value);
  }
  if (millis === undefined || !Number.isFinite(millis)) return undefined;
  millis = Math.round(millis);
  return Number.isNaN(new Date(millis).getTime()) ? undefined : millis;
}

/**
 * cbor-x writes a number past 32 bits as a float64; Jackson, and so the SDK, expects an integer
 * head for a long (and for epoch milliseconds), which cbor-x writes for a bigint.
 */
function wholeNumber(n: number): number | bigint {
  return Number.isInteger(n) && (n > 0xffffffff || n < -0x100000000) ? BigInt(n) : n;
}

/** Serialises an output value to CBOR; members absent from the shape are not sent. */
export function encodeCbor(shape: StructureShape, value: Record<string, unknown> | undefined): Buffer {
  return encodeCborValue(value ? encodeValue(shape, value) : {});
}

/** CBOR bytes for an already-shaped value (error bodies). */
export function encodeCborValue(value: unknown): Buffer {
  // cbor-x hands back a view of its shared buffer that a later encode may overwrite: the reply
  // is written after other requests may have run, so it gets bytes of its own.
  return Buffer.from(cbor().encoder.encode(value));
}

function encodeValue(shape: Shape, value: unknown): unknown {
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
        if (v !== undefined && v !== null) setEntry(out, k, encodeValue(shape.value, v));
      return out;
    }
    case 'blob':
      // A Buffer is written as a plain byte string (major type 2), never a tagged typed array.
      return Buffer.isBuffer(value) ? value : toBuffer(value as Uint8Array);
    case 'timestamp': {
      const millis = value instanceof Date ? value.getTime() : Math.round((value as number) * 1000);
      return new (cbor().Tag)(wholeNumber(millis), EPOCH_TAG);
    }
    case 'integer':
    case 'long':
      return typeof value === 'number' ? wholeNumber(value) : value;
    default:
      return value;
  }
}

// The generic Kafka codec: requests and responses read and written by walking the message schemas
// generated from Apache Kafka's JSON message definitions (src/protocols/models/kafka-protocol.ts,
// written by `npm run models:kafka`). Hand-written because no maintained library serves the
// broker's side of the protocol: client libraries encode requests and decode responses only.
//
// Bodies are plain objects whose keys are the schema's field names in camelCase
// (`TopicData` → `topicData`, `PartitionIndex` → `partitionIndex`, `ErrorCode` → `errorCode`).
// int64 fields are bigint, uuid fields are 22-character base64url strings of Kafka's Uuid (the
// form Kafka prints; all-zero is "AAAAAAAAAAAAAAAAAAAAAA"), `bytes` fields are Buffers, `records`
// fields are Buffers on decode (views of the frame), and on encode a Buffer, an array of Buffers
// (written one after the other under one length: a Fetch answer hands stored batches out without
// copying) or null. Tagged fields are named like the others. Encoding fills every field the body
// leaves out with the schema's default (0, "", [], false, null where the default is null), so
// handlers set only what they answer; decoding does the same for fields the version lacks.
import { REQUEST_HEADER, REQUESTS, RESPONSE_HEADER, RESPONSES } from '../models/kafka-protocol.js';
import { inRange, type KafkaField, type KafkaMessageSchema } from './schema.js';

/** The request header, any version (v1 and v2 carry the client id; v2 adds tagged fields). */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** A frame that cannot be read as the schema says: Kafka closes the connection. */
export class KafkaDecodeError extends Error {}

const API_VERSIONS_KEY = 18;
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

class Reader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number = buf.length,
  ) {}

  need(n: number): void {
    if (this.pos + n > this.end) throw new KafkaDecodeError('frame ends inside a field');
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  uint16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1);
      const b = this.buf[this.pos++];
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw new KafkaDecodeError('varint out of range');
        return value;
      }
    }
    throw new KafkaDecodeError('varint longer than 5 bytes');
  }

  slice(n: number): Buffer {
    if (n < 0) throw new KafkaDecodeError('negative length');
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** Appends to a list of chunks: small values are copied into a working buffer, large ones kept by reference. */
class Writer {
  readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(512);
  private pos = 0;
  length = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    this.buf = Buffer.allocUnsafe(Math.max(n, 4096));
  }

  private flush(): void {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = this.buf.subarray(this.pos);
    this.pos = 0;
  }

  int8(v: number): void {
    this.room(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    this.length += 1;
  }

  int16(v: number): void {
    this.room(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    this.length += 2;
  }

  uint16(v: number): void {
    this.room(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    this.length += 2;
  }

  int32(v: number): void {
    this.room(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    this.length += 4;
  }

  int64(v: bigint): void {
    this.room(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
    this.length += 8;
  }

  float64(v: number): void {
    this.room(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    this.length += 8;
  }

  uvarint(v: number): void {
    this.room(5);
    let value = v >>> 0;
    while (value >= 0x80) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      this.length++;
      value >>>= 7;
    }
    this.buf[this.pos++] = value;
    this.length++;
  }

  bytes(data: Uint8Array): void {
    if (data.length >= 1024) {
      this.flush();
      this.chunks.push(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length));
      this.length += data.length;
      return;
    }
    this.room(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    this.length += data.length;
  }

  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }
}

function isFlexible(schema: KafkaMessageSchema, version: number): boolean {
  return inRange(schema.flexible, version);
}

function compactFor(field: KafkaField, flexible: boolean, version: number): boolean {
  if (!flexible) return false;
  return field.fv === undefined ? true : inRange(field.fv, version);
}

function defaultOf(field: KafkaField, version: number): unknown {
  const d = field.d;
  if (d === 'null') return null;
  switch (field.t) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint16':
    case 'float64':
      return d === undefined ? 0 : Number(d);
    case 'int64':
      return d === undefined ? 0n : BigInt(d);
    case 'bool':
      return d === 'true';
    case 'string':
      return d ?? '';
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
    case 'records':
      return inRange(field.nv, version) ? null : Buffer.alloc(0);
    case 'array':
      return [];
    case 'struct':
      return defaultStruct(field.f ?? [], version);
  }
}

function defaultStruct(fields: KafkaField[], version: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.n] = defaultOf(f, version);
  return out;
}

function isTagged(field: KafkaField, version: number): boolean {
  return field.tag !== undefined && inRange(field.tv, version);
}

// ---- decoding ----

function readStruct(
  fields: KafkaField[],
  version: number,
  flexible: boolean,
  r: Reader,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (isTagged(f, version) || !inRange(f.v, version)) out[f.n] = defaultOf(f, version);
    else out[f.n] = readValue(f, version, flexible, r);
  }
  if (flexible) readTaggedFields(fields, version, r, out);
  return out;
}

function readTaggedFields(
  fields: KafkaField[],
  version: number,
  r: Reader,
  out: Record<string, unknown>,
): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    r.need(size);
    const field = fields.find((f) => f.tag === tag && inRange(f.tv, version));
    if (field) {
      const sub = new Reader(r.buf, r.pos, r.pos + size);
      out[field.n] = readValue(field, version, true, sub);
    }
    r.pos += size;
  }
}

function uuidOf(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function readValue(f: KafkaField, version: number, flexible: boolean, r: Reader): unknown {
  const nullable = inRange(f.nv, version);
  const compact = compactFor(f, flexible, version);
  switch (f.t) {
    case 'int8':
      return r.int8();
    case 'int16':
      return r.int16();
    case 'int32':
      return r.int32();
    case 'uint16':
      return r.uint16();
    case 'int64':
      return r.int64();
    case 'float64':
      return r.float64();
    case 'bool':
      return r.int8() !== 0;
    case 'uuid':
      return uuidOf(r.slice(16));
    case 'string': {
      const length = compact ? r.uvarint() - 1 : r.int16();
      if (length < 0) {
        if (!nullable) throw new KafkaDecodeError(`null string in non-nullable field ${f.n}`);
        return null;
      }
      return r.slice(length).toString('utf8');
    }
    case 'bytes':
    case 'records': {
      const length = compact ? r.uvarint() - 1 : r.int32();
      if (length < 0) {
        if (!nullable) throw new KafkaDecodeError(`null bytes in non-nullable field ${f.n}`);
        return null;
      }
      return r.slice(length);
    }
    case 'struct': {
      if (nullable && r.int8() < 0) return null;
      return readStruct(f.f ?? [], version, flexible, r);
    }
    case 'array': {
      const count = compact ? r.uvarint() - 1 : r.int32();
      if (count < 0) {
        if (!nullable) throw new KafkaDecodeError(`null array in non-nullable field ${f.n}`);
        return null;
      }
      // Every element takes at least a byte: a count beyond the frame is a lie, not an allocation.
      if (count > r.end - r.pos) throw new KafkaDecodeError(`array ${f.n} longer than its frame`);
      const out = new Array(count);
      if (f.e === 'struct') {
        for (let i = 0; i < count; i++) out[i] = readStruct(f.f ?? [], version, flexible, r);
      } else {
        const element: KafkaField = { n: f.n, t: f.e ?? 'int8', v: f.v };
        for (let i = 0; i < count; i++) out[i] = readValue(element, version, flexible, r);
      }
      return out;
    }
  }
}

// ---- encoding ----

function isDefault(f: KafkaField, value: unknown, version: number): boolean {
  if (value === undefined) return true;
  const d = defaultOf(f, version);
  if (value === null || d === null) return value === d;
  if (Array.isArray(value)) return value.length === 0;
  if (Buffer.isBuffer(value)) return value.length === 0 && Buffer.isBuffer(d);
  if (typeof value === 'object') return false;
  return value === d;
}

function writeStruct(
  fields: KafkaField[],
  body: Record<string, unknown> | undefined,
  version: number,
  flexible: boolean,
  w: Writer,
): void {
  let tagged: KafkaField[] | undefined;
  for (const f of fields) {
    if (!inRange(f.v, version)) continue;
    const value = body?.[f.n];
    if (isTagged(f, version)) {
      if (!isDefault(f, value, version)) {
        tagged ??= [];
        tagged.push(f);
      }
      continue;
    }
    writeValue(f, value === undefined ? defaultOf(f, version) : value, version, flexible, w);
  }
  if (!flexible) return;
  if (!tagged) {
    w.uvarint(0);
    return;
  }
  tagged.sort((a, b) => (a.tag ?? 0) - (b.tag ?? 0));
  w.uvarint(tagged.length);
  for (const f of tagged) {
    const inner = new Writer();
    writeValue(f, body?.[f.n], version, true, inner);
    w.uvarint(f.tag ?? 0);
    w.uvarint(inner.length);
    for (const chunk of inner.finish()) w.bytes(chunk);
  }
}

function uuidBytes(value: unknown, field: string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== 16) throw new TypeError(`${field}: not a Kafka uuid: ${String(value)}`);
  return bytes;
}

function writeLength(compact: boolean, length: number, w: Writer, wide: boolean): void {
  if (compact) w.uvarint(length + 1);
  else if (wide) w.int32(length);
  else w.int16(length);
}

function writeValue(f: KafkaField, value: unknown, version: number, flexible: boolean, w: Writer): void {
  const nullable = inRange(f.nv, version);
  const compact = compactFor(f, flexible, version);
  if (value === null && f.t !== 'int64') {
    if (!nullable) throw new TypeError(`${f.n} is not nullable at version ${version}`);
    if (f.t === 'struct') w.int8(-1);
    else if (compact) w.uvarint(0);
    else writeLength(false, -1, w, f.t !== 'string');
    return;
  }
  switch (f.t) {
    case 'int8':
      w.int8(Number(value));
      return;
    case 'int16':
      w.int16(Number(value));
      return;
    case 'int32':
      w.int32(Number(value));
      return;
    case 'uint16':
      w.uint16(Number(value));
      return;
    case 'int64':
      w.int64(typeof value === 'bigint' ? value : BigInt(value as number));
      return;
    case 'float64':
      w.float64(Number(value));
      return;
    case 'bool':
      w.int8(value ? 1 : 0);
      return;
    case 'uuid':
      w.bytes(uuidBytes(value, f.n));
      return;
    case 'string': {
      const bytes = Buffer.from(String(value), 'utf8');
      if (!compact && bytes.length > 0x7fff) throw new TypeError(`${f.n}: string longer than 32767 bytes`);
      writeLength(compact, bytes.length, w, false);
      w.bytes(bytes);
      return;
    }
    case 'bytes':
    case 'records': {
      const parts = Array.isArray(value) ? (value as Buffer[]) : [value as Buffer];
      let length = 0;
      for (const p of parts) length += p.length;
      writeLength(compact, length, w, true);
      for (const p of parts) w.bytes(p);
      return;
    }
    case 'struct':
      if (nullable) w.int8(1);
      writeStruct(f.f ?? [], value as Record<string, unknown>, version, flexible, w);
      return;
    case 'array': {
      const items = value as unknown[];
      writeLength(compact, items.length, w, true);
      if (f.e === 'struct') {
        for (const item of items)
          writeStruct(f.f ?? [], item as Record<string, unknown>, version, flexible, w);
      } else {
        const element: KafkaField = { n: f.n, t: f.e ?? 'int8', v: f.v };
        for (const item of items) writeValue(element, item, version, flexible, w);
      }
      return;
    }
  }
}

function framed(w: Writer): Buffer[] {
  const chunks = w.finish();
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(w.length, 0);
  return [size, ...chunks];
}

// ---- messages ----

function requestSchema(apiKey: number): KafkaMessageSchema | undefined {
  return Object.hasOwn(REQUESTS, apiKey) ? REQUESTS[apiKey] : undefined;
}

function responseSchema(apiKey: number): KafkaMessageSchema {
  const schema = Object.hasOwn(RESPONSES, apiKey) ? RESPONSES[apiKey] : undefined;
  if (!schema) throw new TypeError(`no Kafka response schema for API ${apiKey}`);
  return schema;
}

/** Header v2 for flexible request versions; ApiVersions above what we know is read as flexible (KIP-511). */
function requestHeaderFlexible(apiKey: number, version: number): boolean {
  const schema = requestSchema(apiKey);
  if (schema && inRange(schema.valid, version)) return isFlexible(schema, version);
  return apiKey === API_VERSIONS_KEY && version >= 3;
}

function responseHeaderFlexible(apiKey: number, version: number): boolean {
  return apiKey !== API_VERSIONS_KEY && isFlexible(responseSchema(apiKey), version);
}

/** Reads the header of a request frame (the frame without its 4-byte size). */
export function readRequestHeader(frame: Buffer): { header: RequestHeader; bodyOffset: number } {
  const r = new Reader(frame, 0);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const flexible = requestHeaderFlexible(apiKey, apiVersion);
  r.pos = 0;
  const header = readStruct(REQUEST_HEADER.fields, flexible ? 2 : 1, flexible, r);
  return {
    header: {
      apiKey: header.requestApiKey as number,
      apiVersion: header.requestApiVersion as number,
      correlationId: header.correlationId as number,
      clientId: header.clientId as string | null,
    },
    bodyOffset: r.pos,
  };
}

/** Decodes a request body of `apiKey` at `version` from `frame` at `offset`. */
export function decodeRequest(
  apiKey: number,
  version: number,
  frame: Buffer,
  offset: number,
): Record<string, any> {
  const schema = requestSchema(apiKey);
  if (!schema || !inRange(schema.valid, version)) {
    throw new KafkaDecodeError(`no schema for API ${apiKey} version ${version}`);
  }
  return readStruct(schema.fields, version, isFlexible(schema, version), new Reader(frame, offset));
}

/**
 * A response as the chunks to write: the 4-byte size, the response header (v0, or v1 for
 * flexible versions; ApiVersions always v0, as KIP-511 needs), then the body.
 */
export function encodeResponse(
  apiKey: number,
  version: number,
  correlationId: number,
  body: Record<string, unknown>,
): Buffer[] {
  const schema = responseSchema(apiKey);
  const w = new Writer();
  const headerFlexible = responseHeaderFlexible(apiKey, version);
  writeStruct(RESPONSE_HEADER.fields, { correlationId }, headerFlexible ? 1 : 0, headerFlexible, w);
  writeStruct(schema.fields, body, version, isFlexible(schema, version), w);
  return framed(w);
}

/** For clients in tests and the null broker of the benchmark: a request as chunks to write. */
export function encodeRequest(
  apiKey: number,
  version: number,
  correlationId: number,
  clientId: string | null,
  body: Record<string, unknown>,
): Buffer[] {
  const schema = requestSchema(apiKey);
  if (!schema) throw new TypeError(`no Kafka request schema for API ${apiKey}`);
  const w = new Writer();
  const flexible = requestHeaderFlexible(apiKey, version);
  writeStruct(
    REQUEST_HEADER.fields,
    { requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId },
    flexible ? 2 : 1,
    flexible,
    w,
  );
  writeStruct(schema.fields, body, version, isFlexible(schema, version), w);
  return framed(w);
}

/** For clients in tests: a response frame (without its size) read back. */
export function decodeResponse(
  apiKey: number,
  version: number,
  frame: Buffer,
): { correlationId: number; body: Record<string, any> } {
  const schema = responseSchema(apiKey);
  const r = new Reader(frame, 0);
  const headerFlexible = responseHeaderFlexible(apiKey, version);
  const header = readStruct(RESPONSE_HEADER.fields, headerFlexible ? 1 : 0, headerFlexible, r);
  return {
    correlationId: header.correlationId as number,
    body: readStruct(schema.fields, version, isFlexible(schema, version), r),
  };
}

/** The versions of each API the schemas know (not what the broker advertises: that is the broker's). */
export function schemaVersions(apiKey: number): { min: number; max: number } | undefined {
  const valid = requestSchema(apiKey)?.valid;
  return valid ? { min: valid[0], max: valid[1] } : undefined;
}

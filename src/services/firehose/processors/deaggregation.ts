import { createHash } from 'node:crypto';
import type * as F from '@aws-sdk/client-firehose';
import { type FailedRecord, parameter, type StepResult, type WorkRecord } from './types.js';

/** The KPL's aggregated-record magic, before the protobuf AggregatedRecord and its MD5. */
export const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);

class Reader {
  at = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly end = bytes.length,
  ) {}

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.end) throw new Error('truncated varint');
      const byte = this.bytes[this.at++];
      result += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }

  bytesField(): Uint8Array {
    const length = this.varint();
    if (this.at + length > this.end) throw new Error('truncated field');
    const value = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.at += 8;
    else if (wireType === 2) this.bytesField();
    else if (wireType === 5) this.at += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
    if (this.at > this.end) throw new Error('truncated field');
  }
}

/**
 * The user records of a KPL-aggregated record, or undefined when it is not one (no magic, or an
 * MD5 that does not match: the KCL then hands the record on whole, and so does Firehose).
 */
export function deaggregateKpl(data: Uint8Array): Uint8Array[] | undefined {
  if (data.length < KPL_MAGIC.length + 16) return undefined;
  if (!KPL_MAGIC.equals(data.subarray(0, KPL_MAGIC.length))) return undefined;
  const message = data.subarray(KPL_MAGIC.length, data.length - 16);
  const digest = createHash('md5').update(message).digest();
  if (!digest.equals(data.subarray(data.length - 16))) return undefined;
  try {
    const records: Uint8Array[] = [];
    const reader = new Reader(message);
    while (reader.at < reader.end) {
      const tag = reader.varint();
      if (tag >>> 3 === 3 && (tag & 7) === 2) {
        const body = reader.bytesField();
        const inner = new Reader(body);
        let payload: Uint8Array | undefined;
        while (inner.at < inner.end) {
          const innerTag = inner.varint();
          if (innerTag >>> 3 === 3 && (innerTag & 7) === 2) payload = inner.bytesField();
          else inner.skip(innerTag & 7);
        }
        records.push(payload ?? new Uint8Array(0));
      } else {
        reader.skip(tag & 7);
      }
    }
    return records;
  } catch {
    return undefined;
  }
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Splits concatenated JSON values (`{…}{…}`, `{…}\n{…}`); throws when the bytes are not JSON. */
export function splitJson(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < data.length) {
    while (i < data.length && WHITESPACE.has(data[i])) i++;
    if (i >= data.length) break;
    const start = i;
    const first = data[i];
    if (first === 0x7b || first === 0x5b) {
      let depth = 0;
      let inString = false;
      for (; i < data.length; i++) {
        const c = data[i];
        if (inString) {
          if (c === 0x5c) i++;
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
      if (depth !== 0) throw new SyntaxError('Unterminated JSON value');
    } else if (first === 0x22) {
      for (i++; i < data.length && data[i] !== 0x22; i++) if (data[i] === 0x5c) i++;
      if (i >= data.length) throw new SyntaxError('Unterminated JSON string');
      i++;
    } else {
      while (i < data.length && !WHITESPACE.has(data[i]) && data[i] !== 0x7b && data[i] !== 0x5b) i++;
    }
    const value = data.subarray(start, i);
    JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'));
    out.push(value);
  }
  return out;
}

/** Splits on a delimiter; empty pieces (a trailing delimiter, two in a row) carry no record. */
export function splitDelimited(data: Uint8Array, delimiter: Uint8Array): Uint8Array[] {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (delimiter.length === 0) return [data];
  const out: Uint8Array[] = [];
  let start = 0;
  for (;;) {
    const at = bytes.indexOf(delimiter, start);
    const end = at < 0 ? bytes.length : at;
    if (end > start) out.push(data.subarray(start, end));
    if (at < 0) return out;
    start = at + delimiter.length;
  }
}

/**
 * RecordDeAggregation: KPL-aggregated records are opened first, then each record is split as
 * SubRecordType says (JSON values, or DELIMITED by the base64 Delimiter parameter).
 */
export function deaggregate(records: WorkRecord[], processor: F.Processor): StepResult {
  const type = (parameter(processor, 'SubRecordType') ?? 'JSON').toUpperCase();
  const delimiterParam = parameter(processor, 'Delimiter');
  const delimiter = delimiterParam ? Buffer.from(delimiterParam, 'base64') : Buffer.from('\n');
  const out: WorkRecord[] = [];
  const failed: FailedRecord[] = [];
  for (const record of records) {
    const parts = deaggregateKpl(record.data) ?? [record.data];
    try {
      const pieces = parts.flatMap((part) =>
        type === 'DELIMITED' ? splitDelimited(part, delimiter) : splitJson(part),
      );
      for (const data of pieces) out.push({ ...record, data });
    } catch (err) {
      failed.push({
        source: record.source,
        errorCode: 'RecordDeAggregation.InvalidJson',
        errorMessage: `The record is not a sequence of JSON values: ${(err as Error).message}`,
      });
    }
  }
  return { records: out, failed };
}

import {
  dateToUtcString,
  parseEpochTimestamp,
  parseRfc3339DateTimeWithOffset,
  parseRfc7231DateTime,
  quoteHeader,
  splitHeader,
} from '@smithy/core/serde';
import type {
  Member,
  ScalarShape,
  Shape,
  StructureShape,
  TimestampFormat,
  ValidationErrors,
} from './shapes.js';

/**
 * What restJson1 and restXml share: where a member travels outside the body (URI labels, query
 * string, headers, prefix headers, status code) and how its scalar is written there. The body
 * codecs (rest-json.ts, rest-xml.ts) handle the rest.
 */

/** The parts of a request that located members come from. */
export interface RequestParts {
  /** URI label values, already percent-decoded, by label name. */
  labels: Record<string, string>;
  query: URLSearchParams;
  /** Header names in lower case, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
}

type Headers = RequestParts['headers'];

/** Where a located member is taken from: label, query key or header name (lower-cased). */
function nameOf(name: string, member: Member): string {
  return member.locationName ?? name;
}

function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Reads every member of `shape` that has a location from the request into `input`. Members
 * without a location are the body's, left to the caller.
 */
export function decodeLocated(
  shape: StructureShape,
  parts: RequestParts,
  errors: ValidationErrors,
  input: Record<string, unknown>,
): void {
  for (const [name, member] of shape.memberList) {
    switch (member.location) {
      case 'uri': {
        const raw = parts.labels[nameOf(name, member)];
        if (raw !== undefined) input[name] = parseScalar(member, raw, name, errors, 'iso8601');
        break;
      }
      case 'querystring': {
        const claimed = member.shape.type === 'map' ? claimedQueryKeys(shape) : undefined;
        const value = decodeQueryMember(name, member, parts.query, errors, claimed);
        if (value !== undefined) input[name] = value;
        break;
      }
      case 'header': {
        const raw = headerValue(parts.headers, nameOf(name, member));
        if (raw === undefined) break;
        const { shape: memberShape } = member;
        input[name] =
          memberShape.type === 'list'
            ? splitList(memberShape.member, raw).map((item) =>
                parseScalar({ shape: memberShape.member }, item, name, errors, 'rfc822'),
              )
            : parseScalar(member, raw, name, errors, 'rfc822');
        break;
      }
      case 'headers': {
        const prefix = nameOf(name, member).toLowerCase();
        const map: Record<string, string> = {};
        let found = false;
        for (const [key, value] of Object.entries(parts.headers)) {
          if (value === undefined || !key.startsWith(prefix)) continue;
          map[key.slice(prefix.length)] = Array.isArray(value) ? value.join(', ') : value;
          found = true;
        }
        if (found) input[name] = map;
        break;
      }
    }
  }
}

function decodeQueryMember(
  name: string,
  member: Member,
  query: URLSearchParams,
  errors: ValidationErrors,
  claimed: Set<string> | undefined,
): unknown {
  const { shape } = member;
  if (shape.type === 'map') {
    // A query map takes every parameter that no other member names (a model has at most one).
    const map: Record<string, unknown> = {};
    let found = false;
    for (const key of new Set(query.keys())) {
      if (claimed?.has(key)) continue;
      const values = query.getAll(key);
      map[key] = shape.value.type === 'list' ? values : values[0];
      found = true;
    }
    return found ? map : undefined;
  }
  const key = nameOf(name, member);
  if (shape.type === 'list') {
    const values = query.getAll(key);
    if (values.length === 0) return undefined;
    return values.map((v) => parseScalar({ shape: shape.member }, v, name, errors, 'iso8601'));
  }
  const raw = query.get(key);
  if (raw === '' && errors.emptyQueryNumberIsAbsent && (shape.type === 'integer' || shape.type === 'long'))
    return undefined;
  return raw === null ? undefined : parseScalar(member, raw, name, errors, 'iso8601');
}

/** Query map members collect whatever the others leave; they need to know which keys those are. */
function claimedQueryKeys(shape: StructureShape): Set<string> {
  const keys = new Set<string>();
  for (const [name, member] of shape.memberList) {
    if (member.location === 'querystring' && member.shape.type !== 'map') keys.add(nameOf(name, member));
  }
  return keys;
}

/** Header lists are comma-separated; http-dates hold a comma of their own, so they pair up. */
function splitList(item: Shape, raw: string): string[] {
  if (item.type === 'timestamp' && (item.timestampFormat ?? 'rfc822') === 'rfc822') {
    const parts = raw.split(',').map((p) => p.trim());
    const dates: string[] = [];
    for (let i = 0; i < parts.length; i += 2) dates.push(`${parts[i]}, ${parts[i + 1] ?? ''}`);
    return dates;
  }
  return splitHeader(raw).map((p) => p.trim());
}

/** One scalar from a label, query value or header. */
function parseScalar(
  member: Pick<Member, 'shape' | 'timestampFormat'>,
  raw: string,
  path: string,
  errors: ValidationErrors,
  defaultFormat: TimestampFormat,
): unknown {
  const shape = member.shape as ScalarShape;
  switch (shape.type) {
    case 'string':
      return raw;
    case 'integer':
    case 'long': {
      if (!/^[+-]?\d+$/.test(raw.trim())) throw errors.invalidType(path, raw, shape.type, 'query');
      return Number(raw);
    }
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || (Number.isNaN(n) && raw !== 'NaN'))
        throw errors.invalidType(path, raw, 'double', 'query');
      return n;
    }
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw errors.invalidType(path, raw, 'boolean', 'query');
    case 'blob':
      return Buffer.from(raw, 'base64');
    case 'timestamp': {
      const date = parseTimestamp(raw, member.timestampFormat ?? shape.timestampFormat ?? defaultFormat);
      if (!date) throw errors.invalidType(path, raw, 'timestamp', 'query');
      return date;
    }
    default:
      throw errors.invalidType(path, raw, shape.type, 'query');
  }
}

/** Parses a timestamp in `format`, or in any of the three when it does not fit (as AWS is lenient). */
export function parseTimestamp(raw: string, format: TimestampFormat): Date | undefined {
  const order: TimestampFormat[] = [format, 'iso8601', 'rfc822', 'unixTimestamp'];
  for (const f of order) {
    try {
      const date =
        f === 'iso8601'
          ? parseRfc3339DateTimeWithOffset(raw)
          : f === 'rfc822'
            ? parseRfc7231DateTime(raw)
            : /^-?\d+(\.\d+)?$/.test(raw)
              ? parseEpochTimestamp(Number(raw))
              : undefined;
      if (date && !Number.isNaN(date.getTime())) return date;
    } catch {
      // Not this format: try the next.
    }
  }
  return undefined;
}

export function formatTimestamp(value: unknown, format: TimestampFormat): string | number {
  const date = value instanceof Date ? value : new Date(value as string | number);
  switch (format) {
    case 'rfc822':
      return dateToUtcString(date);
    case 'unixTimestamp':
      return date.getTime() / 1000;
    default:
      // Always with milliseconds, as S3 writes them (`2009-10-12T17:50:30.000Z`).
      return date.toISOString();
  }
}

/** A scalar written into a header or URI: strings as they are, timestamps as http-dates by default. */
function formatScalar(member: Member, shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'timestamp':
      return String(formatTimestamp(value, member.timestampFormat ?? shape.timestampFormat ?? 'rfc822'));
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      return String(value);
  }
}

/** Response headers and status code from an output's located members. */
export function encodeLocated(
  shape: StructureShape,
  output: Record<string, unknown>,
  headers: Record<string, string>,
): number | undefined {
  let status: number | undefined;
  for (const [name, member] of shape.memberList) {
    const value = output[name];
    if (value === undefined || value === null) continue;
    switch (member.location) {
      case 'statusCode':
        status = Number(value);
        break;
      case 'header': {
        const key = nameOf(name, member).toLowerCase();
        if (member.shape.type === 'list') {
          const item = member.shape.member;
          headers[key] = headerSafe(
            (value as unknown[])
              .map((v) => (item.type === 'string' ? quoteHeader(String(v)) : formatScalar(member, item, v)))
              .join(', '),
          );
        } else {
          headers[key] = headerSafe(formatScalar(member, member.shape, value));
        }
        break;
      }
      case 'headers': {
        const prefix = nameOf(name, member).toLowerCase();
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (v !== undefined && v !== null) headers[prefix + k.toLowerCase()] = headerSafe(String(v));
        }
        break;
      }
    }
  }
  return status;
}

/**
 * A value that can travel in a header: anything beyond printable ASCII (a line break would be a
 * header injection, a non-ASCII character is refused by node:http) goes as an RFC 2047 encoded
 * word, as S3 answers user metadata that is not ASCII.
 */
export function headerSafe(value: string): string {
  return /^[\x20-\x7e\t]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** True when the member travels in the body (not a label, query value, header or the status). */
export function inBody(member: Member): boolean {
  return member.location === undefined;
}

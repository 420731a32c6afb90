import { setEntry } from '../core/entries.js';
import type { ListShape, MapShape, Member, Shape, StructureShape, ValidationErrors } from './shapes.js';

/**
 * awsQuery codec: form-encoded requests in, XML documents out. List and map
 * members follow the Smithy awsQuery rules: `Name.member.N` unless flattened
 * (`Name.N`), maps as `Name.entry.N.key/value` unless flattened
 * (`Name.N.<keyName>/<valueName>`), with xmlName renaming members.
 */
export type QueryParams = Map<string, string>;

export function parseForm(body: string): QueryParams {
  const params: QueryParams = new Map();
  for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  return params;
}

export function decodeQuery(
  shape: StructureShape,
  params: QueryParams,
  errors: ValidationErrors,
): Record<string, unknown> {
  return decodeStructure(shape, params, '', errors);
}

function wireName(name: string, member: Member): string {
  return member.xmlName ?? name;
}

function decodeStructure(
  shape: StructureShape,
  params: QueryParams,
  prefix: string,
  errors: ValidationErrors,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of shape.memberList) {
    const key = prefix + wireName(name, member);
    const value = decodeMember(member, params, key, errors);
    if (value !== undefined) out[name] = value;
  }
  // A service that checks constraints reports missing members itself, with the other failures.
  if (!errors.constraints) {
    for (const name of shape.required) {
      if (out[name] === undefined) throw errors.missing(prefix + wireName(name, shape.members[name]));
    }
  }
  return out;
}

function decodeMember(member: Member, params: QueryParams, key: string, errors: ValidationErrors): unknown {
  const { shape } = member;
  if (shape.type === 'list') return decodeList(shape, member.flattened === true, params, key, errors);
  if (shape.type === 'map') return decodeMap(shape, member.flattened === true, params, key, errors);
  return decodeShape(shape, params, key, errors);
}

function decodeShape(shape: Shape, params: QueryParams, key: string, errors: ValidationErrors): unknown {
  switch (shape.type) {
    case 'structure':
      return hasPrefix(params, `${key}.`) ? decodeStructure(shape, params, `${key}.`, errors) : undefined;
    case 'list':
      return decodeList(shape, false, params, key, errors);
    case 'map':
      return decodeMap(shape, false, params, key, errors);
    default: {
      const raw = params.get(key);
      return raw === undefined ? undefined : decodeScalar(shape.type, raw, key, errors);
    }
  }
}

function decodeList(
  shape: ListShape,
  flattened: boolean,
  params: QueryParams,
  key: string,
  errors: ValidationErrors,
): unknown[] | undefined {
  const base = flattened ? key : `${key}.${shape.memberName ?? 'member'}`;
  const items: unknown[] = [];
  for (let i = 1; ; i++) {
    const item = decodeShape(shape.member, params, `${base}.${i}`, errors);
    if (item === undefined) break;
    items.push(item);
  }
  // An explicitly empty list is sent as `Name=` by the SDKs.
  if (items.length === 0) return params.has(key) ? [] : undefined;
  return items;
}

function decodeMap(
  shape: MapShape,
  flattened: boolean,
  params: QueryParams,
  key: string,
  errors: ValidationErrors,
): Record<string, unknown> | undefined {
  const base = flattened ? key : `${key}.entry`;
  const keyName = shape.keyName ?? 'key';
  const valueName = shape.valueName ?? 'value';
  const out: Record<string, unknown> = {};
  let found = false;
  for (let i = 1; ; i++) {
    const entryKey = params.get(`${base}.${i}.${keyName}`);
    if (entryKey === undefined) break;
    found = true;
    const value = decodeShape(shape.value, params, `${base}.${i}.${valueName}`, errors);
    if (value !== undefined) setEntry(out, entryKey, value);
  }
  // An explicitly empty map is sent as `Name=`, like an empty list.
  if (!found) return params.has(key) ? out : undefined;
  return out;
}

function decodeScalar(type: Shape['type'], raw: string, key: string, errors: ValidationErrors): unknown {
  switch (type) {
    case 'integer':
    case 'long': {
      if (!/^[-+]?\d+$/.test(raw.trim())) throw errors.invalidType(key, raw, type, 'query');
      return Number(raw);
    }
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw errors.invalidType(key, raw, type, 'query');
      return n;
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw errors.invalidType(key, raw, type, 'query');
      return lower === 'true';
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    case 'timestamp': {
      const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(date.getTime())) throw errors.invalidType(key, raw, type, 'query');
      return date;
    }
    default:
      return raw;
  }
}

function hasPrefix(params: QueryParams, prefix: string): boolean {
  for (const k of params.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

// XML is written by hand: the shape walk decides element order and flattening,
// and message bodies need `\r` kept as a character reference, which the
// general-purpose builders do not do.
const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
};

/**
 * Besides markup, the characters XML 1.0 does not allow (§2.2: most C0 controls, lone surrogates,
 * U+FFFE and U+FFFF), which not even a character reference may carry: an error text that quotes
 * such input shows U+FFFD in their place, so the document stays well-formed.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding those characters is the point.
const NEEDS_ESCAPE = /[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/gu;
// The same class without the Unicode flag (any surrogate, paired or not): a plain test that rules
// out most texts (ids, ARNs, URLs) at half the cost of the replace above, which SendMessage pays.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding those characters is the point.
const MAY_NEED_ESCAPE = /[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

export function escapeXml(text: string): string {
  if (!MAY_NEED_ESCAPE.test(text)) return text;
  return text.replace(NEEDS_ESCAPE, (c) => XML_ESCAPES[c] ?? '\ufffd');
}

export function encodeXmlMembers(shape: StructureShape, value: Record<string, unknown>): string {
  let xml = '';
  for (const [name, member] of shape.memberList) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    xml += encodeXmlMember(wireName(name, member), member, v);
  }
  return xml;
}

function encodeXmlMember(name: string, member: Member, value: unknown): string {
  const { shape } = member;
  if (member.flattened && shape.type === 'list') {
    return (value as unknown[]).map((item) => element(name, encodeXmlShape(shape.member, item))).join('');
  }
  if (member.flattened && shape.type === 'map') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(name, mapEntry(shape, k, v)))
      .join('');
  }
  return element(name, encodeXmlShape(shape, value));
}

function mapEntry(shape: MapShape, key: string, value: unknown): string {
  return (
    element(shape.keyName ?? 'key', escapeXml(key)) +
    element(shape.valueName ?? 'value', encodeXmlShape(shape.value, value))
  );
}

function encodeXmlShape(shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'structure':
      return encodeXmlMembers(shape, value as Record<string, unknown>);
    case 'list': {
      const memberName = shape.memberName ?? 'member';
      return (value as unknown[])
        .map((item) => element(memberName, encodeXmlShape(shape.member, item)))
        .join('');
    }
    case 'map':
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => element('entry', mapEntry(shape, k, v)))
        .join('');
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : String(value);
    default:
      return escapeXml(String(value));
  }
}

function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

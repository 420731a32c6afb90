import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ServiceError } from './errors.js';
import { formatTimestamp, inBody, parseTimestamp } from './http-bindings.js';
import type { ListShape, MapShape, Member, Shape, StructureShape, ValidationErrors } from './shapes.js';

/**
 * restXml bodies: elements named by the model's `locationName`/`xmlName` (else the member name),
 * lists wrapped in `<member>` items unless flattened, maps as `<entry><key/><value/></entry>`
 * unless flattened, attributes where the model says so, timestamps in ISO 8601 unless it names
 * another format. Parsing is fast-xml-parser's; what the tree means is read here from the shape.
 */

export const REST_XML_CONTENT_TYPE = 'application/xml';

const ATTRIBUTE = '@_';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE,
  // Values stay text: the shape says what each one is.
  parseTagValue: false,
  parseAttributeValue: false,
  // Keys and prefixes may begin or end with spaces; they must survive.
  trimValues: false,
  removeNSPrefix: true,
  processEntities: true,
  htmlEntities: false,
});

type Node = Record<string, unknown>;

/** The element name of a member (or of a list item, for flattened lists). */
function elementOf(name: string, member: Member): string {
  return member.xmlName ?? (member.location === undefined ? member.locationName : undefined) ?? name;
}

/** Parses a document, answering the service's malformed-body error for anything not well-formed. */
export function parseXmlDocument(
  body: Buffer,
  errors: ValidationErrors,
): { root: string; node: unknown } | undefined {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  // No document type declarations: entity expansion is an attack surface, and AWS accepts none.
  if (/<!DOCTYPE/i.test(text) || XMLValidator.validate(text) !== true)
    throw errors.malformed('The XML you provided was not well-formed.');
  let parsed: Node;
  try {
    parsed = parser.parse(text) as Node;
  } catch {
    throw errors.malformed('The XML you provided was not well-formed.');
  }
  const root = Object.keys(parsed).find((k) => k !== '?xml' && !k.startsWith(ATTRIBUTE) && k !== '#text');
  if (root === undefined) throw errors.malformed('The XML you provided was not well-formed.');
  return { root, node: parsed[root] };
}

/** The body members of `shape` from the children of the document's root, into `input`. */
export function decodeXmlBody(
  shape: StructureShape,
  node: unknown,
  errors: ValidationErrors,
  input: Record<string, unknown>,
): void {
  const decoded = decodeStructure(shape, node, '', errors, true) as Record<string, unknown>;
  Object.assign(input, decoded);
}

/** A structure payload (S3's `<Delete>`): the whole document is that member. */
export function decodeXmlPayload(
  member: Member,
  node: unknown,
  path: string,
  errors: ValidationErrors,
): unknown {
  return decodeValue(member, member.shape, node, path, errors);
}

function asNode(value: unknown): Node {
  // An element with no children parses as '' (or as its text).
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : {};
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function decodeStructure(
  shape: StructureShape,
  value: unknown,
  path: string,
  errors: ValidationErrors,
  bodyOnly: boolean,
): Record<string, unknown> {
  const node = asNode(value);
  const out: Record<string, unknown> = {};
  for (const [name, member] of shape.memberList) {
    if (bodyOnly && !inBody(member)) continue;
    const memberPath = path ? `${path}.${name}` : name;
    if (member.xmlAttribute) {
      // The parser drops namespace prefixes (removeNSPrefix): `xsi:type` arrives as `type`.
      const attribute = elementOf(name, member);
      const raw = node[ATTRIBUTE + attribute.slice(attribute.indexOf(':') + 1)];
      if (raw !== undefined) out[name] = decodeScalar(member, member.shape, raw, memberPath, errors);
      continue;
    }
    const element = elementOf(name, member);
    const raw = node[element];
    if (raw === undefined) continue;
    const { shape: memberShape } = member;
    if (member.flattened && memberShape.type === 'list') {
      out[name] = asArray(raw).map((item, i) =>
        decodeValue(
          { shape: memberShape.member },
          memberShape.member,
          item,
          `${memberPath}.${i + 1}`,
          errors,
        ),
      );
    } else if (member.flattened && memberShape.type === 'map') {
      out[name] = decodeEntries(memberShape, asArray(raw), memberPath, errors);
    } else {
      // A repeated non-flattened element: the last one wins, as AWS's parsers do.
      const single = Array.isArray(raw) ? raw[raw.length - 1] : raw;
      out[name] = decodeValue(member, memberShape, single, memberPath, errors);
    }
  }
  for (const name of shape.required) {
    if (out[name] === undefined && (!bodyOnly || inBody(shape.members[name]))) {
      throw errors.missing(path ? `${path}.${name}` : name);
    }
  }
  return out;
}

function decodeEntries(
  shape: MapShape,
  entries: unknown[],
  path: string,
  errors: ValidationErrors,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const node = asNode(entry);
    const key = node[shape.keyName ?? 'key'];
    if (typeof key !== 'string') throw errors.missing(`${path}.key`);
    out[key] = decodeValue(
      { shape: shape.value },
      shape.value,
      node[shape.valueName ?? 'value'],
      `${path}.${key}`,
      errors,
    );
  }
  return out;
}

function decodeValue(
  member: Member,
  shape: Shape,
  value: unknown,
  path: string,
  errors: ValidationErrors,
): unknown {
  switch (shape.type) {
    case 'structure':
      if (Array.isArray(value)) throw errors.invalidType(path, value, 'structure', 'query');
      return decodeStructure(shape, value, path, errors, false);
    case 'list': {
      const items = asArray(asNode(value)[(shape as ListShape).memberName ?? 'member']);
      return items.map((item, i) =>
        decodeValue({ shape: shape.member }, shape.member, item, `${path}.${i + 1}`, errors),
      );
    }
    case 'map':
      return decodeEntries(shape, asArray(asNode(value).entry), path, errors);
    default:
      return decodeScalar(member, shape, value, path, errors);
  }
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const node = value as Node;
    // An element with attributes but no children: its text sits under '#text', or it is empty.
    if (Object.keys(node).every((k) => k.startsWith(ATTRIBUTE) || k === '#text')) {
      const text = node['#text'];
      return typeof text === 'string' ? text : '';
    }
  }
  return undefined;
}

function decodeScalar(
  member: Member,
  shape: Shape,
  value: unknown,
  path: string,
  errors: ValidationErrors,
): unknown {
  const text = textOf(value);
  if (text === undefined) throw errors.invalidType(path, value, shape.type, 'query');
  switch (shape.type) {
    case 'string':
      return text;
    case 'integer':
    case 'long':
      if (!/^\s*[+-]?\d+\s*$/.test(text)) throw errors.invalidType(path, text, shape.type, 'query');
      return Number(text);
    case 'double': {
      const n = Number(text);
      if (text.trim() === '' || (Number.isNaN(n) && text.trim() !== 'NaN'))
        throw errors.invalidType(path, text, 'double', 'query');
      return n;
    }
    case 'boolean': {
      const t = text.trim();
      if (t === 'true') return true;
      if (t === 'false') return false;
      throw errors.invalidType(path, text, 'boolean', 'query');
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    case 'timestamp': {
      const date = parseTimestamp(text.trim(), member.timestampFormat ?? shape.timestampFormat ?? 'iso8601');
      if (!date) throw errors.invalidType(path, text, 'timestamp', 'query');
      return date;
    }
    default:
      throw errors.invalidType(path, text, shape.type, 'query');
  }
}

// XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates
// halves on their own and U+FFFE/U+FFFF. Anything else cannot appear even as a character
// reference, so it is replaced: an answer must always parse.
const DISALLOWED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding the characters XML 1.0 forbids is the point.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NEEDS_ESCAPE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding the characters XML 1.0 forbids is the point.
  /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#13;',
};

/** Text fit for an element or attribute value (quotes escaped as S3 does in `<ETag>&quot;…`). */
export function xmlText(text: string): string {
  // Most values need nothing: one test is cheaper than two replaces.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/[&<>"\r]/g, (c) => ESCAPES[c]).replace(DISALLOWED, '\ufffd');
}

/** An output structure's body members as a document rooted at `root`. */
export function encodeXmlDocument(
  root: string,
  namespace: string | undefined,
  shape: StructureShape,
  value: Record<string, unknown>,
  bodyOnly: boolean,
): string {
  const xmlns = namespace ? ` xmlns="${xmlText(namespace)}"` : '';
  // A structure whose one member bears the root's own name is that element's text, as S3's
  // GetBucketLocation answers `<LocationConstraint>eu-west-1</LocationConstraint>`.
  const only = shape.memberList.length === 1 ? shape.memberList[0] : undefined;
  if (only && only[0] === root && only[1].shape.type === 'string' && !only[1].xmlAttribute) {
    const text = value[root];
    const inner = text === undefined || text === null ? '' : xmlText(String(text));
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${xmlns}>${inner}</${root}>`;
  }
  const { attributes, children } = encodeMembers(shape, value, bodyOnly);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${xmlns}${attributes}>${children}</${root}>`;
}

function encodeMembers(
  shape: StructureShape,
  value: Record<string, unknown>,
  bodyOnly: boolean,
): { attributes: string; children: string } {
  let attributes = '';
  let children = '';
  for (const [name, member] of shape.memberList) {
    if (bodyOnly && !inBody(member)) continue;
    const v = value[name];
    if (v === undefined || v === null) continue;
    const element = elementOf(name, member);
    if (member.xmlAttribute) {
      attributes += ` ${element}="${xmlText(scalarText(member, member.shape, v))}"`;
      continue;
    }
    const { shape: memberShape } = member;
    if (member.flattened && memberShape.type === 'list') {
      for (const item of v as unknown[])
        children += encodeElement(element, { shape: memberShape.member }, memberShape.member, item);
    } else if (member.flattened && memberShape.type === 'map') {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        children += `<${element}>${encodeEntry(memberShape, k, item)}</${element}>`;
      }
    } else {
      children += encodeElement(element, member, memberShape, v);
    }
  }
  return { attributes, children };
}

function encodeEntry(shape: MapShape, key: string, value: unknown): string {
  const k = shape.keyName ?? 'key';
  return `<${k}>${xmlText(key)}</${k}>${encodeElement(shape.valueName ?? 'value', { shape: shape.value }, shape.value, value)}`;
}

function encodeElement(element: string, member: Member, shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'structure': {
      const ns = member.xmlNamespace ?? shape.xmlNamespace;
      const xmlns = ns ? ` xmlns${ns.prefix ? `:${ns.prefix}` : ''}="${xmlText(ns.uri)}"` : '';
      const { attributes, children } = encodeMembers(shape, value as Record<string, unknown>, false);
      return `<${element}${xmlns}${attributes}>${children}</${element}>`;
    }
    case 'list': {
      const item = shape.memberName ?? 'member';
      let inner = '';
      for (const v of value as unknown[])
        inner += encodeElement(item, { shape: shape.member }, shape.member, v);
      return `<${element}>${inner}</${element}>`;
    }
    case 'map': {
      let inner = '';
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        inner += `<entry>${encodeEntry(shape, k, v)}</entry>`;
      return `<${element}>${inner}</${element}>`;
    }
    default:
      return `<${element}>${xmlText(scalarText(member, shape, value))}</${element}>`;
  }
}

function scalarText(member: Member, shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'timestamp':
      return String(formatTimestamp(value, member.timestampFormat ?? shape.timestampFormat ?? 'iso8601'));
    case 'blob':
      return Buffer.from(value as Uint8Array | string).toString('base64');
    default:
      return String(value);
  }
}

function fieldElements(fields: Record<string, unknown> | undefined): string {
  let xml = '';
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (v !== undefined && v !== null)
      xml += `<${k}>${xmlText(v instanceof Date ? v.toISOString() : String(v))}</${k}>`;
  }
  return xml;
}

/** The restXml error most services answer: `<ErrorResponse><Error>…</Error><RequestId/>`. */
export function restXmlErrorBody(
  err: ServiceError,
  requestId: string,
  namespace?: string,
  fields?: Record<string, unknown>,
): string {
  const xmlns = namespace ? ` xmlns="${xmlText(namespace)}"` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse${xmlns}><Error><Type>${err.fault}</Type>` +
    `<Code>${xmlText(err.queryCode)}</Code><Message>${xmlText(err.queryMessage)}</Message>${fieldElements(fields)}</Error>` +
    `<RequestId>${xmlText(requestId)}</RequestId></ErrorResponse>`
  );
}

/** S3's own error form: `<Error>` at the root, the request id inside it. */
export function s3ErrorBody(
  err: ServiceError,
  requestId: string,
  hostId: string,
  fields?: Record<string, unknown>,
): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlText(err.queryCode)}</Code>` +
    `<Message>${xmlText(err.queryMessage)}</Message>${fieldElements(fields)}` +
    `<RequestId>${xmlText(requestId)}</RequestId><HostId>${xmlText(hostId)}</HostId></Error>`
  );
}

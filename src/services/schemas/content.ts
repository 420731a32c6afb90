import { schemasError } from './errors.js';
import type { SchemaType } from './records.js';

/**
 * What the registry accepts as a schema's content: a JSON document of its type. OpenApi3: an
 * `openapi` 3.x version, `info` with a title and version, and `components.schemas` objects whose
 * local references resolve. JSONSchemaDraft4: a schema object of draft 4's keywords whose local
 * references resolve. The texts are Tideway's (docs/schemas.md).
 */

type Doc = Record<string, unknown>;

function invalid(detail: string): Error {
  return schemasError.badRequest(`Invalid Schema Content: ${detail}`);
}

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseContent(content: string): Doc {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    throw invalid('the content is not valid JSON.');
  }
  if (!isObject(doc)) throw invalid('the content must be a JSON object.');
  return doc;
}

/** Checks `content` as a schema of `type`; answers BadRequestException for what is wrong. */
export function checkContent(type: SchemaType, content: string): void {
  const doc = parseContent(content);
  if (type === 'OpenApi3') checkOpenApi(doc);
  else checkDraft4(doc);
}

function checkOpenApi(doc: Doc): void {
  if (typeof doc.openapi !== 'string' || !/^3\.\d+\.\d+/.test(doc.openapi))
    throw invalid('"openapi" must name an OpenAPI 3 version, such as "3.0.0".');
  const info = doc.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string')
    throw invalid('"info" must hold a "title" and a "version".');
  if (doc.paths !== undefined && !isObject(doc.paths)) throw invalid('"paths" must be an object.');
  const components = doc.components;
  if (components !== undefined && !isObject(components)) throw invalid('"components" must be an object.');
  const schemas = isObject(components) ? components.schemas : undefined;
  if (schemas !== undefined && !isObject(schemas)) throw invalid('"components.schemas" must be an object.');
  for (const [name, schema] of Object.entries(schemas ?? {}))
    checkSchemaNode(schema, `components.schemas.${name}`);
  checkReferences(doc, doc);
}

function checkDraft4(doc: Doc): void {
  const declared = doc.$schema;
  if (declared !== undefined && (typeof declared !== 'string' || !declared.includes('draft-04')))
    throw invalid('"$schema" must be http://json-schema.org/draft-04/schema#.');
  checkSchemaNode(doc, '#');
  if (doc.definitions !== undefined) {
    if (!isObject(doc.definitions)) throw invalid('"definitions" must be an object.');
    for (const [name, schema] of Object.entries(doc.definitions))
      checkSchemaNode(schema, `definitions.${name}`);
  }
  checkReferences(doc, doc);
}

const TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

/** The keywords both forms share, with their types as draft 4 (and OpenAPI's subset of it) has them. */
function checkSchemaNode(node: unknown, at: string): void {
  if (!isObject(node)) throw invalid(`${at} must be a schema object.`);
  const type = node.type;
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  for (const t of types)
    if (typeof t !== 'string' || !TYPES.has(t)) throw invalid(`${at}.type is not a valid type.`);
  if (node.properties !== undefined) {
    if (!isObject(node.properties)) throw invalid(`${at}.properties must be an object.`);
    for (const [name, child] of Object.entries(node.properties))
      checkSchemaNode(child, `${at}.properties.${name}`);
  }
  if (node.required !== undefined) {
    const required = node.required;
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string'))
      throw invalid(`${at}.required must be an array of strings.`);
    if (new Set(required).size !== required.length) throw invalid(`${at}.required must not repeat a name.`);
  }
  if (node.items !== undefined) {
    const items = node.items;
    for (const [i, child] of (Array.isArray(items) ? items : [items]).entries())
      checkSchemaNode(child, Array.isArray(items) ? `${at}.items.${i}` : `${at}.items`);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) throw invalid(`${at}.${key} must be a non-empty array.`);
    list.forEach((child, i) => {
      checkSchemaNode(child, `${at}.${key}.${i}`);
    });
  }
  if (node.enum !== undefined && (!Array.isArray(node.enum) || node.enum.length === 0))
    throw invalid(`${at}.enum must be a non-empty array.`);
}

/** Every local `$ref` (`#/…`) must name a part of the document. */
function checkReferences(root: Doc, node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) checkReferences(root, child);
    return;
  }
  if (!isObject(node)) return;
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#') && resolvePointer(root, ref) === undefined)
    throw invalid(`the reference ${ref} does not resolve.`);
  for (const child of Object.values(node)) checkReferences(root, child);
}

function resolvePointer(root: Doc, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let here: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(here) && !Array.isArray(here)) return undefined;
    here = (here as Record<string, unknown>)[key];
    if (here === undefined) return undefined;
  }
  return here;
}

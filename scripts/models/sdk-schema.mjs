// Reads the schemas an installed `@aws-sdk/client-*` package carries (generated from the Smithy
// model) into the same plain form as botocore's service-2.json, so the generator can fill in what
// botocore lacks: the awsQuery error codes, the XML names of services botocore now models as JSON
// only, and operations or members newer than the pinned botocore.

// Schema kinds and simple types as @smithy/core encodes them.
const KIND = { simple: 0, list: 1, map: 2, structure: 3, union: 4, error: -3, operation: 9 };
const SIMPLE = {
  0: 'string',
  1: 'integer',
  2: 'boolean',
  4: 'timestamp',
  5: 'timestamp',
  6: 'timestamp',
  7: 'timestamp',
  21: 'blob',
  42: 'blob',
};
const LIST_BIT = 64;
const MAP_BIT = 128;
// Traits given as a bit field instead of an object.
const TRAIT_BITS = {
  1: 'httpLabel',
  2: 'idempotent',
  4: 'idempotencyToken',
  8: 'sensitive',
  16: 'httpPayload',
};

function traitObject(traits) {
  if (typeof traits === 'number') {
    const out = {};
    for (const [bit, name] of Object.entries(TRAIT_BITS)) if (traits & Number(bit)) out[name] = 1;
    return out;
  }
  return traits ?? {};
}

/** A member or element reference: the schema itself, or `[schema, traits]`. */
function unwrapRef(ref) {
  if (Array.isArray(ref) && ref.length === 2) return { schema: ref[0], traits: traitObject(ref[1]) };
  return { schema: ref, traits: {} };
}

function resolve(schema) {
  return typeof schema === 'function' ? schema() : schema;
}

/**
 * Converts the SDK's schemas into `{ operations, shapes }` in botocore's layout. Shapes the SDK
 * leaves anonymous (lists and maps of simple types) get names starting with `__`.
 */
export function sdkModel(sdkExports) {
  const shapes = {};
  const operations = {};

  function shapeRef(schema, traits = {}) {
    const ref = { shape: shapeName(resolve(schema)) };
    if (traits.xmlName !== undefined) ref.xmlName = traits.xmlName;
    if (traits.xmlFlattened) ref.flattened = true;
    if (traits.jsonName !== undefined) ref.jsonName = traits.jsonName;
    if (traits.idempotencyToken) ref.idempotencyToken = true;
    if (traits.timestampFormat !== undefined) ref.timestampFormat = traits.timestampFormat;
    if (traits.httpLabel) ref.location = 'uri';
    if (traits.httpQuery !== undefined)
      Object.assign(ref, { location: 'querystring', locationName: traits.httpQuery });
    if (traits.httpHeader !== undefined)
      Object.assign(ref, { location: 'header', locationName: traits.httpHeader });
    if (traits.httpPrefixHeaders !== undefined)
      Object.assign(ref, { location: 'headers', locationName: traits.httpPrefixHeaders });
    if (traits.httpResponseCode) ref.location = 'statusCode';
    return ref;
  }

  function shapeName(schema) {
    if (typeof schema === 'number') return simpleName(schema);
    if (schema === 'unit') return undefined;
    const [kind, , name] = schema;
    if (shapes[name]) return name;
    const traits = traitObject(schema[3]);
    switch (kind) {
      case KIND.simple: {
        const inner = shapes[shapeName(resolve(schema[4]))];
        shapes[name] = { ...inner };
        if (traits.timestampFormat) shapes[name].timestampFormat = traits.timestampFormat;
        if (traits.streaming) shapes[name].streaming = true;
        return name;
      }
      case KIND.list: {
        shapes[name] = { type: 'list' };
        const member = unwrapRef(schema[4]);
        shapes[name].member = shapeRef(member.schema, member.traits);
        return name;
      }
      case KIND.map: {
        shapes[name] = { type: 'map' };
        const key = unwrapRef(schema[4]);
        const value = unwrapRef(schema[5]);
        shapes[name].key = shapeRef(key.schema, key.traits);
        shapes[name].value = shapeRef(value.schema, value.traits);
        return name;
      }
      case KIND.structure:
      case KIND.union:
      case KIND.error: {
        const shape = { type: 'structure', members: {} };
        shapes[name] = shape;
        if (kind === KIND.union) shape.union = true;
        if (traits.streaming) shape.eventstream = true;
        if (kind === KIND.error) {
          shape.exception = true;
          if (traits.error === 'server') shape.fault = true;
          shape.sdkError = { fault: traits.error, httpError: traits.httpError, query: traits.awsQueryError };
        }
        const names = schema[4];
        const refs = schema[5];
        const requiredCount = schema[6] ?? 0;
        names.forEach((memberName, i) => {
          const { schema: s, traits: t } = unwrapRef(refs[i]);
          shape.members[memberName] = shapeRef(s, t);
        });
        if (requiredCount > 0) shape.required = names.slice(0, requiredCount);
        // The SDK lists required members first: the order is kept to place members botocore lacks.
        shape.sdkOrder = [...names];
        if (traits.xmlName !== undefined) shape.xmlName = traits.xmlName;
        return name;
      }
      default:
        throw new Error(`${name}: unknown SDK schema kind ${kind}`);
    }
  }

  function simpleName(code) {
    if (code & LIST_BIT) {
      const member = simpleName(code & ~LIST_BIT);
      const name = `__listOf${member}`;
      shapes[name] ??= { type: 'list', member: { shape: member } };
      return name;
    }
    if (code & MAP_BIT) {
      const value = simpleName(code & ~MAP_BIT);
      const name = `__mapOf${value}`;
      shapes[name] ??= { type: 'map', key: { shape: '__string' }, value: { shape: value } };
      shapes.__string ??= { type: 'string' };
      return name;
    }
    const type = SIMPLE[code];
    if (!type) throw new Error(`unknown SDK simple schema ${code}`);
    const name = `__${type}`;
    shapes[name] ??= code === 42 ? { type, streaming: true } : { type };
    return name;
  }

  for (const [exported, value] of Object.entries(sdkExports)) {
    if (!exported.endsWith('$') || !Array.isArray(value)) continue;
    if (value[0] === KIND.error) shapeName(value);
    if (value[0] !== KIND.operation) continue;
    const [, , name, rawTraits, input, output] = value;
    const traits = traitObject(rawTraits);
    const op = { name, input: { shape: shapeName(resolve(input)) } };
    const outputName = shapeName(resolve(output));
    if (outputName) op.output = { shape: outputName };
    if (traits.http) {
      const [method, requestUri, responseCode] = traits.http;
      op.http = { method, requestUri, responseCode };
    }
    operations[name] = op;
  }
  return { operations, shapes };
}

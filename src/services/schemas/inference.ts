/**
 * How EventBridge infers an OpenAPI 3 schema from events (schema discovery, GetDiscoveredSchema),
 * in the form AWS writes it: an `AWSEvent` component for the envelope, with the event's source and
 * detail type in `x-amazon-events-source` / `x-amazon-events-detail-type` and `detail` pointing at a
 * component named after the detail type, and one component per nested object, named after its key.
 * Properties are listed by name; `required` lists every key the samples all carry, in the order
 * AWS's Java service prints a hash set of them (its recorded schemas show that order).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = Record<string, unknown>;

/** The envelope fields of an event that inference reads. */
export interface EventSample {
  source: string;
  'detail-type': string;
  detail: Json;
  resources?: Json;
}

const ENVELOPE = [
  'account',
  'detail',
  'detail-type',
  'id',
  'region',
  'resources',
  'source',
  'time',
  'version',
];

/** `EC2 Instance State-change Notification` → `EC2InstanceStateChangeNotification`; `userCreated` → `UserCreated`. */
export function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** The name a discovered schema gets: `<source>@<DetailType in PascalCase>`. */
export function discoveredSchemaName(source: string, detailType: string): string {
  return `${source}@${pascalCase(detailType)}`;
}

/** String.hashCode of the JVM, for the hash-set order of `required`. */
function javaHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * The order in which a java.util.HashSet filled with `keys` (in the order given) iterates: by
 * bucket (the spread hash masked by the table size, which doubles past three quarters full),
 * then by insertion within a bucket.
 */
export function javaHashSetOrder(keys: readonly string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const buckets = new Map<number, string[]>();
  for (const key of keys) {
    const h = javaHash(key);
    const index = (h ^ (h >>> 16)) & (capacity - 1);
    const bucket = buckets.get(index);
    if (bucket) bucket.push(key);
    else buckets.set(index, [key]);
  }
  return [...buckets.keys()].sort((a, b) => a - b).flatMap((i) => buckets.get(i) ?? []);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the components of one schema: each nested object gets its own, named after its key. */
class Components {
  readonly schemas = new Map<string, SchemaNode>();

  /** A component for objects found under `name`; an existing name with other content gets a suffix. */
  add(name: string, objects: Array<{ [key: string]: Json }>): string {
    const node = this.objectNode(objects);
    const text = JSON.stringify(node);
    let candidate = name;
    for (let n = 1; ; n++) {
      const existing = this.schemas.get(candidate);
      if (!existing) break;
      if (JSON.stringify(existing) === text) return candidate;
      candidate = `${name}_${n}`;
    }
    this.schemas.set(candidate, node);
    return candidate;
  }

  /** Reserves a name before its content is known, so the root detail component comes first. */
  reserve(name: string): void {
    this.schemas.set(name, {});
  }

  objectNode(objects: Array<{ [key: string]: Json }>): SchemaNode {
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))].sort(byName);
    const properties: Record<string, SchemaNode> = {};
    const required: string[] = [];
    for (const key of keys) {
      const values = objects.map((o) => o[key]).filter((v) => v !== undefined);
      properties[key] = this.valueNode(key, values);
      if (values.length === objects.length && values.every((v) => v !== null)) required.push(key);
    }
    const node: SchemaNode = { type: 'object' };
    if (required.length > 0) node.required = javaHashSetOrder(required);
    node.properties = properties;
    return node;
  }

  /** The schema of the values one key holds across the samples (the first non-null one's kind wins). */
  valueNode(key: string, values: Json[]): SchemaNode {
    const present = values.filter((v) => v !== null);
    const first = present[0];
    if (first === undefined) return { type: 'object' };
    if (typeof first === 'string') {
      return present.every((v) => typeof v === 'string' && DATE_TIME.test(v))
        ? { type: 'string', format: 'date-time' }
        : { type: 'string' };
    }
    if (typeof first === 'number') {
      return present.every((v) => typeof v !== 'number' || Number.isInteger(v))
        ? { type: 'number' }
        : { type: 'number', format: 'double' };
    }
    if (typeof first === 'boolean') return { type: 'boolean' };
    if (Array.isArray(first)) {
      const items = present.filter(Array.isArray).flat();
      return { type: 'array', items: this.itemsNode(key, items) };
    }
    const objects = present.filter(isObject);
    return { $ref: `#/components/schemas/${this.add(pascalCase(key) || 'Object', objects)}` };
  }

  private itemsNode(key: string, items: Json[]): SchemaNode {
    const present = items.filter((v) => v !== null);
    if (present.length === 0) return { type: 'object' };
    if (isObject(present[0])) {
      return {
        $ref: `#/components/schemas/${this.add(`${pascalCase(key) || 'Object'}Item`, present.filter(isObject))}`,
      };
    }
    return this.valueNode(key, present);
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The OpenAPI 3 document AWS infers from events of one source and detail type (the first sample
 * names them), as the compact JSON text DescribeSchema answers.
 */
export function inferSchema(samples: readonly EventSample[]): string {
  const { source, 'detail-type': detailType } = samples[0];
  const title = pascalCase(detailType) || 'Event';
  const components = new Components();
  components.reserve('AWSEvent');
  components.reserve(title);
  const details = samples.map((s) => s.detail).filter(isObject);
  const detailNode = components.objectNode(details.length > 0 ? details : [{}]);
  components.schemas.set(title, detailNode);
  const resources = samples.flatMap((s) => (Array.isArray(s.resources) ? s.resources : []));
  const awsEvent: SchemaNode = {
    type: 'object',
    required: javaHashSetOrder(ENVELOPE),
    'x-amazon-events-detail-type': detailType,
    'x-amazon-events-source': source,
    properties: {
      detail: { $ref: `#/components/schemas/${title}` },
      account: { type: 'string' },
      'detail-type': { type: 'string' },
      id: { type: 'string' },
      region: { type: 'string' },
      resources: {
        type: 'array',
        items: resources.length > 0 ? components.valueNode('resources', [resources[0]]) : { type: 'object' },
      },
      source: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      version: { type: 'string' },
    },
  };
  components.schemas.set('AWSEvent', awsEvent);
  return JSON.stringify({
    openapi: '3.0.0',
    info: { version: '1.0.0', title },
    paths: {},
    components: { schemas: Object.fromEntries(components.schemas) },
  });
}

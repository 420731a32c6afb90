import type { LiveInventory, LiveScope } from '../live/inventory.js';
import { type Bus, type Entity, lookup, type Model, type Queue, type Sym } from '../model.js';

/**
 * The read-only view of a running Tideway that the MCP tools and resources serve: a flat listing
 * of its resources, and one resource described with what points at it. Pure functions over the
 * live inventory, so the same answers come from `list_resources`, `describe_resource` and the
 * `tideway://resources/…` resources.
 */

/** The model's collections under the singular name an agent filters by. */
export const RESOURCE_KINDS = {
  queue: 'queues',
  topic: 'topics',
  subscription: 'subscriptions',
  bus: 'buses',
  rule: 'rules',
  stream: 'streams',
  'delivery-stream': 'deliveryStreams',
  pipe: 'pipes',
  function: 'functions',
  'event-source-mapping': 'mappings',
  bucket: 'buckets',
  role: 'roles',
  key: 'keys',
  secret: 'secrets',
  broker: 'brokers',
  cluster: 'clusters',
  'scram-association': 'scramAssociations',
} as const satisfies Record<string, keyof Omit<Model, 'source' | 'notes'>>;

export type ResourceKind = keyof typeof RESOURCE_KINDS;

export const KIND_NAMES = Object.keys(RESOURCE_KINDS) as [ResourceKind, ...ResourceKind[]];

export interface ResourceSummary {
  kind: ResourceKind;
  arn: string;
  name?: string;
  type: string;
  account: string;
  region: string;
  /** Queues only. */
  url?: string;
  /** The MCP resource that describes it. */
  uri: string;
}

const URI_PREFIX = 'tideway://resources/';

export function resourceUri(arn: string): string {
  return URI_PREFIX + arn;
}

/** The ARN inside a `tideway://resources/<arn>` URI, tolerating clients that percent-encode it. */
export function arnOfUri(uri: string): string | undefined {
  if (!uri.startsWith(URI_PREFIX)) return undefined;
  const rest = uri.slice(URI_PREFIX.length);
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

function entitiesOf(model: Model, kind: ResourceKind): Entity[] {
  return model[RESOURCE_KINDS[kind]] as Entity[];
}

function arnOf(entity: Entity): string {
  return entity.arn ?? entity.id;
}

function summarise(scope: LiveScope, kind: ResourceKind, entity: Entity): ResourceSummary {
  const arn = arnOf(entity);
  const summary: ResourceSummary = {
    kind,
    arn,
    type: entity.type,
    account: scope.account,
    region: scope.region,
    uri: resourceUri(arn),
  };
  if (typeof entity.name === 'string') summary.name = entity.name;
  const url = (entity as Queue).url;
  if (kind === 'queue' && url) summary.url = url;
  return summary;
}

/** Every resource of the inventory, or only those of the given kinds. */
export function listResources(inventory: LiveInventory, kinds?: readonly ResourceKind[]): ResourceSummary[] {
  const wanted = kinds && kinds.length > 0 ? kinds : KIND_NAMES;
  const out: ResourceSummary[] = [];
  for (const scope of inventory.scopes) {
    for (const kind of wanted) {
      for (const entity of entitiesOf(scope.model, kind)) out.push(summarise(scope, kind, entity));
    }
  }
  return out;
}

interface Located {
  scope: LiveScope;
  kind: ResourceKind;
  entity: Entity;
}

/** The resource an ARN (or a queue URL) names, with its scope: the model's own lookup, scope by scope. */
export function findResource(inventory: LiveInventory, arnOrUrl: string): Located | undefined {
  for (const scope of inventory.scopes) {
    const entity = lookup(scope.model, arnOrUrl);
    if (!entity) continue;
    // Every collection of the model has its kind, so the entity found is in one of them.
    const kind = KIND_NAMES.find((k) => entitiesOf(scope.model, k).includes(entity));
    if (kind) return { scope, kind, entity };
  }
  return undefined;
}

/** Whether a value of the model (a reference, an ARN, a queue URL) designates `entity`. */
function designates(model: Model, value: Sym | undefined, entity: Entity): boolean {
  return value !== undefined && value !== null && lookup(model, value) === entity;
}

/** A rule's bus is often given by name (`default`), which ARN lookups do not match. */
function isBusOf(model: Model, bus: Sym, entity: Entity): boolean {
  if (!model.buses.includes(entity as Bus)) return false;
  return designates(model, bus, entity) || (typeof bus === 'string' && entity.name === bus);
}

/** One link between two resources, from the describing resource's point of view. */
export interface Relation {
  /** How the other resource relates: `subscription`, `rule-target`, `dead-letter-queue-of`… */
  relation: string;
  arn: string;
  /** The rule's target id, for rule targets. */
  targetId?: Sym;
}

/** What points at `entity`, and what it points at, across the scope's model. */
function relationsOf(model: Model, entity: Entity): Relation[] {
  const out: Relation[] = [];
  for (const sub of model.subscriptions) {
    if (designates(model, sub.topic, entity)) out.push({ relation: 'subscription', arn: arnOf(sub) });
    if (designates(model, sub.endpoint, entity))
      out.push({ relation: 'delivered-by-subscription', arn: arnOf(sub) });
    if (designates(model, sub.dlq, entity)) out.push({ relation: 'dead-letter-queue-of', arn: arnOf(sub) });
  }
  for (const rule of model.rules) {
    if (isBusOf(model, rule.bus, entity)) out.push({ relation: 'rule', arn: arnOf(rule) });
    for (const target of rule.targets) {
      if (designates(model, target.arn, entity)) {
        out.push({ relation: 'delivered-by-rule', arn: arnOf(rule), targetId: target.targetId });
      }
      if (designates(model, target.dlq, entity)) {
        out.push({ relation: 'dead-letter-queue-of', arn: arnOf(rule), targetId: target.targetId });
      }
    }
  }
  for (const queue of model.queues) {
    if (queue !== entity && designates(model, queue.redriveDlq, entity)) {
      out.push({ relation: 'dead-letter-queue-of', arn: arnOf(queue) });
    }
  }
  for (const pipe of model.pipes) {
    if (designates(model, pipe.source, entity)) out.push({ relation: 'read-by-pipe', arn: arnOf(pipe) });
    if (designates(model, pipe.target, entity)) out.push({ relation: 'delivered-by-pipe', arn: arnOf(pipe) });
    if (designates(model, pipe.dlq, entity)) out.push({ relation: 'dead-letter-queue-of', arn: arnOf(pipe) });
  }
  for (const mapping of model.mappings) {
    if (designates(model, mapping.source, entity)) {
      out.push({ relation: 'read-by-event-source-mapping', arn: arnOf(mapping) });
    }
  }
  for (const delivery of model.deliveryStreams) {
    if (designates(model, delivery.source, entity)) {
      out.push({ relation: 'read-by-delivery-stream', arn: arnOf(delivery) });
    }
  }
  return out;
}

export interface ResourceDescription {
  kind: ResourceKind;
  arn: string;
  account: string;
  region: string;
  /** Everything the inventory holds about it: attributes, policies, targets, subscriptions' settings… */
  resource: Record<string, unknown>;
  /** Other resources that point at it: its subscriptions, rules, senders, what it is the DLQ of. */
  related: Relation[];
}

/** A resource described for an agent: its own fields without the bookkeeping, and its links. */
export function describeResource(
  inventory: LiveInventory,
  arnOrUrl: string,
): ResourceDescription | undefined {
  const found = findResource(inventory, arnOrUrl);
  if (!found) return undefined;
  const { origin: _origin, ignore: _ignore, generatedBy: _generatedBy, ...fields } = found.entity;
  return {
    kind: found.kind,
    arn: arnOf(found.entity),
    account: found.scope.account,
    region: found.scope.region,
    resource: fields,
    related: relationsOf(found.scope.model, found.entity),
  };
}

/** The account and region an ARN names, to ask the inventory for that scope only. */
export function scopeOfArn(arn: string): { account: string; region: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[3] || !parts[4]) return undefined;
  return { region: parts[3], account: parts[4] };
}

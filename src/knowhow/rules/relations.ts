import {
  type Entity,
  type EventSourceMapping,
  entities,
  isRef,
  isUnknown,
  type LambdaFunction,
  lookup,
  type Model,
  type Pipe,
  type Queue,
  type Sym,
} from '../model.js';

/**
 * Who reads which queue and which queues are dead-letter queues, resolved once over a model.
 * Rules about a queue's role (polled by code, consumed by Lambda, a DLQ) read it from here.
 */

/** What a value designates. */
export type Resolved =
  | { kind: 'entity'; entity: Entity }
  /** Known only at deploy time (parameter, import, condition, "known after apply"). */
  | { kind: 'unknown'; reason: string; param?: string; noEcho?: boolean }
  /** A literal, or a reference, to something the model does not hold. */
  | { kind: 'outside'; value: string }
  | { kind: 'absent' };

/** The list of the model that holds resources of an ARN's service, for matching ARNs by name. */
const SERVICE_LISTS: Record<string, (model: Model) => Entity[]> = {
  sqs: (model) => model.queues,
  sns: (model) => model.topics,
  lambda: (model) => model.functions,
  firehose: (model) => model.deliveryStreams,
  kinesis: (model) => model.streams,
  mq: (model) => model.brokers,
  kafka: (model) => model.clusters,
  secretsmanager: (model) => model.secrets,
};

/** Pseudo parameters kept in strings (`${AWS::Region}`) hold colons that would split an ARN wrongly. */
export function withoutPseudoParameters(text: string): string {
  return text.replace(/\$\{AWS::([A-Za-z]+)\}/g, (_, name: string) => `{${name}}`);
}

/** The name an ARN's resource part carries, for the services whose resources rules follow. */
export function arnResourceName(arn: string): { service: string; name: string } | undefined {
  const parts = withoutPseudoParameters(arn).split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const service = parts[2];
  const resource = parts.slice(5);
  const head = resource[0] ?? '';
  switch (service) {
    case 'sqs':
    case 'sns':
      return { service, name: head };
    case 'lambda':
      return head === 'function' && resource[1] ? { service, name: resource[1] } : undefined;
    case 'mq':
      return head === 'broker' && resource[1] ? { service, name: resource[1] } : undefined;
    case 'secretsmanager':
      // The stored ARN ends in a dash and six random characters that are not part of the name.
      return head === 'secret' && resource[1]
        ? {
            service,
            name: resource
              .slice(1)
              .join(':')
              .replace(/-[A-Za-z0-9]{6}$/, ''),
          }
        : undefined;
    case 'firehose':
    case 'kinesis':
    case 'kafka': {
      const slash = head.split('/');
      return slash[1] ? { service, name: slash[1] } : undefined;
    }
    default:
      return undefined;
  }
}

/** A `${Id}` or `${Id.Attr}` placeholder that Fn::Sub left in a string, naming an entity. */
function placeholderEntity(model: Model, text: string): Entity | undefined {
  const match = /^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}$/.exec(text);
  if (!match) return undefined;
  return lookup(model, { $ref: match[1] });
}

function byName(model: Model, value: string): Entity | undefined {
  const parsed = arnResourceName(value);
  if (parsed) {
    const list = SERVICE_LISTS[parsed.service]?.(model) ?? [];
    return list.find((entity) => entity.name === parsed.name) ?? placeholderEntity(model, parsed.name);
  }
  if (value.startsWith('arn:')) return undefined;
  // A plain name (FunctionName: my-function) designates the one resource that has it.
  const named = entities(model).filter((entity) => entity.name === value);
  return named.length === 1 ? named[0] : placeholderEntity(model, value);
}

export function resolve(model: Model, value: Sym | undefined): Resolved {
  if (value === undefined || value === null) return { kind: 'absent' };
  if (isUnknown(value)) {
    const resolved: Resolved = { kind: 'unknown', reason: value.$unknown };
    if (value.param !== undefined) resolved.param = value.param;
    if (value.noEcho !== undefined) resolved.noEcho = value.noEcho;
    return resolved;
  }
  const direct = lookup(model, value);
  if (direct) return { kind: 'entity', entity: direct };
  if (isRef(value)) return { kind: 'outside', value: value.$ref };
  if (typeof value !== 'string') return { kind: 'outside', value: JSON.stringify(value) };
  if (value === '') return { kind: 'absent' };
  const named = byName(model, value);
  return named ? { kind: 'entity', entity: named } : { kind: 'outside', value };
}

/** The queue a value designates, if it designates one. */
export function queueOf(model: Model, value: Sym | undefined): Queue | undefined {
  const resolved = resolve(model, value);
  return resolved.kind === 'entity' ? model.queues.find((queue) => queue === resolved.entity) : undefined;
}

/** The function an event source mapping invokes, when the model holds it. */
export function functionOf(model: Model, mapping: EventSourceMapping): Resolved & { fn?: LambdaFunction } {
  const resolved = resolve(model, mapping.function);
  if (resolved.kind !== 'entity') return resolved;
  const fn = model.functions.find((each) => each === resolved.entity);
  return fn ? { ...resolved, fn } : { kind: 'outside', value: resolved.entity.id };
}

/** Something that uses a queue as its dead-letter queue. */
export interface DeadLetterUse {
  /** The queue, rule, subscription, pipe or function that sends failures there. */
  owner: Entity;
  /** How, for messages: "redrive policy", "target T1 of the rule"… */
  how: string;
}

/** A reference the model could not resolve, which might designate one of its queues. */
export interface Unresolved {
  from: Entity;
  what: string;
  reason: string;
}

export interface QueueRelations {
  /** Lambda event source mappings that read each queue. */
  lambdaConsumers: Map<Queue, EventSourceMapping[]>;
  /** EventBridge Pipes whose source is each queue. */
  pipeConsumers: Map<Queue, Pipe[]>;
  /** What uses each queue as a dead-letter queue. */
  deadLetterUses: Map<Queue, DeadLetterUse[]>;
  /** Consumer sources that did not resolve: any of them may read any queue. */
  unresolvedConsumers: Unresolved[];
  /** Dead-letter targets that did not resolve: any of them may be any queue. */
  unresolvedDeadLetters: Unresolved[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function queueRelations(model: Model): QueueRelations {
  const relations: QueueRelations = {
    lambdaConsumers: new Map(),
    pipeConsumers: new Map(),
    deadLetterUses: new Map(),
    unresolvedConsumers: [],
    unresolvedDeadLetters: [],
  };

  const consumer = (from: Entity, value: Sym | undefined, add: (queue: Queue) => void): void => {
    const resolved = resolve(model, value);
    if (resolved.kind === 'unknown')
      relations.unresolvedConsumers.push({ from, what: 'source', reason: resolved.reason });
    else if (resolved.kind === 'entity') {
      const queue = model.queues.find((each) => each === resolved.entity);
      if (queue) add(queue);
    }
  };
  for (const mapping of model.mappings) {
    // Kafka and broker mappings (source access settings) never read an SQS queue.
    if (mapping.selfManagedKafka || mapping.sourceAccess.length > 0) continue;
    consumer(mapping, mapping.source, (queue) => push(relations.lambdaConsumers, queue, mapping));
  }
  for (const pipe of model.pipes) {
    consumer(pipe, pipe.source, (queue) => push(relations.pipeConsumers, queue, pipe));
  }

  const deadLetter = (owner: Entity, value: Sym | undefined, how: string): void => {
    const resolved = resolve(model, value);
    if (resolved.kind === 'unknown')
      relations.unresolvedDeadLetters.push({ from: owner, what: how, reason: resolved.reason });
    else if (resolved.kind === 'entity') {
      const queue = model.queues.find((each) => each === resolved.entity);
      if (queue) push(relations.deadLetterUses, queue, { owner, how });
    }
  };
  for (const queue of model.queues) deadLetter(queue, queue.redriveDlq, 'redrive policy');
  for (const rule of model.rules) {
    for (const target of rule.targets) {
      const id = typeof target.targetId === 'string' ? target.targetId : '?';
      deadLetter(rule, target.dlq, `dead-letter queue of target ${id}`);
    }
  }
  for (const subscription of model.subscriptions)
    deadLetter(subscription, subscription.dlq, 'redrive policy of the subscription');
  for (const pipe of model.pipes) deadLetter(pipe, pipe.dlq, 'dead-letter queue of the pipe');
  for (const fn of model.functions) deadLetter(fn, fn.dlq, 'dead-letter queue of the function');
  for (const mapping of model.mappings)
    deadLetter(mapping, mapping.onFailure, 'on-failure destination of the mapping');
  return relations;
}

/** A number of seconds as written, AWS's default when absent, or why it cannot be known. */
export function seconds(value: Sym | undefined, fallback: number): { value: number } | { unknown: string } {
  if (value === undefined || value === null) return { value: fallback };
  if (typeof value === 'number') return { value };
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return { value: Number(value) };
  if (isUnknown(value)) return { unknown: value.$unknown };
  return { unknown: `not a literal number (${JSON.stringify(value)})` };
}

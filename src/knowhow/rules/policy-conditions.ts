import { type Entity, isObject, isRef, isUnknown, type Model, type Sym } from '../model.js';
import { arnService, entityArn, serviceOf } from './policy-arns.js';
import {
  allTri,
  anyTri,
  arnAccount,
  arnMatch,
  items,
  literalAccount,
  notTri,
  PSEUDO,
  type Tri,
  wildcardMatch,
} from './policy-values.js';

/**
 * What a service delivery carries into a resource policy's conditions: EventBridge, SNS and S3
 * set aws:SourceArn to the rule, topic or bucket they act for, and aws:SourceAccount to its owner.
 */
export interface DeliverySource {
  /** The rule, topic or bucket, when the model declares it. */
  sender?: Entity;
  /** How the delivery names it (a reference, a literal ARN, an unknown). */
  senderSym?: Sym;
  /** The service principal that calls (`events.amazonaws.com`…). */
  service: string;
}

export interface ConditionAnswer {
  answer: Tri;
  /** When the answer is unknown: which key or value could not be decided. */
  unknown?: string;
}

/** Condition keys that scope a service principal to one source (the confused deputy's remedy). */
export const SOURCE_KEYS = ['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths'];

/** The operator without its set prefix and IfExists suffix, lower-cased, and whether it is negated. */
export function parseOperator(name: string): { base: string; negated: boolean } {
  const base = name
    .replace(/^for(any|all)values:/i, '')
    .replace(/ifexists$/i, '')
    .toLowerCase();
  return { base, negated: base.includes('not') };
}

/** The condition keys a Condition block names (lower-cased), with their operator and values. */
export function conditionEntries(
  condition: Sym | undefined,
): { operator: string; key: string; values: Sym }[] {
  if (!isObject(condition)) return [];
  const entries: { operator: string; key: string; values: Sym }[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObject(block)) continue;
    for (const [key, values] of Object.entries(block))
      entries.push({ operator, key: key.toLowerCase(), values });
  }
  return entries;
}

/** Whether a statement's conditions hold for a delivery; unknown when they cannot be decided here. */
export function conditionsHold(
  model: Model,
  condition: Sym | undefined,
  source: DeliverySource,
): ConditionAnswer {
  if (condition === undefined || condition === null) return { answer: 'yes' };
  if (!isObject(condition)) return { answer: 'unknown', unknown: 'its Condition' };
  let unknown: string | undefined;
  const answers: Tri[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObject(block)) {
      answers.push('unknown');
      unknown ??= `its condition ${operator}`;
      continue;
    }
    for (const [key, values] of Object.entries(block)) {
      const answer = conditionHolds(model, operator, key.toLowerCase(), values, source);
      if (answer === 'unknown') unknown ??= `its condition ${operator} ${key}`;
      answers.push(answer);
    }
  }
  const answer = allTri(answers);
  return answer === 'unknown' ? { answer, unknown } : { answer };
}

function conditionHolds(
  model: Model,
  operator: string,
  key: string,
  values: Sym,
  source: DeliverySource,
): Tri {
  const { base, negated } = parseOperator(operator);
  const known = key === 'aws:sourcearn' || key === 'aws:sourceaccount' || key === 'aws:sourceowner';
  if (base === 'null') {
    // The services always set the source keys and aws:SecureTransport.
    const present = known || key === 'aws:securetransport';
    if (!present) return 'unknown';
    return anyTri(
      items(values).map((value) =>
        String(value) === 'false' ? 'yes' : String(value) === 'true' ? 'no' : 'unknown',
      ),
    );
  }
  if (key === 'aws:securetransport') {
    if (base !== 'bool') return 'unknown';
    // Service deliveries travel over TLS.
    return anyTri(
      items(values).map((value) =>
        String(value) === 'true' ? 'yes' : String(value) === 'false' ? 'no' : 'unknown',
      ),
    );
  }
  const wildcards = base.includes('like') || base.startsWith('arn');
  const stringOrArn = base.startsWith('string') || base.startsWith('arn');
  if (!stringOrArn) return 'unknown';
  let match: (value: Sym) => Tri;
  if (key === 'aws:sourcearn') match = (value) => sourceArnMatches(model, value, source, wildcards);
  else if (key === 'aws:sourceaccount' || key === 'aws:sourceowner') {
    match = (value) => sourceAccountMatches(model, value, source, wildcards);
  } else if (key === 'aws:principalservicename') {
    match = (value) =>
      typeof value === 'string' ? (wildcardMatch(value, source.service, true) ? 'yes' : 'no') : 'unknown';
  } else return 'unknown';
  const answer = anyTri(items(values).map(match));
  return negated ? notTri(answer) : answer;
}

/** The sender's ARN as far as it is known. */
export function senderArn(model: Model, source: DeliverySource): string | undefined {
  if (source.sender) return entityArn(model, source.sender);
  return typeof source.senderSym === 'string' ? source.senderSym : undefined;
}

const SERVICE_OF_PRINCIPAL: Record<string, string> = {
  'events.amazonaws.com': 'events',
  'sns.amazonaws.com': 'sns',
  's3.amazonaws.com': 's3',
  'pipes.amazonaws.com': 'pipes',
};

function sourceArnMatches(model: Model, value: Sym, source: DeliverySource, wildcards: boolean): Tri {
  if (isUnknown(value)) return 'unknown';
  if (isRef(value)) {
    const sender = source.sender;
    if (sender && (value.$ref === sender.id || value.$ref === sender.generatedBy)) return 'yes';
    if (isRef(source.senderSym) && source.senderSym.$ref === value.$ref) return 'yes';
    // A reference to another resource of the model names another source.
    return 'no';
  }
  if (typeof value !== 'string') return 'unknown';
  const arn = senderArn(model, source);
  if (arn) return arnMatch(value, arn, wildcards);
  // The sender's ARN is generated at deploy time: only a pattern for another service rules it out.
  const service = arnService(value);
  const expected = source.sender ? serviceOf(model, source.sender) : SERVICE_OF_PRINCIPAL[source.service];
  if (service && !PSEUDO.test(service) && !(wildcards && service.includes('*')) && service !== expected) {
    return 'no';
  }
  return 'unknown';
}

function sourceAccountMatches(model: Model, value: Sym, source: DeliverySource, wildcards: boolean): Tri {
  // Pseudo parameters and references stand for this stack's account, the sender's too.
  if (typeof value !== 'string') return 'yes';
  const account = arnAccount(senderArn(model, source));
  if (!account || !literalAccount(value.replace(/[*?]/g, '0'))) return 'yes';
  if (wildcards) return wildcardMatch(value, account) ? 'yes' : 'no';
  return value === account ? 'yes' : 'no';
}

/** Whether a Condition block names any of the given keys (lower-cased), under a non-Null operator. */
export function conditionKeys(condition: Sym | undefined): Map<string, Sym[]> {
  const keys = new Map<string, Sym[]>();
  for (const entry of conditionEntries(condition)) {
    if (parseOperator(entry.operator).base === 'null') continue;
    keys.set(entry.key, [...(keys.get(entry.key) ?? []), ...items(entry.values)]);
  }
  return keys;
}

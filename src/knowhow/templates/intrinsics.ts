import { isRef, isUnknown, type Sym, type SymUnknown } from '../model.js';

/**
 * What a template declares that intrinsic functions can name: its parameters, resources and
 * mappings. Values are resolved as far as the template alone allows; anything decided at deploy
 * time (parameters, imports, conditions, AZs) becomes a `$unknown` carrying the reason.
 */
export interface TemplateScope {
  parameters: Map<string, { noEcho: boolean }>;
  resources: Set<string>;
  mappings: Record<string, unknown>;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::Region',
  'AWS::Partition',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::URLSuffix',
]);

/**
 * A value the reader itself builds without knowing it (a SAM policy template it does not expand):
 * `{ [UNKNOWN_KEY]: reason }` resolves to `{ $unknown: reason }`.
 */
export const UNKNOWN_KEY = 'Tideway::Unknown';

/** `Ref: AWS::NoValue` and what contains it resolve to this: the property is absent. */
export const NO_VALUE = undefined;

function unknown(reason: string, from?: SymUnknown): SymUnknown {
  const result: SymUnknown = { $unknown: reason };
  if (from?.param !== undefined) result.param = from.param;
  if (from?.noEcho) result.noEcho = true;
  return result;
}

/** The ids of the template's resources that a raw value names through Ref, GetAtt or Sub. */
export function mentionedResources(
  raw: unknown,
  scope: TemplateScope,
  found = new Set<string>(),
): Set<string> {
  if (Array.isArray(raw)) for (const item of raw) mentionedResources(item, scope, found);
  else if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'Ref' && typeof value === 'string' && scope.resources.has(value)) found.add(value);
      else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(value)
          ? value[0]
          : typeof value === 'string'
            ? value.split('.')[0]
            : undefined;
        if (typeof target === 'string' && scope.resources.has(target)) found.add(target);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? value[0] : value;
        if (typeof text === 'string') {
          for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const target = match[1].split('.')[0].trim();
            if (scope.resources.has(target)) found.add(target);
          }
        }
        if (Array.isArray(value)) mentionedResources(value[1], scope, found);
      } else mentionedResources(value, scope, found);
    }
  }
  return found;
}

/** Resolves a raw template value into a symbol; `undefined` when it is `AWS::NoValue`. */
export function resolve(raw: unknown, scope: TemplateScope): Sym | undefined {
  if (raw === null || typeof raw !== 'object') {
    return raw === undefined ? undefined : (raw as Sym);
  }
  if (Array.isArray(raw)) {
    const items: Sym[] = [];
    for (const item of raw) {
      const value = resolve(item, scope);
      if (value !== NO_VALUE) items.push(value);
    }
    return items;
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, argument] = entries[0];
    const fn = INTRINSICS[key];
    if (fn) return fn(argument, scope);
  }
  const object: Record<string, Sym> = {};
  for (const [key, value] of entries) {
    const resolved = resolve(value, scope);
    if (resolved !== NO_VALUE) object[key] = resolved;
  }
  return object;
}

type Intrinsic = (argument: unknown, scope: TemplateScope) => Sym | undefined;

const INTRINSICS: Record<string, Intrinsic> = {
  Ref: resolveRef,
  'Fn::GetAtt': resolveGetAtt,
  'Fn::Sub': resolveSub,
  'Fn::Join': resolveJoin,
  'Fn::Select': resolveSelect,
  'Fn::Split': resolveSplit,
  'Fn::FindInMap': resolveFindInMap,
  'Fn::If': resolveIf,
  'Fn::Base64': (argument, scope) => {
    const value = resolve(argument, scope);
    return typeof value === 'string'
      ? Buffer.from(value).toString('base64')
      : unknown('Fn::Base64 of an unknown value');
  },
  'Fn::ToJsonString': (argument, scope) => {
    const value = resolve(argument, scope);
    return value !== undefined && isLiteral(value)
      ? JSON.stringify(value)
      : unknown('Fn::ToJsonString of unknown values');
  },
  'Fn::Length': (argument, scope) => {
    const value = resolve(argument, scope);
    return Array.isArray(value) ? value.length : unknown('Fn::Length of an unknown list');
  },
  'Fn::ImportValue': (argument, scope) => {
    const name = resolve(argument, scope);
    return unknown(
      `Fn::ImportValue ${typeof name === 'string' ? name : '(computed name)'} (another stack's output)`,
    );
  },
  'Fn::GetAZs': () => unknown('Fn::GetAZs (the region’s availability zones)'),
  'Fn::Cidr': () => unknown('Fn::Cidr (computed address blocks)'),
  'Fn::Transform': () => unknown('Fn::Transform (a macro’s output)'),
  'Fn::Equals': () => unknown('a condition function'),
  'Fn::And': () => unknown('a condition function'),
  'Fn::Or': () => unknown('a condition function'),
  'Fn::Not': () => unknown('a condition function'),
  Condition: () => unknown('a condition function'),
  [UNKNOWN_KEY]: (argument) => unknown(String(argument)),
};

/** A symbol with no reference and nothing unknown inside. */
export function isLiteral(value: Sym): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(isLiteral);
  if (isRef(value) || isUnknown(value)) return false;
  return Object.values(value).every(isLiteral);
}

function resolveRef(argument: unknown, scope: TemplateScope): Sym | undefined {
  if (typeof argument !== 'string') return unknown('Ref to a computed name');
  return refByName(argument, scope);
}

function refByName(name: string, scope: TemplateScope, attribute?: string): Sym | undefined {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (PSEUDO_PARAMETERS.has(name)) return `\${${name}}`;
  if (name === 'AWS::NotificationARNs') return unknown('AWS::NotificationARNs');
  if (scope.resources.has(name)) return attribute ? { $ref: name, $attr: attribute } : { $ref: name };
  const parameter = scope.parameters.get(name);
  if (parameter) {
    const result: SymUnknown = { $unknown: `parameter ${name}`, param: name };
    if (parameter.noEcho) result.noEcho = true;
    return result;
  }
  return unknown(`Ref to ${name}, which the template does not declare`);
}

function resolveGetAtt(argument: unknown, scope: TemplateScope): Sym {
  let parts: unknown[] = [];
  if (typeof argument === 'string') {
    const dot = argument.indexOf('.');
    parts = dot === -1 ? [argument] : [argument.slice(0, dot), argument.slice(dot + 1)];
  } else if (Array.isArray(argument)) parts = argument;
  const [resource, attribute] = parts;
  if (typeof resource !== 'string' || !scope.resources.has(resource)) {
    return unknown(
      `Fn::GetAtt of ${typeof resource === 'string' ? resource : 'a computed name'}, not in the template`,
    );
  }
  const name = typeof attribute === 'string' ? attribute : resolve(attribute, scope);
  if (typeof name !== 'string') return unknown(`Fn::GetAtt ${resource} with a computed attribute`);
  return { $ref: resource, $attr: name };
}

/** How a reference reads inside a string: the `${Resource.Attribute}` placeholder text. */
function placeholder(ref: { $ref: string; $attr?: string }): string {
  return ref.$attr ? `\${${ref.$ref}.${ref.$attr}}` : `\${${ref.$ref}}`;
}

/**
 * Concatenates resolved parts. Pseudo parameters stay as `${AWS::…}` text, references to
 * resources stay as their placeholder text (so an ARN built around them keeps its shape), a lone
 * reference stays a reference, and anything unknown makes the whole string unknown.
 */
function concat(parts: Sym[], what: string): Sym {
  const meaningful = parts.filter((part) => part !== '');
  if (meaningful.length === 1 && typeof meaningful[0] === 'object') return meaningful[0];
  // A dynamic reference stays one whatever names its secret: `{{resolve:secretsmanager:${Name}…}}`.
  const dynamic = typeof meaningful[0] === 'string' && meaningful[0].startsWith('{{resolve:');
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else if (typeof part === 'number' || typeof part === 'boolean') text += String(part);
    else if (isRef(part)) text += placeholder(part);
    else if (isUnknown(part) && dynamic && part.param !== undefined) text += `\${${part.param}}`;
    else if (isUnknown(part)) return unknown(`${what} with ${part.$unknown}`, part);
    else return unknown(`${what} of a list or object`);
  }
  return text;
}

function resolveSub(argument: unknown, scope: TemplateScope): Sym {
  const [template, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof template !== 'string') return unknown('Fn::Sub of a computed string');
  const values = new Map<string, Sym | undefined>();
  if (variables && typeof variables === 'object') {
    for (const [name, value] of Object.entries(variables as Record<string, unknown>)) {
      values.set(name, resolve(value, scope));
    }
  }
  const parts: Sym[] = [];
  let last = 0;
  for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
    parts.push(template.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    const name = match[1].trim();
    if (name.startsWith('!')) {
      parts.push(`\${${name.slice(1)}}`);
      continue;
    }
    if (values.has(name)) {
      parts.push(values.get(name) ?? '');
      continue;
    }
    const dot = name.indexOf('.');
    const value =
      dot === -1 ? refByName(name, scope) : refByName(name.slice(0, dot), scope, name.slice(dot + 1));
    parts.push(value === NO_VALUE ? '' : value);
  }
  parts.push(template.slice(last));
  return concat(parts, 'Fn::Sub');
}

function resolveJoin(argument: unknown, scope: TemplateScope): Sym {
  if (!Array.isArray(argument) || argument.length !== 2) return unknown('Fn::Join of a malformed argument');
  const delimiter = resolve(argument[0], scope);
  const list = resolve(argument[1], scope);
  if (typeof delimiter !== 'string') return unknown('Fn::Join with a computed delimiter');
  if (isUnknown(list)) return unknown(`Fn::Join of ${list.$unknown}`, list);
  if (!Array.isArray(list)) return unknown('Fn::Join of a computed list');
  const parts: Sym[] = [];
  list.forEach((item, index) => {
    if (index > 0) parts.push(delimiter);
    parts.push(item);
  });
  return concat(parts, 'Fn::Join');
}

function resolveSelect(argument: unknown, scope: TemplateScope): Sym {
  if (!Array.isArray(argument) || argument.length !== 2) return unknown('Fn::Select of a malformed argument');
  const index = resolve(argument[0], scope);
  const list = resolve(argument[1], scope);
  const position = typeof index === 'number' ? index : typeof index === 'string' ? Number(index) : Number.NaN;
  if (!Array.isArray(list) || !Number.isInteger(position) || position < 0 || position >= list.length) {
    return unknown('Fn::Select from a list the template does not fix');
  }
  return list[position];
}

function resolveSplit(argument: unknown, scope: TemplateScope): Sym {
  if (!Array.isArray(argument) || argument.length !== 2) return unknown('Fn::Split of a malformed argument');
  const delimiter = resolve(argument[0], scope);
  const text = resolve(argument[1], scope);
  if (typeof delimiter !== 'string' || typeof text !== 'string')
    return unknown('Fn::Split of an unknown string');
  return text.split(delimiter);
}

function resolveFindInMap(argument: unknown, scope: TemplateScope): Sym | undefined {
  if (!Array.isArray(argument) || argument.length < 3)
    return unknown('Fn::FindInMap of a malformed argument');
  const keys = argument.slice(0, 3).map((key) => resolve(key, scope));
  const fallback = argument[3] as { DefaultValue?: unknown } | undefined;
  if (
    !keys.every((key): key is string => typeof key === 'string') ||
    keys.some((key) => key.includes('${'))
  ) {
    return unknown('Fn::FindInMap with a key known only at deploy time (region, parameter…)');
  }
  const [mapName, topKey, secondKey] = keys;
  const map = scope.mappings[mapName] as Record<string, Record<string, unknown>> | undefined;
  const entry = map?.[topKey]?.[secondKey];
  if (entry === undefined) {
    if (fallback && typeof fallback === 'object' && 'DefaultValue' in fallback)
      return resolve(fallback.DefaultValue, scope);
    return unknown(`Fn::FindInMap ${mapName}/${topKey}/${secondKey}, not in the mappings`);
  }
  return resolve(entry, scope);
}

function resolveIf(argument: unknown, scope: TemplateScope): Sym | undefined {
  const condition = Array.isArray(argument) && typeof argument[0] === 'string' ? argument[0] : 'a condition';
  if (Array.isArray(argument) && argument.length === 3) {
    const whenTrue = resolve(argument[1], scope);
    const whenFalse = resolve(argument[2], scope);
    // Both branches alike: the condition does not matter.
    if (JSON.stringify(whenTrue) === JSON.stringify(whenFalse)) return whenTrue;
  }
  return unknown(`Fn::If on condition ${condition} (decided at deploy time)`);
}

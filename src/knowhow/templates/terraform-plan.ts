import type { Sym, SymRef, SymUnknown } from '../model.js';
import { isRef, isUnknown } from '../model.js';
import {
  formatKey,
  type InstanceKey,
  parseReference,
  parseResourceAddress,
  type Reference,
  resourceBase,
} from './terraform-address.js';

/**
 * A `terraform show -json` plan walked once: every resource instance of `planned_values` (and the
 * data sources read at plan time, from `prior_state`), each with what is unknown until apply
 * (`resource_changes[].change.after_unknown`), what is sensitive, and its configuration
 * expressions. `valueAt` answers an attribute as a symbol: the planned literal when known, else
 * what the configuration's references designate.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
export type Path = (string | number)[];

/** A configuration expression: `constant_value`, or the `references` it reads. */
interface Expression {
  constant_value?: Json;
  references?: string[];
}

interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, ModuleCall>;
  outputs?: Record<string, { expression?: Expression; sensitive?: boolean }>;
  variables?: Record<string, { default?: Json; sensitive?: boolean }>;
}

interface ConfigResource {
  address: string;
  mode?: string;
  type: string;
  name: string;
  expressions?: JsonObject;
}

interface ModuleCall {
  expressions?: JsonObject;
  module?: ConfigModule;
}

/** A module instance: where its references resolve. */
export interface Scope {
  prefix: string;
  config?: ConfigModule;
  parent?: Scope;
  /** The call that made it, for `var.x` inside it. */
  call?: ModuleCall;
  key?: InstanceKey;
}

export interface PlanResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  key?: InstanceKey;
  values: JsonObject;
  unknown: Json;
  sensitive: Json;
  expressions?: JsonObject;
  scope: Scope;
}

const AFTER_APPLY: SymUnknown = { $unknown: 'known only after apply' };

function isObj(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isExpression(node: unknown): node is Expression {
  return isObj(node) && ('constant_value' in node || Array.isArray(node.references));
}

function step(node: Json | undefined, key: string | number): Json | undefined {
  if (Array.isArray(node)) return typeof key === 'number' ? node[key] : undefined;
  if (isObj(node)) return node[String(key)];
  return undefined;
}

/** True when the flag tree (after_unknown, after_sensitive) marks the path or one of its parents. */
function flagged(tree: Json | undefined, path: Path): boolean {
  let node = tree;
  for (const key of path) {
    if (node === true) return true;
    node = step(node, key);
  }
  return node === true;
}

/** The references of an expression without the shorter forms Terraform lists beside them. */
function describeExpression(expression: Expression): string[] {
  const texts = (expression.references ?? []).filter((text) => typeof text === 'string');
  return texts.filter(
    (text) => !texts.some((other) => other.startsWith(`${text}.`) || other.startsWith(`${text}[`)),
  );
}

export class TerraformPlan {
  readonly resources: PlanResource[] = [];
  private readonly byAddress = new Map<string, PlanResource>();
  private readonly byBase = new Map<string, PlanResource[]>();
  private readonly scopes = new Map<string, Scope>();
  private readonly rootVariables: Record<string, { value?: Json }>;

  constructor(plan: Record<string, unknown>) {
    const configuration = isObj(plan.configuration) ? plan.configuration : {};
    const root = configuration.root_module;
    this.scopes.set('', { prefix: '', config: isObj(root) ? (root as unknown as ConfigModule) : undefined });
    this.rootVariables = (isObj(plan.variables) ? plan.variables : {}) as Record<string, { value?: Json }>;

    const changes = new Map<string, JsonObject>();
    for (const change of Array.isArray(plan.resource_changes) ? plan.resource_changes : []) {
      if (isObj(change) && typeof change.address === 'string' && isObj(change.change)) {
        changes.set(change.address, change.change);
      }
    }
    // Data sources read while planning are in prior_state; those deferred to apply, and every
    // managed resource that will exist, are in planned_values (a state file has `values`).
    const prior = isObj(plan.prior_state) && isObj(plan.prior_state.values) ? plan.prior_state.values : {};
    const planned = isObj(plan.planned_values) ? plan.planned_values : isObj(plan.values) ? plan.values : {};
    this.walkModule(planned.root_module, changes, false);
    this.walkModule(prior.root_module, changes, true);
  }

  private walkModule(module: Json | undefined, changes: Map<string, JsonObject>, dataOnly: boolean): void {
    if (!isObj(module)) return;
    for (const entry of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObj(entry) || typeof entry.address !== 'string') continue;
      if (dataOnly && entry.mode !== 'data') continue;
      if (this.byAddress.has(entry.address)) continue;
      this.add(entry, changes.get(entry.address));
    }
    for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) {
      this.walkModule(child, changes, dataOnly);
    }
  }

  private add(entry: JsonObject, change: JsonObject | undefined): void {
    const address = entry.address as string;
    const parsed = parseResourceAddress(address);
    if (!parsed) return;
    const scope = this.scope(parsed.modulePrefix, parsed.moduleCalls);
    const local = resourceBase('', parsed.mode, parsed.type, parsed.name);
    const declared = scope.config?.resources;
    const config = Array.isArray(declared)
      ? declared.find((resource) => isObj(resource) && resource.address === local)
      : undefined;
    const resource: PlanResource = {
      address,
      mode: parsed.mode,
      type: parsed.type,
      name: parsed.name,
      key: parsed.key,
      values: isObj(entry.values) ? entry.values : {},
      unknown: change?.after_unknown ?? null,
      sensitive: change?.after_sensitive ?? entry.sensitive_values ?? null,
      expressions: isObj(config?.expressions) ? config.expressions : undefined,
      scope,
    };
    this.resources.push(resource);
    this.byAddress.set(address, resource);
    const base = resourceBase(parsed.modulePrefix, parsed.mode, parsed.type, parsed.name);
    const list = this.byBase.get(base) ?? [];
    list.push(resource);
    this.byBase.set(base, list);
  }

  /** The scope of a module instance, made on first use from its prefix. */
  private scope(prefix: string, calls: string[]): Scope {
    const known = this.scopes.get(prefix);
    if (known) return known;
    const cut = prefix.lastIndexOf('.module.');
    const parentPrefix = cut === -1 ? '' : prefix.slice(0, cut);
    const parent = this.scope(parentPrefix, calls.slice(0, -1));
    const moduleCalls = parent.config?.module_calls;
    const found = isObj(moduleCalls) ? moduleCalls[calls[calls.length - 1] ?? ''] : undefined;
    const call = isObj(found) ? (found as ModuleCall) : undefined;
    const lastStep = cut === -1 ? prefix : prefix.slice(cut + 1);
    const config = isObj(call?.module) ? call.module : undefined;
    const scope: Scope = { prefix, parent, call, config, key: keyOf(lastStep) };
    this.scopes.set(prefix, scope);
    return scope;
  }

  get(address: string): PlanResource | undefined {
    return this.byAddress.get(address);
  }

  ofType(type: string, mode: 'managed' | 'data' = 'managed'): PlanResource[] {
    return this.resources.filter((resource) => resource.type === type && resource.mode === mode);
  }

  private raw(resource: PlanResource, path: Path): Json | undefined {
    let node: Json | undefined = resource.values;
    for (const key of path) node = step(node, key);
    return node;
  }

  /** The planned value at `path`, literal (JSON) when known, undefined when absent or null. */
  literal(resource: PlanResource, path: Path): Json | undefined {
    if (flagged(resource.unknown, path)) return undefined;
    let node: Json | undefined = resource.values;
    for (const key of path) node = step(node, key);
    return node === null ? undefined : node;
  }

  /** The keys of a map attribute, those known and those computed at apply. */
  keysAt(resource: PlanResource, path: Path): string[] {
    const keys = new Set<string>();
    for (const tree of [resource.values as Json, resource.unknown]) {
      let node: Json | undefined = tree;
      for (const key of path) node = step(node, key);
      if (isObj(node)) for (const key of Object.keys(node)) keys.add(key);
    }
    return [...keys];
  }

  isUnknown(resource: PlanResource, path: Path): boolean {
    return flagged(resource.unknown, path);
  }

  /** The configuration expression that sets `path`, descending into constant maps and lists. */
  expression(resource: PlanResource, path: Path): Expression | undefined {
    let node: unknown = resource.expressions;
    for (let i = 0; i < path.length; i++) {
      if (isExpression(node)) {
        if (!('constant_value' in node)) return node;
        let value: Json | undefined = node.constant_value;
        for (const key of path.slice(i)) value = step(value, key);
        return value === undefined ? undefined : { constant_value: value };
      }
      node = Array.isArray(node) ? node[path[i] as number] : isObj(node) ? node[String(path[i])] : undefined;
    }
    // `{}` is an expression Terraform could not show: a function call without references.
    return isObj(node) ? (node as Expression) : undefined;
  }

  /**
   * The attribute at `path` as a symbol. Undefined when it is not set (null, or computed by the
   * provider without any expression in the configuration).
   */
  valueAt(resource: PlanResource, path: Path): Sym | undefined {
    const expression = this.expression(resource, path);
    // Planned values leave out what is unknown; a plan cut down to planned_values and
    // configuration (no resource_changes) still shows it by its absence.
    const absent = this.raw(resource, path) === undefined && expression?.references !== undefined;
    if (!this.isUnknown(resource, path) && !absent) {
      const value = this.literal(resource, path);
      if (flagged(resource.sensitive, path) && expression?.references) {
        // A sensitive value taken from a variable is the plan's parameter: not written in it.
        const fromVariable = this.resolve(expression, resource.scope, resource.key, true);
        if (fromVariable !== undefined && isUnknown(fromVariable)) return fromVariable;
      }
      if (value === undefined) {
        return flagged(resource.sensitive, path) && expression !== undefined
          ? { $unknown: 'sensitive value not shown in the plan' }
          : undefined;
      }
      return value as Sym;
    }
    if (!expression) return undefined;
    return this.resolve(expression, resource.scope, resource.key) ?? { ...AFTER_APPLY };
  }

  /**
   * A list attribute item by item. Items computed at apply are read from the list's expression,
   * which names every resource it reads (`[aws_sqs_queue.a.arn, aws_sqs_queue.b.arn]`).
   * Undefined when the list is not set.
   */
  listAt(resource: PlanResource, path: Path): Sym[] | undefined {
    const expression = this.expression(resource, path);
    const whole = this.isUnknown(resource, path);
    const planned = whole ? undefined : this.literal(resource, path);
    if (!whole && !Array.isArray(planned)) {
      const value = this.valueAt(resource, path);
      return value === undefined ? undefined : [value];
    }
    const known: Sym[] = [];
    let computed = whole;
    const items = Array.isArray(planned) ? planned : [];
    for (let i = 0; i < items.length; i++) {
      if (this.isUnknown(resource, [...path, i])) computed = true;
      else known.push((this.literal(resource, [...path, i]) ?? null) as Sym);
    }
    if (!computed) return known;
    if (expression?.references) {
      const read = this.resolveAll(expression, resource.scope, resource.key);
      if (read.length > 0)
        return [...known, ...read.filter((item) => typeof item !== 'string' || !known.includes(item))];
    }
    if (whole && !expression) return undefined;
    return [...known, { ...AFTER_APPLY }];
  }

  /** Names of what an expression reads, for --explain. */
  describe(resource: PlanResource, path: Path): string[] {
    const expression = this.expression(resource, path);
    return expression ? describeExpression(expression) : [];
  }

  /**
   * What an expression designates: the one resource it reads (`{ $ref, $attr }`), or a value
   * through a variable or module output; undefined when it reads several things or nothing.
   */
  resolve(
    expression: Expression,
    scope: Scope,
    selfKey?: InstanceKey,
    asParameter = false,
    depth = 0,
  ): Sym | undefined {
    if ('constant_value' in expression) return expression.constant_value as Sym;
    const results = this.resolveAll(expression, scope, selfKey, asParameter, depth);
    const refs = results.filter(isRef);
    const managed = refs.filter((ref) => this.byAddress.get(ref.$ref)?.mode !== 'data');
    if (managed.length === 1) return managed[0];
    if (managed.length > 1) return undefined;
    return results.length === 1 ? results[0] : undefined;
  }

  /** Every distinct thing an expression reads, for list attributes (secret lists, policy resources). */
  resolveAll(
    expression: Expression,
    scope: Scope,
    selfKey?: InstanceKey,
    asParameter = false,
    depth = 0,
  ): Sym[] {
    if ('constant_value' in expression) {
      const value = expression.constant_value;
      return Array.isArray(value) ? (value as Sym[]) : [value as Sym];
    }
    if (depth > 16) return [];
    const texts = (expression.references ?? []).filter((text) => typeof text === 'string');
    const parsed = texts.map(parseReference);
    const instanceMatch = parsed.some((ref) => ref.kind === 'instance');
    const out: Sym[] = [];
    const seen = new Set<string>();
    const push = (value: Sym, identity: string) => {
      if (seen.has(identity)) return;
      seen.add(identity);
      out.push(value);
    };
    for (const ref of mostPrecise(parsed)) {
      if (ref.kind === 'resource') {
        for (const value of this.resolveResource(ref, scope, instanceMatch ? selfKey : undefined)) {
          push(value, JSON.stringify(value));
        }
      } else if (ref.kind === 'var') {
        const value = this.resolveVariable(ref.name, scope, asParameter, depth);
        if (value !== undefined) push(value, `var.${ref.name}`);
      } else if (ref.kind === 'module' && ref.output) {
        const value = this.resolveOutput(ref.call, ref.key, ref.output, scope, depth);
        if (value !== undefined) push(value, JSON.stringify(value));
      }
    }
    return out;
  }

  private resolveResource(
    ref: Extract<Reference, { kind: 'resource' }>,
    scope: Scope,
    selfKey?: InstanceKey,
  ): Sym[] {
    const base = resourceBase(scope.prefix, ref.mode, ref.type, ref.name);
    const instances = this.byBase.get(base) ?? [];
    let chosen: PlanResource[];
    if (ref.key !== undefined) chosen = instances.filter((resource) => resource.key === ref.key);
    else if (instances.length === 1) chosen = instances;
    else if (selfKey !== undefined && instances.some((resource) => resource.key === selfKey)) {
      chosen = instances.filter((resource) => resource.key === selfKey);
    } else chosen = instances;
    return chosen.map((resource) => {
      if (resource.mode === 'data' && ref.attr && !this.isUnknown(resource, [ref.attr])) {
        const value = this.literal(resource, [ref.attr]);
        if (value !== undefined) return value as Sym;
      }
      const symbol: SymRef = { $ref: resource.address };
      if (ref.attr) symbol.$attr = ref.attr;
      return symbol;
    });
  }

  private resolveVariable(name: string, scope: Scope, asParameter: boolean, depth: number): Sym | undefined {
    const declared = scope.config?.variables?.[name];
    if (!scope.parent) {
      const value = this.rootVariables[name]?.value;
      if (asParameter || declared?.sensitive) {
        return { $unknown: `variable ${name}`, param: name, noEcho: declared?.sensitive === true };
      }
      return value === undefined ? { $unknown: `variable ${name}`, param: name } : (value as Sym);
    }
    const input = scope.call?.expressions?.[name];
    if (isExpression(input)) {
      return this.resolve(input, scope.parent, scope.key, asParameter, depth + 1) ?? { ...AFTER_APPLY };
    }
    if (declared && 'default' in declared) return declared.default as Sym;
    return undefined;
  }

  private resolveOutput(
    call: string,
    key: InstanceKey | undefined,
    output: string,
    scope: Scope,
    depth: number,
  ): Sym | undefined {
    const prefix = `${scope.prefix ? `${scope.prefix}.` : ''}module.${call}`;
    let childPrefix = `${prefix}${formatKey(key)}`;
    if (key === undefined && !this.scopes.has(childPrefix)) {
      // A module with count or for_each read without an index: only one instance is unambiguous.
      const instances = [...this.scopes.keys()].filter((known) => known.startsWith(`${prefix}[`));
      const single = instances.filter((known) => !known.slice(prefix.length).includes('.module.'));
      if (single.length !== 1) return undefined;
      childPrefix = single[0]!;
    }
    const callConfig = scope.config?.module_calls?.[call];
    const child = this.scopes.get(childPrefix) ?? {
      prefix: childPrefix,
      parent: scope,
      call: callConfig,
      config: callConfig?.module,
      key,
    };
    const expression = callConfig?.module?.outputs?.[output]?.expression;
    if (!expression) return undefined;
    return this.resolve(expression, child, undefined, false, depth + 1);
  }
}

/** Of `aws_sqs_queue.q.arn` and `aws_sqs_queue.q`, which Terraform both lists, keeps the first. */
function mostPrecise(refs: Reference[]): Reference[] {
  return refs.filter((ref, index) => {
    if (ref.kind !== 'resource' && ref.kind !== 'module') return true;
    return !refs.some((other, otherIndex) => {
      if (otherIndex === index || other.kind !== ref.kind) return false;
      if (ref.kind === 'resource' && other.kind === 'resource') {
        if (other.mode !== ref.mode || other.type !== ref.type || other.name !== ref.name) return false;
        if (ref.attr !== undefined)
          return other.attr === ref.attr && other.key === ref.key && otherIndex < index;
        if (ref.key !== undefined) return other.key === ref.key && other.attr !== undefined;
        return other.key !== undefined || other.attr !== undefined;
      }
      if (ref.kind === 'module' && other.kind === 'module') {
        if (other.call !== ref.call) return false;
        return ref.output === undefined && other.output !== undefined;
      }
      return false;
    });
  });
}

function keyOf(step: string): InstanceKey | undefined {
  const open = step.indexOf('[');
  if (open === -1) return undefined;
  const inner = step.slice(open + 1, step.lastIndexOf(']'));
  if (!inner.startsWith('"')) return Number(inner);
  try {
    return JSON.parse(inner) as string;
  } catch {
    return inner.slice(1, -1);
  }
}

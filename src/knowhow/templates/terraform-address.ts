/**
 * Terraform addresses and references as text: `module.m["k"].aws_sqs_queue.q[0]`,
 * `data.aws_iam_policy_document.p.json`, `var.x`, `module.m.out`. Keys of count and for_each
 * instances are numbers or quoted strings, and a string key may hold dots and brackets, so the
 * text is split by a small scanner rather than by `.`.
 */

export type InstanceKey = string | number;

/** One step of an address: a name and, when the step is indexed, the instance key. */
interface Step {
  name: string;
  key?: InstanceKey;
  /** The index was not a literal (`[count.index]`, `[*]`). */
  dynamicKey?: boolean;
}

function readKey(text: string, start: number): { key?: InstanceKey; dynamic: boolean; end: number } {
  // `start` is just after `[`.
  if (text[start] === '"') {
    let value = '';
    let i = start + 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      value += text[i];
      i++;
    }
    const close = text.indexOf(']', i);
    return { key: value, dynamic: false, end: close === -1 ? text.length : close + 1 };
  }
  const close = text.indexOf(']', start);
  const inner = text.slice(start, close === -1 ? text.length : close);
  const end = close === -1 ? text.length : close + 1;
  return /^\d+$/.test(inner) ? { key: Number(inner), dynamic: false, end } : { dynamic: true, end };
}

function steps(text: string): Step[] {
  const out: Step[] = [];
  let i = 0;
  while (i < text.length) {
    let name = '';
    while (i < text.length && text[i] !== '.' && text[i] !== '[') name += text[i++];
    const step: Step = { name };
    while (text[i] === '[') {
      const { key, dynamic, end } = readKey(text, i + 1);
      // A second index (`x[0][1]`) only occurs inside attribute values, which are not followed.
      if (step.key === undefined && !step.dynamicKey) {
        if (dynamic) step.dynamicKey = true;
        else step.key = key;
      }
      i = end;
    }
    out.push(step);
    if (text[i] === '.') i++;
  }
  return out;
}

export function formatKey(key: InstanceKey | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

export interface ResourceAddress {
  /** The module instance path, e.g. `module.a[0].module.b`, '' for the root module. */
  modulePrefix: string;
  /** Module call names from the root, without keys, to find their configuration. */
  moduleCalls: string[];
  mode: 'managed' | 'data';
  type: string;
  name: string;
  key?: InstanceKey;
}

/** Parses an absolute resource instance address; undefined when it is not one. */
export function parseResourceAddress(address: string): ResourceAddress | undefined {
  const parts = steps(address);
  const prefix: string[] = [];
  const moduleCalls: string[] = [];
  let i = 0;
  while (parts[i]?.name === 'module' && parts[i + 1]) {
    const call = parts[i + 1]!;
    moduleCalls.push(call.name);
    prefix.push(`module.${call.name}${formatKey(call.key)}`);
    i += 2;
  }
  let mode: ResourceAddress['mode'] = 'managed';
  if (parts[i]?.name === 'data') {
    mode = 'data';
    i++;
  }
  const type = parts[i];
  const name = parts[i + 1];
  if (!type || !name || parts.length !== i + 2) return undefined;
  return {
    modulePrefix: prefix.join('.'),
    moduleCalls,
    mode,
    type: type.name,
    name: name.name,
    key: name.key,
  };
}

/** What a reference of a configuration expression names, relative to its module. */
export type Reference =
  | {
      kind: 'resource';
      mode: 'managed' | 'data';
      type: string;
      name: string;
      key?: InstanceKey;
      /** The first attribute step (`arn`, `json`…), absent for the resource itself. */
      attr?: string;
    }
  | { kind: 'var'; name: string }
  | { kind: 'module'; call: string; key?: InstanceKey; output?: string }
  | { kind: 'instance'; name: 'count.index' | 'each.key' | 'each.value' }
  | { kind: 'other'; text: string };

export function parseReference(text: string): Reference {
  const parts = steps(text);
  const head = parts[0]?.name;
  if (head === 'var' && parts[1]) return { kind: 'var', name: parts[1].name };
  if (head === 'module' && parts[1]) {
    return { kind: 'module', call: parts[1].name, key: parts[1].key, output: parts[2]?.name };
  }
  if (head === 'count' && parts[1]?.name === 'index') return { kind: 'instance', name: 'count.index' };
  if (head === 'each' && (parts[1]?.name === 'key' || parts[1]?.name === 'value')) {
    return { kind: 'instance', name: parts[1].name === 'key' ? 'each.key' : 'each.value' };
  }
  if (head === 'local' || head === 'path' || head === 'terraform' || head === 'self' || head === 'each') {
    return { kind: 'other', text };
  }
  const data = head === 'data';
  const at = data ? 1 : 0;
  const type = parts[at];
  const name = parts[at + 1];
  if (!type || !name) return { kind: 'other', text };
  return {
    kind: 'resource',
    mode: data ? 'data' : 'managed',
    type: type.name,
    name: name.name,
    key: name.key,
    attr: parts[at + 2]?.name,
  };
}

/** The address of a resource (all its instances) inside a module instance. */
export function resourceBase(
  modulePrefix: string,
  mode: 'managed' | 'data',
  type: string,
  name: string,
): string {
  const local = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
  return modulePrefix ? `${modulePrefix}.${local}` : local;
}

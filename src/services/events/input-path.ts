import type { JsonValue } from '../../core/patterns/operators.js';

/**
 * The JSONPath subset EventBridge takes in InputPath and InputPathsMap: rooted at `$`, dot notation
 * (names may hold dashes, underscores, slashes and the like), array indices (`[0]`, `[-1]` from the
 * end), wildcards (`.*`, `[*]`) and deep scan (`..name`). Bracketed names (`['key']`) are refused, as
 * PutTargets refuses them. Evaluated as Jayway JsonPath does: a definite path gives one value or
 * nothing; a path with a wildcard or a deep scan gives the list of what it found.
 */

type Step =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'scan'; name: string };

export interface CompiledPath {
  readonly text: string;
  /** The value selected, or undefined when a definite path selects nothing. */
  select(document: JsonValue): JsonValue | undefined;
}

/** Compiles `text`, or answers undefined when EventBridge would call it an invalid path. */
export function compilePath(text: string): CompiledPath | undefined {
  const steps = parseSteps(text);
  if (steps === undefined) return undefined;
  const indefinite = steps.some((step) => step.kind === 'wildcard' || step.kind === 'scan');
  return {
    text,
    select(document) {
      if (!indefinite) return selectDefinite(document, steps);
      const found: JsonValue[] = [];
      collect(document, steps, 0, found);
      return found;
    },
  };
}

const NAME_STOP = /[.[\]\s'"]/;

function parseSteps(text: string): Step[] | undefined {
  if (text[0] !== '$') return undefined;
  const steps: Step[] = [];
  let i = 1;
  const name = (): string | undefined => {
    const start = i;
    while (i < text.length && !NAME_STOP.test(text[i])) i++;
    return i > start ? text.slice(start, i) : undefined;
  };
  while (i < text.length) {
    if (text.startsWith('..', i)) {
      i += 2;
      const n = name();
      if (n === undefined || n === '*') return undefined;
      steps.push({ kind: 'scan', name: n });
    } else if (text[i] === '.') {
      i++;
      const n = name();
      if (n === undefined) return undefined;
      steps.push(n === '*' ? { kind: 'wildcard' } : { kind: 'name', name: n });
    } else if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close === -1) return undefined;
      const inside = text.slice(i + 1, close);
      if (inside === '*') steps.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inside)) steps.push({ kind: 'index', index: Number(inside) });
      else return undefined;
      i = close + 1;
    } else return undefined;
  }
  return steps;
}

function child(value: JsonValue, step: Step & { kind: 'name' | 'index' }): JsonValue | undefined {
  if (step.kind === 'name') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return Object.hasOwn(value, step.name) ? value[step.name] : undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const index = step.index < 0 ? value.length + step.index : step.index;
  return index >= 0 && index < value.length ? value[index] : undefined;
}

function selectDefinite(document: JsonValue, steps: Step[]): JsonValue | undefined {
  let value: JsonValue | undefined = document;
  for (const step of steps) {
    if (value === undefined) return undefined;
    value = child(value, step as Step & { kind: 'name' | 'index' });
  }
  return value;
}

function members(value: JsonValue): JsonValue[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return Object.values(value);
  return [];
}

function collect(value: JsonValue, steps: Step[], at: number, found: JsonValue[]): void {
  if (at === steps.length) {
    found.push(value);
    return;
  }
  const step = steps[at];
  switch (step.kind) {
    case 'wildcard':
      for (const member of members(value)) collect(member, steps, at + 1, found);
      return;
    case 'scan': {
      const here = child(value, { kind: 'name', name: step.name });
      if (here !== undefined) collect(here, steps, at + 1, found);
      for (const member of members(value)) collect(member, steps, at, found);
      return;
    }
    default: {
      const next = child(value, step);
      if (next !== undefined) collect(next, steps, at + 1, found);
    }
  }
}

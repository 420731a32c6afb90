// The many-pattern index against the single-pattern matcher it must agree with, and its
// bookkeeping: replacing, removing, ordering, `$or` alternatives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchRules } from '../../bench/lib/event-rules.js';
import { compileEventPattern, EventPatternIndex } from '../../src/core/patterns/event-pattern.js';
import type { JsonValue } from '../../src/core/patterns/operators.js';

/** A small deterministic generator (mulberry32), so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  'alpha',
  'Alpha',
  'beta',
  'al',
  '',
  'gamma-ray',
  '10.0.0.7',
  '::1',
  '0:0:0:0:0:0:0:1',
  'x*y',
];
const NUMBERS = [0, 1, 1.5, 42, -3, 300, 3.0e2, 5e9, 1e10];
const FIELDS = ['a', 'b', 'c.d', 'c.e', 'f'];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

function scalar(next: () => number): JsonValue {
  const r = next();
  if (r < 0.5) return pick(next, STRINGS);
  if (r < 0.85) return pick(next, NUMBERS);
  return pick(next, [true, false, null]);
}

function matcher(next: () => number): unknown {
  const s = pick(
    next,
    STRINGS.filter((x) => x !== ''),
  );
  switch (Math.floor(next() * 16)) {
    case 0:
      return { prefix: s.slice(0, 2) };
    case 1:
      return { suffix: s.slice(-2) };
    case 2:
      return { 'equals-ignore-case': s.toUpperCase() };
    case 3:
      return { prefix: { 'equals-ignore-case': s.slice(0, 2).toUpperCase() } };
    case 4:
      return { numeric: ['>', pick(next, NUMBERS.slice(0, 7)), '<=', 400] };
    case 5:
      return { numeric: ['=', pick(next, NUMBERS.slice(0, 7))] };
    case 6:
      return { 'anything-but': [pick(next, STRINGS), pick(next, STRINGS)] };
    case 7:
      return { 'anything-but': pick(next, [0, 42, 300]) };
    case 8:
      return { 'anything-but': { prefix: s.slice(0, 2) } };
    case 9:
      return { exists: next() < 0.5 };
    case 10:
      return { wildcard: `${s.slice(0, 1)}*` };
    case 11:
      return { cidr: '10.0.0.0/24' };
    case 12:
      return { 'anything-but': { 'equals-ignore-case': s } };
    default:
      return scalar(next);
  }
}

function fieldsObject(next: () => number, count: number): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const path = pick(next, FIELDS).split('.');
    let target = object;
    for (const key of path.slice(0, -1)) {
      if (typeof target[key] !== 'object' || Array.isArray(target[key])) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = Array.from({ length: 1 + Math.floor(next() * 2) }, () => matcher(next));
  }
  return object;
}

function pattern(next: () => number): string {
  const body = fieldsObject(next, 1 + Math.floor(next() * 3));
  if (next() < 0.25) body.$or = [fieldsObject(next, 1), fieldsObject(next, 1)];
  return JSON.stringify(body);
}

function eventValue(next: () => number): JsonValue {
  const r = next();
  if (r < 0.15) return [scalar(next), scalar(next)];
  if (r < 0.2) return [{ d: scalar(next) }, { e: scalar(next) }];
  return scalar(next);
}

function event(next: () => number): JsonValue {
  const out: Record<string, JsonValue> = {};
  for (const key of ['a', 'b', 'f']) if (next() < 0.7) out[key] = eventValue(next);
  const r = next();
  if (r < 0.5) out.c = { d: eventValue(next), e: eventValue(next) };
  else if (r < 0.7) out.c = [{ d: scalar(next) }, { e: scalar(next) }];
  else if (r < 0.8) out['c.d'] = scalar(next);
  return out;
}

describe('EventPatternIndex', () => {
  it('agrees with each pattern on random patterns and events', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      const index = new EventPatternIndex<number>();
      const compiled: ReturnType<typeof compileEventPattern>[] = [];
      const texts: string[] = [];
      for (let i = 0; i < 150; i++) {
        let text = pattern(next);
        let p: ReturnType<typeof compileEventPattern>;
        try {
          p = compileEventPattern(text);
        } catch {
          text = '{"a": ["alpha"]}';
          p = compileEventPattern(text);
        }
        compiled.push(p);
        texts.push(text);
        index.add(i, p);
      }
      for (let e = 0; e < 150; e++) {
        const ev = event(next);
        const expected: number[] = compiled.flatMap((p, i) => (p.matches(ev) ? [i] : []));
        const found = index.match(ev);
        const differ = [
          ...expected.filter((i) => !found.includes(i)),
          ...found.filter((i) => !expected.includes(i)),
        ];
        assert.deepEqual(
          found,
          expected,
          `seed ${seed}, event ${JSON.stringify(ev)}, patterns ${differ.map((i) => texts[i])}`,
        );
      }
      // Removing half leaves the index agreeing with the rest.
      for (let i = 0; i < 150; i += 2) index.remove(i);
      assert.equal(index.size, 75);
      for (let e = 0; e < 50; e++) {
        const ev = event(next);
        const expected: number[] = compiled.flatMap((p, i) => (i % 2 === 1 && p.matches(ev) ? [i] : []));
        assert.deepEqual(
          index.match(ev),
          expected,
          `seed ${seed} after removal, event ${JSON.stringify(ev)}`,
        );
      }
    }
  });

  it('answers in the order keys were first added, once per key, and replaces a key in place', () => {
    const index = new EventPatternIndex<string>();
    index.add('second', compileEventPattern('{"source": ["s"]}'));
    index.add('first', compileEventPattern('{"$or": [{"source": ["s"]}, {"detail-type": ["t"]}]}'));
    const event = { source: 's', 'detail-type': 't' };
    assert.deepEqual(index.match(event), ['second', 'first']);
    index.add('second', compileEventPattern('{"source": ["other"]}'));
    assert.deepEqual(index.match(event), ['first']);
    index.add('second', compileEventPattern('{"detail-type": ["t"]}'));
    assert.deepEqual(index.match(event), ['second', 'first']);
    index.remove('first');
    index.remove('absent');
    assert.deepEqual(index.match(event), ['second']);
    assert.equal(index.size, 1);
  });

  it('keeps array elements apart: fields of one pattern must match within one element', () => {
    const index = new EventPatternIndex<string>();
    index.add(
      'p',
      compileEventPattern('{"detail": {"items": {"name": ["x"], "qty": [{"numeric": [">", 5]}]}}}'),
    );
    assert.deepEqual(
      index.match({
        detail: {
          items: [
            { name: 'x', qty: 1 },
            { name: 'y', qty: 9 },
          ],
        },
      }),
      [],
    );
    assert.deepEqual(
      index.match({
        detail: {
          items: [
            { name: 'y', qty: 1 },
            { name: 'x', qty: 9 },
          ],
        },
      }),
      ['p'],
    );
  });

  it('finds exactly the one matching pattern among the benchmark rules', () => {
    const rules = benchRules(2000);
    const index = new EventPatternIndex<number>();
    const compiled = rules.patterns.map((text) => compileEventPattern(text));
    compiled.forEach((p, i) => {
      index.add(i, p);
    });
    const event = rules.event as unknown as JsonValue;
    assert.deepEqual(index.match(event), [rules.matching]);
    assert.deepEqual(
      compiled.flatMap((p, i) => (p.matches(event) ? [i] : [])),
      [rules.matching],
    );
    assert.equal(new Set(rules.patterns).size, rules.patterns.length);
  });
});

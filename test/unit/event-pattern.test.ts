// The EventBridge pattern compiler beyond the recorded templates (test/unit/event-pattern-
// templates.test.ts): parser texts and positions, wildcard parsing and complexity, the bounds
// Tideway sets where AWS publishes none, and the operators' finer points.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileEventPattern,
  EventPatternError,
  MAX_OR_BRANCHES,
} from '../../src/core/patterns/event-pattern.js';
import { matchesWildcard, parseWildcard, WildcardError } from '../../src/core/patterns/event-wildcard.js';

const REASON = 'Event pattern is not valid. Reason: ';
const at = (source: string, line: number, column: number) =>
  `\n at [Source: (String)"${source}"; line: ${line}, column: ${column}]`;

function refuses(pattern: string, message: string): void {
  assert.throws(
    () => compileEventPattern(pattern),
    (err: unknown) => err instanceof EventPatternError && err.message === message,
    `${pattern} should be refused with ${message}`,
  );
}

const matches = (pattern: unknown, event: unknown) =>
  compileEventPattern(JSON.stringify(pattern)).matches(event as never);

describe('event pattern syntax errors (Jackson texts)', () => {
  it('names the token and where the parser stood', () => {
    const p1 = '{"a": ["b",]}';
    refuses(
      p1,
      `${REASON}Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')${at(p1, 1, 12)}`,
    );
    const p2 = '{"a" ["b"]}';
    refuses(
      p2,
      `${REASON}Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value${at(p2, 1, 6)}`,
    );
    const p3 = '{"a": ["b"] "c": 1}';
    refuses(
      p3,
      `${REASON}Unexpected character ('"' (code 34)): was expecting comma to separate Object entries${at(p3, 1, 13)}`,
    );
    const p4 = '{"a": ["b"]';
    refuses(
      p4,
      `${REASON}Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"${p4}"; line: 1, column: 1])${at(p4, 1, 12)}`,
    );
  });

  it('counts lines and columns in the text as sent', () => {
    const pattern = '{\n  "a": [\n    "b", 1]\n  ,"c": 5\n}';
    refuses(pattern, `${REASON}"c" must be an object or an array${at(pattern, 4, 10)}`);
  });

  it('reads blank text as no object at all', () => {
    refuses('', `${REASON}Filter is not an object${at('', 1, 1)}`);
  });
});

describe('event pattern operators', () => {
  it('checks numbers against EventBridge’s ±5e9 domain', () => {
    const pattern = '{"a": [{"numeric": [">", 6e9]}]}';
    refuses(pattern, `${REASON}Value must be between -5.0E9 and 5.0E9, inclusive${at(pattern, 1, 30)}`);
    assert.equal(matches({ a: [{ numeric: ['>', 4.9e9] }] }, { a: 4.95e9 }), true);
    assert.equal(matches({ a: [{ numeric: ['>=', 0, '<', 1] }] }, { a: 0.9999995 }), true);
  });

  it('matches wildcards with escapes, and refuses bad ones where the parser stood', () => {
    assert.equal(matches({ a: [{ wildcard: 'a\\*b*' }] }, { a: 'a*bcd' }), true);
    assert.equal(matches({ a: [{ wildcard: 'a\\*b*' }] }, { a: 'axbcd' }), false);
    assert.equal(matches({ a: [{ wildcard: '*.png' }] }, { a: 'x.png' }), true);
    assert.equal(matches({ a: [{ wildcard: '*.png' }] }, { a: 5 }), false);
    const pattern = '{"a": [{"wildcard": "a\\\\b"}]}';
    refuses(pattern, `${REASON}Invalid escape character at pos 1${at(pattern, 1, 27)}`);
  });

  it('applies equals-ignore-case to prefixes and suffixes', () => {
    assert.equal(
      matches({ s: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { s: 'eventbridge' }),
      true,
    );
    assert.equal(
      matches({ s: [{ suffix: { 'equals-ignore-case': 'BRIDGE' } }] }, { s: 'EventBridge' }),
      true,
    );
    const pattern = '{"a": [{"prefix": {"equals-ignore-case": 5}}]}';
    refuses(pattern, `${REASON}equals-ignore-case match pattern must be a string${at(pattern, 1, 43)}`);
  });

  it('equates address spellings and numbers written differently', () => {
    assert.equal(matches({ ip: ['::1'] }, { ip: '0:0:0:0:0:0:0:1' }), true);
    assert.equal(matches({ n: [300] }, { n: 3.0e2 }), true);
    assert.equal(matches({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:0db8:ffff::1' }), true);
  });

  it('refuses anything-but of an operator it does not wrap', () => {
    const pattern = '{"a": [{"anything-but": {"exists": true}}]}';
    refuses(pattern, `${REASON}Unsupported anything-but pattern: exists${at(pattern, 1, 40)}`);
  });
});

describe('event pattern bounds', () => {
  it('refuses a wildcard with too many positions live at once, not one with repeats alone', () => {
    refuses(
      '{"a": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}',
      `${REASON}Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character`,
    );
    compileEventPattern('{"a": [{"wildcard": "/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}');
    compileEventPattern(`{"a": [{"wildcard": "${'x'.repeat(4000)}*"}]}`);
  });

  it('bounds how many alternatives $or may expand into', () => {
    const or = (depth: number): unknown =>
      depth === 0
        ? { x: ['1'] }
        : { $or: [{ [`a${depth}`]: ['1'], ...(or(depth - 1) as object) }, { [`b${depth}`]: ['2'] }] };
    const pairs = Array.from({ length: 11 }, (_, i) => ({ [`k${i}`]: ['v'] }));
    const deep = { $or: pairs.slice(0, 2), f: ['x'] };
    compileEventPattern(JSON.stringify(deep));
    compileEventPattern(JSON.stringify(or(5)));
    // Ten independent two-way $or's in nested objects make 2^10 alternatives.
    let wide: Record<string, unknown> = {};
    for (let i = 0; i < 10; i++) wide = { [`n${i}`]: { $or: [{ a: ['1'] }, { b: ['2'] }] }, ...wide };
    assert.ok(2 ** 10 > MAX_OR_BRANCHES);
    refuses(JSON.stringify(wide), `${REASON}Rule is too complex - try using fewer $or alternatives`);
  });
});

describe('wildcard globs', () => {
  it('parses escapes and names the position of a doubled star in UTF-8 bytes', () => {
    assert.deepEqual(parseWildcard('a\\*b*c\\\\').pieces, ['a*b', 'c\\']);
    assert.throws(
      () => parseWildcard('é**'),
      (err: unknown) =>
        err instanceof WildcardError && err.message === 'Consecutive wildcard characters at pos 3',
    );
  });

  it('matches leftmost-greedy exactly', () => {
    const glob = parseWildcard('*ab*ab');
    assert.equal(matchesWildcard(glob, 'abab'), true);
    assert.equal(matchesWildcard(glob, 'xabyab'), true);
    assert.equal(matchesWildcard(glob, 'aab'), false);
    assert.equal(matchesWildcard(parseWildcard(''), ''), true);
    assert.equal(matchesWildcard(parseWildcard(''), 'a'), false);
  });
});

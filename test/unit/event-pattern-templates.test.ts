// Every LocalStack event-pattern template (AWS-validated) through the compiler, the single-pattern
// matcher and the many-pattern index: a match, a miss, or AWS's exact refusal text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileEventPattern,
  EventPatternError,
  EventPatternIndex,
} from '../../src/core/patterns/event-pattern.js';
import type { JsonValue } from '../../src/core/patterns/operators.js';
import { TEMPLATE_CASES } from './event-pattern-templates.js';

describe('event pattern templates recorded against AWS', () => {
  for (const [name, eventText, patternText, expected] of TEMPLATE_CASES) {
    it(name, () => {
      const event = JSON.parse(eventText) as JsonValue;
      if (typeof expected === 'string') {
        assert.throws(
          () => compileEventPattern(patternText),
          (err: unknown) => err instanceof EventPatternError && err.message === expected,
          `expected refusal: ${expected}`,
        );
        return;
      }
      const pattern = compileEventPattern(patternText);
      assert.equal(pattern.matches(event), expected);
      const index = new EventPatternIndex<string>();
      index.add(name, pattern);
      assert.deepEqual(index.match(event), expected ? [name] : []);
    });
  }

  it('keeps the last of a key given twice (complex_multi_key)', () => {
    const pattern = compileEventPattern(
      '{\n  "detail": {\n    "location": [ { "prefix": "us-" } ],\n    "location": [ { "anything-but": "us-east" } ]\n  }\n}',
    );
    assert.equal(pattern.matches({ detail: { location: 'eu-central-1' } }), true);
  });
});

describe('all templates in one index', () => {
  it('finds exactly the matching patterns for each event', () => {
    const index = new EventPatternIndex<string>();
    const compiled = TEMPLATE_CASES.filter(([, , , expected]) => typeof expected === 'boolean').map(
      ([name, event, pattern]) => ({
        name,
        event: JSON.parse(event) as JsonValue,
        pattern: compileEventPattern(pattern),
      }),
    );
    for (const { name, pattern } of compiled) index.add(name, pattern);
    for (const { event } of compiled) {
      const expected = compiled.filter(({ pattern }) => pattern.matches(event)).map(({ name }) => name);
      assert.deepEqual(index.match(event), expected);
    }
  });
});

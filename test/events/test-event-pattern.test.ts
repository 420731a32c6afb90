// TestEventPattern through the SDK: results and refusal texts as AWS recorded them (LocalStack's
// AWS-validated tests/aws/services/events/test_events_patterns.py and its snapshot), on a
// representative set of the templates (all of them run in test/unit/event-pattern-templates.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { eventsRejects, withEventsServer } from '../support/events.js';
import { TEMPLATE_CASES } from '../unit/event-pattern-templates.js';

const ENVELOPE = {
  id: '1',
  source: 'test-source',
  'detail-type': 'test-detail-type',
  account: '123456789012',
  region: 'us-east-2',
  time: '2022-07-13T13:48:01Z',
};

const REPRESENTATIVE = [
  'minimal',
  'arrays',
  'arrays_NEG',
  'null_value',
  'string_empty',
  'dot_joining_pattern',
  'list_within_dict',
  'complex_or',
  'complex_or_NEG',
  'content_numeric_and',
  'content_ip_address_v6',
  'content_suffix_ignorecase',
  'content_prefix_ignorecase',
  'content_anything_wildcard_list_NEG',
  'content_wildcard_repeating',
  'or-exists-parent',
  'int_nolist_EXC',
  'arrays_empty_EXC',
  'content_numeric_syntax_EXC',
  'content_wildcard_repeating_star_EXC',
  'content_wildcard_complex_EXC',
  'content_ip_address_bad_ip_EXC',
  'content_anything_but_string_list_null_type_EXC',
  'content_anything_suffix_list_type_EXC',
  'content_anything_prefix_ignorecase_EXC',
];

describe('TestEventPattern', () => {
  const suite = withEventsServer();
  const test = (Event: string, EventPattern: string) =>
    suite.events.send(new TestEventPatternCommand({ Event, EventPattern }));

  for (const name of REPRESENTATIVE) {
    const found = TEMPLATE_CASES.find(([caseName]) => caseName === name);
    assert.ok(found, name);
    const [, event, pattern, expected] = found;
    it(name, async () => {
      if (typeof expected === 'string') {
        const err = await eventsRejects(test(event, pattern), 'InvalidEventPatternException', expected);
        assert.equal(err.$metadata?.httpStatusCode, 400);
      } else {
        assert.equal((await test(event, pattern)).Result, expected);
      }
    });
  }

  it('matches on source and detail-type, and says false when they differ', async () => {
    const event = JSON.stringify({ ...ENVELOPE, source: 'order', 'detail-type': 'Test' });
    assert.equal((await test(event, '{"source": ["order"], "detail-type": ["Test"]}')).Result, true);
    assert.equal((await test(event, '{"source": ["shipment"], "detail-type": ["Test"]}')).Result, false);
  });

  it('reads escapes in the event and pattern as JSON does', async () => {
    const event = JSON.stringify({ ...ENVELOPE, detail: { escape_star: '*', escape_backslash: '\\' } });
    const pattern = String.raw`{"detail": {"escape_star": ["*"], "escape_backslash": ["\\"]}}`;
    assert.equal((await test(event, pattern)).Result, true);
  });

  it('refuses malformed pattern JSON with the parser text AWS gives', async () => {
    const event = JSON.stringify({ ...ENVELOPE, detail: { test: 'test' } });
    const cases: [string, string][] = [
      [
        'this is valid json but not a dict',
        `Event pattern is not valid. Reason: Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)"this is valid json but not a dict"; line: 1, column: 5]`,
      ],
      [
        "{'bad': 'quotation'}",
        `Event pattern is not valid. Reason: Unexpected character (''' (code 39)): was expecting double-quote to start field name\n at [Source: (String)"{'bad': 'quotation'}"; line: 1, column: 2]`,
      ],
      [
        '{"not": closed mark"',
        `Event pattern is not valid. Reason: Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)"{"not": closed mark""; line: 1, column: 15]`,
      ],
      [
        '["not", "a", "dict", "but valid json"]',
        `Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)"["not", "a", "dict", "but valid json"]"; line: 1, column: 2]`,
      ],
    ];
    for (const [pattern, message] of cases) {
      await eventsRejects(test(event, pattern), 'InvalidEventPatternException', message);
    }
  });

  it('refuses an event that is not a JSON object with the envelope fields', async () => {
    const pattern = '{"body": {"test2": [{"numeric": [">", 100]}]}}';
    for (const event of ['plain string', '["plain string"]', '{"testEvent": "value"}']) {
      await eventsRejects(test(event, pattern), 'ValidationException', 'Parameter Event is not valid.');
    }
    const { id: _id, ...withoutId } = ENVELOPE;
    await eventsRejects(
      test(JSON.stringify(withoutId), pattern),
      'ValidationException',
      'Parameter Event is not valid.',
    );
  });

  it('does not require resources, and matches nested dotted keys in a large event', async () => {
    const event = JSON.stringify({
      ...ENVELOPE,
      'detail-type': 'cmd.documents.generate',
      detail: { payload: { nested: { 'another-level': { deep: { 'inside-list': ['x', 'q-test-1'] } } } } },
    });
    assert.equal((await test(event, '{"detail-type": ["cmd.documents.generate"]}')).Result, true);
    const complex =
      '{"detail": {"payload.nested.another-level.deep": {"inside-list": [{"prefix": "q-test"}]}}}';
    assert.equal((await test(event, complex)).Result, true);
  });

  it('counts the pattern length limit before compiling', async () => {
    const long = JSON.stringify({ source: ['x'.repeat(4100)] });
    await eventsRejects(test(JSON.stringify(ENVELOPE), long), 'ValidationException', /eventPattern/);
  });
});

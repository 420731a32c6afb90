// Expected behaviour follows the Amazon SNS Developer Guide (https://docs.aws.amazon.com/sns/latest/dg/<page>.html)
// and AWS responses recorded against real SNS (LocalStack's snapshot tests/aws/services/sns/
// test_sns_filter_policy.snapshot.json, May 2024), which give the exact error texts and parser columns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type FilterPolicy,
  FilterPolicyError,
  type FilterPolicyScope,
  matchesAttributes,
  matchesBody,
  parseFilterPolicy,
  type SnsAttribute,
} from '../../src/core/patterns/filter-policy.js';

type Attr = [type: string, value: string];

const policyOf = (policy: unknown, scope: FilterPolicyScope = 'MessageAttributes'): FilterPolicy =>
  parseFilterPolicy(JSON.stringify(policy), scope);

function attrs(values: Record<string, Attr>): Record<string, SnsAttribute> {
  return Object.fromEntries(
    Object.entries(values).map(([name, [DataType, StringValue]]) => [name, { DataType, StringValue }]),
  );
}

/** Checks one policy on both scopes: a one-key attribute set and the equivalent JSON body. */
function both(policy: unknown, attribute: Attr | undefined, body: unknown, expected: boolean): void {
  const key = Object.keys(policy as object)[0];
  const attributes = attribute ? attrs({ [key]: attribute }) : {};
  assert.equal(
    matchesAttributes(policyOf(policy), attributes),
    expected,
    `attributes ${JSON.stringify(attribute)}`,
  );
  const document = body === undefined ? {} : { [key]: body };
  assert.equal(
    matchesBody(policyOf(policy, 'MessageBody'), JSON.stringify(document)),
    expected,
    `body ${JSON.stringify(body)}`,
  );
}

function rejects(policy: unknown, message: string, scope: FilterPolicyScope = 'MessageAttributes'): void {
  assert.throws(
    () => parseFilterPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2), scope),
    (err: unknown) => err instanceof FilterPolicyError && err.message === message,
  );
}

const at = (source: string, column: number) =>
  `\n at [Source: (String)"${source}"; line: 1, column: ${column}]`;

// "String value matching" (string-value-matching)
describe('string matching', () => {
  it('matches exact strings, case-sensitively, and any element of a String.Array or body array', () => {
    const policy = { customer_interests: ['rugby', 'tennis'] };
    both(policy, ['String', 'rugby'], 'rugby', true);
    both(policy, ['String', 'tennis'], 'tennis', true);
    both(policy, ['String.Array', '["rugby", "tennis"]'], ['rugby', 'tennis'], true);
    both(policy, ['String', 'baseball'], 'baseball', false);
    both(policy, ['String', 'Rugby'], 'Rugby', false);
    both(policy, ['String.Array', '["baseball"]'], ['baseball'], false);
    both(policy, undefined, undefined, false);
  });

  it('matches prefixes and suffixes', () => {
    both({ customer_interests: [{ prefix: 'bas' }] }, ['String', 'basketball'], 'basketball', true);
    both({ customer_interests: [{ prefix: 'bas' }] }, ['String', 'rugby'], 'rugby', false);
    both({ customer_interests: [{ suffix: 'ball' }] }, ['String', 'baseball'], 'baseball', true);
    both({ customer_interests: [{ suffix: 'ball' }] }, ['String', 'rugby'], 'rugby', false);
  });

  it('matches equals-ignore-case', () => {
    both({ name: [{ 'equals-ignore-case': 'TENNIS' }] }, ['String', 'tennis'], 'tennis', true);
    both({ name: [{ 'equals-ignore-case': 'TENNIS' }] }, ['String', 'tenni'], 'tenni', false);
  });

  it('matches anything-but a list, a single value, or a prefix', () => {
    const list = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };
    both(list, ['String', 'baseball'], 'baseball', true);
    both(list, ['String', 'rugby'], 'rugby', false);
    // "because it contains a value that isn't rugby or tennis"
    both(list, ['String.Array', '["rugby", "baseball"]'], ['rugby', 'baseball'], true);
    both({ event: [{ 'anything-but': 'rugby' }] }, ['String', 'football'], 'football', true);
    const prefix = { event: [{ 'anything-but': { prefix: 'order-' } }] };
    both(prefix, ['String', 'data-entry'], 'data-entry', true);
    both(prefix, ['String', 'order_number'], 'order_number', true);
    both(prefix, ['String', 'order-cancelled'], 'order-cancelled', false);
  });

  it('does not let anything-but match a missing key, but combines with exists false', () => {
    // Recorded: {"attr1": [null, {"anything-but": "whatever"}]} does not deliver a message without attr1.
    both({ attr1: [null, { 'anything-but': 'whatever' }] }, undefined, undefined, false);
    both({ attr1: [{ 'anything-but': 'x' }, { exists: false }] }, undefined, undefined, true);
  });
});

// "IP address matching" (string-value-matching#ip-address-matching); CIDR ranges as Ruler builds them
describe('cidr matching', () => {
  it('matches IPv4 addresses inside the block', () => {
    const policy = { source_ip: [{ cidr: '10.0.0.0/24' }] };
    both(policy, ['String', '10.0.0.0'], '10.0.0.0', true);
    both(policy, ['String', '10.0.0.255'], '10.0.0.255', true);
    both(policy, ['String', '10.1.1.0'], '10.1.1.0', false);
    both(policy, ['String', 'not-an-ip'], 'not-an-ip', false);
  });

  it('matches IPv6 addresses, whatever their spelling', () => {
    const policy = { source_ip: [{ cidr: '2001:db8::/32' }] };
    both(policy, ['String', '2001:0db8:0:0:0:0:0:1'], '2001:db8::ffff', true);
    both(policy, ['String', '2001:db9::1'], '2001:db9::1', false);
    both(policy, ['String', '10.0.0.1'], '10.0.0.1', false);
    both({ ip: ['::1'] }, ['String', '0:0:0:0:0:0:0:1'], '0:0:0:0:0:0:0:1', true);
  });

  it('rejects malformed blocks with Ruler texts and no position', () => {
    rejects({ ip: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required");
    rejects({ ip: [{ cidr: '10.0.0.0/x' }] }, 'Malformed CIDR, mask bits must be an integer');
    rejects({ ip: [{ cidr: '10.0.0.0/32' }] }, 'IPv4 mask bits must be < 32');
    rejects({ ip: [{ cidr: 'host/8' }] }, 'Nonstandard IP address: host');
    rejects({ ip: [{ cidr: '999.0.0.0/8' }] }, 'Invalid IP address: 999.0.0.0');
  });
});

// "Numeric value matching" (numeric-value-matching); range and precision from subscription-filter-policy-constraints
describe('numeric matching', () => {
  it('matches equal numbers in any notation', () => {
    const policy = { price_usd: [{ numeric: ['=', 301.5] }] };
    both(policy, ['Number', '301.5'], 301.5, true);
    both(policy, ['Number', '3.015e2'], 3.015e2, true);
    both(policy, ['Number', '301.6'], 301.6, false);
    // A string that reads as a number is still a string.
    both(policy, ['String', '301.5'], '301.5', false);
    both({ price_usd: [301.5] }, ['Number', '3.015e2'], 3.015e2, true);
  });

  it('matches one-sided and two-sided ranges at their edges', () => {
    const range = { price_usd: [{ numeric: ['>', 0, '<=', 150] }] };
    both(range, ['Number', '150'], 150, true);
    both(range, ['Number', '0.00001'], 0.00001, true);
    both(range, ['Number', '0'], 0, false);
    both(range, ['Number', '150.00001'], 150.00001, false);
    both({ p: [{ numeric: ['<', 0] }] }, ['Number', '-1'], -1, true);
    both({ p: [{ numeric: ['>=', 10, '<', 20] }] }, ['Number', '20'], 20, false);
    both({ p: [{ numeric: ['>=', 10, '<', 20] }] }, ['Number', '10'], 10, true);
  });

  it('compares at five decimal places', () => {
    both({ p: [{ numeric: ['=', 1.000001] }] }, ['Number', '1.000002'], 1.000002, true);
  });

  it('matches numeric anything-but, element by element in arrays', () => {
    const policy = { price: [{ 'anything-but': [100, 500] }] };
    both(policy, ['Number', '101'], 101, true);
    both(policy, ['Number', '100.1'], 100.1, true);
    both(policy, ['Number', '100'], 100, false);
    both(policy, ['String.Array', '[100, 50]'], [100, 50], true);
  });
});

// "Key matching" (attribute-key-matching)
describe('exists', () => {
  it('true matches a present key and false an absent one', () => {
    both({ store: [{ exists: true }] }, ['String', 'fans'], 'fans', true);
    both({ store: [{ exists: true }] }, undefined, undefined, false);
    both({ store: [{ exists: false }] }, undefined, undefined, true);
    both({ store: [{ exists: false }] }, ['Number', '99'], 99, false);
  });

  it('counts only leaf values in a body: objects and empty arrays do not exist', () => {
    const exists = policyOf({ store: [{ exists: true }] }, 'MessageBody');
    assert.equal(matchesBody(exists, '{"store": null}'), true);
    assert.equal(matchesBody(exists, '{"store": {"name": "x"}}'), false);
    assert.equal(matchesBody(exists, '{"store": []}'), false);
  });

  it('ignores Binary attributes (subscription-filter-policy-constraints)', () => {
    const policy = policyOf({ blob: [{ exists: true }] });
    assert.equal(
      matchesAttributes(policy, { blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) } }),
      false,
    );
    assert.equal(
      matchesAttributes(policyOf({ blob: [{ exists: false }] }), { blob: { DataType: 'Binary' } }),
      true,
    );
  });
});

// "AND/OR logic" (and-or-logic)
describe('AND, OR and $or', () => {
  it('needs every key and any value of a key', () => {
    const policy = policyOf({
      customer_interests: ['rugby', 'football'],
      price_usd: [{ numeric: ['>', 100] }],
    });
    const message = (interest: string, price: string) =>
      attrs({ customer_interests: ['String', interest], price_usd: ['Number', price] });
    assert.equal(matchesAttributes(policy, message('football', '101')), true);
    assert.equal(matchesAttributes(policy, message('football', '100')), false);
    assert.equal(matchesAttributes(policy, message('tennis', '101')), false);
    assert.equal(matchesAttributes(policy, undefined), false);
  });

  it('matches any $or branch, with the keys outside it applying to all', () => {
    const policy = policyOf({
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    });
    const ok = attrs({ source: ['String', 'aws.cloudwatch'], namespace: ['String', 'AWS/EC2'] });
    assert.equal(matchesAttributes(policy, ok), true);
    assert.equal(matchesAttributes(policy, attrs({ source: ['String', 'aws.cloudwatch'] })), false);
    assert.equal(matchesAttributes(policy, attrs({ metricName: ['String', 'CPUUtilization'] })), false);
  });

  it('nests $or inside body objects (recorded AWS deliveries)', () => {
    const policy = policyOf(
      {
        $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
        detail: {
          scope: ['Service'],
          $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change'] }],
        },
      },
      'MessageBody',
    );
    const body = (value: unknown) => matchesBody(policy, JSON.stringify(value));
    assert.equal(
      body({ metricName: 'CPUUtilization', detail: { scope: 'Service', source: 'aws.cloudwatch' } }),
      true,
    );
    assert.equal(
      body({ namespace: 'AWS/ES', detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' } }),
      true,
    );
    assert.equal(
      body({ metricName: 'CPUUtilization', detail: { scope: 'Service', type: 'CPUUtilization' } }),
      false,
    );
    assert.equal(body({ metricName: 'CPUUtilization', detail: { scope: 'Service' } }), false);
    assert.equal(body({ metricName: 'CPUUtilization', scope: 'Service' }), false);
  });

  it('reads $or as an ordinary key when it is not an array of two or more objects', () => {
    const policy = policyOf({ $or: ['a', 'b'] });
    assert.equal(matchesAttributes(policy, attrs({ $or: ['String', 'a'] })), true);
    // As an ordinary key its objects are match expressions, and "a" is no operator.
    const reserved = { $or: [{ a: ['x'] }, { prefix: ['y'] }] };
    rejects(reserved, 'Unrecognized match type a' + at(JSON.stringify(reserved), 15));
  });
});

// "Message body filtering" (subscription-filter-policy-constraints, payload-based); recorded AWS deliveries
describe('message body scope', () => {
  const nested = policyOf(
    {
      object: { key: [{ prefix: 'auto-' }, 'hardcodedvalue'], nested_key: [{ exists: false }] },
      test: [{ exists: false }],
    },
    'MessageBody',
  );

  it('follows nested keys', () => {
    assert.equal(matchesBody(nested, '{"object": {"key": "auto-test"}}'), true);
    assert.equal(matchesBody(nested, '{"object": {"key": "hardcodedvalue"}}'), true);
    assert.equal(matchesBody(nested, '{"object": {"key": "test-auto"}}'), false);
    assert.equal(matchesBody(nested, '{"object": {"key": "auto-test"}, "test": "just-exists"}'), false);
    assert.equal(matchesBody(nested, '{"object": {"key": "auto-test", "nested_key": "x"}}'), false);
    assert.equal(matchesBody(nested, '{"test": "auto-test"}'), false);
  });

  it('does not match bodies that are not JSON objects', () => {
    assert.equal(matchesBody(nested, 'Regular string message'), false);
    assert.equal(matchesBody(nested, '"auto-test"'), false);
    assert.equal(matchesBody(nested, '[{"object": {"key": "auto-test"}}]'), false);
  });

  it('treats dotted keys as nesting, in the policy and in the body', () => {
    const policy = policyOf({ 'object.nested.test': ['string.value'] }, 'MessageBody');
    for (const body of [
      { object: { nested: { test: 'string.value' } } },
      { 'object.nested.test': 'string.value' },
      { 'object.nested': { test: 'string.value' } },
      { object: { 'nested.test': 'string.value' } },
    ]) {
      assert.equal(matchesBody(policy, JSON.stringify(body)), true, JSON.stringify(body));
    }
    assert.equal(matchesBody(policy, '{"object": {"nested": {"test": "string.notvalue"}}}'), false);
  });

  it('matches any element of arrays, keeping fields of one array element together', () => {
    const route = policyOf({ headers: { 'route-to': ['queue1'] } }, 'MessageBody');
    assert.equal(matchesBody(route, '{"headers": {"route-to": ["queue1", "queue2"]}}'), true);
    assert.equal(matchesBody(route, '{"headers": {"route-to": ["queue3"]}}'), false);
    const s3 = policyOf(
      {
        Records: {
          s3: { object: { key: [{ prefix: 'auto-' }] } },
          eventName: [{ prefix: 'ObjectCreated:' }],
        },
      },
      'MessageBody',
    );
    const record = (eventName: string, key: string, object?: unknown) => ({
      eventName,
      s3: { object: object ?? { key } },
    });
    const body = (...records: unknown[]) => JSON.stringify({ Records: records });
    assert.equal(matchesBody(s3, body(record('ObjectCreated:Put', 'auto-1'))), true);
    assert.equal(matchesBody(s3, body(record('ObjectCreated:Put', '', [[{ key: 'auto-1' }]]))), true);
    assert.equal(matchesBody(s3, body(record('ObjectRemoved:Delete', 'auto-1'))), false);
    assert.equal(
      matchesBody(s3, body(record('ObjectRemoved:Delete', 'auto-1'), record('ObjectCreated:Put', 'home-1'))),
      false,
    );
  });

  it('matches null, true and false literally', () => {
    assert.equal(matchesBody(policyOf({ flag: [null] }, 'MessageBody'), '{"flag": null}'), true);
    assert.equal(matchesBody(policyOf({ flag: [true] }, 'MessageBody'), '{"flag": true}'), true);
    assert.equal(matchesBody(policyOf({ flag: [true] }, 'MessageBody'), '{"flag": "true"}'), false);
  });
});

// "Filter policy constraints in Amazon SNS" (subscription-filter-policy-constraints)
describe('limits', () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `value${i}`);

  it('allows 150 combinations and refuses 151', () => {
    assert.ok(policyOf({ key: values(150) }));
    rejects({ key: values(151) }, 'Filter policy is too complex');
    rejects({ key1: values(100), key2: values(51) }, 'Filter policy is too complex');
    assert.ok(policyOf({ key1: values(10), key2: values(15) }));
  });

  it('sums $or branches: 24 + 64 + 64 = 152 is too complex', () => {
    rejects(
      {
        source: ['aws.cloudwatch', 'aws.events', 'aws.test', 'aws.test2'],
        $or: [
          { metricName: ['CPUUtilization', 'ReadLatency', 't1', 't2', 't3', 't4'] },
          {
            metricType: ['MetricType', 'TestType', 'TestType2', 'TestType3'],
            $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: [1, 2, 3, 4] }],
          },
        ],
      },
      'Filter policy is too complex',
    );
  });

  it('weighs nested keys by depth: 3x4 x 2x3 x 1x3 = 216', () => {
    const policy = {
      key_a: { key_b: { key_c: ['value_one', 'value_two', 'value_three', 'value_four'] } },
      key_d: { key_e: ['value_one', 'value_two', 'value_three'] },
      key_f: ['value_one', 'value_two', 'value_three'],
    };
    rejects(policy, 'Filter policy is too complex', 'MessageBody');
  });

  it('allows five keys and refuses six', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, ['v']]));
    assert.ok(policyOf(keys(5)));
    rejects(keys(6), 'Filter policy can not have more than 5 keys');
    rejects(keys(6), 'Filter policy can not have more than 5 keys', 'MessageBody');
  });

  it('refuses nested policies for MessageAttributes, without the FilterPolicy lead', () => {
    assert.throws(
      () => policyOf({ object: { key: [{ prefix: 'auto-' }] } }),
      (err: unknown) =>
        err instanceof FilterPolicyError &&
        !err.underFilterPolicy &&
        err.message === 'Filter policy scope MessageAttributes does not support nested filter policy',
    );
  });
});

// Error texts and parser columns as AWS returned them (recorded snapshot, see the header)
describe('validation errors', () => {
  it('reports invalid JSON', () => {
    rejects('{invalidjson}', 'failed to parse JSON.');
  });

  it('reports Ruler texts at the column AWS reports in its compact copy of the policy', () => {
    const cases: [unknown, string, number][] = [
      [{ key: [['value']] }, 'Match value must be String, number, true, false, or null', 10],
      [{ key: [{ 'wrong-operator': true }] }, 'Unrecognized match type wrong-operator', 31],
      [{ key: [{ suffix: 'value', prefix: 'value2' }] }, 'Only one key allowed in match expression', 37],
      [{ key: [{ suffix: 100 }] }, 'suffix match pattern must be a string', 22],
      [{ key: { suffix: 'value' } }, '"suffix" must be an object or an array', 19],
      [{ key_a: 'value_one' }, '"key_a" must be an object or an array', 11],
      [{ key: [{ numeric: [] }] }, 'Invalid member in numeric match: ]', 22],
      [{ key: [{ numeric: ['operator'] }] }, 'Unrecognized numeric range operator: operator', 32],
      [{ key: [{ numeric: [1, '<='] }] }, 'Invalid member in numeric match: 1', 22],
      [{ key: [{ numeric: ['=', '000'] }] }, 'Value of equals must be numeric', 26],
      [{ key: [{ numeric: ['>='] }] }, 'Value of >= must be numeric', 26],
      [{ key: [{ numeric: ['<', 100, '>', 10] }] }, 'Too many elements in numeric expression', 30],
      [{ key: [{ numeric: ['>=', 1, '>', 2] }] }, 'Bad numeric range operator: >', 31],
      [{ key: [{ numeric: ['>', 3, '<', 1] }] }, 'Bottom must be less than top', 33],
      [{ key: [{ numeric: ['>', 20, 30] }] }, 'Bad value in numeric range: 30', 30],
      [{ key: [{ numeric: ['>', 20, '<', 30, '<', 50] }] }, 'Too many terms in numeric range expression', 36],
      [{ key: [{ exists: 'no' }] }, 'exists match pattern must be either true or false.', 20],
      [
        { key: [{ 'anything-but': { 'wrong-operator': null } }] },
        'Unsupported anything-but pattern: wrong-operator',
        47,
      ],
      [{ key: [{ 'anything-but': { suffix: 'test' } }] }, 'Unsupported anything-but pattern: suffix', 36],
      [{ key: [{ 'anything-but': { prefix: false } }] }, 'prefix match pattern must be a string', 40],
    ];
    for (const [policy, reason, column] of cases)
      rejects(policy, reason + at(JSON.stringify(policy), column));
  });

  it('reports Ruler texts for empty parts, mixed anything-but lists and out-of-range numbers', () => {
    rejects({}, 'Empty objects are not allowed' + at('{}', 3));
    rejects({ key: [] }, 'Empty arrays are not allowed' + at('{"key":[]}', 10));
    rejects([], 'Filter is not an object' + at('[]', 2));
    rejects(
      { key: [{ 'anything-but': ['a', 1] }] },
      'Inside anything but list, either all values are number or string, mixed type is not supported' +
        at('{"key":[{"anything-but":["a",1]}]}', 32),
    );
    rejects(
      { key: [{ numeric: ['>', 2e9] }] },
      'Value must be between -1.0E9 and 1.0E9, inclusive' + at('{"key":[{"numeric":[">",2000000000]}]}', 36),
    );
  });

  it('shortens long sources as Jackson does', () => {
    const long = 'x'.repeat(600);
    assert.throws(
      () => policyOf({ [long]: 'v' }),
      (err: unknown) =>
        err instanceof FilterPolicyError &&
        /"\[truncated \d+ chars\]; line: 1, column: 606\]$/.test(err.message),
    );
  });
});

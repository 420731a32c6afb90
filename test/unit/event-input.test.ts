import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Target } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../src/protocols/errors.js';
import { checkTargetInput, renderTargetInput, TargetInputError } from '../../src/services/events/input.js';
import type { BusEvent, RuleRecord } from '../../src/services/events/records.js';

// Every case of LocalStack's AWS-validated test_events_inputs.py, with the bodies real AWS delivered
// to SQS (test_events_inputs.snapshot.json). The snapshot shows a plain-text body as its exact bytes
// and a JSON body parsed: plain bodies are compared byte for byte with the recording, JSON bodies
// byte for byte with their minified form and, parsed, with the recording. The recording's "date"
// stands for the event's time, here TIME.

const TIME = '2024-05-13T12:27:07Z';
const ACCOUNT = '111111111111';
const BUS = 'test-bus-1a2b';
const RULE: RuleRecord = {
  arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/${BUS}/test-rule-3c4d`,
  name: 'test-rule-3c4d',
  busName: BUS,
  busArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${BUS}`,
  account: ACCOUNT,
  region: 'us-east-1',
  state: 'ENABLED',
  createdBy: ACCOUNT,
  targets: [],
  tags: [],
  createdAt: 0,
};

const TEST_EVENT_DETAIL = {
  command: 'update-account',
  payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
};
const EVENT_DETAIL_DUPLICATED_KEY = {
  command: 'update-account',
  payload: { acc_id: '0a787ecb-4015', payload: { message: 'baz', id: '123' } },
};
const SPECIAL_EVENT_DETAIL = {
  command: 'update-account',
  payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
  listsingle: ['HIGH'],
  listmulti: ['ACTIVE', 'INACTIVE'],
  valid: true,
};

function eventWith(detail: BusEvent['detail']): BusEvent {
  return {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'core.update-account-command',
    source: 'core.update-account-command',
    account: ACCOUNT,
    time: TIME,
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

const targetCount = { n: 0 };
function target(fields: Partial<Target>): Target {
  targetCount.n++;
  return { Id: `target-${targetCount.n}`, Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue`, ...fields };
}

/** Checks the target as PutTargets would, then renders the event for it. */
function deliver(fields: Partial<Target>, detail: BusEvent['detail'], ingestionTime?: number): string {
  const t = target(fields);
  checkTargetInput(t);
  return renderTargetInput(t, eventWith(detail), RULE, ingestionTime);
}

/** A JSON body: exactly its minified text, and as AWS's recording shows it once parsed. */
function assertJsonBody(body: string, recorded: unknown): void {
  assert.equal(body, JSON.stringify(recorded));
  assert.deepEqual(JSON.parse(body), recorded);
}

function rejection(fields: Partial<Target>): { code: string; message: string } {
  try {
    checkTargetInput(target(fields));
  } catch (err) {
    assert.ok(err instanceof ServiceError);
    return { code: err.code, message: err.message };
  }
  assert.fail('PutTargets accepted the target');
}

describe('the event as targets receive it', () => {
  it('is the envelope in its order, no spaces, when the target names no input', () => {
    // test_put_events_with_input_path_multiple_targets, message-queue-2
    assert.equal(
      deliver({}, TEST_EVENT_DETAIL),
      `{"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"core.update-account-command","source":"core.update-account-command","account":"${ACCOUNT}","time":"${TIME}","region":"us-east-1","resources":[],"detail":{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}}`,
    );
  });

  it('is the constant Input as given', () => {
    assert.equal(deliver({ Input: '{ "a" : [1, 2.50] }' }, TEST_EVENT_DETAIL), '{ "a" : [1, 2.50] }');
  });
});

describe('InputPath (recorded)', () => {
  const cases: [name: string, path: string, detail: BusEvent['detail'], body: string][] = [
    [
      'test_put_events_with_input_path',
      '$.detail',
      TEST_EVENT_DETAIL,
      '{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}',
    ],
    [
      'test_put_events_with_input_path_nested[event_detail0]',
      '$.detail.payload',
      TEST_EVENT_DETAIL,
      '{"acc_id":"0a787ecb-4015","sf_id":"baz"}',
    ],
    [
      'test_put_events_with_input_path_nested[event_detail1]',
      '$.detail.payload',
      EVENT_DETAIL_DUPLICATED_KEY,
      '{"acc_id":"0a787ecb-4015","payload":{"message":"baz","id":"123"}}',
    ],
    ['test_put_events_with_input_path_max_level_depth', '$.detail.payload.sf_id', TEST_EVENT_DETAIL, '"baz"'],
    [
      'test_put_events_with_input_path_multiple_targets, message-queue-1',
      '$.detail',
      TEST_EVENT_DETAIL,
      '{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}',
    ],
  ];
  for (const [name, path, detail, body] of cases) {
    it(name, () => assert.equal(deliver({ InputPath: path }, detail), body));
  }
});

describe('InputPath beyond the recordings', () => {
  const detail = { items: [{ id: 'a' }, { id: 'b' }], 'x-y': { 'a/b': 5 } };
  it('takes indices, negative indices, wildcards, deep scan, dashes and slashes', () => {
    assert.equal(deliver({ InputPath: '$.detail.items[0]' }, detail), '{"id":"a"}');
    assert.equal(deliver({ InputPath: '$.detail.items[-1].id' }, detail), '"b"');
    assert.equal(deliver({ InputPath: '$.detail.items[*].id' }, detail), '["a","b"]');
    assert.equal(deliver({ InputPath: '$.detail..id' }, detail), '["a","b"]');
    assert.equal(deliver({ InputPath: '$.detail.x-y.a/b' }, detail), '5');
    assert.equal(deliver({ InputPath: '$' }, detail), JSON.stringify(eventWith(detail)));
  });

  it('does not invoke the target when a definite path selects nothing', () => {
    assert.throws(() => deliver({ InputPath: '$.detail.nothere' }, detail), TargetInputError);
    assert.throws(() => deliver({ InputPath: '$.detail.items[5]' }, detail), TargetInputError);
  });
});

const MATCH_ALL = { 'detail-type': '$.detail-type', timestamp: '$.time', command: '$.detail.command' };
const NOT_MATCH_ALL = {
  'detail-type': '$.detail-type',
  timestamp: '$.time',
  command: '$.detail.notinmessage',
};

describe('InputTransformer with a string template (recorded)', () => {
  it('test_put_events_with_input_transformer_input_template_string[Event of …]', () => {
    const template =
      '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"';
    const transform = (paths: Record<string, string>) =>
      deliver({ InputTransformer: { InputPathsMap: paths, InputTemplate: template } }, TEST_EVENT_DETAIL);
    assert.equal(
      transform(MATCH_ALL),
      `"Event of core.update-account-command type, at time ${TIME}, info extracted from detail update-account"`,
    );
    assert.equal(
      transform(NOT_MATCH_ALL),
      `"Event of core.update-account-command type, at time ${TIME}, info extracted from detail "`,
    );
  });

  it('test_put_events_with_input_transformer_input_template_string[{[/Check …]', () => {
    const template = '"{[/Check with special starting characters for event of <detail-type> type"';
    const body = '"{[/Check with special starting characters for event of core.update-account-command type"';
    for (const paths of [MATCH_ALL, NOT_MATCH_ALL]) {
      assert.equal(
        deliver({ InputTransformer: { InputPathsMap: paths, InputTemplate: template } }, TEST_EVENT_DETAIL),
        body,
      );
    }
  });
});

describe('InputTransformer with a JSON template (recorded)', () => {
  it('test_put_events_with_input_transformer_input_template_json', () => {
    const template = '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}';
    const transform = (paths: Record<string, string>) =>
      deliver({ InputTransformer: { InputPathsMap: paths, InputTemplate: template } }, TEST_EVENT_DETAIL);
    assertJsonBody(transform(MATCH_ALL), {
      detailType: 'core.update-account-command',
      time: TIME,
      command: 'update-account',
    });
    assertJsonBody(transform(NOT_MATCH_ALL), {
      detailType: 'core.update-account-command',
      time: TIME,
      command: '',
    });
  });
});

describe('reserved variables (recorded)', () => {
  it('test_input_transformer_predefined_variables[string template]', () => {
    const template =
      '"Message containing all pre defined variables <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"';
    assert.equal(
      deliver({ InputTransformer: { InputTemplate: template } }, TEST_EVENT_DETAIL),
      `"Message containing all pre defined variables ${RULE.arn} ${RULE.name} ${TIME}"`,
    );
  });

  it('test_input_transformer_predefined_variables[JSON template]', () => {
    const template = '{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}';
    assertJsonBody(deliver({ InputTransformer: { InputTemplate: template } }, TEST_EVENT_DETAIL), {
      originalEvent: {
        id: '7bf73129-1428-4cd3-a780-95db273d1602',
        account: ACCOUNT,
        detailType: 'core.update-account-command',
        time: TIME,
        source: 'core.update-account-command',
        region: 'us-east-1',
        resources: [],
        version: '0',
      },
      originalEventJson: {
        version: '0',
        id: '7bf73129-1428-4cd3-a780-95db273d1602',
        'detail-type': 'core.update-account-command',
        source: 'core.update-account-command',
        account: ACCOUNT,
        time: TIME,
        region: 'us-east-1',
        resources: [],
        detail: TEST_EVENT_DETAIL,
      },
    });
  });

  it('gives the ingestion time when the router passes it, in ISO 8601 to the second', () => {
    const body = deliver(
      { InputTransformer: { InputTemplate: '"<aws.events.event.ingestion-time>"' } },
      TEST_EVENT_DETAIL,
      Date.UTC(2025, 0, 2, 3, 4, 5, 678),
    );
    assert.equal(body, '"2025-01-02T03:04:05Z"');
  });
});

const NESTED_PATHS = {
  userId: '$.detail.payload.acc_id',
  payload: '$.detail.payload',
  systemstring: '$.detail.awsAccountId',
  listsingle: '$.detail.listsingle',
  listmulti: '$.detail.listmulti',
  valid: '$.detail.valid',
};

describe('test_input_transformer_nested_keys_replacement (recorded)', () => {
  const nested = (template: string) =>
    deliver(
      { InputTransformer: { InputPathsMap: NESTED_PATHS, InputTemplate: template } },
      SPECIAL_EVENT_DETAIL,
    );

  const jsonCases: [template: string, recorded: unknown][] = [
    [
      '{"method": "PUT", "path": "users-service/users/<userId>", "bod": <payload>}',
      {
        method: 'PUT',
        path: 'users-service/users/0a787ecb-4015',
        bod: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
      },
    ],
    ['{"id" : <userId>}', { id: '0a787ecb-4015' }],
    ['{"id" : "<userId>"}', { id: '0a787ecb-4015' }],
    [
      '{"method": "PUT", "path": "users-service/users/<userId>", "id": <userId>, "body": <payload>}',
      {
        method: 'PUT',
        path: 'users-service/users/0a787ecb-4015',
        id: '0a787ecb-4015',
        body: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
      },
    ],
    [
      '{"method": "PUT", "path": "users-service/users/<userId>", "bod": [<userId>, "hardcoded"]}',
      { method: 'PUT', path: 'users-service/users/0a787ecb-4015', bod: ['0a787ecb-4015', 'hardcoded'] },
    ],
    [
      '{"method": "PUT", "nested": {"level1": {"level2": {"level3": "users-service/users/<userId>"} } }, "bod": "<userId>"}',
      {
        method: 'PUT',
        nested: { level1: { level2: { level3: 'users-service/users/0a787ecb-4015' } } },
        bod: '0a787ecb-4015',
      },
    ],
    ['{"singlelistitem": <listsingle>}', { singlelistitem: ['HIGH'] }],
    [
      '{"multi_replacement": "users/<userId>/second/<userId>"}',
      { multi_replacement: 'users/0a787ecb-4015/second/0a787ecb-4015' },
    ],
  ];
  for (const [template, recorded] of jsonCases) {
    it(template, () => assertJsonBody(nested(template), recorded));
  }

  const stringCases: [template: string, body: string][] = [
    [
      '"Payload of <payload> with path users-service/users/<userId> and <userId>"',
      '"Payload of {acc_id:0a787ecb-4015,sf_id:baz} with path users-service/users/0a787ecb-4015 and 0a787ecb-4015"',
    ],
    ['"<listsingle> single list item"', '"[HIGH] single list item"'],
    ['"<listmulti> multiple list items"', '"[ACTIVE,INACTIVE] multiple list items"'],
    [
      '"<listsingle> single list item <listmulti> multiple list items <systemstring> system account id <payload> payload <userId> user id"',
      '"[HIGH] single list item [ACTIVE,INACTIVE] multiple list items  system account id {acc_id:0a787ecb-4015,sf_id:baz} payload 0a787ecb-4015 user id"',
    ],
    ['"Command is <valid>!"', '"Command is true!"'],
    [
      '"<listsingle> single list item"\n"<listmulti> multiple list items"\n"<systemstring> system account id"\n"<payload> payload"\n"<userId> user id"',
      '"[HIGH] single list item"\n"[ACTIVE,INACTIVE] multiple list items"\n" system account id"\n"{acc_id:0a787ecb-4015,sf_id:baz} payload"\n"0a787ecb-4015 user id"',
    ],
  ];
  for (const [template, body] of stringCases) {
    it(template, () => assert.equal(nested(template), body));
  }

  // AWS delivered nothing for these: recorded with empty content, or asserted undelivered by
  // test_input_transformer_nested_keys_replacement_not_valid.
  const undelivered = [
    '{"not_valid": "users-service/users/<payload>", "bod": <payload>}',
    '{"payload": "<payload>"}',
    '{"singlelistitem": "<listsingle>"}',
    '{"singlelistitem": "<listsingle>", "multiplelistitems": "<listmulti>"}',
    '<listsingle> single list item',
    '<listmulti> multiple list items',
  ];
  for (const template of undelivered) {
    it(`does not invoke the target for ${template}`, () => {
      const t = target({ InputTransformer: { InputPathsMap: NESTED_PATHS, InputTemplate: template } });
      checkTargetInput(t);
      assert.throws(() => renderTargetInput(t, eventWith(SPECIAL_EVENT_DETAIL), RULE), TargetInputError);
    });
  }
});

describe('quoting beyond the recordings', () => {
  const detail = { n: 5, f: 1.5, no: false, nil: null, s: 'x' };
  const paths = { n: '$.detail.n', f: '$.detail.f', no: '$.detail.no', nil: '$.detail.nil', s: '$.detail.s' };
  const fill = (template: string) =>
    deliver({ InputTransformer: { InputPathsMap: paths, InputTemplate: template } }, detail);

  it('puts numbers, booleans and null in as JSON, in or out of strings', () => {
    assert.equal(fill('{"a": <n>, "b": <f>, "c": <no>, "d": <nil>}'), '{"a":5,"b":1.5,"c":false,"d":null}');
    assert.equal(fill('"<n> <f> <no> <nil>"'), '"5 1.5 false null"');
  });

  it('minifies a JSON template but keeps its strings and numbers as written', () => {
    assert.equal(fill('{\n  "a" : [ 1.50 , "x  y" ],\n  "b": <s>\n}'), '{"a":[1.50,"x  y"],"b":"x"}');
  });

  it('sends quoted lines one per line, whatever whitespace separates them', () => {
    assert.equal(fill('  "<s>"  \n\n  "<n>"\n'), '"x"\n"5"');
  });

  it('does not escape a value: a quote in it spoils the JSON and the target is not invoked', () => {
    const t = target({
      InputTransformer: { InputPathsMap: { q: '$.detail.q' }, InputTemplate: '{"q": <q>}' },
    });
    checkTargetInput(t);
    assert.throws(() => renderTargetInput(t, eventWith({ q: 'say "hi"' }), RULE), TargetInputError);
  });

  it('renders a stored target afresh for every event', () => {
    const t = target({ InputTransformer: { InputPathsMap: { s: '$.detail.s' }, InputTemplate: '"<s>"' } });
    assert.equal(renderTargetInput(t, eventWith({ s: 'one' }), RULE), '"one"');
    assert.equal(renderTargetInput(t, eventWith({ s: 'two' }), RULE), '"two"');
  });
});

describe('PutTargets checks', () => {
  it('refuses more than one of Input, InputPath and InputTransformer (recorded)', () => {
    const transformer = { InputPathsMap: MATCH_ALL, InputTemplate: '{"detailType": <detail-type>}' };
    const t = target({ InputTransformer: transformer, InputPath: '$.detail' });
    assert.throws(() => checkTargetInput(t), {
      code: 'ValidationException',
      message: `Only one of Input, InputPath, or InputTransformer must be provided for target ${t.Id}.`,
    });
    assert.equal(rejection({ Input: '{}', InputPath: '$' }).code, 'ValidationException');
    assert.match(rejection({ Input: '{}', InputTransformer: transformer }).message, /^Only one of Input/);
  });

  it('refuses a placeholder the paths map does not define (recorded)', () => {
    const t = target({
      InputTransformer: {
        InputPathsMap: MATCH_ALL,
        InputTemplate: '"Event of <detail-type> type, with not defined key <notdefinedkey>"',
      },
    });
    assert.throws(() => checkTargetInput(t), {
      code: 'ValidationException',
      message: `InputTemplate for target ${t.Id} contains invalid placeholder notdefinedkey.`,
    });
  });

  it('takes the reserved variables without a paths map', () => {
    checkTargetInput(
      target({
        InputTransformer: {
          InputTemplate:
            '{"a": <aws.events.rule-arn>, "b": <aws.events.rule-name>, "c": <aws.events.event.ingestion-time>, "d": <aws.events.event>, "e": <aws.events.event.json>}',
        },
      }),
    );
    assert.match(
      rejection({ InputTransformer: { InputTemplate: '"<aws.events.other>"' } }).message,
      /contains invalid placeholder aws\.events\.other\.$/,
    );
  });

  it('refuses an Input that is not JSON with the parser position', () => {
    // aws/aws-cli#6711 quotes AWS's answer for Input=env:dev.
    const t = target({ Input: 'env:dev' });
    assert.throws(() => checkTargetInput(t), {
      code: 'ValidationException',
      message: `JSON syntax error in input for target ${t.Id}: [Source: (String)"env:dev"; line: 1, column: 4]`,
    });
    assert.match(rejection({ Input: '{"a": }' }).message, /line: 1, column: 7\]$/);
    assert.match(rejection({ Input: '{\n"a": 1,\n}' }).message, /line: 3, column: 1\]$/);
    assert.match(rejection({ Input: '{"a": 1' }).message, /line: 1, column: 8\]$/);
    const long = `{"k": "${'x'.repeat(600)}"`;
    assert.match(rejection({ Input: long }).message, /"\[truncated 108 chars\]; line: 1, column: 609\]$/);
  });

  it('refuses an empty Input at the first column', () => {
    const t = target({ Input: '' });
    assert.throws(() => checkTargetInput(t), {
      message: `JSON syntax error in input for target ${t.Id}: [Source: (String)""; line: 1, column: 1]`,
    });
  });

  it('takes any JSON value as Input', () => {
    for (const input of ['{}', '[1,2]', '"text"', '12', 'true', ' null '])
      checkTargetInput(target({ Input: input }));
  });

  it('refuses an InputPath or a paths-map value that is not a path EventBridge reads', () => {
    for (const path of ['detail', '$.', '$..', "$.detail['key']", '$.detail[a]', '$.a b', '$[', '']) {
      const t = target({ InputPath: path });
      assert.throws(() => checkTargetInput(t), { message: `InputPath for target ${t.Id} is invalid.` }, path);
    }
    const t = target({
      InputTransformer: { InputPathsMap: { a: '$.detail', b: 'detail' }, InputTemplate: '<a>' },
    });
    assert.throws(() => checkTargetInput(t), { message: `InputPath for target ${t.Id} is invalid.` });
  });
});

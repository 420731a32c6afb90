import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonParseFailure } from '../../src/services/sns/json-syntax.js';

const at = (line: number, column: number) =>
  `\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${column}]`;

// The first two texts are AWS's, recorded in LocalStack's AWS-validated SNS snapshots; the others
// follow the same parser's wording for the other places a character can be wrong.
describe('SNS JSON parse failures in its parser words', () => {
  it('names an unquoted field name and an unknown token where AWS does', () => {
    assert.equal(
      jsonParseFailure('{invalidjson}'),
      `failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name${at(1, 2)}`,
    );
    assert.equal(
      jsonParseFailure('invalid-json'),
      `failed to parse JSON. Unrecognized token 'invalid': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')${at(1, 8)}`,
    );
  });

  it('counts lines and columns from one', () => {
    assert.equal(
      jsonParseFailure('{\n  "a": 1\n  "b": 2}'),
      `failed to parse JSON. Unexpected character ('"' (code 34)): was expecting comma to separate Object entries${at(3, 3)}`,
    );
    assert.equal(
      jsonParseFailure('{"a" 1}'),
      `failed to parse JSON. Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value${at(1, 6)}`,
    );
    assert.equal(
      jsonParseFailure('[1 2]'),
      `failed to parse JSON. Unexpected character ('2' (code 50)): was expecting comma to separate Array entries${at(1, 4)}`,
    );
  });

  it('keeps to the bare text where it does not know the parser words', () => {
    assert.equal(jsonParseFailure('{"a": '), 'failed to parse JSON.');
    assert.equal(jsonParseFailure('"open'), 'failed to parse JSON.');
  });
});

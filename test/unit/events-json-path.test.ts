import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entrySize } from '../../src/services/events/put-events.js';
import { selectPath } from '../../src/services/events/targets/json-path.js';

describe("Kinesis targets' PartitionKeyPath", () => {
  const event = { id: 'e', detail: { customer: 'c-1', 'odd.key': 7, list: [{ n: 'first' }] } };

  it('selects by dotted names, bracketed names and indexes', () => {
    assert.equal(selectPath(event, '$.id'), 'e');
    assert.equal(selectPath(event, '$.detail.customer'), 'c-1');
    assert.equal(selectPath(event, "$.detail['odd.key']"), 7);
    assert.equal(selectPath(event, '$.detail.list[0].n'), 'first');
    assert.deepEqual(selectPath(event, '$'), event);
  });

  it('selects nothing for a missing member, a wrong type or a malformed path', () => {
    assert.equal(selectPath(event, '$.detail.nobody'), undefined);
    assert.equal(selectPath(event, '$.detail.list.n'), undefined);
    assert.equal(selectPath(event, '$.detail.customer[0]'), undefined);
    assert.equal(selectPath(event, 'detail.customer'), undefined);
    assert.equal(selectPath(event, '$..customer'), undefined);
  });
});

describe('PutEvents entry size', () => {
  it("counts as AWS's Java example does: Time 14 bytes, the rest by UTF-8 bytes", () => {
    assert.equal(entrySize({ Source: 'a', DetailType: 'bc', Detail: '{}' }), 5);
    assert.equal(entrySize({ Source: 'a', DetailType: 'bc', Detail: '{}', Time: new Date() }), 19);
    assert.equal(entrySize({ Source: 'é', DetailType: '', Resources: ['r1', 'ü'] }), 2 + 2 + 2);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Logged, LogRow, RowLedger } from '../../src/storage/embedded/log-rows.js';

// The journal deletes a log row once nothing in it is needed: no live record, no latest receive
// state, no deletion of a record an older row still holds.
describe('log row reference counts', () => {
  it('frees a row when its last message is deleted, and the deletion row with it', () => {
    const first = new LogRow(1);
    const ledger = new RowLedger(first);
    const a: Logged = {};
    const b: Logged = {};
    ledger.record(a);
    ledger.record(b);
    assert.deepEqual(ledger.takeDead(), []);

    // Row 2 deletes a: it must be kept while row 1 (which still holds a's record) exists.
    const second = new LogRow(2);
    ledger.current = second;
    assert.equal(ledger.remove(a), true);
    assert.equal(second.refs, 1);
    assert.deepEqual(ledger.takeDead(), []);

    // Row 3 deletes b: row 1 is empty, so row 2's deletion of a is moot too; row 3 is not written.
    const third = new LogRow(3);
    ledger.current = third;
    assert.equal(ledger.remove(b), true);
    assert.deepEqual(
      ledger.takeDead().map((r) => r.seq),
      [1, 2],
    );
    assert.equal(third.refs, 0);
  });

  it("moves a message's receive state to the newest row, and skips it where the record already is", () => {
    const first = new LogRow(1);
    const ledger = new RowLedger(first);
    const m: Logged = {};
    ledger.record(m);
    assert.equal(ledger.state(m), false);
    const second = new LogRow(2);
    ledger.current = second;
    assert.equal(ledger.state(m), true);
    assert.equal(ledger.state(m), false);
    const third = new LogRow(3);
    ledger.current = third;
    assert.equal(ledger.state(m), true);
    assert.deepEqual(
      ledger.takeDead().map((r) => r.seq),
      [2],
    );
    // Dropped with its queue: nothing is written and both rows go.
    ledger.current = new LogRow(4);
    ledger.drop(m);
    assert.deepEqual(
      ledger.takeDead().map((r) => r.seq),
      [1, 3],
    );
  });
});

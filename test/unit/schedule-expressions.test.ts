import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceError } from '../../src/protocols/errors.js';
import { parseScheduleExpression } from '../../src/services/events/schedule-expressions.js';

// EventBridge's rate() and cron() expressions: what AWS refuses (one text for all), and the
// firings the accepted ones give, in UTC, across month ends, leap years and the L/W/# days.

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function firings(expression: string, from: string, count: number): string[] {
  const parsed = parseScheduleExpression(expression);
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < count; i++) {
    t = parsed.next(t);
    out.push(iso(t));
  }
  return out;
}

function refused(expression: string): void {
  assert.throws(
    () => parseScheduleExpression(expression),
    (err: ServiceError) => {
      assert.equal(err.code, 'ValidationException');
      assert.equal(err.message, 'Parameter ScheduleExpression is not valid.', expression);
      return true;
    },
    expression,
  );
}

describe('rate expressions', () => {
  // The invalid cases AWS answered in LocalStack's recorded test_put_rule_with_invalid_schedule_rate.
  for (const expression of [
    'rate(10 seconds)',
    'rate(10 years)',
    'rate(1 minutes)',
    'rate(1 hours)',
    'rate(1 days)',
    'rate(10 minute)',
    'rate(10 hour)',
    'rate(10 day)',
    'rate()',
    'rate(10)',
    'rate(10 minutess)',
    'rate(foo minutes)',
    'rate(0 minutes)',
    'rate(-10 minutes)',
    'rate(10 MINUTES)',
    'rate( 10 minutes )',
    ' rate(10 minutes)',
    'every 5 minutes',
    '',
  ]) {
    it(`refuses ${JSON.stringify(expression)}`, () => refused(expression));
  }

  it('takes the singular for 1 and the plural otherwise, and counts from the last firing', () => {
    assert.deepEqual(firings('rate(1 minute)', '2024-01-01T00:00:30Z', 2), [
      '2024-01-01T00:01:30.000Z',
      '2024-01-01T00:02:30.000Z',
    ]);
    assert.deepEqual(firings('rate(5 minutes)', '2024-01-01T00:00:00Z', 1), ['2024-01-01T00:05:00.000Z']);
    assert.deepEqual(firings('rate(1 hour)', '2024-01-01T00:00:00Z', 1), ['2024-01-01T01:00:00.000Z']);
    assert.deepEqual(firings('rate(2 hours)', '2024-01-01T00:00:00Z', 1), ['2024-01-01T02:00:00.000Z']);
    assert.deepEqual(firings('rate(1 day)', '2024-02-28T12:00:00Z', 2), [
      '2024-02-29T12:00:00.000Z',
      '2024-03-01T12:00:00.000Z',
    ]);
    assert.deepEqual(firings('rate(3 days)', '2024-01-01T00:00:00Z', 1), ['2024-01-04T00:00:00.000Z']);
  });
});

describe('cron expressions', () => {
  // Accepted by AWS in LocalStack's recorded tests_put_rule_with_schedule_cron.
  for (const expression of [
    'cron(0 2 ? * SAT *)',
    'cron(0 12 * * ? *)',
    'cron(5,35 14 * * ? *)',
    'cron(15 10 ? * 6L 2002-2005)',
    'cron(0 2 ? * SAT#3 *)',
    'cron(* * ? * SAT#3 *)',
    'cron(0/5 5 ? JAN 1-5 2022)',
    'cron(0 10 * * ? *)',
    'cron(15 12 * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0/30 20-23 ? * MON-FRI *)',
    'cron(0/30 0-2 ? * MON-FRI *)',
    'cron(0 0 L * ? *)',
    'cron(0 0 LW * ? *)',
    'cron(0 0 15W * ? *)',
    'cron(0 0 ? * L *)',
  ]) {
    it(`accepts ${expression}`, () => assert.equal(parseScheduleExpression(expression).text, expression));
  }

  // Refused by AWS in the recorded tests_put_rule_with_invalid_schedule_cron, then the field rules of
  // the "Cron expressions reference": value ranges, `?` in exactly one day field, L/W/# placement.
  for (const expression of [
    'cron(0 1 * * * *)',
    'cron(7 20 * * NOT *)',
    'cron(INVALID)',
    'cron(0 dummy ? * MON-FRI *)',
    'cron(71 8 1 * ? *)',
    'cron(0 24 * * ? *)',
    'cron(0 0 32 * ? *)',
    'cron(0 0 0 * ? *)',
    'cron(0 0 * 13 ? *)',
    'cron(0 0 ? * 8 *)',
    'cron(0 0 * * ? 1969)',
    'cron(0 0 * * ? 2200)',
    'cron(0 0 ? * ? *)',
    'cron(0 0 1 * MON *)',
    'cron(0 0 * * ?)',
    'cron(0 0 * * ? * *)',
    'cron(0/0 * * * ? *)',
    'cron(L 0 * * ? *)',
    'cron(0 0 ? * MON#6 *)',
    'cron(0 0 ? * 2#1,6#3 *)',
    'cron(0 0 5W,6 * ? *)',
    'cron(0 0 ? L * *)',
    'cron(0 0 * * ? *',
  ]) {
    it(`refuses ${expression}`, () => refused(expression));
  }

  it('fires at the listed minutes and hours of every day', () => {
    assert.deepEqual(firings('cron(5,35 14 * * ? *)', '2024-01-01T14:10:00Z', 3), [
      '2024-01-01T14:35:00.000Z',
      '2024-01-02T14:05:00.000Z',
      '2024-01-02T14:35:00.000Z',
    ]);
  });

  it('fires strictly after the given time, at whole minutes', () => {
    assert.deepEqual(firings('cron(* * * * ? *)', '2024-01-01T00:00:00Z', 2), [
      '2024-01-01T00:01:00.000Z',
      '2024-01-01T00:02:00.000Z',
    ]);
    assert.deepEqual(firings('cron(* * * * ? *)', '2024-01-01T00:00:59.999Z', 1), [
      '2024-01-01T00:01:00.000Z',
    ]);
  });

  it('steps from a start value, and ranges with steps', () => {
    assert.deepEqual(firings('cron(1/20 * * * ? *)', '2024-01-01T00:00:00Z', 4), [
      '2024-01-01T00:01:00.000Z',
      '2024-01-01T00:21:00.000Z',
      '2024-01-01T00:41:00.000Z',
      '2024-01-01T01:01:00.000Z',
    ]);
    assert.deepEqual(firings('cron(0 8-12/2 * * ? *)', '2024-01-01T09:00:00Z', 3), [
      '2024-01-01T10:00:00.000Z',
      '2024-01-01T12:00:00.000Z',
      '2024-01-02T08:00:00.000Z',
    ]);
  });

  it('takes weekday and month names, and ranges that wrap', () => {
    // 2024-01-05 is a Friday.
    assert.deepEqual(firings('cron(0 18 ? * MON-FRI *)', '2024-01-05T19:00:00Z', 2), [
      '2024-01-08T18:00:00.000Z',
      '2024-01-09T18:00:00.000Z',
    ]);
    assert.deepEqual(firings('cron(0 0 ? * FRI-MON *)', '2024-01-01T01:00:00Z', 4), [
      '2024-01-05T00:00:00.000Z',
      '2024-01-06T00:00:00.000Z',
      '2024-01-07T00:00:00.000Z',
      '2024-01-08T00:00:00.000Z',
    ]);
    assert.deepEqual(firings('cron(0 0 1 feb,NOV ? *)', '2024-01-01T00:00:00Z', 2), [
      '2024-02-01T00:00:00.000Z',
      '2024-11-01T00:00:00.000Z',
    ]);
  });

  it('skips months without the day, and finds 29 February in leap years only', () => {
    assert.deepEqual(firings('cron(0 0 31 * ? *)', '2024-01-31T00:00:00Z', 3), [
      '2024-03-31T00:00:00.000Z',
      '2024-05-31T00:00:00.000Z',
      '2024-07-31T00:00:00.000Z',
    ]);
    assert.deepEqual(firings('cron(0 0 29 FEB ? *)', '2024-03-01T00:00:00Z', 2), [
      '2028-02-29T00:00:00.000Z',
      '2032-02-29T00:00:00.000Z',
    ]);
    // 2100 is not a leap year.
    assert.deepEqual(firings('cron(0 0 29 2 ? 2096-2104)', '2096-03-01T00:00:00Z', 1), [
      '2104-02-29T00:00:00.000Z',
    ]);
  });

  it('L is the last day of the month', () => {
    assert.deepEqual(firings('cron(0 0 L * ? *)', '2023-01-31T00:00:00Z', 3), [
      '2023-02-28T00:00:00.000Z',
      '2023-03-31T00:00:00.000Z',
      '2023-04-30T00:00:00.000Z',
    ]);
    assert.deepEqual(firings('cron(0 0 L 2 ? *)', '2024-01-01T00:00:00Z', 1), ['2024-02-29T00:00:00.000Z']);
  });

  it('W is the weekday nearest the day, never leaving the month', () => {
    // 2024-06-15 is a Saturday: Friday the 14th. 2024-09-15 is a Sunday: Monday the 16th.
    assert.deepEqual(firings('cron(0 0 15W * ? 2024)', '2024-06-01T00:00:00Z', 1), [
      '2024-06-14T00:00:00.000Z',
    ]);
    assert.deepEqual(firings('cron(0 0 15W * ? 2024)', '2024-09-01T00:00:00Z', 1), [
      '2024-09-16T00:00:00.000Z',
    ]);
    // 2024-06-01 is a Saturday: the nearest weekday in June is Monday the 3rd, not Friday 31 May.
    assert.deepEqual(firings('cron(0 0 1W * ? 2024)', '2024-05-31T12:00:00Z', 1), [
      '2024-06-03T00:00:00.000Z',
    ]);
    // 2024-03-31 is a Sunday: LW is Friday the 29th.
    assert.deepEqual(firings('cron(0 0 LW * ? 2024)', '2024-03-01T00:00:00Z', 1), [
      '2024-03-29T00:00:00.000Z',
    ]);
  });

  it('nL is the last such weekday of the month, n#k its k-th', () => {
    // The last Friday (6L) of each month.
    assert.deepEqual(firings('cron(15 10 ? * 6L *)', '2024-01-01T00:00:00Z', 2), [
      '2024-01-26T10:15:00.000Z',
      '2024-02-23T10:15:00.000Z',
    ]);
    // The third Saturday, and months with no fifth Monday are skipped.
    assert.deepEqual(firings('cron(0 2 ? * SAT#3 *)', '2024-01-01T00:00:00Z', 2), [
      '2024-01-20T02:00:00.000Z',
      '2024-02-17T02:00:00.000Z',
    ]);
    assert.deepEqual(firings('cron(0 0 ? * MON#5 *)', '2024-01-01T00:00:00Z', 2), [
      '2024-01-29T00:00:00.000Z',
      '2024-04-29T00:00:00.000Z',
    ]);
    // A lone L in day-of-week is Saturday.
    assert.deepEqual(firings('cron(0 0 ? * L *)', '2024-01-01T00:00:00Z', 1), ['2024-01-06T00:00:00.000Z']);
  });

  it('stops firing once its years are past', () => {
    const expression = parseScheduleExpression('cron(15 10 ? * 6L 2002-2005)');
    assert.equal(expression.next(at('2024-01-01T00:00:00Z')), Number.POSITIVE_INFINITY);
    assert.equal(iso(expression.next(at('2005-12-01T00:00:00Z'))), '2005-12-30T10:15:00.000Z');
    assert.deepEqual(firings('cron(0/5 5 ? JAN 1-5 2022)', '2022-01-03T05:52:00Z', 2), [
      '2022-01-03T05:55:00.000Z',
      '2022-01-04T05:00:00.000Z',
    ]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkDatePattern,
  DatePatternError,
  formatDate,
} from '../../../src/services/firehose/delivery/date-pattern.js';
import {
  effectiveErrorPrefix,
  effectivePrefix,
  evaluatePrefix,
  PrefixEvaluationError,
  partitionKeysOf,
} from '../../../src/services/firehose/delivery/prefixes.js';

// AWS's examples are evaluated "at 10:30 AM UTC on Aug 27, 2018".
const AT = Date.UTC(2018, 7, 27, 10, 30, 5, 123);

function evaluate(template: string, extra: Partial<Parameters<typeof evaluatePrefix>[1]> = {}): string {
  return evaluatePrefix(template, { time: AT, ...extra });
}

describe('Firehose timestamp patterns (Java DateTimeFormatter)', () => {
  it('formats the usual fields', () => {
    assert.equal(formatDate(AT, 'yyyy/MM/dd/HH/'), '2018/08/27/10/');
    assert.equal(formatDate(AT, 'yyyy-MM-dd-HH-mm-ss'), '2018-08-27-10-30-05');
    assert.equal(formatDate(AT, 'yy M d H m s SSS'), '18 8 27 10 30 5 123');
    assert.equal(formatDate(AT, 'MMM MMMM EEE EEEE D a hh'), 'Aug August Mon Monday 239 AM 10');
  });

  it('takes text in single quotes literally, and two quotes as one', () => {
    assert.equal(formatDate(AT, "'year='yyyy'/month='MM"), 'year=2018/month=08');
    assert.equal(formatDate(AT, "yyyy''MM"), "2018'08");
    assert.equal(formatDate(AT, "'it''s' HH"), "it's 10");
  });

  it('formats in a CustomTimeZone', () => {
    assert.equal(formatDate(AT, 'yyyy/MM/dd/HH', 'Asia/Tokyo'), '2018/08/27/19');
    assert.equal(formatDate(AT, 'HH:mm XXX', 'America/New_York'), '06:30 -04:00');
    assert.equal(formatDate(AT, 'HH X', 'UTC'), '10 Z');
  });

  it('refuses letters DateTimeFormatter does not know', () => {
    assert.throws(() => checkDatePattern('yyyy-bb'), DatePatternError);
    assert.throws(() => checkDatePattern("'open"), DatePatternError);
    assert.throws(() => checkDatePattern('yyyy[MM]'), DatePatternError);
  });
});

describe('Firehose prefixes', () => {
  it('appends yyyy/MM/dd/HH/ to a prefix without a timestamp expression', () => {
    assert.equal(evaluate(effectivePrefix(undefined, false)), '2018/08/27/10/');
    assert.equal(evaluate(effectivePrefix('', false)), '2018/08/27/10/');
    assert.equal(evaluate(effectivePrefix('logs/', false)), 'logs/2018/08/27/10/');
    // Literally appended: a prefix without a slash runs into the year, as on AWS.
    assert.equal(evaluate(effectivePrefix('logs', false)), 'logs2018/08/27/10/');
  });

  it('keeps a prefix that has a timestamp, or that dynamic partitioning builds', () => {
    assert.equal(effectivePrefix('d=!{timestamp:yyyy-MM-dd}/', false), 'd=!{timestamp:yyyy-MM-dd}/');
    assert.equal(effectivePrefix('c=!{partitionKeyFromQuery:c}/', true), 'c=!{partitionKeyFromQuery:c}/');
    assert.equal(
      effectivePrefix('r=!{firehose:random-string}/', false),
      'r=!{firehose:random-string}/!{timestamp:yyyy/MM/dd/HH/}',
    );
  });

  it("evaluates AWS's documented examples", () => {
    const type = { errorOutputType: 'processing-failed' as const };
    assert.equal(
      evaluate('myFirehoseFailures/!{firehose:error-output-type}/', type),
      'myFirehoseFailures/processing-failed/',
    );
    const year = evaluate(
      'myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}',
    );
    assert.match(year, /^myFirehose\/DeliveredYear=2018\/anyMonth\/rand=[0-9a-f-]{11}$/);
    assert.equal(
      evaluate(
        'myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}',
        type,
      ),
      'myFirehoseFailures/processing-failed/2018/anyMonth/27',
    );
    assert.equal(
      evaluate(
        "myErrorPrefix/!{timestamp:'year='yyyy'/month='MM'/day='dd'/hour='HH}/!{firehose:error-output-type}",
        type,
      ),
      'myErrorPrefix/year=2018/month=08/day=27/hour=10/processing-failed',
    );
  });

  it('defaults the error prefix to <Prefix><error-output-type>/yyyy/MM/dd/HH/', () => {
    const type = { errorOutputType: 'processing-failed' as const };
    assert.equal(
      evaluate(effectiveErrorPrefix(undefined, undefined), type),
      'processing-failed/2018/08/27/10/',
    );
    assert.equal(
      evaluate(effectiveErrorPrefix('myFirehosePrefix/', ''), type),
      'myFirehosePrefix/processing-failed/2018/08/27/10/',
    );
    assert.equal(
      effectiveErrorPrefix('p/', 'err/!{firehose:error-output-type}/'),
      'err/!{firehose:error-output-type}/',
    );
  });

  it('gives every random-string its own value, and every timestamp the same instant', () => {
    const out = evaluate(
      '!{firehose:random-string}/!{firehose:random-string}/!{timestamp:ss}!{timestamp:SSS}',
    );
    const [a, b, t] = out.split('/');
    assert.notEqual(a, b);
    assert.equal(t, '05123');
  });

  it('fills partitionKeyFromQuery from the record, and fails without the key', () => {
    const template =
      'customer_id=!{partitionKeyFromQuery:customer_id}/device=!{partitionKeyFromQuery:device}/';
    assert.deepEqual(partitionKeysOf(template), ['customer_id', 'device']);
    assert.equal(
      evaluate(template, { partitionKeysFromQuery: { customer_id: '1234567890', device: 'mobile' } }),
      'customer_id=1234567890/device=mobile/',
    );
    assert.throws(
      () => evaluate(template, { partitionKeysFromQuery: { customer_id: '1' } }),
      (err: unknown) =>
        err instanceof PrefixEvaluationError &&
        err.errorCode === 'DynamicPartitioning.MetadataExtractionFailed',
    );
  });

  it('cannot evaluate partitionKeyFromLambda, nor error-output-type outside the error prefix', () => {
    assert.throws(
      () => evaluate('k=!{partitionKeyFromLambda:k}/'),
      (err: unknown) => err instanceof PrefixEvaluationError && err.errorCode === 'Lambda.NotSupported',
    );
    assert.throws(() => evaluate('!{firehose:error-output-type}/'), PrefixEvaluationError);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestServiceError } from '../../../src/protocols/rest-dispatch.js';
import {
  checkReadConditions,
  checkWriteConditions,
  etagMatches,
} from '../../../src/services/s3/conditions.js';
import type { ObjectRecord } from '../../../src/services/s3/model.js';
import { parseRange } from '../../../src/services/s3/ranges.js';

const record: ObjectRecord = {
  bucket: 'b',
  key: 'k',
  size: 10,
  etag: '"abc"',
  lastModified: Date.UTC(2026, 0, 1),
  body: [],
  metadata: {},
  owner: '0',
};

function failure(fn: () => void): { code: string; status: number; fields: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RestServiceError);
    return { code: err.code, status: err.status, fields: err.fields };
  }
  throw new Error('expected a failure');
}

describe('S3 conditions and ranges', () => {
  it('matches ETags with or without quotes, in lists and as *', () => {
    assert.ok(etagMatches('abc', '"abc"'));
    assert.ok(etagMatches('"x", "abc"', '"abc"'));
    assert.ok(etagMatches('*', '"abc"'));
    assert.ok(!etagMatches('"abd"', '"abc"'));
  });

  it('reads: 412 names the failing header, 304 for a plain read, copy sources always 412', () => {
    const now = Date.UTC(2026, 0, 2);
    assert.deepEqual(
      failure(() => checkReadConditions(record, { ifMatch: 'zzz' }, now)),
      {
        code: 'PreconditionFailed',
        status: 412,
        fields: { Condition: 'If-Match' },
      },
    );
    assert.equal(failure(() => checkReadConditions(record, { ifNoneMatch: 'abc' }, now)).status, 304);
    assert.deepEqual(failure(() => checkReadConditions(record, { ifNoneMatch: 'abc' }, now, true)).fields, {
      Condition: 'x-amz-copy-source-If-None-Match',
    });
    // If-None-Match that does not match overrides If-Modified-Since.
    checkReadConditions(record, { ifNoneMatch: 'other', ifModifiedSince: new Date(now) }, now);
    assert.equal(
      failure(() => checkReadConditions(record, { ifModifiedSince: new Date(Date.UTC(2026, 0, 1, 12)) }, now))
        .status,
      304,
    );
  });

  it('writes: NoSuchKey, 412, and 409 for a key changed meanwhile', () => {
    assert.equal(
      failure(() => checkWriteConditions(undefined, { ifMatch: '"abc"' }, 'k', false)).code,
      'NoSuchKey',
    );
    assert.equal(
      failure(() => checkWriteConditions(record, { ifNoneMatch: '*' }, 'k', true)).code,
      'PreconditionFailed',
    );
    assert.deepEqual(
      failure(() => checkWriteConditions(record, { ifMatch: '"abc"' }, 'k', true)),
      {
        code: 'ConditionalRequestConflict',
        status: 409,
        fields: { Condition: 'If-Match', Key: 'k' },
      },
    );
    assert.equal(
      failure(() => checkWriteConditions(undefined, { ifNoneMatch: '*' }, 'k', true)).code,
      'ConditionalRequestConflict',
    );
    checkWriteConditions(record, { ifMatch: 'abc' }, 'k', false);
  });

  it('parses ranges as S3 does', () => {
    assert.deepEqual(parseRange('bytes=2-4', 10), { start: 2, end: 4 });
    assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 });
    assert.deepEqual(parseRange('bytes=8-', 10), { start: 8, end: 9 });
    assert.equal(parseRange('bytes=4-2', 10), undefined);
    assert.equal(parseRange('bytes=0-1,4-5', 10), undefined);
    assert.equal(failure(() => parseRange('bytes=10-', 10)).code, 'InvalidRange');
    assert.equal(failure(() => parseRange('bytes=0-0', 0)).code, 'InvalidRange');
  });
});

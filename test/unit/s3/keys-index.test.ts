import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKeys, KeyIndex, listPage } from '../../../src/services/s3/keys-index.js';
import type { ObjectRecord } from '../../../src/services/s3/model.js';

function record(key: string): ObjectRecord {
  return { bucket: 'b', key, size: 0, etag: '""', lastModified: 0, body: [], metadata: {}, owner: '0' };
}

function indexOf(keys: string[]): KeyIndex {
  const index = new KeyIndex();
  for (const key of keys) index.set(record(key));
  return index;
}

describe('S3 key order and listing pages', () => {
  it('orders keys by UTF-8 bytes, not UTF-16 units', () => {
    const keys = ['\uffff', '\u{1f600}', 'a', 'A', '\u00e9', ''];
    const sorted = [...keys].sort(compareKeys);
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual(sorted, byBytes);
    assert.ok(compareKeys('\uffff', '\u{1f600}') < 0);
  });

  it('keeps the index sorted through inserts, replacements and deletes', () => {
    const index = indexOf(['m', 'a', 'z', 'b']);
    index.set(record('a'));
    index.delete('z');
    assert.equal(index.size, 3);
    assert.deepEqual(
      Array.from({ length: index.length }, (_, i) => index.keyAt(i)),
      ['a', 'b', 'm'],
    );
    assert.equal(index.delete('absent'), undefined);
  });

  it('rolls keys up at the delimiter and resumes after a common prefix', () => {
    const index = indexOf(['a/1', 'a/2', 'a/b/3', 'b', 'c/1']);
    const first = listPage(index, { prefix: '', delimiter: '/', max: 2 });
    assert.deepEqual(
      first.entries.map((e) => e.prefix ?? e.record?.key),
      ['a/', 'b'],
    );
    assert.equal(first.truncated, true);
    const next = listPage(index, { prefix: '', delimiter: '/', max: 2, after: 'a/' });
    assert.deepEqual(
      next.entries.map((e) => e.prefix ?? e.record?.key),
      ['b', 'c/'],
    );
    assert.equal(next.truncated, false);
    const inside = listPage(index, { prefix: 'a/', delimiter: '/', max: 10 });
    assert.deepEqual(
      inside.entries.map((e) => e.prefix ?? e.record?.key),
      ['a/1', 'a/2', 'a/b/'],
    );
  });

  it('pages through 100,000 keys quickly', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `logs/${String(i % 100).padStart(3, '0')}/${i}`);
    const index = new KeyIndex();
    index.load(keys.map(record));
    const started = performance.now();
    let after: string | undefined;
    let pages = 0;
    let seen = 0;
    for (;;) {
      const page = listPage(index, { prefix: 'logs/', max: 1000, after });
      seen += page.entries.length;
      pages++;
      if (!page.truncated) break;
      after = page.last;
    }
    assert.equal(seen, 100_000);
    assert.equal(pages, 100);
    const grouped = listPage(index, { prefix: 'logs/', delimiter: '/', max: 1000 });
    assert.equal(grouped.entries.length, 100);
    assert.ok(performance.now() - started < 2000, 'listing 100k keys took too long');
  });
});

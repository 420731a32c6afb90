import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objectExtension, objectSuffix } from '../../../src/services/firehose/delivery/object-names.js';

const AT = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

describe('Firehose object names', () => {
  it('are <stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>', () => {
    const name = objectSuffix('orders', '3', AT, '.gz');
    assert.match(
      name,
      /^orders-3-2024-01-02-03-04-05-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\.gz$/,
    );
    assert.notEqual(objectSuffix('orders', '3', AT, ''), objectSuffix('orders', '3', AT, ''));
    assert.equal(objectSuffix('s', '1', AT, '', undefined, 'u'), 's-1-2024-01-02-03-04-05-u');
  });

  it('take the time in the CustomTimeZone', () => {
    assert.equal(objectSuffix('s', '1', AT, '', 'Asia/Tokyo', 'u'), 's-1-2024-01-02-12-04-05-u');
  });

  it("use FileExtension in place of the compression's extension", () => {
    assert.equal(objectExtension('GZIP'), '.gz');
    assert.equal(objectExtension('GZIP', '.json.gz'), '.json.gz');
    assert.equal(objectExtension('UNCOMPRESSED', '.jsonl'), '.jsonl');
    assert.equal(objectExtension('UNCOMPRESSED'), '');
    assert.equal(objectExtension('Snappy', ''), '.snappy');
  });
});

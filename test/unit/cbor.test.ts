import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decoder, Encoder, Tag } from 'cbor-x';
import { decodeCbor, encodeCbor } from '../../src/protocols/cbor.js';
import type { ValidationErrors } from '../../src/protocols/shapes.js';
import {
  blob,
  boolean,
  integer,
  list,
  long,
  map,
  string,
  structure,
  timestamp,
} from '../../src/protocols/shapes.js';

class CodecError extends Error {
  constructor(
    readonly kind: string,
    detail: string,
  ) {
    super(detail);
  }
}

const errors: ValidationErrors = {
  missing: (path) => new CodecError('missing', path),
  invalidType: (path, _value, expected) => new CodecError('invalidType', `${path}:${expected}`),
  malformed: (detail) => new CodecError('malformed', detail),
};

// int64AsNumber: read Java's 64-bit epoch milliseconds as numbers (an option cbor-x's types lack).
const decoderOptions = { mapsAsObjects: true, useRecords: false, int64AsNumber: true };
const raw = new Decoder(decoderOptions);
const plain = new Encoder({ useRecords: false, tagUint8Array: false });

const record = structure(
  {
    Data: blob,
    PartitionKey: string,
    ApproximateArrivalTimestamp: timestamp,
    Size: long,
  },
  ['Data', 'PartitionKey'],
);
const shape = structure(
  {
    Records: list(record),
    Tags: map(string),
    Count: integer,
    Flag: boolean,
    Name: string,
  },
  ['Name'],
);

function kindOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CodecError, String(err));
    return `${err.kind}:${err.message}`;
  }
  throw new Error('expected an error');
}

describe('CBOR codec (awsJson over CBOR)', () => {
  it('round-trips blobs as byte strings and timestamps as tag 1 over epoch milliseconds', () => {
    const when = new Date('2026-03-04T05:06:07.089Z');
    const value = {
      Name: 'n',
      Count: 3,
      Flag: true,
      Tags: { a: 'b' },
      Records: [
        {
          Data: Buffer.from([0, 255, 1]),
          PartitionKey: 'k',
          ApproximateArrivalTimestamp: when,
          Size: 2 ** 40,
        },
      ],
    };
    const bytes = encodeCbor(shape, value);
    // tag 1 (0xc1), then the 64-bit count of milliseconds
    const tagged = Buffer.alloc(10);
    tagged[0] = 0xc1;
    tagged[1] = 0x1b;
    tagged.writeBigUInt64BE(BigInt(when.getTime()), 2);
    assert.ok(bytes.includes(tagged), bytes.toString('hex'));
    // The blob is a plain byte string (major type 2, length 3), not a tag-64 typed array.
    assert.ok(bytes.includes(Buffer.from([0x43, 0, 255, 1])));
    assert.ok(!bytes.includes(Buffer.from([0xd8, 0x40])));

    const back = decodeCbor(shape, bytes, errors) as any;
    assert.equal(back.Name, 'n');
    assert.equal(back.Count, 3);
    assert.equal(back.Flag, true);
    assert.deepEqual(back.Tags, { a: 'b' });
    assert.ok(Buffer.isBuffer(back.Records[0].Data));
    assert.deepEqual([...back.Records[0].Data], [0, 255, 1]);
    assert.ok(back.Records[0].ApproximateArrivalTimestamp instanceof Date);
    assert.equal(back.Records[0].ApproximateArrivalTimestamp.getTime(), when.getTime());
    assert.equal(back.Records[0].Size, 2 ** 40);
    // A long past 32 bits goes out as an integer (0x1b head), never a float.
    assert.ok(bytes.includes(Buffer.from([0x1b, 0, 0, 1, 0, 0, 0, 0, 0])));
  });

  it('drops members the shape does not declare, and null members', () => {
    const bytes = encodeCbor(shape, { Name: 'n', Secret: 'x', Count: null } as any);
    assert.deepEqual(raw.decode(bytes), { Name: 'n' });
    const decoded = decodeCbor(shape, plain.encode({ Name: 'n', Extra: 1, Count: null }), errors);
    assert.deepEqual(decoded, { Name: 'n' });
  });

  it('encodes an absent output as an empty map', () => {
    assert.deepEqual([...encodeCbor(shape, undefined)], [0xa0]);
  });

  it('reads indefinite-length maps and arrays, as Jackson writes them', () => {
    // {_ "Name": "n", "Records": [_ {_ "Data": h'01', "PartitionKey": "k"} ] }
    const bytes = Buffer.concat([
      Buffer.from([0xbf, 0x64]),
      Buffer.from('Name'),
      Buffer.from([0x61]),
      Buffer.from('n'),
      Buffer.from([0x67]),
      Buffer.from('Records'),
      Buffer.from([0x9f, 0xbf, 0x64]),
      Buffer.from('Data'),
      Buffer.from([0x41, 0x01, 0x6c]),
      Buffer.from('PartitionKey'),
      Buffer.from([0x61]),
      Buffer.from('k'),
      Buffer.from([0xff, 0xff, 0xff]),
    ]);
    const decoded = decodeCbor(shape, bytes, errors) as any;
    assert.equal(decoded.Name, 'n');
    assert.deepEqual([...decoded.Records[0].Data], [1]);
    assert.equal(decoded.Records[0].PartitionKey, 'k');
  });

  it('reads a tag-1 timestamp as milliseconds, and 64-bit integers as numbers', () => {
    const millis = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const bytes = plain.encode({
      Name: 'n',
      Records: [
        {
          Data: Buffer.from([1]),
          PartitionKey: 'k',
          ApproximateArrivalTimestamp: new Tag(millis, 1),
          Size: 2n ** 60n,
        },
      ],
    });
    const record0 = (decodeCbor(shape, bytes, errors) as any).Records[0];
    assert.equal(record0.ApproximateArrivalTimestamp.toISOString(), '2026-01-02T03:04:05.678Z');
    assert.equal(record0.Size, 2 ** 60);
  });

  it('checks required members and scalar types with the service errors', () => {
    assert.equal(
      kindOf(() => decodeCbor(shape, plain.encode({}), errors)),
      'missing:Name',
    );
    assert.equal(
      kindOf(() => decodeCbor(shape, plain.encode({ Name: 5 }), errors)),
      'invalidType:Name:string',
    );
    assert.equal(
      kindOf(() => decodeCbor(shape, plain.encode({ Name: 'n', Count: 1.5 }), errors)),
      'invalidType:Count:integer',
    );
    assert.equal(
      kindOf(() => decodeCbor(shape, plain.encode({ Name: 'n', Records: [{ PartitionKey: 'k' }] }), errors)),
      'missing:Records.1.Data',
    );
    assert.equal(
      kindOf(() => decodeCbor(shape, plain.encode({ Name: 'n', Records: {} }), errors)),
      'invalidType:Records:list',
    );
    assert.equal(
      kindOf(() => decodeCbor(shape, plain.encode({ Name: 'n', Flag: 'yes' }), errors)),
      'invalidType:Flag:boolean',
    );
    assert.equal(
      kindOf(() =>
        decodeCbor(
          shape,
          plain.encode({ Name: 'n', Records: [{ Data: Buffer.from([1]), PartitionKey: 'k', Size: 1.5 }] }),
          errors,
        ),
      ),
      'invalidType:Records.1.Size:long',
    );
  });

  it('reports malformed, empty, truncated and non-map bodies as malformed', () => {
    for (const body of [
      Buffer.alloc(0),
      Buffer.from([0xbf, 0x64, 0x4e]),
      Buffer.from([0xff]),
      Buffer.from([0xa1, 0x61, 0x61, 0x01, 0x00]), // a whole map, then a stray byte
      plain.encode([1, 2]),
      plain.encode('text'),
      plain.encode(null),
    ]) {
      assert.match(
        kindOf(() => decodeCbor(shape, body, errors)),
        /^malformed:/,
        body.toString('hex'),
      );
    }
  });

  it('keeps __proto__ keys from reaching the prototype', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xa2, 0x64]),
      Buffer.from('Name'),
      Buffer.from([0x61]),
      Buffer.from('n'),
      Buffer.from([0x64]),
      Buffer.from('Tags'),
      Buffer.from([0xa1, 0x69]),
      Buffer.from('__proto__'),
      Buffer.from([0x61]),
      Buffer.from('x'),
    ]);
    const decoded = decodeCbor(shape, bytes, errors) as any;
    assert.equal(Object.getPrototypeOf(decoded.Tags), Object.prototype);
    assert.equal(({} as any).x, undefined);
  });
});

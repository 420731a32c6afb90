import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decoder } from 'cbor-x';
import { postKinesis } from '../support/kinesis.js';
import { type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

// The AWS Java SDKs (v1 and v2) speak to Kinesis in CBOR: Content-Type application/x-amz-cbor-1.1,
// the awsJson X-Amz-Target, a CBOR map body with the awsJson member names, blobs as byte strings,
// timestamps as tag 1 over epoch milliseconds (aws-sdk-java-v2 AwsCborProtocolFactory: "CBOR uses
// epoch millis for timestamps"; SdkCborGenerator writes tag 1 then instant.toEpochMilli()).

const CBOR = 'application/x-amz-cbor-1.1';

/** A CBOR timestamp as the Java SDK writes it: tag 1, then epoch milliseconds. */
class Millis {
  constructor(readonly value: number) {}
}

type Item = string | number | boolean | Uint8Array | Millis | Item[] | { [k: string]: Item };

/**
 * Writes CBOR the way Jackson's CBORGenerator does for the SDK: maps of indefinite length
 * (0xbf … 0xff), definite text and byte strings, smallest integer heads. Written out here so the
 * requests do not come from the library the server decodes them with.
 */
function jackson(value: Item): Buffer {
  const out: number[] = [];
  const head = (major: number, n: number) => {
    const m = major << 5;
    if (n < 24) out.push(m | n);
    else if (n < 0x100) out.push(m | 24, n);
    else if (n < 0x10000) out.push(m | 25, n >> 8, n & 0xff);
    else if (n < 0x100000000)
      out.push(m | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
    else {
      const big = BigInt(n);
      out.push(m | 27);
      for (let shift = 56n; shift >= 0n; shift -= 8n) out.push(Number((big >> shift) & 0xffn));
    }
  };
  const write = (v: Item) => {
    if (typeof v === 'string') {
      const bytes = Buffer.from(v, 'utf8');
      head(3, bytes.length);
      out.push(...bytes);
    } else if (typeof v === 'number') {
      if (v >= 0) head(0, v);
      else head(1, -1 - v);
    } else if (typeof v === 'boolean') {
      out.push(v ? 0xf5 : 0xf4);
    } else if (v instanceof Uint8Array) {
      head(2, v.length);
      out.push(...v);
    } else if (v instanceof Millis) {
      head(6, 1);
      head(0, v.value);
    } else if (Array.isArray(v)) {
      out.push(0x9f);
      for (const x of v) write(x);
      out.push(0xff);
    } else {
      out.push(0xbf);
      for (const [k, x] of Object.entries(v)) {
        write(k);
        write(x);
      }
      out.push(0xff);
    }
  };
  write(value);
  return Buffer.from(out);
}

interface CborResponse {
  status: number;
  contentType: string | undefined;
  raw: Buffer;
  body: any;
}

// int64AsNumber: read Java's 64-bit epoch milliseconds as numbers (an option cbor-x's types lack).
const decoderOptions = { mapsAsObjects: true, useRecords: false, int64AsNumber: true };
const decoder = new Decoder(decoderOptions);

async function send(endpoint: string, operation: string, body: Buffer): Promise<CborResponse> {
  const answer = await postKinesis(endpoint, operation, CBOR, body);
  return { ...answer, body: answer.raw.length ? decoder.decode(answer.raw) : undefined };
}

/** The bytes of tag 1 over a 64-bit unsigned count, as a CBOR writer puts epoch milliseconds. */
function taggedMillis(millis: number): Buffer {
  const b = Buffer.alloc(10);
  b[0] = 0xc1;
  b[1] = 0x1b;
  b.writeBigUInt64BE(BigInt(millis), 2);
  return b;
}

describe('Kinesis over CBOR (application/x-amz-cbor-1.1, as the Java SDK sends it)', () => {
  let server: RunningTideway;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  it('creates a stream, puts a record and reads it back with bytes and a tag-1 millisecond timestamp', async () => {
    const name = uniqueName('cbor');
    const created = await send(server.endpoint, 'CreateStream', jackson({ StreamName: name, ShardCount: 1 }));
    assert.equal(created.status, 200, created.raw.toString('hex'));
    assert.equal(created.contentType, CBOR);

    // Bytes that are not valid UTF-8, to show they travel as a byte string, not text or base64.
    const data = new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0x41, 0x42]);
    const before = Date.now();
    const put = await send(
      server.endpoint,
      'PutRecord',
      jackson({ StreamName: name, Data: data, PartitionKey: 'pk-1' }),
    );
    assert.equal(put.status, 200, put.raw.toString('hex'));
    assert.equal(put.contentType, CBOR);
    assert.equal(put.body.ShardId, 'shardId-000000000000');
    assert.match(put.body.SequenceNumber, /^\d{56}$/);

    const iterator = await send(
      server.endpoint,
      'GetShardIterator',
      jackson({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    assert.equal(iterator.status, 200);
    assert.equal(typeof iterator.body.ShardIterator, 'string');

    const got = await send(
      server.endpoint,
      'GetRecords',
      jackson({ ShardIterator: iterator.body.ShardIterator }),
    );
    assert.equal(got.status, 200, got.raw.toString('hex'));
    assert.equal(got.contentType, CBOR);
    assert.equal(got.body.Records.length, 1);
    const record = got.body.Records[0];
    assert.equal(record.SequenceNumber, put.body.SequenceNumber);
    assert.equal(record.PartitionKey, 'pk-1');
    assert.ok(record.Data instanceof Uint8Array, 'Data is a CBOR byte string');
    assert.deepEqual(new Uint8Array(record.Data), data);
    assert.equal(typeof got.body.NextShardIterator, 'string');
    assert.equal(got.body.MillisBehindLatest, 0);

    // cbor-x reads tag 1 as seconds, so the Date it builds is 1000 times the instant; the count
    // on the wire is the milliseconds, which is what the Java SDK reads.
    assert.ok(record.ApproximateArrivalTimestamp instanceof Date);
    const millis = record.ApproximateArrivalTimestamp.getTime() / 1000;
    assert.ok(Number.isInteger(millis), `integer milliseconds, got ${millis}`);
    assert.ok(millis >= before - 60_000 && millis <= Date.now() + 60_000, `arrival ${millis} near now`);
    assert.ok(got.raw.includes(taggedMillis(millis)), 'tag 1 over the epoch milliseconds');
  });

  it('reads a tag-1 millisecond timestamp in a request (AT_TIMESTAMP)', async () => {
    const name = uniqueName('cbor');
    assert.equal(
      (await send(server.endpoint, 'CreateStream', jackson({ StreamName: name, ShardCount: 1 }))).status,
      200,
    );
    await send(
      server.endpoint,
      'PutRecord',
      jackson({ StreamName: name, Data: new Uint8Array([1]), PartitionKey: 'a' }),
    );
    const at = (millis: number) =>
      send(
        server.endpoint,
        'GetShardIterator',
        jackson({
          StreamName: name,
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'AT_TIMESTAMP',
          Timestamp: new Millis(millis),
        }),
      );
    // An hour ago (read as milliseconds) finds the record; read as seconds it would lie far in the future.
    const past = await at(Date.now() - 3_600_000);
    assert.equal(past.status, 200, past.raw.toString('hex'));
    const records = await send(
      server.endpoint,
      'GetRecords',
      jackson({ ShardIterator: past.body.ShardIterator }),
    );
    assert.equal(records.body.Records.length, 1);
  });

  // The Java KCL's path over CBOR: resharding, ListShards with a filter, reading a parent to its
  // end (ChildShards), enhanced fan-out registration, and the same records on both sides.
  it('reshards, lists shards with a filter, and ends a parent with its children', async () => {
    const name = uniqueName('cbor-split');
    const call = async (operation: string, body: Item) => {
      const res = await send(server.endpoint, operation, jackson(body));
      assert.equal(res.status, 200, `${operation}: ${JSON.stringify(res.body)}`);
      assert.equal(res.contentType, CBOR);
      return res.body;
    };
    await call('CreateStream', { StreamName: name, ShardCount: 1 });
    const low = await call('PutRecord', {
      StreamName: name,
      Data: new Uint8Array([1]),
      PartitionKey: 'k',
      ExplicitHashKey: '5',
    });
    assert.equal(low.ShardId, 'shardId-000000000000');
    const iterator = await call('GetShardIterator', {
      StreamName: name,
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    });
    await call('SplitShard', {
      StreamName: name,
      ShardToSplit: 'shardId-000000000000',
      NewStartingHashKey: (1n << 127n).toString(),
    });
    const open = await call('ListShards', { StreamName: name, ShardFilter: { Type: 'AT_LATEST' } });
    assert.deepEqual(
      open.Shards.map((s: { ShardId: string; ParentShardId: string }) => [s.ShardId, s.ParentShardId]),
      [
        ['shardId-000000000001', 'shardId-000000000000'],
        ['shardId-000000000002', 'shardId-000000000000'],
      ],
    );
    const parent = await call('GetRecords', { ShardIterator: iterator.ShardIterator });
    assert.deepEqual(
      parent.Records.map((r: { SequenceNumber: string }) => r.SequenceNumber),
      [low.SequenceNumber],
    );
    assert.equal(parent.NextShardIterator, undefined);
    assert.deepEqual(
      parent.ChildShards.map((c: { ShardId: string; ParentShards: string[] }) => [c.ShardId, c.ParentShards]),
      [
        ['shardId-000000000001', ['shardId-000000000000']],
        ['shardId-000000000002', ['shardId-000000000000']],
      ],
    );
    const summary = await call('DescribeStreamSummary', { StreamName: name });
    assert.equal(summary.StreamDescriptionSummary.OpenShardCount, 2);
    const { Consumer } = await call('RegisterStreamConsumer', {
      StreamARN: summary.StreamDescriptionSummary.StreamARN,
      ConsumerName: 'java',
    });
    assert.match(Consumer.ConsumerARN, /\/consumer\/java:\d+$/);
    assert.ok(Consumer.ConsumerCreationTimestamp instanceof Date);
  });

  it('answers a modeled error as a CBOR map with __type and message, status 400', async () => {
    const name = uniqueName('missing');
    const res = await send(server.endpoint, 'DescribeStreamSummary', jackson({ StreamName: name }));
    assert.equal(res.status, 400);
    assert.equal(res.contentType, CBOR);
    assert.equal(res.body.__type, 'ResourceNotFoundException');
    assert.equal(res.body.message, `Stream ${name} under account 000000000000 not found.`);
  });

  it('answers a missing required member with ValidationException in CBOR', async () => {
    const res = await send(server.endpoint, 'PutRecord', jackson({ StreamName: 'x', PartitionKey: 'a' }));
    assert.equal(res.status, 400);
    assert.equal(res.contentType, CBOR);
    assert.equal(res.body.__type, 'ValidationException');
    assert.match(res.body.message, /'data' failed to satisfy constraint: Member must not be null/);
  });

  it('answers malformed, truncated, empty and non-map CBOR with a 400 SerializationException, never a 500', async () => {
    const bodies = [
      Buffer.from([0xbf, 0x6a, 0x53]), // a map cut off inside its first key
      Buffer.from([0xff, 0xff, 0xff]), // a break with nothing to end
      Buffer.from('{"StreamName":"json-in-cbor"}'), // JSON bytes under the CBOR content type
      Buffer.alloc(0),
      jackson(['a', 'list']),
      jackson('text'),
      Buffer.concat([jackson({ StreamName: 'x' }), Buffer.from([0x00])]), // trailing bytes
    ];
    for (const body of bodies) {
      const res = await send(server.endpoint, 'DescribeStreamSummary', body);
      assert.equal(res.status, 400, `status for ${body.toString('hex')}`);
      assert.equal(res.contentType, CBOR);
      assert.equal(res.body.__type, 'SerializationException', `__type for ${body.toString('hex')}`);
    }
  });

  it('answers a member of the wrong type with a SerializationException in CBOR', async () => {
    const res = await send(
      server.endpoint,
      'PutRecord',
      jackson({ StreamName: 'x', PartitionKey: 'a', Data: new Uint8Array([1]), ExplicitHashKey: 12 }),
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'SerializationException');
    assert.equal(res.body.message, 'NUMBER_VALUE can not be converted to a String');
  });

  it("answers broken constraints in CBOR with the model's ValidationException, before the stream is looked up", async () => {
    const long = 'a'.repeat(200);
    const res = await send(server.endpoint, 'DescribeStreamSummary', jackson({ StreamName: long }));
    assert.equal(res.status, 400);
    assert.equal(res.contentType, CBOR);
    assert.equal(res.body.__type, 'ValidationException');
    assert.equal(
      res.body.message,
      `1 validation error detected: Value '${long}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
  });

  it('answers an unknown operation in CBOR', async () => {
    const res = await send(server.endpoint, 'NoSuchOperation', jackson({}));
    assert.equal(res.status, 400);
    assert.equal(res.contentType, CBOR);
    assert.equal(res.body.__type, 'UnknownOperationException');
  });
});

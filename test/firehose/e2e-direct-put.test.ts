// End to end through the SDK clients: PutRecordBatch into a DirectPut stream, objects read back
// from S3 and compared byte for byte with what went in, after decompression.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { CompressionFormat } from '@aws-sdk/client-firehose';
import { advance } from '../support/tideway.js';
import {
  assertStampWithin,
  directPutStream,
  gunzip,
  hourPrefix,
  landed,
  now,
  parseKey,
  putAll,
  records,
  settledObjects,
  unblockHadoopSnappy,
  unframeSnappy,
  unzipEntries,
} from './e2e-support.js';
import { appendNewline, bucket, withFirehoseServer } from './integrations-support.js';

const KIB = 1024;
const MIB = 1024 * KIB;

describe('Firehose to S3 end to end: buffering and names', () => {
  const suite = withFirehoseServer();

  it('holds a 500 × 1 KiB batch until the interval, then writes it as one object named as AWS does', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn);
    const data = records(500, KIB);
    const before = await now(suite);
    await putAll(suite, stream.name, data);
    const after = await now(suite);

    await advance(suite.server, 59);
    assert.deepEqual(await settledObjects(suite, b.name), [], 'nothing before IntervalInSeconds');

    await advance(suite.server, 2);
    const [object, ...more] = await landed(suite, b.name);
    assert.deepEqual(more, []);
    const key = parseKey(object!.key, stream.name);
    assert.equal(key.version, '1');
    assertStampWithin(key.time, before, after);
    assert.equal(key.prefix, hourPrefix(key.time));
    assert.match(
      object!.key,
      /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/e2e-\d+-\d+-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}$/,
    );
    assert.equal(object!.body.length, 500 * KIB);
    assert.ok(object!.body.equals(Buffer.concat(data)), 'the records, concatenated in order');
  });

  it('flushes as soon as SizeInMBs is reached, and the rest at the interval', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn);
    const data = records(1536, KIB);
    await putAll(suite, stream.name, data);

    // 1,024 records make exactly 1 MiB: written without the clock moving.
    const [full, ...others] = await landed(suite, b.name);
    assert.deepEqual(others, []);
    assert.equal(full!.body.length, MIB);
    assert.ok(full!.body.equals(Buffer.concat(data.slice(0, 1024))));

    await advance(suite.server, 61);
    const all = await landed(suite, b.name, 2);
    assert.equal(all.length, 2);
    const rest = all.find((o) => o.key !== full!.key)!;
    parseKey(rest.key, stream.name);
    assert.ok(rest.body.equals(Buffer.concat(data.slice(1024))));
  });
  it('starts a new object rather than pass SizeInMBs with a record that does not fit', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn);
    const big = records(2, 1000 * KIB, 'big');
    await putAll(suite, stream.name, [big[0]!]);
    await putAll(suite, stream.name, [big[1]!]);
    // The second record would take the buffer past 1 MiB: the first goes out alone, at once.
    const [first, ...others] = await landed(suite, b.name);
    assert.deepEqual(others, []);
    assert.ok(first!.body.equals(big[0]!));
    await advance(suite.server, 61);
    const both = await landed(suite, b.name, 2);
    assert.ok(both.find((o) => o.key !== first!.key)!.body.equals(big[1]!));
  });

  it('keeps every record of concurrent batches, each batch in order', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn);
    const batches = ['p', 'q', 'r', 's'].map((tag) => records(500, 100, tag));
    await Promise.all(batches.map((batch) => putAll(suite, stream.name, batch)));
    await advance(suite.server, 61);
    const [object, ...more] = await landed(suite, b.name);
    assert.deepEqual(more, []);
    assert.equal(object!.body.length, 4 * 500 * 100);
    const got = object!.body.toString('latin1');
    const chunks = Array.from({ length: 2000 }, (_, i) => got.slice(i * 100, i * 100 + 100));
    for (const batch of batches) {
      const tag = batch[0]!.toString('latin1')[0]!;
      assert.deepEqual(
        chunks.filter((c) => c.startsWith(tag)),
        batch.map((r) => r.toString('latin1')),
      );
    }
  });
});

describe('Firehose to S3 end to end: compression', () => {
  const suite = withFirehoseServer();
  // 300 KiB of text (more than a Hadoop block and several snappy frames) and 100 KiB of noise.
  const noise = Buffer.alloc(100 * KIB);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const data = [...records(300, KIB, 'c'), noise];
  const plain = Buffer.concat(data);

  const cases: Array<{
    format: CompressionFormat;
    extension: string;
    decode: (body: Buffer, key: string) => Promise<Buffer> | Buffer;
  }> = [
    { format: 'UNCOMPRESSED', extension: '', decode: (b) => b },
    { format: 'GZIP', extension: '.gz', decode: gunzip },
    {
      format: 'ZIP',
      extension: '.zip',
      decode: async (b, key) => {
        const { names, data } = await unzipEntries(b);
        // One entry, named like the object without `.zip`.
        assert.deepEqual(names, [key.slice(key.lastIndexOf('/') + 1, -'.zip'.length)]);
        return data;
      },
    },
    { format: 'Snappy', extension: '.snappy', decode: unframeSnappy },
    { format: 'HADOOP_SNAPPY', extension: '.hsnappy', decode: unblockHadoopSnappy },
  ];

  for (const c of cases) {
    it(`writes ${c.format} objects ending in "${c.extension}" that decode to the records`, async () => {
      const b = await bucket(suite.s3);
      const stream = await directPutStream(suite, b.arn, { CompressionFormat: c.format });
      await putAll(suite, stream.name, data);
      await advance(suite.server, 61);
      const [object, ...more] = await landed(suite, b.name);
      assert.deepEqual(more, []);
      parseKey(object!.key, stream.name, c.extension);
      if (c.format !== 'UNCOMPRESSED') assert.ok(object!.body.length < plain.length, 'compressed');
      const decoded = await c.decode(object!.body, object!.key);
      assert.ok(decoded.equals(plain), `${c.format} decodes to the records byte for byte`);
    });
  }

  it('names objects with FileExtension instead of the compression extension', async () => {
    const b = await bucket(suite.s3);
    const gz = await directPutStream(suite, b.arn, { CompressionFormat: 'GZIP', FileExtension: '.json.gz' });
    const raw = await directPutStream(suite, b.arn, { FileExtension: '.ndjson' });
    await putAll(suite, gz.name, [Buffer.from('{"a":1}\n')]);
    await putAll(suite, raw.name, [Buffer.from('{"b":2}\n')]);
    await advance(suite.server, 61);
    const found = await landed(suite, b.name, 2);
    const ofGz = found.find((o) => o.key.includes(gz.name))!;
    const ofRaw = found.find((o) => o.key.includes(raw.name))!;
    parseKey(ofGz.key, gz.name, '.json.gz');
    parseKey(ofRaw.key, raw.name, '.ndjson');
    assert.equal(gunzip(ofGz.body).toString(), '{"a":1}\n');
    assert.equal(ofRaw.body.toString(), '{"b":2}\n');
  });
});

describe('Firehose to S3 end to end: prefixes, partitions, processing and backup', () => {
  const suite = withFirehoseServer();

  it('evaluates a custom Prefix with !{timestamp:yyyy/MM} and adds no default time layout', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, {
      Prefix: 'orders/!{timestamp:yyyy/MM}/',
      ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/!{timestamp:yyyy}/',
    });
    const t = await now(suite);
    await putAll(suite, stream.name, [Buffer.from('one'), Buffer.from('two')]);
    await advance(suite.server, 61);
    const [object, ...more] = await landed(suite, b.name);
    assert.deepEqual(more, []);
    const key = parseKey(object!.key, stream.name);
    const d = new Date(key.time);
    assert.equal(key.prefix, `orders/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/`);
    assertStampWithin(key.time, t, await now(suite));
    assert.equal(object!.body.toString(), 'onetwo');
  });

  it('partitions by keys from a JQ query, and writes records it cannot parse under ErrorOutputPrefix', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, {
      BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 64 },
      DynamicPartitioningConfiguration: { Enabled: true },
      Prefix: 'customers/!{partitionKeyFromQuery:customer}/!{partitionKeyFromQuery:kind}/',
      ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/',
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          {
            Type: 'MetadataExtraction',
            Parameters: [
              {
                ParameterName: 'MetadataExtractionQuery',
                ParameterValue: '{customer: .customer, kind: .kind}',
              },
              { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
            ],
          },
          ...appendNewline.Processors!,
        ],
      },
    });
    const docs = [
      { customer: 'acme', kind: 'order', n: 1 },
      { customer: 'globex', kind: 'order', n: 2 },
      { customer: 'acme', kind: 'refund', n: 3 },
      { customer: 'acme', kind: 'order', n: 4 },
    ];
    const arrival = await now(suite);
    await putAll(suite, stream.name, [
      ...docs.map((d) => Buffer.from(JSON.stringify(d))),
      Buffer.from('not json at all'),
    ]);
    await advance(suite.server, 61);
    const found = await landed(suite, b.name, 4);
    const byPrefix = new Map(found.map((o) => [parseKey(o.key, stream.name).prefix, o.body.toString()]));
    assert.deepEqual([...byPrefix.keys()].sort(), [
      'customers/acme/order/',
      'customers/acme/refund/',
      'customers/globex/order/',
      'failed/processing-failed/',
    ]);
    const lines = (docs: object[]) => docs.map((d) => `${JSON.stringify(d)}\n`).join('');
    assert.equal(byPrefix.get('customers/acme/order/'), lines([docs[0]!, docs[3]!]));
    assert.equal(byPrefix.get('customers/acme/refund/'), lines([docs[2]!]));
    assert.equal(byPrefix.get('customers/globex/order/'), lines([docs[1]!]));
    const errorText = byPrefix.get('failed/processing-failed/')!;
    assert.ok(errorText.endsWith('\n'));
    const error = JSON.parse(errorText);
    assert.deepEqual(Object.keys(error), [
      'attemptsMade',
      'arrivalTimestamp',
      'errorCode',
      'errorMessage',
      'attemptEndingTimestamp',
      'rawData',
    ]);
    assert.equal(error.errorCode, 'DynamicPartitioning.MetadataExtractionFailed');
    assert.equal(Buffer.from(error.rawData, 'base64').toString(), 'not json at all');
    assert.ok(error.arrivalTimestamp >= arrival - 1000 && error.arrivalTimestamp <= arrival + 5000);
  });

  it('writes records that fail processing under <Prefix>processing-failed/ when no ErrorOutputPrefix is set', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, {
      Prefix: 'logs/',
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          {
            Type: 'Decompression',
            Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'GZIP' }],
          },
        ],
      },
    });
    const arrival = await now(suite);
    await putAll(suite, stream.name, [gzipSync(Buffer.from('inflated\n')), Buffer.from('not gzip')]);
    await advance(suite.server, 61);
    const found = await landed(suite, b.name, 2);
    const data = found.find((o) => !o.key.includes('processing-failed'))!;
    const failed = found.find((o) => o.key.includes('processing-failed'))!;
    const dataKey = parseKey(data.key, stream.name);
    assert.equal(dataKey.prefix, `logs/${hourPrefix(dataKey.time)}`);
    assert.equal(data.body.toString(), 'inflated\n');
    const failedKey = parseKey(failed.key, stream.name);
    assert.equal(failedKey.prefix, `logs/processing-failed/${hourPrefix(failedKey.time)}`);
    const error = JSON.parse(failed.body.toString());
    assert.equal(error.attemptsMade, 1);
    assert.equal(Buffer.from(error.rawData, 'base64').toString(), 'not gzip');
    assert.ok(error.arrivalTimestamp >= arrival - 1000);
    assert.ok(error.attemptEndingTimestamp >= error.arrivalTimestamp);
  });

  it('appends the delimiter to every record', async () => {
    const b = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, {
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          {
            Type: 'AppendDelimiterToRecord',
            Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '|' }],
          },
        ],
      },
    });
    await putAll(
      suite,
      stream.name,
      ['a', 'bc', '', 'def'].map((s) => Buffer.from(s)),
    );
    await advance(suite.server, 61);
    const [object] = await landed(suite, b.name);
    assert.equal(object!.body.toString(), 'a|bc||def|');
  });

  it('backs the source records up, unprocessed, with S3BackupMode Enabled', async () => {
    const b = await bucket(suite.s3);
    const backup = await bucket(suite.s3);
    const stream = await directPutStream(suite, b.arn, {
      ProcessingConfiguration: appendNewline,
      CompressionFormat: 'GZIP',
      S3BackupMode: 'Enabled',
      S3BackupConfiguration: {
        BucketARN: backup.arn,
        RoleARN: 'arn:aws:iam::000000000000:role/firehose-backup',
        Prefix: 'source/',
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
      },
    });
    const data = records(20, 100, 'b');
    await putAll(suite, stream.name, data);
    await advance(suite.server, 61);
    const [main] = await landed(suite, b.name);
    const [copy, ...more] = await landed(suite, backup.name);
    assert.deepEqual(more, []);
    parseKey(main!.key, stream.name, '.gz');
    assert.equal(
      gunzip(main!.body).toString('latin1'),
      data.map((d) => `${d.toString('latin1')}\n`).join(''),
    );
    const key = parseKey(copy!.key, stream.name);
    assert.equal(key.prefix, `source/${hourPrefix(key.time)}`);
    assert.ok(copy!.body.equals(Buffer.concat(data)), 'the backup holds the records as they came in');
  });
});

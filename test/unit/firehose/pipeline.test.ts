import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import zlib from 'node:zlib';
import type * as F from '@aws-sdk/client-firehose';
import { body, type Harness, harness, ROLE_ARN, STREAM_ARN, s3Stream } from './pipeline-support.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MIB = 1024 * 1024;

let h: Harness;
afterEach(() => h?.stop());

const processors = (...list: F.Processor[]): F.ProcessingConfiguration => ({
  Enabled: true,
  Processors: list,
});
const delimiter: F.Processor = { Type: 'AppendDelimiterToRecord' };

describe('Firehose buffering', () => {
  it('delivers once IntervalInSeconds has passed since the first record, in one object', async () => {
    h = harness();
    const stream = s3Stream();
    await h.put(stream, 'a', 'b');
    await h.advance(100_000);
    await h.put(stream, 'c');
    await h.advance(199_999);
    assert.equal(h.s3.objects.length, 0, 'not before 300 seconds');
    await h.advance(1);
    assert.equal(h.s3.objects.length, 1);
    const [written] = h.s3.objects;
    assert.equal(body(written), 'abc', 'records are concatenated as they came, with no delimiter');
    assert.match(written.object.key, new RegExp(`^2030/05/06/07/orders-1-2030-05-06-07-08-09-${UUID}$`));
    assert.equal(written.object.bucket, 'arn:aws:s3:::lake');
    assert.deepEqual(written.origin, {
      principal: 'firehose.amazonaws.com',
      sourceArn: STREAM_ARN,
      sourceAccount: '000000000000',
      roleArn: ROLE_ARN,
    });
  });

  it('delivers as soon as the buffer reaches SizeInMBs, before the interval', async () => {
    h = harness();
    const stream = s3Stream({ BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } });
    const record = Buffer.alloc(300 * 1024, 'x');
    await h.put(stream, record, record, record);
    assert.equal(h.s3.objects.length, 0, '900 KiB stay buffered');
    await h.put(stream, record);
    assert.equal(h.s3.objects.length, 1, 'the record that would overflow 1 MiB starts the next object');
    assert.equal(h.s3.objects[0].object.body.length, 900 * 1024);
    await h.put(stream, Buffer.alloc(MIB - 300 * 1024, 'y'));
    assert.equal(h.s3.objects.length, 2, 'exactly 1 MiB flushes at once');
    assert.equal(h.s3.objects[1].object.body.length, MIB);
  });

  it('delivers promptly with IntervalInSeconds 0', async () => {
    h = harness();
    await h.put(s3Stream({ BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } }), 'one', 'two');
    assert.deepEqual(h.s3.objects.map(body), ['onetwo']);
  });

  it('keeps a buffer per stream', async () => {
    h = harness();
    const other = s3Stream({}, { name: 'other', arn: STREAM_ARN.replace('orders', 'other') });
    await h.put(s3Stream(), 'o');
    await h.put(other, 'x');
    await h.advance(300_000);
    assert.deepEqual(h.s3.objects.map(body).sort(), ['o', 'x']);
    assert.ok(h.s3.keys().some((k) => k.includes('/other-1-')));
  });
});

describe('Firehose objects', () => {
  it('compresses with GZIP and names the object .gz; FileExtension overrides the extension', async () => {
    h = harness();
    await h.put(
      s3Stream({ CompressionFormat: 'GZIP', BufferingHints: { IntervalInSeconds: 0 } }),
      '{"a":1}\n',
    );
    await h.put(
      s3Stream(
        { CompressionFormat: 'GZIP', FileExtension: '.json.gz', BufferingHints: { IntervalInSeconds: 0 } },
        { name: 'other', arn: STREAM_ARN.replace('orders', 'other') },
      ),
      '{"b":2}\n',
    );
    const [gz, custom] = h.s3.objects;
    assert.match(gz.object.key, /\.gz$/);
    assert.equal(zlib.gunzipSync(gz.object.body).toString(), '{"a":1}\n');
    assert.match(custom.object.key, new RegExp(`other-1-2030-05-06-07-08-09-${UUID}\\.json\\.gz$`));
    assert.equal(zlib.gunzipSync(custom.object.body).toString(), '{"b":2}\n');
  });

  it('evaluates a custom prefix at the first record, and the stream version in the name', async () => {
    h = harness();
    const stream = s3Stream(
      {
        Prefix: "events/!{timestamp:'year='yyyy'/hour='HH}/",
        ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
      },
      { versionId: '4' },
    );
    await h.put(stream, 'x');
    await h.advance(3_600_000);
    assert.match(
      h.s3.keys()[0],
      new RegExp(`^events/year=2030/hour=07/orders-4-2030-05-06-07-08-09-${UUID}$`),
    );
  });

  it('takes the time zone of CustomTimeZone for the prefix and the name', async () => {
    h = harness();
    await h.put(s3Stream({ CustomTimeZone: 'Asia/Tokyo', BufferingHints: { IntervalInSeconds: 0 } }), 'x');
    assert.match(h.s3.keys()[0], new RegExp(`^2030/05/06/16/orders-1-2030-05-06-16-08-09-${UUID}$`));
  });

  it('appends the delimiter to each record with AppendDelimiterToRecord', async () => {
    h = harness();
    await h.put(
      s3Stream({ ProcessingConfiguration: processors(delimiter), BufferingHints: { IntervalInSeconds: 0 } }),
      '{"n":1}',
      '{"n":2}',
    );
    assert.deepEqual(h.s3.objects.map(body), ['{"n":1}\n{"n":2}\n']);
  });
});

describe('Firehose error output', () => {
  it('writes records that fail processing as JSON lines under the default error prefix', async () => {
    h = harness();
    const lambdaArn = 'arn:aws:lambda:us-east-1:000000000000:function:transform';
    const stream = s3Stream({
      Prefix: 'data/',
      ProcessingConfiguration: processors({
        Type: 'Lambda',
        Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: lambdaArn }],
      }),
      BufferingHints: { IntervalInSeconds: 60 },
    });
    const arrival = h.clock.now();
    await h.put(stream, 'first', 'second');
    await h.advance(60_000);
    assert.equal(h.s3.objects.length, 1, 'no data object: every record failed');
    const [errors] = h.s3.objects;
    assert.match(
      errors.object.key,
      new RegExp(`^data/processing-failed/2030/05/06/07/orders-1-2030-05-06-07-08-09-${UUID}$`),
    );
    const lines = body(errors)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => Object.keys(l)),
      Array(2).fill([
        'attemptsMade',
        'arrivalTimestamp',
        'errorCode',
        'errorMessage',
        'attemptEndingTimestamp',
        'rawData',
        'lambdaArn',
      ]),
    );
    assert.deepEqual(
      lines.map((l) => [
        Buffer.from(l.rawData, 'base64').toString(),
        l.errorCode,
        l.arrivalTimestamp,
        l.lambdaArn,
      ]),
      [
        ['first', 'Lambda.NotSupported', arrival, lambdaArn],
        ['second', 'Lambda.NotSupported', arrival, lambdaArn],
      ],
    );
  });

  it('uses ErrorOutputPrefix with !{firehose:error-output-type}', async () => {
    h = harness();
    const stream = s3Stream({
      Prefix: 'ok/!{timestamp:yyyy}/',
      ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/!{timestamp:MM}/',
      ProcessingConfiguration: processors({
        Type: 'Decompression',
        Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'GZIP' }],
      }),
      BufferingHints: { IntervalInSeconds: 0 },
    });
    await h.put(stream, zlib.gzipSync('good'), 'not gzip');
    const byKind = Object.fromEntries(h.s3.objects.map((o) => [o.object.key.split('/')[0], o]));
    assert.equal(body(byKind.ok), 'good');
    assert.match(byKind.failed.object.key, new RegExp(`^failed/processing-failed/05/orders-1-.*-${UUID}$`));
    const line = JSON.parse(body(byKind.failed));
    assert.equal(Buffer.from(line.rawData, 'base64').toString(), 'not gzip');
    assert.equal(line.errorCode, 'Decompression.Failed');
  });
});

describe('Firehose dynamic partitioning', () => {
  it('delivers an object per partition key set, under the prefix the keys build', async () => {
    h = harness();
    const stream = s3Stream({
      Prefix: 'customer=!{partitionKeyFromQuery:customer}/year=!{timestamp:yyyy}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      DynamicPartitioningConfiguration: { Enabled: true },
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      ProcessingConfiguration: processors(
        {
          Type: 'MetadataExtraction',
          Parameters: [
            { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{customer: .customer}' },
            { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
          ],
        },
        delimiter,
      ),
    });
    await h.put(
      stream,
      '{"customer":"a","n":1}',
      '{"customer":"b","n":2}',
      '{"customer":"a","n":3}',
      'oops',
      '{"n":4}',
    );
    await h.advance(60_000);
    const objects = Object.fromEntries(
      h.s3.objects.map((o) => [o.object.key.replace(/orders-.*$/, ''), body(o)]),
    );
    assert.deepEqual(Object.keys(objects).sort(), [
      'customer=a/year=2030/',
      'customer=b/year=2030/',
      'errors/processing-failed/',
    ]);
    assert.equal(objects['customer=a/year=2030/'], '{"customer":"a","n":1}\n{"customer":"a","n":3}\n');
    assert.equal(objects['customer=b/year=2030/'], '{"customer":"b","n":2}\n');
    const failed = objects['errors/processing-failed/']
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      failed.map((f) => [Buffer.from(f.rawData, 'base64').toString(), f.errorCode]),
      [
        ['oops', 'DynamicPartitioning.MetadataExtractionFailed'],
        ['{"n":4}', 'DynamicPartitioning.MetadataExtractionFailed'],
      ],
    );
  });
});

describe('Firehose S3 backup', () => {
  it('writes the source records, before processing, to the backup bucket with its own prefix and compression', async () => {
    h = harness();
    const stream = s3Stream({
      Prefix: 'main/',
      ProcessingConfiguration: processors(delimiter),
      BufferingHints: { IntervalInSeconds: 60 },
      S3BackupMode: 'Enabled',
      S3BackupDescription: {
        RoleARN: ROLE_ARN,
        BucketARN: 'arn:aws:s3:::raw',
        Prefix: 'source/',
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 120 },
        CompressionFormat: 'GZIP',
        EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      },
    });
    await h.put(stream, 'r1', 'r2');
    await h.advance(60_000);
    assert.deepEqual(h.s3.objects.map(body), ['r1\nr2\n']);
    await h.advance(60_000);
    assert.equal(h.s3.objects.length, 2);
    const backup = h.s3.objects[1];
    assert.equal(backup.object.bucket, 'arn:aws:s3:::raw');
    assert.match(
      backup.object.key,
      new RegExp(`^source/2030/05/06/07/orders-1-2030-05-06-07-08-09-${UUID}\\.gz$`),
    );
    assert.equal(zlib.gunzipSync(backup.object.body).toString(), 'r1r2');
  });
});

describe('Firehose S3 retries', () => {
  it('retries every 5 seconds while S3 refuses, and says why once', async () => {
    h = harness();
    h.s3.refusals = 3;
    await h.put(s3Stream({ BufferingHints: { IntervalInSeconds: 0 } }), 'x');
    assert.equal(h.s3.attempts, 1);
    const warned = h.log.lines.filter((l) => l.level === 'warn');
    assert.equal(warned.length, 1);
    assert.match(JSON.stringify(warned[0].obj), /NoSuchBucket: The specified bucket does not exist/);
    await h.advance(4_999);
    assert.equal(h.s3.attempts, 1);
    await h.advance(1);
    await h.advance(5_000);
    await h.advance(5_000);
    assert.equal(h.s3.attempts, 4);
    assert.deepEqual(h.s3.objects.map(body), ['x']);
    assert.equal(h.log.lines.filter((l) => l.level === 'warn').length, 1);
  });

  it('gives up after 24 hours and logs an error', async () => {
    h = harness();
    h.s3.refusals = Number.POSITIVE_INFINITY;
    await h.put(s3Stream({ BufferingHints: { IntervalInSeconds: 0 } }), 'x');
    for (let i = 0; i < 24 * 720; i++) await h.advance(5_000);
    const attempts = h.s3.attempts;
    assert.ok(attempts >= 17_000 && attempts <= 17_281, `attempts: ${attempts}`);
    assert.equal(h.log.lines.filter((l) => l.level === 'error').length, 1);
    await h.advance(60_000);
    assert.equal(h.s3.attempts, attempts, 'no attempt after giving up');
  });
});

describe('Firehose stream changes', () => {
  it('flushes the buffer under the old settings when the destination changes', async () => {
    h = harness();
    const before = s3Stream({ Prefix: 'old/' });
    const after = s3Stream({ Prefix: 'new/' }, { versionId: '2' });
    await h.put(before, 'a');
    await h.pipeline.updated(before, after);
    await h.pipeline.idle();
    assert.equal(h.s3.objects.length, 1);
    assert.match(h.s3.keys()[0], /^old\/2030\/05\/06\/07\/orders-1-/);
    await h.put(after, 'b');
    await h.advance(300_000);
    assert.match(h.s3.keys()[1], /^new\/2030\/05\/06\/07\/orders-2-/);
    assert.deepEqual(h.s3.objects.map(body), ['a', 'b']);
  });

  it('drops what a deleted stream had buffered', async () => {
    h = harness();
    const stream = s3Stream();
    await h.put(stream, 'a');
    await h.pipeline.deleted(stream);
    await h.advance(600_000);
    assert.equal(h.s3.attempts, 0);
  });

  it('drops everything on clear, and keeps working after', async () => {
    h = harness();
    const stream = s3Stream();
    await h.put(stream, 'a');
    await h.pipeline.clear();
    await h.advance(600_000);
    assert.equal(h.s3.attempts, 0);
    await h.put(stream, 'b');
    await h.advance(300_000);
    assert.deepEqual(h.s3.objects.map(body), ['b']);
  });
});

describe('Firehose double newlines', () => {
  it('reproduces the blank lines AppendDelimiterToRecord makes of newline-ended records (SNS firehose subscriptions)', async () => {
    h = harness();
    const stream = s3Stream({
      ProcessingConfiguration: processors(delimiter),
      BufferingHints: { IntervalInSeconds: 0 },
    });
    await h.put(stream, '{"Message":"one"}\n', '{"Message":"two"}\n');
    assert.deepEqual(h.s3.objects.map(body), ['{"Message":"one"}\n\n{"Message":"two"}\n\n']);
  });
});

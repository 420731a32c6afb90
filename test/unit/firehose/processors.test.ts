import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import type * as F from '@aws-sdk/client-firehose';
import type { IngestedRecord } from '../../../src/services/firehose/model.js';
import {
  deaggregateKpl,
  splitDelimited,
  splitJson,
} from '../../../src/services/firehose/processors/deaggregation.js';
import { LAMBDA_NOT_SUPPORTED, processRecords } from '../../../src/services/firehose/processors/index.js';

// The KPL's wire format, written here from its protobuf definition (AggregatedRecord).
function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}
function field(no: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((no << 3) | 2), varint(bytes.length), bytes]);
}
function kplAggregate(records: string[]): Buffer {
  const message = Buffer.concat([
    field(1, Buffer.from('pk')),
    ...records.map((r) =>
      field(
        3,
        Buffer.concat([
          varint(1 << 3),
          varint(0),
          field(3, Buffer.from(r)),
          field(4, field(1, Buffer.from('t'))),
        ]),
      ),
    ),
  ]);
  const md5 = createHash('md5').update(message).digest();
  return Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), message, md5]);
}

const text = (r: { data: Uint8Array }) => Buffer.from(r.data).toString('utf8');
const rec = (data: string | Buffer, arrival = 1000, kinesis = false): IngestedRecord => ({
  data: typeof data === 'string' ? Buffer.from(data) : data,
  arrival,
  ...(kinesis
    ? { kinesis: { shardId: 'shardId-000000000000', sequenceNumber: '1', partitionKey: 'pk' } }
    : {}),
});
const config = (...processors: F.Processor[]): F.ProcessingConfiguration => ({
  Enabled: true,
  Processors: processors,
});
const p = (Type: F.ProcessorType, params: Record<string, string> = {}): F.Processor => ({
  Type,
  Parameters: Object.entries(params).map(([ParameterName, ParameterValue]) => ({
    ParameterName: ParameterName as F.ProcessorParameterName,
    ParameterValue,
  })),
});

function cloudWatchPayload(messageType: string, messages: string[]): Buffer {
  return zlib.gzipSync(
    JSON.stringify({
      messageType,
      owner: '000000000000',
      logGroup: '/app',
      logStream: 's',
      subscriptionFilters: ['f'],
      logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1_700_000_000_000 + i, message })),
    }),
  );
}

describe('KPL de-aggregation', () => {
  it('opens an aggregated record into its user records', () => {
    const parts = deaggregateKpl(kplAggregate(['alpha', 'beta', '']));
    assert.deepEqual(
      parts?.map((p) => Buffer.from(p).toString()),
      ['alpha', 'beta', ''],
    );
  });

  it('leaves a record without the magic, or with a wrong MD5, alone', () => {
    assert.equal(deaggregateKpl(Buffer.from('{"plain":true} and more text')), undefined);
    const tampered = kplAggregate(['alpha']);
    tampered[tampered.length - 1] ^= 1;
    assert.equal(deaggregateKpl(tampered), undefined);
  });

  it('is applied to Kinesis-sourced records even without processors', async () => {
    const out = await processRecords(undefined, [rec(kplAggregate(['a', 'b']), 1, true), rec('c', 2, true)]);
    assert.deepEqual(out.records.map(text), ['a', 'b', 'c']);
    const direct = await processRecords(undefined, [rec(kplAggregate(['a', 'b']))]);
    assert.equal(direct.records.length, 1, 'a DirectPut record is delivered as it came');
  });
});

describe('RecordDeAggregation', () => {
  it('splits concatenated JSON values', () => {
    const parts = splitJson(Buffer.from('{"a":1}{"b":"}{"}\n  {"c":[1,{"d":2}]} [3] "s" 42'));
    assert.deepEqual(
      parts.map((x) => Buffer.from(x).toString()),
      ['{"a":1}', '{"b":"}{"}', '{"c":[1,{"d":2}]}', '[3]', '"s"', '42'],
    );
    assert.throws(() => splitJson(Buffer.from('{"a":1}{"b":')));
  });

  it('splits on a delimiter, skipping empty pieces', () => {
    const parts = splitDelimited(Buffer.from('a##b####c##'), Buffer.from('##'));
    assert.deepEqual(
      parts.map((x) => Buffer.from(x).toString()),
      ['a', 'b', 'c'],
    );
  });

  it('takes SubRecordType and a base64 Delimiter, and fails records that are not JSON', async () => {
    const json = await processRecords(config(p('RecordDeAggregation', { SubRecordType: 'JSON' })), [
      rec('{"a":1}{"a":2}'),
      rec('not json'),
    ]);
    assert.deepEqual(json.records.map(text), ['{"a":1}', '{"a":2}']);
    assert.equal(json.failed.length, 1);
    assert.equal(text(json.failed[0].source), 'not json');
    const delimited = await processRecords(
      config(
        p('RecordDeAggregation', {
          SubRecordType: 'DELIMITED',
          Delimiter: Buffer.from('####').toString('base64'),
        }),
      ),
      [rec('x####y')],
    );
    assert.deepEqual(delimited.records.map(text), ['x', 'y']);
  });
});

describe('Decompression and CloudWatchLogProcessing', () => {
  it('gunzips records, failing those that are not GZIP', async () => {
    const out = await processRecords(config(p('Decompression', { CompressionFormat: 'GZIP' })), [
      rec(zlib.gzipSync('hello')),
      rec('plain'),
    ]);
    assert.deepEqual(out.records.map(text), ['hello']);
    assert.equal(out.failed[0].errorCode, 'Decompression.Failed');
  });

  it('extracts each DATA_MESSAGE log event and drops CONTROL_MESSAGE records', async () => {
    const out = await processRecords(
      config(
        p('CloudWatchLogProcessing', { DataMessageExtraction: 'true' }),
        p('Decompression', { CompressionFormat: 'GZIP' }),
      ),
      [
        rec(cloudWatchPayload('DATA_MESSAGE', ['first line', 'second line'])),
        rec(
          cloudWatchPayload('CONTROL_MESSAGE', [
            'CWL CONTROL MESSAGE: Checking health of destination Firehose.',
          ]),
        ),
      ],
    );
    assert.deepEqual(out.records.map(text), ['first line', 'second line']);
    assert.equal(out.failed.length, 0);
  });

  it('reads gzip payloads itself when no Decompression processor opened them', async () => {
    const out = await processRecords(
      config(p('CloudWatchLogProcessing', { DataMessageExtraction: 'true' })),
      [rec(cloudWatchPayload('DATA_MESSAGE', ['only']))],
    );
    assert.deepEqual(out.records.map(text), ['only']);
  });
});

describe('AppendDelimiterToRecord', () => {
  it('appends a newline by default, and the Delimiter parameter when set', async () => {
    const plain = await processRecords(config(p('AppendDelimiterToRecord')), [rec('a'), rec('b\n')]);
    assert.deepEqual(
      plain.records.map(text),
      ['a\n', 'b\n\n'],
      'a record ending in a newline gets a second one',
    );
    const custom = await processRecords(config(p('AppendDelimiterToRecord', { Delimiter: '\\t|' })), [
      rec('a'),
    ]);
    assert.deepEqual(custom.records.map(text), ['a\t|']);
  });

  it('applies only when processing is enabled', async () => {
    const out = await processRecords({ Enabled: false, Processors: [p('AppendDelimiterToRecord')] }, [
      rec('a'),
    ]);
    assert.deepEqual(out.records.map(text), ['a']);
  });

  it('goes on after the other processors, whatever the listed order', async () => {
    const out = await processRecords(
      config(p('AppendDelimiterToRecord'), p('RecordDeAggregation', { SubRecordType: 'JSON' })),
      [rec('{"a":1}{"a":2}')],
    );
    assert.deepEqual(out.records.map(text), ['{"a":1}\n', '{"a":2}\n']);
  });
});

describe('MetadataExtraction (JQ-1.6)', () => {
  const extraction = (query: string) =>
    p('MetadataExtraction', { MetadataExtractionQuery: query, JsonParsingEngine: 'JQ-1.6' });

  it('gives each JSON record its partition keys', async () => {
    const out = await processRecords(
      config(extraction('{customer_id: .customer_id, device: .type.device, n: .n}')),
      [
        rec('{"customer_id":"c1","type":{"device":"mobile"},"n":7}'),
        rec('{"customer_id":"c2","type":{"device":"web"},"n":true}'),
      ],
    );
    assert.deepEqual(
      out.records.map((r) => r.partitionKeys),
      [
        { customer_id: 'c1', device: 'mobile', n: '7' },
        { customer_id: 'c2', device: 'web', n: 'true' },
      ],
    );
  });

  it('fails records that are not JSON, or whose query fails, each on its own', async () => {
    const out = await processRecords(config(extraction('{k: (.v | ascii_downcase)}')), [
      rec('{"v":"OK"}'),
      rec('not json'),
      rec('{"v":5}'),
      rec('{"other":1}'),
    ]);
    assert.deepEqual(
      out.records.map((r) => r.partitionKeys),
      [{ k: 'ok' }],
    );
    assert.deepEqual(
      out.failed.map((f) => [text(f.source), f.errorCode]),
      [
        ['not json', 'DynamicPartitioning.MetadataExtractionFailed'],
        ['{"v":5}', 'DynamicPartitioning.MetadataExtractionFailed'],
        ['{"other":1}', 'DynamicPartitioning.MetadataExtractionFailed'],
      ],
    );
    assert.equal(out.failed[0].errorMessage, 'Non JSON record provided');
  });

  it('fails every record when the query itself does not compile', async () => {
    const out = await processRecords(config(extraction('{k: .a | }')), [rec('{"a":1}'), rec('{"a":2}')]);
    assert.equal(out.records.length, 0);
    assert.equal(out.failed.length, 2);
    assert.match(out.failed[0].errorMessage, /Invalid MetadataExtractionQuery/);
  });
});

describe('Lambda', () => {
  it('fails every record: Tideway runs no functions', async () => {
    const lambdaArn = 'arn:aws:lambda:us-east-1:000000000000:function:t';
    const out = await processRecords(config(p('Lambda', { LambdaArn: lambdaArn })), [rec('a'), rec('b')]);
    assert.equal(out.records.length, 0);
    assert.deepEqual(
      out.failed.map((f) => [text(f.source), f.errorCode, f.lambdaArn]),
      [
        ['a', LAMBDA_NOT_SUPPORTED, lambdaArn],
        ['b', LAMBDA_NOT_SUPPORTED, lambdaArn],
      ],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  RemoveTagsFromStreamCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { Decoder, Encoder } from 'cbor-x';
import { KINESIS_OPERATIONS } from '../../src/protocols/models/kinesis.js';
import { assertKinesisError, postKinesis, withKinesisServer } from '../support/kinesis.js';
import { jsonRequest, queryRequest, sigv4, xmlText } from '../support/server.js';
import { errorOf, type RunningTideway, uniqueName } from '../support/tideway.js';

// AWS checks a request in three steps: the body's JSON types (SerializationException), then every
// constraint of the model over the whole input (one ValidationException listing them all), then
// the operation's own rules, such as whether the stream exists. Texts as recorded from Kinesis
// (kinesalite's recordings, moto's, users' logs of kinesis.*.amazonaws.com).

const JSON_11 = 'application/x-amz-json-1.1';
const CBOR = 'application/x-amz-cbor-1.1';

async function rawJson(
  server: RunningTideway,
  operation: string,
  body: object,
): Promise<{ status: number; type: string; message?: string }> {
  const res = await postKinesis(server.endpoint, operation, JSON_11, Buffer.from(JSON.stringify(body)));
  const parsed = JSON.parse(res.raw.toString('utf8'));
  return { status: res.status, type: parsed.__type, message: parsed.message };
}

describe('Kinesis input validation', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer((s, k) => {
    server = s;
    kinesis = k;
  });

  it('checks a stream name before looking the stream up', async () => {
    const long = 'a'.repeat(200);
    assertKinesisError(
      await errorOf(() => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: long }))),
      'ValidationException',
      `1 validation error detected: Value '${long}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    assertKinesisError(
      await errorOf(() => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: '' }))),
      'ValidationException',
      "2 validation errors detected: Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    // A well-formed name of no stream is the handler's to answer.
    assertKinesisError(
      await errorOf(() => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'no-such-stream' }))),
      'ResourceNotFoundException',
      'Stream no-such-stream under account 000000000000 not found.',
    );
  });

  it('lists every broken constraint of PutRecords, with list indices in the paths', async () => {
    const key = 'k'.repeat(257);
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(
          new PutRecordsCommand({
            StreamName: 'no such stream',
            Records: [
              { Data: Buffer.from('a'), PartitionKey: 'ok' },
              { Data: Buffer.from('b'), PartitionKey: key, ExplicitHashKey: 'x1' },
            ],
          }),
        ),
      ),
      'ValidationException',
      `3 validation errors detected: Value '${key}' at 'records.2.member.partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256; ` +
        "Value 'x1' at 'records.2.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); " +
        "Value 'no such stream' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
    const many = Array.from({ length: 501 }, () => ({ Data: Buffer.from('a'), PartitionKey: 'k' }));
    assertKinesisError(
      await errorOf(() => kinesis.send(new PutRecordsCommand({ StreamName: 'any', Records: many }))),
      'ValidationException',
      "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
    );
    assertKinesisError(
      await errorOf(() => kinesis.send(new PutRecordsCommand({ StreamName: 'any', Records: [] }))),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('reports a missing required member as null, with the other failures', async () => {
    const res = await rawJson(server, 'PutRecord', { StreamName: '', PartitionKey: '' });
    assert.equal(res.status, 400);
    assert.equal(res.type, 'ValidationException');
    assert.equal(
      res.message,
      "4 validation errors detected: Value null at 'data' failed to satisfy constraint: Member must not be null; " +
        "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('checks numbers, enums and lists of scalars against the model', async () => {
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator', Limit: 10001 })),
      ),
      'ValidationException',
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    );
    assertKinesisError(
      await errorOf(() => kinesis.send(new ListShardsCommand({ StreamName: 'any', MaxResults: 0 }))),
      'ValidationException',
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(
          new UpdateShardCountCommand({
            StreamName: 'any',
            TargetShardCount: 0,
            ScalingType: 'SOMETIMES' as 'UNIFORM_SCALING',
          }),
        ),
      ),
      'ValidationException',
      "2 validation errors detected: Value 'SOMETIMES' at 'scalingType' failed to satisfy constraint: Member must satisfy enum value set: [UNIFORM_SCALING]; " +
        "Value '0' at 'targetShardCount' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(
          new RemoveTagsFromStreamCommand({ StreamName: 'any', TagKeys: ['fine', 'x'.repeat(129)] }),
        ),
      ),
      'ValidationException',
      `1 validation error detected: Value '[fine, ${'x'.repeat(129)}]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]`,
    );
  });

  it('checks tags as a map: its size, then its keys', async () => {
    const tags = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 'v']));
    const err = await errorOf(() =>
      kinesis.send(new CreateStreamCommand({ StreamName: uniqueName('tags'), ShardCount: 1, Tags: tags })),
    );
    assertKinesisError(err, 'ValidationException', /^1 validation error detected: Value '\{k0=v, k1=v, /);
    assert.match(
      err.message,
      /\}' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 200$/,
    );
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(
          new CreateStreamCommand({ StreamName: uniqueName('tags'), ShardCount: 1, Tags: { '': 'v' } }),
        ),
      ),
      'ValidationException',
      "1 validation error detected: Value '{=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]",
    );
  });

  it('checks a consumer name before the stream ARN is looked up', async () => {
    assertKinesisError(
      await errorOf(() =>
        kinesis.send(
          new RegisterStreamConsumerCommand({
            StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/none',
            ConsumerName: 'bad name',
          }),
        ),
      ),
      'ValidationException',
      "1 validation error detected: Value 'bad name' at 'consumerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
  });

  it('answers a value of the wrong JSON type with SerializationException, before any constraint', async () => {
    const cases: Array<[string, object, string]> = [
      [
        'CreateStream',
        { StreamName: '', ShardCount: '1' },
        'STRING_VALUE can not be converted to an Integer',
      ],
      ['DescribeStreamSummary', { StreamName: 5 }, 'NUMBER_VALUE can not be converted to a String'],
      ['DescribeStreamSummary', { StreamName: true }, 'TRUE_VALUE can not be converted to a String'],
      ['DescribeStreamSummary', { StreamName: ['s'] }, 'Start of list found where not expected'],
      [
        'DescribeStreamSummary',
        { StreamName: { s: 1 } },
        'Start of structure or map found where not expected.',
      ],
      ['PutRecords', { StreamName: 's', Records: 'x' }, 'Expected list or null'],
      ['PutRecords', { StreamName: 's', Records: ['x'] }, 'Expected null'],
      [
        'PutRecord',
        { StreamName: 's', PartitionKey: 'k', Data: 7 },
        'NUMBER_VALUE can not be converted to a Blob',
      ],
      ['CreateStream', { StreamName: 's', Tags: [] }, 'Start of list found where not expected'],
      ['CreateStream', { StreamName: 's', Tags: 'x' }, 'Expected map or null'],
      [
        'DeleteStream',
        { StreamName: 's', EnforceConsumerDeletion: 1 },
        'NUMBER_VALUE can not be converted to a Boolean',
      ],
      [
        'ListShards',
        { StreamName: 's', StreamCreationTimestamp: 'today' },
        'STRING_VALUE can not be converted to milliseconds since epoch',
      ],
    ];
    for (const [operation, body, message] of cases) {
      const res = await rawJson(server, operation, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.type, 'SerializationException', JSON.stringify(body));
      assert.equal(res.message, message, JSON.stringify(body));
    }
  });

  it('answers every operation given values of every wrong kind with a 4xx AWS error, never a 500', async () => {
    const values: unknown[] = [
      '',
      'x'.repeat(3000),
      -1,
      1.5,
      2 ** 53,
      true,
      [],
      [null],
      {},
      { a: null },
      null,
    ];
    for (const [operation, shapes] of Object.entries(KINESIS_OPERATIONS)) {
      for (const value of values) {
        const body = Object.fromEntries(shapes.input.memberList.map(([name]) => [name, value]));
        const res = await postKinesis(server.endpoint, operation, JSON_11, Buffer.from(JSON.stringify(body)));
        const seen = `${operation} ${JSON.stringify(value)?.slice(0, 20)}: ${res.status} ${res.raw.toString('utf8').slice(0, 200)}`;
        assert.ok(res.status < 500, seen);
        if (res.status !== 200)
          assert.match(JSON.parse(res.raw.toString('utf8')).__type, /^[A-Z][A-Za-z]+$/, seen);
      }
    }
  });

  it('does the same over CBOR, as the Java SDKs send it', async () => {
    const encoder = new Encoder({ useRecords: false });
    const decoder = new Decoder({ mapsAsObjects: true, useRecords: false });
    const values: unknown[] = ['', -1, 1.5, true, [], [null], {}, new Uint8Array(3), new Date(0)];
    for (const [operation, shapes] of Object.entries(KINESIS_OPERATIONS)) {
      for (const value of values) {
        const body = Object.fromEntries(shapes.input.memberList.map(([name]) => [name, value]));
        const res = await postKinesis(server.endpoint, operation, CBOR, Buffer.from(encoder.encode(body)));
        const answer = decoder.decode(res.raw) as { __type?: string; message?: string };
        const seen = `${operation} ${String(value)}: ${res.status} ${JSON.stringify(answer).slice(0, 200)}`;
        assert.ok(res.status < 500, seen);
        if (res.status !== 200) assert.match(answer.__type ?? '', /^[A-Z][A-Za-z]+$/, seen);
      }
    }
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const res = await postKinesis(server.endpoint, 'FlyToTheMoon', JSON_11, Buffer.from('{}'));
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.raw.toString('utf8')).__type, 'UnknownOperationException');
  });

  it('still answers a valid PutRecord after the checks', async () => {
    const name = uniqueName('valid');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const put = await kinesis.send(
      new PutRecordCommand({
        StreamName: name,
        PartitionKey: 'k',
        Data: Buffer.from('x'),
        ExplicitHashKey: '0',
      }),
    );
    assert.equal(put.ShardId, 'shardId-000000000000');
  });
});

// Forms that are already right and must stay so (issue 10): SQS's undeclared errors over JSON
// carry coral's `__type` with the query code in x-amzn-query-error, and unknown actions get
// InvalidAction over awsQuery, from SNS as from SQS.
describe('unknown operations and undeclared errors, regression', () => {
  let server: RunningTideway;
  withKinesisServer((s) => {
    server = s;
  });

  it('SQS over JSON: InvalidParameterValueException in the coral namespace, with its query code', async () => {
    const created = await jsonRequest(
      server.endpoint,
      'CreateQueue',
      JSON.stringify({ QueueName: uniqueName('reg') }),
    );
    const queueUrl = JSON.parse(created.body).QueueUrl;
    const res = await jsonRequest(
      server.endpoint,
      'ReceiveMessage',
      JSON.stringify({ QueueUrl: queueUrl, MaxNumberOfMessages: 11 }),
    );
    assert.equal(res.status, 400, res.body);
    assert.equal(res.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
    assert.equal(JSON.parse(res.body).__type, 'com.amazon.coral.service#InvalidParameterValueException');
  });

  it("SQS over JSON: a value of the wrong type gets the JSON front end's text", async () => {
    const created = await jsonRequest(
      server.endpoint,
      'CreateQueue',
      JSON.stringify({ QueueName: uniqueName('t') }),
    );
    const queueUrl = JSON.parse(created.body).QueueUrl;
    const cases: Array<[object, string]> = [
      [{ QueueUrl: queueUrl, MaxNumberOfMessages: '10' }, 'STRING_VALUE can not be converted to an Integer'],
      [{ QueueUrl: queueUrl, MaxNumberOfMessages: true }, 'TRUE_VALUE can not be converted to an Integer'],
      [{ QueueUrl: 42 }, 'NUMBER_VALUE can not be converted to a String'],
      [{ QueueUrl: [queueUrl] }, 'Start of list found where not expected'],
      [{ QueueUrl: queueUrl, AttributeNames: 'All' }, 'Expected list or null'],
    ];
    for (const [body, message] of cases) {
      const res = await jsonRequest(server.endpoint, 'ReceiveMessage', JSON.stringify(body));
      assert.equal(res.status, 400, res.body);
      const answer = JSON.parse(res.body);
      assert.equal(answer.__type, 'com.amazon.coral.service#SerializationException');
      assert.equal(answer.message, message, JSON.stringify(body));
    }
  });

  it('SNS over awsQuery: InvalidAction for an unknown action', async () => {
    const res = await queryRequest(
      server.endpoint,
      { Action: 'FlyToTheMoon', Version: '2010-03-31' },
      { authorization: sigv4('sns') },
    );
    assert.equal(res.status, 400, res.body);
    assert.equal(xmlText(res.body, 'Code'), 'InvalidAction');
    assert.equal(xmlText(res.body, 'Type'), 'Sender');
  });
});

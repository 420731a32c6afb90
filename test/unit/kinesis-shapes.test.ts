import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import * as kinesisSdk from '@aws-sdk/client-kinesis';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { decodeJson, encodeJson } from '../../src/protocols/json.js';
import {
  KINESIS_ERRORS,
  KINESIS_METADATA,
  KINESIS_OPERATIONS,
  type KinesisOperationName,
} from '../../src/protocols/models/kinesis.js';
import type { Shape, StructureShape } from '../../src/protocols/shapes.js';
import { plainErrors, SIMPLE, sdkCommandNames } from '../support/sdk-schemas.js';

const errors = plainErrors;
const SUBSCRIBE_TO_SHARD_EVENT = KINESIS_OPERATIONS.SubscribeToShard.eventStream!.SubscribeToShardEvent;

// ---------------------------------------------------------------------------
// Structural comparison with the SDK's own schemas (generated from the Smithy
// model): member names, required members, scalar kinds and list members.

type Desc = string | { list: Desc } | { map: Desc } | { members: Record<string, Desc>; required: string[] };

function describeMine(shape: Shape): Desc {
  switch (shape.type) {
    case 'structure': {
      const members: Record<string, Desc> = {};
      for (const [name, m] of shape.memberList) {
        assert.equal(m.xmlName, undefined, `${name}: awsJson has no xmlName`);
        assert.notEqual(m.flattened, true, `${name}: awsJson flattens nothing`);
        members[name] = describeMine(m.shape);
      }
      return { members, required: [...shape.required].sort() };
    }
    case 'list':
      return { list: describeMine(shape.member) };
    case 'map':
      return { map: describeMine(shape.value) };
    case 'integer':
    case 'long':
    case 'double':
      // The SDK's schema has one numeric kind; Integer vs Long is checked below.
      return 'number';
    default:
      return shape.type;
  }
}

function describeSdk(schema: unknown): Desc {
  if (typeof schema === 'function') return describeSdk(schema());
  if (typeof schema === 'number') {
    if (schema & 64) return { list: describeSdk(schema & ~64) };
    if (schema & 128) return { map: describeSdk(schema & ~128) };
    const simple = SIMPLE[schema];
    assert.ok(simple, `unknown simple schema ${schema}`);
    return simple;
  }
  assert.ok(Array.isArray(schema), `unexpected schema ${String(schema)}`);
  const [kind, , name] = schema as [number, string, string];
  switch (kind) {
    case 0:
      return describeSdk(schema[4]);
    case 1:
      return { list: describeSdk(schema[4]) };
    case 2:
      assert.equal(describeSdk(schema[4]), 'string', `${name}: map keys are strings`);
      return { map: describeSdk(schema[5]) };
    case 3: {
      const names = schema[4] as string[];
      const refs = schema[5] as unknown[];
      const requiredCount = (schema[6] as number | undefined) ?? 0;
      const members: Record<string, Desc> = {};
      names.forEach((memberName, i) => {
        const ref = refs[i];
        // A member with traits is `[schema, traits]`; Kinesis members carry none but the event stream.
        members[memberName] = describeSdk(Array.isArray(ref) && ref.length === 2 ? ref[0] : ref);
      });
      return { members, required: names.slice(0, requiredCount).sort() };
    }
    default:
      assert.fail(`${name}: unexpected schema kind ${kind}`);
  }
}

function resolve(schema: unknown): unknown[] {
  return (typeof schema === 'function' ? schema() : schema) as unknown[];
}

/** The SDK lists required members first; each group keeps the model's order. */
function assertMemberOrder(mine: StructureShape, theirs: unknown, label: string): void {
  const required = new Set(mine.required);
  const ours = mine.memberList.map(([n]) => n);
  const expected = [...ours.filter((n) => required.has(n)), ...ours.filter((n) => !required.has(n))];
  assert.deepEqual(expected, [...(resolve(theirs)[4] as string[])], `${label} member order`);
}

/** Paths of every member of the given scalar kind, so Integer/Long choices are pinned down. */
function membersOfKind(shape: Shape, kind: string, path: string, out: Set<string>): Set<string> {
  if (shape.type === 'structure') {
    for (const [name, m] of shape.memberList) membersOfKind(m.shape, kind, `${path}.${name}`, out);
  } else if (shape.type === 'list') {
    membersOfKind(shape.member, kind, `${path}[]`, out);
  } else if (shape.type === 'map') {
    membersOfKind(shape.value, kind, `${path}{}`, out);
  } else if (shape.type === kind) {
    out.add(path);
  }
  return out;
}

describe('KINESIS_OPERATIONS', () => {
  it('has exactly the operations of the SDK (one per command)', () => {
    const names = sdkCommandNames('@aws-sdk/client-kinesis');
    assert.equal(names.length, 45);
    assert.deepEqual(Object.keys(KINESIS_OPERATIONS).sort(), names);
  });

  it("matches the SDK's schemas for every input and output, in the model's member order", () => {
    const sdk = kinesisSdk as unknown as Record<string, unknown>;
    for (const name of Object.keys(KINESIS_OPERATIONS) as KinesisOperationName[]) {
      const op = sdk[`${name}$`] as unknown[] | undefined;
      assert.ok(Array.isArray(op) && op[0] === 9, `${name}: no operation schema in the SDK`);
      const shapes: { input: StructureShape; output?: StructureShape } = KINESIS_OPERATIONS[name];
      assert.deepEqual(describeMine(shapes.input), describeSdk(op[4]), `${name} input`);
      assertMemberOrder(shapes.input, op[4], `${name} input`);
      const output = (op[5] as () => unknown)();
      if (name === 'SubscribeToShard') {
        // An event stream: not declared as an output; its event structure is checked below.
        assert.equal(shapes.output, undefined);
        continue;
      }
      if (output === 'unit') {
        assert.equal(shapes.output, undefined, `${name} has no output in the model`);
      } else {
        assert.ok(shapes.output, `${name} has an output in the model`);
        assert.deepEqual(describeMine(shapes.output), describeSdk(output), `${name} output`);
        assertMemberOrder(shapes.output, output, `${name} output`);
      }
    }
  });

  it('SubscribeToShard: its output is an event stream of SubscribeToShardEvent', () => {
    const sdk = kinesisSdk as unknown as Record<string, unknown>;
    const output = resolve((sdk.SubscribeToShard$ as unknown[])[5]);
    assert.deepEqual(output[4], ['EventStream']);
    const stream = resolve((output[5] as unknown[][])[0][0]);
    assert.equal(stream[0], 4, 'a union');
    assert.deepEqual((stream[3] as Record<string, unknown>).streaming, 1);
    assert.equal((stream[4] as string[])[0], 'SubscribeToShardEvent');
    assert.deepEqual(describeMine(SUBSCRIBE_TO_SHARD_EVENT), describeSdk(sdk.SubscribeToShardEvent$));
    assertMemberOrder(SUBSCRIBE_TO_SHARD_EVENT, sdk.SubscribeToShardEvent$, 'SubscribeToShardEvent');
  });

  it('uses Long only for MillisBehindLatest and never double', () => {
    const longs = new Set<string>();
    const doubles = new Set<string>();
    for (const [name, shapes] of Object.entries(KINESIS_OPERATIONS) as [
      string,
      { input: StructureShape; output?: StructureShape },
    ][]) {
      for (const [label, shape] of [
        ['input', shapes.input],
        ['output', shapes.output],
      ] as const) {
        if (!shape) continue;
        membersOfKind(shape, 'long', `${name}.${label}`, longs);
        membersOfKind(shape, 'double', `${name}.${label}`, doubles);
      }
    }
    membersOfKind(SUBSCRIBE_TO_SHARD_EVENT, 'long', 'SubscribeToShardEvent', longs);
    assert.deepEqual([...longs].sort(), [
      'GetRecords.output.MillisBehindLatest',
      'SubscribeToShardEvent.MillisBehindLatest',
    ]);
    assert.deepEqual([...doubles], []);
  });
});

// ---------------------------------------------------------------------------
// Round trips through the real SDK: what it sends decodes to what was given,
// and what we encode it reads back as the same value.

let server: Server;
let client: KinesisClient;
let captured: { headers: IncomingHttpHeaders; body: Buffer } | undefined;
let reply: Record<string, unknown> | undefined;

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      captured = { headers: req.headers, body: Buffer.concat(chunks) };
      const target = String(req.headers['x-amz-target'] ?? '');
      const name = target.slice(target.indexOf('.') + 1) as KinesisOperationName;
      const shapes: { input: StructureShape; output?: StructureShape } = KINESIS_OPERATIONS[name];
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r-1' });
      res.end(shapes.output ? encodeJson(shapes.output, reply) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new KinesisClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    // The client speaks HTTP/2 by default; this plain server speaks HTTP/1.1.
    requestHandler: new NodeHttpHandler(),
  });
});

after(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends `command` as operation `name`; returns the decoded input and what the SDK made of `output`. */
async function roundTrip(
  name: KinesisOperationName,
  command: { input: object },
  output?: Record<string, unknown>,
): Promise<{ decoded: Record<string, unknown>; result: Record<string, unknown> }> {
  captured = undefined;
  reply = output;
  // Each command has its own input and output types; here they are all the same.
  const sent = await client.send(command as PutRecordsCommand);
  const { $metadata, ...result } = sent as unknown as Record<string, unknown>;
  assert.ok($metadata);
  const request = captured as { headers: IncomingHttpHeaders; body: Buffer } | undefined;
  assert.ok(request, 'the SDK sent a request');
  assert.equal(request.headers['x-amz-target'], `Kinesis_20131202.${name}`);
  assert.equal(request.headers['content-type'], 'application/x-amz-json-1.1');
  // Every member the SDK sent is one the shape knows.
  const shape = KINESIS_OPERATIONS[name].input;
  const known = new Set(shape.memberList.map(([n]) => n));
  for (const key of Object.keys(JSON.parse(request.body.toString('utf8')) as object)) {
    assert.ok(known.has(key), `${name}: unknown member ${key}`);
  }
  return { decoded: decodeJson(shape, request.body, errors), result };
}

describe('Kinesis shapes against the SDK serializer', () => {
  it('PutRecords: Data as bytes, and the per-record results', async () => {
    const input = {
      StreamName: 'orders',
      StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders',
      Records: [
        { Data: Buffer.from([0, 1, 2, 250, 255]), PartitionKey: 'pk-1' },
        { Data: Buffer.from('{"hello":"world"}'), PartitionKey: 'pk-2', ExplicitHashKey: '1234567890' },
        { Data: Buffer.alloc(0), PartitionKey: 'empty' },
      ],
    };
    const output = {
      FailedRecordCount: 1,
      Records: [
        {
          SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
          ShardId: 'shardId-000000000000',
        },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' },
        {
          SequenceNumber: '49590338271490256608559692538361571095921575989136588899',
          ShardId: 'shardId-000000000001',
        },
      ],
      EncryptionType: 'NONE',
    };
    const { decoded, result } = await roundTrip('PutRecords', new PutRecordsCommand(input), output);
    assert.deepEqual(decoded, input);
    assert.deepEqual(result, output);
  });

  it('CreateStream with mode details, tags and warm throughput', async () => {
    const input = {
      StreamName: 'orders',
      ShardCount: 4,
      StreamModeDetails: { StreamMode: 'PROVISIONED' as const },
      Tags: { team: 'payments', env: '' },
      MaxRecordSizeInKiB: 2048,
    };
    const { decoded, result } = await roundTrip('CreateStream', new CreateStreamCommand(input));
    assert.deepEqual(decoded, input);
    assert.deepEqual(result, {});
    assert.throws(
      () => decodeJson(KINESIS_OPERATIONS.CreateStream.input, Buffer.from('{"ShardCount":1}'), errors),
      /missing StreamName/,
    );
    assert.throws(
      () =>
        decodeJson(
          KINESIS_OPERATIONS.CreateStream.input,
          Buffer.from('{"StreamName":"s","ShardCount":"1"}'),
          errors,
        ),
      /ShardCount: 1 is not a integer/,
    );
  });

  it('GetShardIterator AT_TIMESTAMP: Timestamp as a Date', async () => {
    const input = {
      StreamName: 'orders',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'AT_TIMESTAMP' as const,
      Timestamp: new Date('2024-10-01T12:34:56.789Z'),
    };
    const { decoded, result } = await roundTrip('GetShardIterator', new GetShardIteratorCommand(input), {
      ShardIterator: 'AAAAiterator',
    });
    assert.deepEqual(decoded, input);
    assert.ok(decoded.Timestamp instanceof Date);
    assert.deepEqual(result, { ShardIterator: 'AAAAiterator' });
  });

  it('ListShards with a ShardFilter, and the shards it answers', async () => {
    const input = {
      StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders',
      MaxResults: 100,
      StreamCreationTimestamp: new Date('2024-01-02T03:04:05Z'),
      ShardFilter: {
        Type: 'FROM_TIMESTAMP' as const,
        Timestamp: new Date('2024-10-01T00:00:00.5Z'),
      },
    };
    const output = {
      Shards: [
        {
          ShardId: 'shardId-000000000002',
          ParentShardId: 'shardId-000000000000',
          AdjacentParentShardId: 'shardId-000000000001',
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: '340282366920938463463374607431768211455' },
          SequenceNumberRange: { StartingSequenceNumber: '4959' },
        },
      ],
      NextToken: 'next',
    };
    const { decoded, result } = await roundTrip('ListShards', new ListShardsCommand(input), output);
    assert.deepEqual(decoded, input);
    assert.deepEqual(result, output);
  });
});

describe('Kinesis output shapes against the SDK deserializer', () => {
  it('GetRecords: blobs, timestamps, the Long MillisBehindLatest and child shards', async () => {
    const output = {
      Records: [
        {
          SequenceNumber: '1',
          ApproximateArrivalTimestamp: new Date('2024-10-01T12:34:56.789Z'),
          Data: new Uint8Array([104, 105, 0, 255]),
          PartitionKey: 'pk',
          EncryptionType: 'KMS',
        },
      ],
      NextShardIterator: 'next',
      MillisBehindLatest: 86_400_000_000,
      ChildShards: [
        {
          ShardId: 'shardId-000000000003',
          ParentShards: ['shardId-000000000001', 'shardId-000000000002'],
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' },
        },
      ],
    };
    const { decoded, result } = await roundTrip(
      'GetRecords',
      new GetRecordsCommand({ ShardIterator: 'it', Limit: 10 }),
      output,
    );
    assert.deepEqual(decoded, { ShardIterator: 'it', Limit: 10 });
    const records = result.Records as { Data: Uint8Array }[];
    assert.deepEqual(
      { ...result, Records: records.map((r) => ({ ...r, Data: new Uint8Array(r.Data) })) },
      output,
    );
  });
});

describe("Kinesis model: botocore's constraints and errors, the SDK's newer operations", () => {
  it('carries min, max and pattern from botocore', () => {
    const name = KINESIS_OPERATIONS.CreateStream.input.members.StreamName.shape;
    assert.ok(name.type === 'string');
    assert.deepEqual([name.min, name.max, name.pattern], [1, 128, '[a-zA-Z0-9_.-]+']);
    const limit = KINESIS_OPERATIONS.GetRecords.input.members.Limit.shape;
    assert.ok(limit.type === 'integer');
    assert.deepEqual([limit.min, limit.max], [1, 10000]);
    const iteratorType = KINESIS_OPERATIONS.GetShardIterator.input.members.ShardIteratorType.shape;
    assert.ok(iteratorType.type === 'string' && iteratorType.enum?.includes('AT_TIMESTAMP'));
  });

  it('declares each operation’s errors, with codes and statuses', () => {
    assert.deepEqual(KINESIS_ERRORS.ResourceNotFoundException.error, {
      code: 'ResourceNotFoundException',
      status: 400,
      senderFault: true,
    });
    const errors = KINESIS_OPERATIONS.PutRecord.errors?.map((e) => e.name) ?? [];
    assert.ok(errors.includes('ResourceNotFoundException') && errors.includes('InvalidArgumentException'));
    assert.equal(KINESIS_METADATA.targetPrefix, 'Kinesis_20131202');
    assert.equal(KINESIS_METADATA.jsonVersion, '1.1');
  });

  it('takes operations botocore 1.43 lacks from the SDK, and its newer required members', () => {
    assert.deepEqual(KINESIS_OPERATIONS.UpdateStreamRecordDistributionStrategy.http, {
      method: 'POST',
      requestUri: '/',
    });
    assert.ok(KINESIS_OPERATIONS.CreateStream.input.members.RecordDistributionStrategy);
    const entry = KINESIS_OPERATIONS.PutRecords.input.members.Records.shape;
    assert.ok(entry.type === 'list' && entry.member.type === 'structure');
    assert.deepEqual([...entry.member.required], ['Data']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { Decoder, Encoder } from 'cbor-x';
import { kinesisClient, postKinesis, withKinesisServer } from '../support/kinesis.js';
import { startCli, stopCli } from '../support/server.js';
import { errorOf, type RunningTideway, uniqueName } from '../support/tideway.js';

// Kinesis guide, "Quotas and limits", and API Reference, PutRecords / GetRecords: each shard takes
// writes of up to 1 MiB per second (partition keys included) and 1,000 records per second, and
// reads of up to 2 MiB per second and five GetRecords calls per second; "If a call returns 10 MiB
// of data, subsequent calls made within the next 5 seconds throw
// ProvisionedThroughputExceededException". A PutRecords record over the quota fails on its own with
// ErrorCode ProvisionedThroughputExceededException and a message naming account, stream and shard
// (PutRecordsResultEntry). The texts are the ones AWS answers: "Rate exceeded for shard <shard> in
// stream <stream> under account <account>." for writes, "Rate exceeded for Shard -
// <account>/<stream>/<shard>" for GetRecords.

const ACCOUNT = '000000000000';
const LAST_HASH_KEY = ((1n << 128n) - 1n).toString();
const KIB = 1024;

const writeText = (name: string, shard: string) =>
  `Rate exceeded for shard ${shard} in stream ${name} under account ${ACCOUNT}.`;
const readText = (name: string, shard: string) => `Rate exceeded for Shard - ${ACCOUNT}/${name}/${shard}`;

function assertThrottled(err: any, message: string): void {
  assert.equal(err.name, 'ProvisionedThroughputExceededException', `${err.name}: ${err.message}`);
  assert.equal(err.$metadata?.httpStatusCode, 400);
  assert.equal(err.message, message);
}

async function iterator(kinesis: KinesisClient, name: string, shard = 'shardId-000000000000') {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName: name, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  return ShardIterator!;
}

describe('Kinesis throughput limits (--kinesis-limits)', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer(
    (s, k) => {
      server = s;
      kinesis = k;
    },
    { kinesisLimits: true },
  );

  async function stream(shards = 1): Promise<string> {
    const name = uniqueName('l');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    return name;
  }

  it('takes 1,000 records a second per shard; PutRecords fails the rest record by record', async () => {
    const name = await stream(2);
    const batch = (n: number, hashKey: string) =>
      Array.from({ length: n }, (_, i) => ({
        Data: new Uint8Array([i % 256]),
        PartitionKey: 'k',
        ExplicitHashKey: hashKey,
      }));
    for (let i = 0; i < 2; i++) {
      const full = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: batch(500, '0') }));
      assert.equal(full.FailedRecordCount, 0);
    }
    // Shard 0 has had its thousand; shard 1 has room. Each record is judged on its own shard.
    const mixed = await kinesis.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: [...batch(1, '0'), ...batch(1, LAST_HASH_KEY), ...batch(1, '0'), ...batch(1, LAST_HASH_KEY)],
      }),
    );
    assert.equal(mixed.FailedRecordCount, 2);
    assert.deepEqual(
      mixed.Records?.map((r) => [r.ShardId, r.ErrorCode, r.ErrorMessage]),
      [
        [undefined, 'ProvisionedThroughputExceededException', writeText(name, 'shardId-000000000000')],
        ['shardId-000000000001', undefined, undefined],
        [undefined, 'ProvisionedThroughputExceededException', writeText(name, 'shardId-000000000000')],
        ['shardId-000000000001', undefined, undefined],
      ],
    );
    assert.ok(mixed.Records?.[1].SequenceNumber);
    assertThrottled(
      await errorOf(() =>
        kinesis.send(
          new PutRecordCommand({
            StreamName: name,
            Data: new Uint8Array(),
            PartitionKey: 'k',
            ExplicitHashKey: '0',
          }),
        ),
      ),
      writeText(name, 'shardId-000000000000'),
    );
    // A second later the shard takes records again; only the admitted ones were stored.
    server.clock.advance(1000);
    const next = await kinesis.send(
      new PutRecordCommand({
        StreamName: name,
        Data: new Uint8Array(),
        PartitionKey: 'k',
        ExplicitHashKey: '0',
      }),
    );
    assert.equal(next.ShardId, 'shardId-000000000000');
    const shard1 = await kinesis.send(
      new GetRecordsCommand({ ShardIterator: await iterator(kinesis, name, 'shardId-000000000001') }),
    );
    assert.equal(shard1.Records?.length, 2);
  });

  it('takes 1 MiB a second per shard, partition keys included', async () => {
    const name = await stream();
    const put = (bytes: number) =>
      kinesis.send(
        new PutRecordCommand({ StreamName: name, Data: new Uint8Array(bytes), PartitionKey: 'k' }),
      );
    // Two records of 512 KiB each, key included, fill the second exactly.
    await put(512 * KIB - 1);
    await put(512 * KIB - 1);
    assertThrottled(await errorOf(() => put(0)), writeText(name, 'shardId-000000000000'));
    server.clock.advance(1000);
    await put(0);
  });

  it('answers five GetRecords calls a second per shard', async () => {
    const name = await stream(2);
    await kinesis.send(
      new PutRecordCommand({
        StreamName: name,
        Data: new Uint8Array([1]),
        PartitionKey: 'k',
        ExplicitHashKey: '0',
      }),
    );
    const shard0 = await iterator(kinesis, name);
    // Iterators are stateless: the same one reads the same record each time.
    for (let i = 0; i < 5; i++) {
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator: shard0 }));
      assert.equal(Records?.length, 1);
    }
    assertThrottled(
      await errorOf(() => kinesis.send(new GetRecordsCommand({ ShardIterator: shard0 }))),
      readText(name, 'shardId-000000000000'),
    );
    // The other shard has its own quota.
    await kinesis.send(
      new GetRecordsCommand({ ShardIterator: await iterator(kinesis, name, 'shardId-000000000001') }),
    );
    server.clock.advance(1000);
    await kinesis.send(new GetRecordsCommand({ ShardIterator: shard0 }));
  });

  it('reads 2 MiB a second per shard: a larger read holds the shard until it is paid back', async () => {
    const name = await stream();
    // Six records of 1 MiB, one per second of the write quota.
    for (let i = 0; i < 6; i++) {
      await kinesis.send(
        new PutRecordCommand({ StreamName: name, Data: new Uint8Array(1024 * KIB), PartitionKey: 'k' }),
      );
      server.clock.advance(2000);
    }
    const shard = await iterator(kinesis, name);
    const big = await kinesis.send(new GetRecordsCommand({ ShardIterator: shard }));
    assert.equal(big.Records?.length, 6);
    // Six MiB take three seconds to pay back at 2 MiB a second.
    assertThrottled(
      await errorOf(() => kinesis.send(new GetRecordsCommand({ ShardIterator: big.NextShardIterator }))),
      readText(name, 'shardId-000000000000'),
    );
    // The clock also runs on in real time: the steps leave two seconds to spare for a busy machine.
    server.clock.advance(1000);
    assertThrottled(
      await errorOf(() => kinesis.send(new GetRecordsCommand({ ShardIterator: big.NextShardIterator }))),
      readText(name, 'shardId-000000000000'),
    );
    server.clock.advance(2500);
    const caughtUp = await kinesis.send(new GetRecordsCommand({ ShardIterator: big.NextShardIterator }));
    assert.deepEqual(caughtUp.Records, []);
  });

  // The Java SDK's CBOR form carries the same error: a map of __type and message, status 400.
  it('answers the error in CBOR to a CBOR client', async () => {
    const name = await stream();
    const encoder = new Encoder({ useRecords: false });
    const decoder = new Decoder({ mapsAsObjects: true, useRecords: false });
    const putRecord = async () => {
      const body = encoder.encode({ StreamName: name, PartitionKey: 'k', Data: Buffer.alloc(600 * KIB) });
      const answer = await postKinesis(server.endpoint, 'PutRecord', 'application/x-amz-cbor-1.1', body);
      return { status: answer.status, body: decoder.decode(answer.raw) };
    };
    const first = await putRecord();
    assert.equal(first.status, 200);
    assert.equal(first.body.ShardId, 'shardId-000000000000');
    const second = await putRecord();
    assert.equal(second.status, 400);
    assert.deepEqual(second.body, {
      __type: 'ProvisionedThroughputExceededException',
      message: writeText(name, 'shardId-000000000000'),
    });
  });
});

describe('Kinesis throughput limits are off by default', () => {
  let _server: RunningTideway;
  let kinesis: KinesisClient;
  withKinesisServer((s, k) => {
    _server = s;
    kinesis = k;
  });

  it('takes any rate of writes and reads', async () => {
    const name = uniqueName('free');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    for (let i = 0; i < 4; i++) {
      const { FailedRecordCount } = await kinesis.send(
        new PutRecordsCommand({
          StreamName: name,
          Records: Array.from({ length: 500 }, () => ({ Data: new Uint8Array(1), PartitionKey: 'k' })),
        }),
      );
      assert.equal(FailedRecordCount, 0);
    }
    const shard = await iterator(kinesis, name);
    for (let i = 0; i < 10; i++)
      await kinesis.send(new GetRecordsCommand({ ShardIterator: shard, Limit: 1 }));
  });
});

describe('--kinesis-limits', () => {
  it('turns the limits on from the flag or TIDEWAY_KINESIS_LIMITS=1', async () => {
    for (const [args, env] of [
      [['--kinesis-limits'], {}],
      [[], { TIDEWAY_KINESIS_LIMITS: '1' }],
    ] as const) {
      const cli = await startCli(['--port', '0', '--log-level', 'warn', ...args], { env });
      const client = kinesisClient(cli.endpoint);
      try {
        const name = uniqueName('cli');
        await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
        const shard = await iterator(client, name);
        for (let i = 0; i < 5; i++) await client.send(new GetRecordsCommand({ ShardIterator: shard }));
        assertThrottled(
          await errorOf(() => client.send(new GetRecordsCommand({ ShardIterator: shard }))),
          readText(name, 'shardId-000000000000'),
        );
      } finally {
        client.destroy();
        await stopCli(cli);
      }
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  PutResourcePolicyCommand,
  UpdateMaxRecordSizeCommand,
} from '@aws-sdk/client-kinesis';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import type { StreamDeliveryOrigin } from '../../src/services/kinesis/deliveries.js';
import {
  buildServices,
  type FrontDoors,
  type ServiceFactory,
  type ServiceModule,
} from '../../src/services/registry.js';
import { EmbeddedEngine } from '../../src/storage/embedded/engine.js';
import { kinesisClient } from '../support/kinesis.js';
import { captureLogger } from '../support/log-capture.js';
import { type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

const ACCOUNT = '000000000000';

/** A test-only service built after the registry's, holding the front doors they offer it. */
function frontDoorProbe(seen: { doors?: FrontDoors }): ServiceFactory {
  return {
    name: 'probe',
    create: (env): ServiceModule => {
      seen.doors = env.frontDoors;
      return {
        definition: {
          name: 'probe',
          signingName: 'probe',
          operations: {},
          validation: {} as ServiceModule['definition']['validation'],
          unknownOperation: () => {
            throw new Error('the probe serves nothing');
          },
        },
        cors: false,
        reset: async () => undefined,
        close: () => undefined,
      };
    },
  };
}

const rule = (name: string, account = ACCOUNT): StreamDeliveryOrigin => ({
  principal: 'events.amazonaws.com',
  sourceArn: `arn:aws:events:us-east-1:${account}:rule/${name}`,
  sourceAccount: account,
  roleArn: `arn:aws:iam::${account}:role/events-to-kinesis`,
});

const bytes = (text: string) => new TextEncoder().encode(text);

async function createStream(kinesis: KinesisClient, shards = 1): Promise<string> {
  const StreamName = uniqueName('s');
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: shards }));
  const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
  return summary.StreamDescriptionSummary!.StreamARN!;
}

async function readAll(kinesis: KinesisClient, StreamARN: string): Promise<string[]> {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamARN }));
  const texts: string[] = [];
  for (const shard of Shards ?? []) {
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamARN, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records } = await kinesis.send(new GetRecordsCommand({ StreamARN, ShardIterator }));
    for (const r of Records ?? []) texts.push(new TextDecoder().decode(r.Data));
  }
  return texts;
}

// Kinesis's front door for other services (EventBridge targets, Firehose and Pipes later): the
// stream and its status, its resource policy for the role the service writes as, PutRecord's own
// validation and the throughput accounting, then the same append as PutRecords.
describe('Kinesis deliveries from other services', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  const seen: { doors?: FrontDoors } = {};
  const log = captureLogger();
  const door = () => seen.doors!.kinesis!;
  before(async () => {
    server = await startServer({ logger: log, extraServices: [frontDoorProbe(seen)] });
    kinesis = kinesisClient(server.endpoint);
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  it('puts records that GetRecords then reads back, in order', async () => {
    const arn = await createStream(kinesis);
    const outcome = await door().put(
      arn,
      [
        { data: bytes('one'), partitionKey: 'k' },
        { data: bytes('two'), partitionKey: 'k' },
      ],
      rule('r1'),
    );
    assert.equal(outcome.kind, 'delivered');
    assert.ok(outcome.kind === 'delivered');
    assert.equal(outcome.failedRecordCount, 0);
    assert.equal(outcome.records.length, 2);
    for (const e of outcome.records) assert.ok('shardId' in e && e.shardId === 'shardId-000000000000');
    assert.deepEqual(await readAll(kinesis, arn), ['one', 'two']);
  });

  it('honours an explicit hash key, and refuses one out of range with PutRecord reason', async () => {
    const arn = await createStream(kinesis, 2);
    const top = (2n ** 128n - 1n).toString();
    const outcome = await door().put(
      arn,
      [{ data: bytes('high'), partitionKey: 'k', explicitHashKey: top }],
      rule('r'),
    );
    assert.ok(outcome.kind === 'delivered' && 'shardId' in outcome.records[0]);
    assert.equal(outcome.records[0].shardId, 'shardId-000000000001');
    const tooBig = (2n ** 128n).toString();
    assert.deepEqual(
      await door().put(arn, [{ data: bytes('x'), partitionKey: 'k', explicitHashKey: tooBig }], rule('r')),
      {
        kind: 'rejected',
        reason: `InvalidArgumentException: Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${tooBig}`,
      },
    );
  });

  it('answers a missing stream, and a malformed ARN, with an outcome', async () => {
    const arn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${uniqueName('gone')}`;
    const outcome = await door().put(arn, [{ data: bytes('x'), partitionKey: 'k' }], rule('r'));
    assert.deepEqual(outcome, {
      kind: 'missing',
      reason: `ResourceNotFoundException: Stream ${arn.split('/')[1]} under account ${ACCOUNT} not found.`,
    });
    const bad = await door().put(
      'arn:aws:sqs:us-east-1:000000000000:q',
      [{ data: bytes('x'), partitionKey: 'k' }],
      rule('r'),
    );
    assert.equal(bad.kind, 'missing');
    assert.match(
      bad.kind === 'missing' ? bad.reason : '',
      /^InvalidArgumentException: StreamARN .* is invalid\.$/,
    );
  });

  it('refuses a record over the stream maximum record size with PutRecord text, storing nothing', async () => {
    const arn = await createStream(kinesis);
    await kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: arn, MaxRecordSizeInKiB: 1024 }));
    const outcome = await door().put(
      arn,
      [{ data: new Uint8Array(1024 * 1024 + 1), partitionKey: 'k' }],
      rule('r'),
    );
    assert.deepEqual(outcome, {
      kind: 'rejected',
      reason:
        "ValidationException: 1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    });
    assert.deepEqual(await readAll(kinesis, arn), []);
  });

  it('checks partition keys against the model with AWS texts', async () => {
    const arn = await createStream(kinesis);
    const long = 'k'.repeat(257);
    assert.deepEqual(await door().put(arn, [{ data: bytes('x'), partitionKey: long }], rule('r')), {
      kind: 'rejected',
      reason: `ValidationException: 1 validation error detected: Value '${long}' at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256`,
    });
    const batch = await door().put(
      arn,
      [
        { data: bytes('a'), partitionKey: 'k' },
        { data: bytes('b'), partitionKey: '' },
      ],
      rule('r'),
    );
    assert.equal(batch.kind, 'rejected');
    assert.match(
      batch.kind === 'rejected' ? batch.reason : '',
      /at 'records\.2\.member\.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    );
    assert.deepEqual(await readAll(kinesis, arn), [], 'a refused batch stores none of its records');
  });

  it('keeps out a role the stream policy denies, with a logged reason, storing nothing', async () => {
    const arn = await createStream(kinesis);
    const denied = rule('blocked');
    await kinesis.send(
      new PutResourcePolicyCommand({
        ResourceARN: arn,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: ACCOUNT },
              Action: ['kinesis:PutRecord', 'kinesis:PutRecords'],
              Resource: arn,
              Condition: { ArnEquals: { 'aws:SourceArn': denied.sourceArn } },
            },
          ],
        }),
      }),
    );
    const warnings = log.warnings.length;
    const outcome = await door().put(arn, [{ data: bytes('no'), partitionKey: 'k' }], denied);
    assert.equal(outcome.kind, 'denied');
    const logged = log.warnings.slice(warnings);
    assert.equal(logged.length, 1);
    assert.match(JSON.stringify(logged[0].fields), /events\.amazonaws\.com/);
    assert.equal(
      (logged[0].fields as { reason: string }).reason,
      outcome.kind === 'denied' ? outcome.reason : '',
    );
    // Another rule of the same account is not named by the Deny.
    const other = await door().put(arn, [{ data: bytes('yes'), partitionKey: 'k' }], rule('allowed'));
    assert.equal(other.kind, 'delivered');
    assert.deepEqual(await readAll(kinesis, arn), ['yes']);
  });

  it('refuses an empty batch with PutRecords text, and lets a lenient delivery in with the reason it overrode', async () => {
    const arn = await createStream(kinesis);
    assert.deepEqual(await door().put(arn, [], rule('r')), {
      kind: 'rejected',
      reason:
        "ValidationException: 1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
    const lenient = await door().put(arn, [{ data: bytes('anyway'), partitionKey: 'k' }], {
      ...rule('r', '111122223333'),
      lenient: true,
    });
    assert.equal(lenient.kind, 'delivered');
    assert.match(lenient.kind === 'delivered' ? (lenient.lenientOver ?? '') : '', /no resource policy/);
    assert.deepEqual(await readAll(kinesis, arn), ['anyway']);
  });

  it('lets another account in only where the stream policy allows its role, by aws:SourceAccount', async () => {
    const arn = await createStream(kinesis);
    const foreign = rule('r', '111122223333');
    const first = await door().put(arn, [{ data: bytes('x'), partitionKey: 'k' }], foreign);
    assert.equal(first.kind, 'denied');
    assert.match(first.kind === 'denied' ? first.reason : '', /the stream has no resource policy/);
    await kinesis.send(
      new PutResourcePolicyCommand({
        ResourceARN: arn,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: foreign.roleArn },
              Action: 'kinesis:PutRecord',
              Resource: arn,
              Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
            },
          ],
        }),
      }),
    );
    assert.equal(
      (await door().put(arn, [{ data: bytes('in'), partitionKey: 'k' }], foreign)).kind,
      'delivered',
    );
    const otherAccount = await door().put(
      arn,
      [{ data: bytes('x'), partitionKey: 'k' }],
      rule('r', '444455556666'),
    );
    assert.equal(otherAccount.kind, 'denied');
    assert.deepEqual(await readAll(kinesis, arn), ['in']);
  });
});

describe('Kinesis deliveries under --kinesis-limits', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  const seen: { doors?: FrontDoors } = {};
  before(async () => {
    server = await startServer({ kinesisLimits: true, extraServices: [frontDoorProbe(seen)] });
    kinesis = kinesisClient(server.endpoint);
    server.clock.freeze();
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  it('counts deliveries against the shard quota: the 1,001st record in a second fails on its own', async () => {
    const arn = await createStream(kinesis);
    const records = Array.from({ length: 500 }, (_, i) => ({ data: bytes(`r${i}`), partitionKey: 'k' }));
    for (let i = 0; i < 2; i++) {
      const batch = await seen.doors!.kinesis!.put(arn, records, rule('r'));
      assert.ok(batch.kind === 'delivered' && batch.failedRecordCount === 0);
    }
    const over = await seen.doors!.kinesis!.put(arn, [{ data: bytes('over'), partitionKey: 'k' }], rule('r'));
    assert.deepEqual(over, {
      kind: 'delivered',
      failedRecordCount: 1,
      records: [
        {
          errorCode: 'ProvisionedThroughputExceededException',
          errorMessage: `Rate exceeded for shard shardId-000000000000 in stream ${arn.split('/')[1]} under account ${ACCOUNT}.`,
        },
      ],
      lenientOver: undefined,
    });
    server.clock.advance(1000);
    const later = await seen.doors!.kinesis!.put(
      arn,
      [{ data: bytes('later'), partitionKey: 'k' }],
      rule('r'),
    );
    assert.ok(later.kind === 'delivered' && later.failedRecordCount === 0);
  });
});

describe('the Kinesis front door before Kinesis is loaded', () => {
  it('loads Kinesis on its first delivery rather than at start-up', async () => {
    const clock = new Clock();
    const scheduler = new Scheduler(clock);
    const log = createLogger('silent');
    const queues = new EmbeddedEngine(clock, scheduler, log);
    const seen: { doors?: FrontDoors } = {};
    const modules = buildServices({ clock, scheduler, log, queues, settings: {} }, [
      ...(await import('../../src/services/registry.js')).SERVICES,
      frontDoorProbe(seen),
    ]);
    const kinesisModule = modules.find((m) => m.definition.name === 'kinesis')!;
    assert.equal(typeof kinesisModule.definition.load, 'function');
    const arn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/nothing-yet`;
    const outcome = await seen.doors!.kinesis!.put(arn, [{ data: bytes('x'), partitionKey: 'k' }], rule('r'));
    assert.equal(outcome.kind, 'missing');
    assert.equal(kinesisModule.definition.load, undefined, 'the delivery loaded Kinesis');
    assert.ok(Object.keys(kinesisModule.definition.operations).includes('PutRecord'));
    scheduler.stop();
    await queues.close();
  });
});

describe('Kinesis deliveries while a stream changes status', () => {
  let server: RunningTideway;
  let kinesis: KinesisClient;
  const seen: { doors?: FrontDoors } = {};
  before(async () => {
    server = await startServer({ kinesisStatusDelayMs: 1000, extraServices: [frontDoorProbe(seen)] });
    kinesis = kinesisClient(server.endpoint);
    server.clock.freeze();
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  it('finds no stream while it is CREATING, and refuses one that is DELETING', async () => {
    const StreamName = uniqueName('s');
    const arn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${StreamName}`;
    const record = [{ data: bytes('x'), partitionKey: 'k' }];
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    assert.deepEqual(await seen.doors!.kinesis!.put(arn, record, rule('r')), {
      kind: 'missing',
      reason: `ResourceNotFoundException: Stream ${StreamName} under account ${ACCOUNT} not found.`,
    });
    server.clock.advance(1000);
    assert.equal((await seen.doors!.kinesis!.put(arn, record, rule('r'))).kind, 'delivered');
    await kinesis.send(new DeleteStreamCommand({ StreamName }));
    assert.deepEqual(await seen.doors!.kinesis!.put(arn, record, rule('r')), {
      kind: 'rejected',
      reason: `ResourceInUseException: Stream ${StreamName} under account ${ACCOUNT} not ACTIVE, instead in state DELETING`,
    });
  });
});

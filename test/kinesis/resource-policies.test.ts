// Resource policies on streams and consumers, and what they let another account do.
//
// Sources (AWS docs):
// - Kinesis API Reference, PutResourcePolicy / GetResourcePolicy / DeleteResourcePolicy: the stream and
//   consumer ARN patterns; only the owner's account manages a policy; errors include
//   AccessDeniedException and ResourceNotFoundException (HTTP 400 both, as the API Reference's error
//   lists give them, e.g. UpdateStreamWarmThroughput's).
// - Kinesis guide, controlling-access.html, "Share your data stream with another account": the actions
//   that can be shared (DescribeStreamSummary, GetRecords, GetShardIterator, ListShards, PutRecord,
//   PutRecords on a stream; DescribeStreamConsumer, SubscribeToShard on a consumer), "To perform a
//   cross-account action, you must specify the stream ARN", and "Policy limits": no wildcards, no
//   service, federated or canonical-user principals, at most 20 KB.
// - Kinesis guide, resource-based-policy-examples.html: a Lambda reader's policy must include
//   kinesis:DescribeStream.
// - IAM's denial text, as Kinesis returns it ("User: ... is not authorized to perform:
//   kinesis:DescribeStreamSummary on resource: arn:aws:kinesis:...:stream/... because no identity-based
//   policy allows the kinesis:DescribeStreamSummary action", quoted in
//   awslabs/amazon-kinesis-connector-flink#65); for another account, "no resource-based policy".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeleteResourcePolicyCommand,
  DeleteStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetResourcePolicyCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  PutResourcePolicyCommand,
  RegisterStreamConsumerCommand,
} from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../support/kinesis.js';
import { errorOf, type RunningTideway, startServer, uniqueName } from '../support/tideway.js';

const OWNER = '000000000000';
const OTHER = '111122223333';
const text = (s: string) => new TextEncoder().encode(s);

function policy(statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function allow(resource: string, actions: string[], principal: object = { AWS: OTHER }): object {
  return {
    Effect: 'Allow',
    Principal: principal,
    Action: actions.map((a) => `kinesis:${a}`),
    Resource: resource,
  };
}

function assertDenied(
  err: any,
  action: string,
  resource: string,
  why = 'because no resource-based policy allows',
) {
  assert.equal(err.name, 'AccessDeniedException', err.message);
  assert.equal(err.$metadata?.httpStatusCode, 400);
  assert.equal(
    err.message,
    why === 'explicit'
      ? `User: arn:aws:iam::${OWNER}:root is not authorized to perform: kinesis:${action} on resource: ${resource} with an explicit deny in a resource-based policy`
      : `User: arn:aws:iam::${OTHER}:root is not authorized to perform: kinesis:${action} on resource: ${resource} ${why} the kinesis:${action} action`,
  );
}

describe('Kinesis resource policies', () => {
  let server: RunningTideway;
  let owner: KinesisClient;
  let other: KinesisClient;
  before(async () => {
    server = await startServer();
    owner = kinesisClient(server.endpoint);
    other = kinesisClient(server.endpoint, OTHER);
  });
  after(async () => {
    owner.destroy();
    other.destroy();
    await server.stop();
  });

  async function stream(): Promise<{ name: string; arn: string }> {
    const name = uniqueName('k');
    await owner.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    return { name, arn: `arn:aws:kinesis:us-east-1:${OWNER}:stream/${name}` };
  }

  async function put(arn: string, document: string): Promise<void> {
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: document }));
  }

  it('puts, gets and deletes a stream policy', async () => {
    const { arn } = await stream();
    // Without a policy the answer is an empty document.
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}');
    const document = policy([allow(arn, ['DescribeStreamSummary', 'ListShards', 'PutRecord', 'PutRecords'])]);
    await put(arn, document);
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, document);
    // PutResourcePolicy replaces the whole policy.
    const narrower = policy([allow(arn, ['PutRecord'])]);
    await put(arn, narrower);
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, narrower);
    await owner.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }));
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}');
  });

  it('refuses policies beyond the documented limits', async () => {
    const { arn } = await stream();
    const refused = async (document: string, pattern: RegExp) => {
      const err = await errorOf(() => put(arn, document));
      assert.equal(err.name, 'InvalidArgumentException', err.message);
      assert.match(err.message, pattern);
    };
    await refused('{"Statement": [', /not valid JSON/);
    await refused(policy([allow(arn, ['PutRecord'], '*' as unknown as object)]), /wildcard/);
    await refused(policy([allow(arn, ['PutRecord'], { AWS: '*' })]), /principal \* is not supported/);
    await refused(
      policy([allow(arn, ['PutRecord'], { Service: 'lambda.amazonaws.com' })]),
      /Service principals/,
    );
    await refused(policy([allow(arn, ['*'])]), /kinesis:\* cannot be shared/);
    await refused(policy([allow(arn, ['Get*'])]), /kinesis:Get\* cannot be shared/);
    await refused(policy([allow(arn, ['DeleteStream'])]), /kinesis:DeleteStream cannot be shared/);
    await refused(policy([allow(arn, ['SubscribeToShard'])]), /cannot be shared on a data stream/);
    await refused(policy([allow(`${arn}-other`, ['PutRecord'])]), /is not arn:aws:kinesis/);
    await refused(
      policy([{ Effect: 'Allow', NotPrincipal: { AWS: OTHER }, Action: 'kinesis:PutRecord', Resource: arn }]),
      /NotPrincipal/,
    );
    const big = policy([{ ...allow(arn, ['PutRecord']), Sid: 'x'.repeat(21 * 1024) }]);
    await refused(big, /larger than 20480 bytes/);
    // A Lambda reader's policy (with DescribeStream) and a role principal are fine.
    await put(
      arn,
      policy([
        allow(
          arn,
          ['DescribeStream', 'DescribeStreamSummary', 'GetRecords', 'GetShardIterator', 'ListShards'],
          {
            AWS: [`arn:aws:iam::${OTHER}:role/reader`, OTHER],
          },
        ),
      ]),
    );
  });

  it('answers AWS errors for a bad or missing resource', async () => {
    const bad = await errorOf(() => put('arn:aws:sqs:us-east-1:000000000000:q', policy([])));
    assert.equal(bad.name, 'ValidationException');
    assert.equal(
      bad.message,
      "1 validation error detected: Value 'arn:aws:sqs:us-east-1:000000000000:q' at 'resourceARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+",
    );
    const missing = `arn:aws:kinesis:us-east-1:${OWNER}:stream/${uniqueName('none')}`;
    const gone = await errorOf(() => owner.send(new GetResourcePolicyCommand({ ResourceARN: missing })));
    assert.equal(gone.name, 'ResourceNotFoundException');
  });

  it('keeps another account out of a stream without a policy', async () => {
    const { name, arn } = await stream();
    const err = await errorOf(() =>
      other.send(new PutRecordCommand({ StreamARN: arn, Data: text('x'), PartitionKey: 'k' })),
    );
    assertDenied(err, 'PutRecord', arn);
    // By name a stream is always the caller's own account's.
    const byName = await errorOf(() => other.send(new DescribeStreamSummaryCommand({ StreamName: name })));
    assert.equal(byName.name, 'ResourceNotFoundException');
    assert.equal(byName.message, `Stream ${name} under account ${OTHER} not found.`);
    // Only the owner manages the policy.
    const getPolicy = await errorOf(() => other.send(new GetResourcePolicyCommand({ ResourceARN: arn })));
    assertDenied(getPolicy, 'GetResourcePolicy', arn);
    const putPolicy = await errorOf(() =>
      other.send(
        new PutResourcePolicyCommand({ ResourceARN: arn, Policy: policy([allow(arn, ['PutRecord'])]) }),
      ),
    );
    assertDenied(putPolicy, 'PutResourcePolicy', arn);
  });

  it('lets another account write where the policy allows it, and nothing more', async () => {
    const { arn } = await stream();
    await put(arn, policy([allow(arn, ['DescribeStreamSummary', 'ListShards', 'PutRecord', 'PutRecords'])]));
    const summary = await other.send(new DescribeStreamSummaryCommand({ StreamARN: arn }));
    assert.equal(summary.StreamDescriptionSummary?.StreamARN, arn);
    const { Shards } = await other.send(new ListShardsCommand({ StreamARN: arn }));
    assert.equal(Shards?.length, 1);
    const written = await other.send(
      new PutRecordCommand({ StreamARN: arn, Data: text('a'), PartitionKey: 'k' }),
    );
    assert.ok(written.SequenceNumber);
    const batch = await other.send(
      new PutRecordsCommand({ StreamARN: arn, Records: [{ Data: text('b'), PartitionKey: 'k' }] }),
    );
    assert.equal(batch.FailedRecordCount, 0);
    // Reading was not shared; nor can anything outside the shareable actions ever be.
    const read = await errorOf(() =>
      other.send(
        new GetShardIteratorCommand({
          StreamARN: arn,
          ShardId: Shards![0].ShardId!,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      ),
    );
    assertDenied(read, 'GetShardIterator', arn);
    const remove = await errorOf(() => other.send(new DeleteStreamCommand({ StreamARN: arn })));
    assertDenied(remove, 'DeleteStream', arn);
    // The owner reads what the other account wrote.
    const { ShardIterator } = await owner.send(
      new GetShardIteratorCommand({
        StreamARN: arn,
        ShardId: Shards![0].ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await owner.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(
      Records?.map((r) => new TextDecoder().decode(r.Data)),
      ['a', 'b'],
    );
  });

  it('lets another account read where the policy allows it', async () => {
    const { arn } = await stream();
    await owner.send(new PutRecordCommand({ StreamARN: arn, Data: text('r'), PartitionKey: 'k' }));
    await put(
      arn,
      policy([allow(arn, ['DescribeStreamSummary', 'ListShards', 'GetShardIterator', 'GetRecords'])]),
    );
    const { Shards } = await other.send(new ListShardsCommand({ StreamARN: arn }));
    const { ShardIterator } = await other.send(
      new GetShardIteratorCommand({
        StreamARN: arn,
        ShardId: Shards![0].ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await other.send(new GetRecordsCommand({ ShardIterator, StreamARN: arn }));
    assert.equal(new TextDecoder().decode(Records?.[0]?.Data), 'r');
    // Taking the policy away closes the door again.
    await owner.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }));
    const after = await errorOf(() => other.send(new GetRecordsCommand({ ShardIterator })));
    assertDenied(after, 'GetRecords', arn);
  });

  it('applies an explicit Deny even to the owner', async () => {
    const { arn } = await stream();
    await put(
      arn,
      policy([
        allow(arn, ['PutRecord']),
        { Effect: 'Deny', Principal: { AWS: OWNER }, Action: 'kinesis:PutRecord', Resource: arn },
      ]),
    );
    const err = await errorOf(() =>
      owner.send(new PutRecordCommand({ StreamARN: arn, Data: text('x'), PartitionKey: 'k' })),
    );
    assertDenied(err, 'PutRecord', arn, 'explicit');
    // Operations the policy does not speak of are untouched.
    await owner.send(new DescribeStreamSummaryCommand({ StreamARN: arn }));
  });

  it('shares a registered consumer through its own policy', async () => {
    const { arn } = await stream();
    const { Consumer } = await owner.send(
      new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: uniqueName('c') }),
    );
    const consumerArn = Consumer!.ConsumerARN!;
    const denied = await errorOf(() =>
      other.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn })),
    );
    assertDenied(denied, 'DescribeStreamConsumer', consumerArn);
    // A consumer policy grants consumer actions only, on the consumer itself.
    const wrong = await errorOf(() => put(consumerArn, policy([allow(consumerArn, ['PutRecord'])])));
    assert.equal(wrong.name, 'InvalidArgumentException');
    const document = policy([allow(consumerArn, ['DescribeStreamConsumer', 'SubscribeToShard'])]);
    await put(consumerArn, document);
    assert.equal(
      (await owner.send(new GetResourcePolicyCommand({ ResourceARN: consumerArn }))).Policy,
      document,
    );
    const seen = await other.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }));
    assert.equal(seen.ConsumerDescription?.ConsumerARN, consumerArn);
    // The consumer's policy says nothing about the stream.
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}');
    const summary = await errorOf(() => other.send(new DescribeStreamSummaryCommand({ StreamARN: arn })));
    assertDenied(summary, 'DescribeStreamSummary', arn);
    // A consumer ARN that names no registered consumer is not found.
    const unknown = `${arn}/consumer/nobody:1700000000`;
    const missing = await errorOf(() => put(unknown, policy([allow(unknown, ['SubscribeToShard'])])));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });
});

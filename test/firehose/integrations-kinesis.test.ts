import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  KinesisClient,
  PutRecordCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { credentials, uniqueName } from '../support/tideway.js';
import {
  ACCOUNT,
  bucket,
  flushed,
  REGION,
  ROLE,
  streamToBucket,
  withFirehoseServer,
} from './integrations-support.js';

describe('KinesisStreamAsSource', () => {
  const suite = withFirehoseServer();
  let kinesis: KinesisClient;
  before(() => {
    kinesis = new KinesisClient({
      endpoint: suite.server.endpoint,
      region: REGION,
      credentials,
      maxAttempts: 1,
    });
  });
  after(() => kinesis.destroy());

  async function sourceStream(shards: number): Promise<string> {
    const name = uniqueName('src');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    for (let i = 0; i < 50; i++) {
      const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }));
      if (StreamDescription?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
  }

  const put = (streamArn: string, text: string, key: string) =>
    kinesis.send(
      new PutRecordCommand({ StreamARN: streamArn, Data: Buffer.from(`${text}\n`), PartitionKey: key }),
    );

  const fromKinesis = (streamArn: string) => ({
    source: {
      DeliveryStreamType: 'KinesisStreamAsSource' as const,
      KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn, RoleARN: ROLE },
    },
  });

  it('reads every shard from the tip at creation: records put before are not delivered', async () => {
    const source = await sourceStream(2);
    await put(source, 'before', 'k0');
    const b = await bucket(suite.s3);
    await streamToBucket(suite, b.arn, fromKinesis(source));
    // Partition keys spread over both shards.
    const sent = Array.from({ length: 8 }, (_, i) => `after-${i}`);
    for (const [i, text] of sent.entries()) await put(source, text, `key-${i}`);
    const found = await flushed(suite, b.name);
    const lines = found
      .flatMap((o) => o.body.toString('utf8').split('\n'))
      .filter((l) => l !== '')
      .sort();
    assert.deepEqual(lines, [...sent].sort());
  });

  it("follows a split: a child shard's records come after its parent's", async () => {
    const source = await sourceStream(1);
    const b = await bucket(suite.s3);
    await streamToBucket(suite, b.arn, fromKinesis(source));
    await put(source, 'parent', 'same-key');
    await kinesis.send(
      new SplitShardCommand({
        StreamARN: source,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    for (let i = 0; i < 50; i++) {
      const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamARN: source }));
      if (StreamDescription?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await put(source, 'child', 'same-key');
    const [object] = await flushed(suite, b.name);
    assert.equal(object.body.toString('utf8'), 'parent\nchild\n');
  });
});

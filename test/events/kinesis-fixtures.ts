import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { uniqueName } from '../support/tideway.js';

/** A one-shard stream, ACTIVE; returns its name and ARN. */
export async function oneShardStream(kinesis: KinesisClient): Promise<{ name: string; arn: string }> {
  const name = uniqueName('ebs');
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  const { StreamDescriptionSummary } = await kinesis.send(
    new DescribeStreamSummaryCommand({ StreamName: name }),
  );
  return { name, arn: StreamDescriptionSummary!.StreamARN! };
}

/** Every record of the stream's first shard so far: partition key and data as text. */
export async function streamRecords(
  kinesis: KinesisClient,
  name: string,
): Promise<{ partitionKey: string; data: string }[]> {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({
      StreamName: name,
      ShardId: Shards![0].ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  return Records.map((r) => ({ partitionKey: r.PartitionKey!, data: Buffer.from(r.Data!).toString('utf8') }));
}

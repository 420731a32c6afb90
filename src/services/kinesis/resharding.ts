import type * as K from '@aws-sdk/client-kinesis';
import type { RequestContext } from '../../protocols/service.js';
import type { ShardInfo, StreamRecord, StreamStorage } from '../../storage/types.js';
import { kinesisError } from './errors.js';
import { mergeRanges, splitRange, uniformScaling, uniformScalingAllowed } from './rules/hash-ranges.js';
import { type KinesisService, SHARD_LIMIT } from './service.js';

/** Kinesis Data Streams' resharding: SplitShard, MergeShards and UpdateShardCount. */
export class Resharding {
  private readonly streams: StreamStorage;

  constructor(private readonly kinesis: KinesisService) {
    this.streams = kinesis.streams;
  }

  private openShard(stream: StreamRecord, id: string | undefined): ShardInfo {
    const shard = this.streams.shards(stream.arn).find((s) => s.id === id);
    if (!shard) {
      throw kinesisError.notFoundText(
        `Shard ${id} in stream ${stream.name} under account ${stream.account} does not exist`,
      );
    }
    if (shard.endingSequenceNumber) {
      throw kinesisError.invalidArgument(
        `Shard ${id} in stream ${stream.name} under account ${stream.account} has already been merged or split, and thus is not eligible for merging or splitting.`,
      );
    }
    return shard;
  }

  private checkProvisioned(stream: StreamRecord, operation: string): void {
    if (stream.mode === 'ON_DEMAND') {
      throw kinesisError.validation(`${operation} is not supported for streams in ON_DEMAND mode.`);
    }
  }

  async splitShard(input: K.SplitShardInput, ctx: RequestContext): Promise<void> {
    const stream = await this.kinesis.current(input, ctx, 'change');
    this.checkProvisioned(stream, 'SplitShard');
    const shard = this.openShard(stream, input.ShardToSplit);
    const start = BigInt(shard.startingHashKey);
    const end = BigInt(shard.endingHashKey);
    const at = /^\d{1,39}$/.test(input.NewStartingHashKey ?? '') ? BigInt(input.NewStartingHashKey!) : -1n;
    const children = splitRange({ id: shard.id, start, end }, at);
    if (!children) {
      throw kinesisError.invalidArgument(
        `NewStartingHashKey ${input.NewStartingHashKey} used in SplitShard() on shard ${shard.id} in stream ${stream.name} under account ${stream.account} is not both greater than one plus the shard's StartingHashKey ${start} and less than the shard's EndingHashKey ${end}.`,
      );
    }
    await this.kinesis.updating(stream, () => this.streams.reshard(stream.arn, [shard.id], children));
  }

  async mergeShards(input: K.MergeShardsInput, ctx: RequestContext): Promise<void> {
    const stream = await this.kinesis.current(input, ctx, 'change');
    this.checkProvisioned(stream, 'MergeShards');
    const a = this.openShard(stream, input.ShardToMerge);
    const b = this.openShard(stream, input.AdjacentShardToMerge);
    const merged = mergeRanges(rangeOf(a), rangeOf(b));
    if (!merged) {
      throw kinesisError.invalidArgument(
        `Shards ${a.id} and ${b.id} in stream ${stream.name} under account ${stream.account} are not an adjacent pair of shards eligible for merging`,
      );
    }
    await this.kinesis.updating(stream, () => this.streams.reshard(stream.arn, [a.id, b.id], [merged]));
  }

  /**
   * UNIFORM_SCALING: the open shards are replaced by `target` shards over equal ranges, each
   * naming the old shards its range overlaps as parent and adjacent parent.
   */
  async updateShardCount(
    input: K.UpdateShardCountInput,
    ctx: RequestContext,
  ): Promise<K.UpdateShardCountOutput> {
    const stream = await this.kinesis.current(input, ctx, 'change');
    this.checkProvisioned(stream, 'UpdateShardCount');
    const open = this.streams.shards(stream.arn).filter((s) => !s.endingSequenceNumber);
    const current = open.length;
    const target = input.TargetShardCount ?? 0;
    if (!uniformScalingAllowed(current, target)) {
      throw kinesisError.invalidArgument(
        `UpdateShardCount can scale a stream only between half and double its current open shard count (${current}); ${target} was asked for stream ${stream.name} under account ${stream.account}.`,
      );
    }
    if (target > SHARD_LIMIT)
      throw kinesisError.limitExceeded(
        `The target shard count exceeds the account's shard limit (${SHARD_LIMIT}).`,
      );
    const children = uniformScaling(open.map(rangeOf), target);
    await this.kinesis.updating(stream, () =>
      this.streams.reshard(
        stream.arn,
        open.map((s) => s.id),
        children,
      ),
    );
    return {
      StreamName: stream.name,
      StreamARN: stream.arn,
      CurrentShardCount: current,
      TargetShardCount: target,
    };
  }
}

function rangeOf(shard: ShardInfo): { id: string; start: bigint; end: bigint } {
  return { id: shard.id, start: BigInt(shard.startingHashKey), end: BigInt(shard.endingHashKey) };
}

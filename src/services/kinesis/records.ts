import { hash, randomUUID } from 'node:crypto';
import type * as K from '@aws-sdk/client-kinesis';
import type { Clock } from '../../core/clock.js';
import { type HashKey, hashKeyOf } from '../../core/hash-keys.js';
import type { RequestContext } from '../../protocols/service.js';
import { validationMessage } from '../../protocols/validate.js';
import type { NewStreamRecord, StreamRecord, StreamStorage } from '../../storage/types.js';
import { kinesisError } from './errors.js';
import { IteratorCodec } from './iterators.js';
import { MAX_HASH_KEY } from './rules/hash-ranges.js';
import type { KinesisService } from './service.js';
import { readBatch, startAfter } from './shard-reader.js';
import { distributesRecords } from './stream-settings.js';
import type { ShardThroughput } from './throughput.js';

// An iterator is good for five minutes (Kinesis API Reference, GetShardIterator).
const ITERATOR_LIFETIME_MS = 300_000;
const MAX_GET_RECORDS = 10_000;
const MAX_GET_BYTES = 10 * 1024 * 1024;
const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;

function encryptionType(stream: StreamRecord): 'KMS' | 'NONE' {
  return stream.encryption ? 'KMS' : 'NONE';
}

/** An AUTO stream takes records without a partition key (PutRecord) and gives them one. */
function keyFor(partitionKey: string | undefined): string {
  return partitionKey || randomUUID();
}

/** What a record weighs against the size and throughput limits: its data and partition key. */
function recordBytes(data: Uint8Array, partitionKey: string): number {
  return data.length + Buffer.byteLength(partitionKey);
}

/** Kinesis Data Streams' records: written by PutRecord(s), read through stateless iterators. */
export class StreamRecords {
  private readonly streams: StreamStorage;
  private readonly clock: Clock;
  /** Signed with the storage's key, so iterators outlive a restart with --data-dir as AWS's do. */
  private readonly iterators: IteratorCodec;
  /** Where each AUTO stream's next record goes, counting over its open shards. */
  private readonly turns = new Map<string, number>();

  constructor(private readonly kinesis: KinesisService) {
    this.streams = kinesis.streams;
    this.clock = kinesis.clock;
    this.iterators = new IteratorCodec(kinesis.streams.iteratorKey);
  }

  /** An encrypted stream's key must let the write in (deliveries from other services meet it too). */
  checkKey(stream: StreamRecord): void {
    this.kinesis.encryption.checkWrite(stream);
  }

  /** Forgets the AUTO streams' turns (admin reset). */
  reset(): void {
    this.turns.clear();
  }

  private hashKey(partitionKey: string, explicit: string | undefined): HashKey {
    if (explicit !== undefined) {
      if (!/^\d{1,39}$/.test(explicit) || BigInt(explicit) > MAX_HASH_KEY) {
        throw kinesisError.invalidArgument(
          `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicit}`,
        );
      }
      return hashKeyOf(BigInt(explicit));
    }
    // Partition keys are hashed with MD5 into the 128-bit key space (Kinesis guide, "Terminology").
    // One-shot hashing: a Hash object per record holds native memory until a full collection.
    return hash('md5', partitionKey, 'hex');
  }

  private checkRecord(
    stream: StreamRecord,
    data: Uint8Array | undefined,
    partitionKey: string | undefined,
    keyPath: string,
  ): void {
    // The model lets the key out (AUTO streams place records themselves) and checked its length.
    if (partitionKey === undefined) {
      throw kinesisError.validation(
        validationMessage([{ path: keyPath, value: 'null', constraint: 'Member must not be null' }]),
      );
    }
    const limit = stream.maxRecordSizeKiB * 1024;
    if ((data?.length ?? 0) > limit) {
      throw kinesisError.validation(
        `1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to ${limit}`,
      );
    }
  }

  async putRecord(input: K.PutRecordInput, ctx: RequestContext): Promise<K.PutRecordOutput> {
    const stream = await this.kinesis.currentNow(input, ctx, 'records');
    const auto = distributesRecords(stream);
    const partitionKey = auto ? keyFor(input.PartitionKey) : input.PartitionKey;
    this.checkRecord(stream, input.Data, partitionKey, 'partitionKey');
    this.kinesis.encryption.checkWrite(stream);
    if (input.DryRun) throw kinesisError.dryRun();
    const record: NewStreamRecord = {
      data: input.Data ?? new Uint8Array(),
      partitionKey: partitionKey!,
      hashKey: auto ? '' : this.hashKey(partitionKey!, input.ExplicitHashKey),
    };
    if (auto) this.place(stream, [record]);
    if (this.kinesis.throughput) {
      const shardId = this.streams.openShardFor(stream.arn, record.hashKey);
      const bytes = recordBytes(record.data, record.partitionKey);
      if (!this.kinesis.throughput.write(stream.arn, shardId, bytes, this.clock.now())) {
        throw kinesisError.throughputExceeded(this.writeRateText(stream, shardId));
      }
    }
    const [put] = await this.streams.append(stream.arn, [record]);
    return {
      ShardId: put.shardId,
      SequenceNumber: put.sequenceNumber,
      EncryptionType: encryptionType(stream),
    };
  }

  async putRecords(input: K.PutRecordsInput, ctx: RequestContext): Promise<K.PutRecordsOutput> {
    const stream = await this.kinesis.currentNow(input, ctx, 'records');
    const records = this.prepare(stream, input.Records!);
    this.kinesis.encryption.checkWrite(stream);
    if (input.DryRun) throw kinesisError.dryRun();
    return this.appendAll(stream, records);
  }

  /**
   * PutRecords' checks of its entries, in its order: each record against the stream's size limit,
   * the batch against 5 MB, then each ExplicitHashKey. Throws AWS's error; builds the records.
   */
  prepare(stream: StreamRecord, entries: readonly K.PutRecordsRequestEntry[]): NewStreamRecord[] {
    const auto = distributesRecords(stream);
    const keys = entries.map((e) => (auto ? keyFor(e.PartitionKey) : e.PartitionKey));
    let total = 0;
    entries.forEach((e, i) => {
      this.checkRecord(stream, e.Data, keys[i], `records.${i + 1}.member.partitionKey`);
      total += (e.Data?.length ?? 0) + Buffer.byteLength(keys[i] ?? '');
    });
    if (total > MAX_PUT_RECORDS_BYTES) {
      throw kinesisError.invalidArgument(`Records size exceeds 5 MB limit: ${total} bytes.`);
    }
    return entries.map((e, i) => ({
      data: e.Data ?? new Uint8Array(),
      partitionKey: keys[i]!,
      hashKey: auto ? '' : this.hashKey(keys[i]!, e.ExplicitHashKey),
    }));
  }

  /** Appends checked records as PutRecords does: placed on AUTO streams, each within its shard's quota. */
  async appendAll(stream: StreamRecord, records: NewStreamRecord[]): Promise<K.PutRecordsOutput> {
    if (distributesRecords(stream)) this.place(stream, records);
    if (this.kinesis.throughput) return this.putWithinLimits(stream, records, this.kinesis.throughput);
    const puts = await this.streams.append(stream.arn, records);
    return {
      FailedRecordCount: 0,
      Records: puts.map((p) => ({ ShardId: p.shardId, SequenceNumber: p.sequenceNumber })),
      EncryptionType: encryptionType(stream),
    };
  }

  /** Checks one record as PutRecord does (the stream's size limit, then its ExplicitHashKey). */
  prepareOne(stream: StreamRecord, entry: K.PutRecordsRequestEntry): NewStreamRecord {
    const auto = distributesRecords(stream);
    const partitionKey = auto ? keyFor(entry.PartitionKey) : entry.PartitionKey;
    this.checkRecord(stream, entry.Data, partitionKey, 'partitionKey');
    return {
      data: entry.Data ?? new Uint8Array(),
      partitionKey: partitionKey!,
      hashKey: auto ? '' : this.hashKey(partitionKey!, entry.ExplicitHashKey),
    };
  }

  /**
   * PutRecords under the throughput limits: a record over its shard's quota fails on its own with
   * ProvisionedThroughputExceededException, and the rest go in, in order (PutRecordsResultEntry).
   */
  private async putWithinLimits(
    stream: StreamRecord,
    records: NewStreamRecord[],
    throughput: ShardThroughput,
  ): Promise<K.PutRecordsOutput> {
    const now = this.clock.now();
    const results: K.PutRecordsResultEntry[] = new Array(records.length);
    const admitted: NewStreamRecord[] = [];
    const slots: number[] = [];
    records.forEach((r, i) => {
      const shardId = this.streams.openShardFor(stream.arn, r.hashKey);
      if (throughput.write(stream.arn, shardId, recordBytes(r.data, r.partitionKey), now)) {
        admitted.push(r);
        slots.push(i);
      } else {
        results[i] = {
          ErrorCode: 'ProvisionedThroughputExceededException',
          ErrorMessage: this.writeRateText(stream, shardId),
        };
      }
    });
    const puts = admitted.length > 0 ? await this.streams.append(stream.arn, admitted) : [];
    puts.forEach((p, k) => {
      results[slots[k]] = { ShardId: p.shardId, SequenceNumber: p.sequenceNumber };
    });
    return {
      FailedRecordCount: records.length - admitted.length,
      Records: results,
      EncryptionType: encryptionType(stream),
    };
  }

  /**
   * Records of an AUTO stream go to its open shards in turn, whatever their partition keys and
   * ExplicitHashKeys (API Reference, UpdateStreamRecordDistributionStrategy: AUTO "distributes
   * records evenly across shards"). Sets each record's hash key to its shard's lowest, once the put
   * is sure to go ahead.
   */
  private place(stream: StreamRecord, records: NewStreamRecord[]): void {
    const starts = this.streams.openShardStarts(stream.arn);
    const turn = this.turns.get(stream.arn) ?? 0;
    this.turns.set(stream.arn, turn + records.length);
    records.forEach((r, i) => {
      r.hashKey = starts[(turn + i) % starts.length];
    });
  }

  // The texts AWS answers (PutRecordsResultEntry: the message names account, stream and shard).
  private writeRateText(stream: StreamRecord, shardId: string): string {
    return `Rate exceeded for shard ${shardId} in stream ${stream.name} under account ${stream.account}.`;
  }

  async getShardIterator(
    input: K.GetShardIteratorInput,
    ctx: RequestContext,
  ): Promise<K.GetShardIteratorOutput> {
    const stream = await this.kinesis.currentNow(input, ctx);
    const shardId = input.ShardId!;
    // While the stream is being created its shards do not exist yet, and AWS says so.
    if (
      !this.kinesis.statuses.hasShards(stream.arn) ||
      !this.streams.shards(stream.arn).some((s) => s.id === shardId)
    ) {
      throw kinesisError.notFoundText(
        `Shard ${shardId} in stream ${stream.name} under account ${stream.account} does not exist`,
      );
    }
    const after = startAfter(
      this.streams,
      stream,
      shardId,
      {
        type: input.ShardIteratorType,
        sequenceNumber: input.StartingSequenceNumber,
        timestamp: input.Timestamp,
      },
      'shardIteratorType',
    );
    if (input.DryRun) throw kinesisError.dryRun();
    return {
      ShardIterator: this.iterators.encode({
        streamArn: stream.arn,
        streamCreatedAt: stream.createdAt,
        shardId,
        after,
        issuedAt: this.clock.now(),
      }),
    };
  }

  async getRecords(input: K.GetRecordsInput, ctx: RequestContext): Promise<K.GetRecordsOutput> {
    if (!this.kinesis.statuses.idle) await this.kinesis.statuses.settle();
    const position = this.iterators.decode(input.ShardIterator ?? '');
    if (!position) throw kinesisError.invalidArgument('Invalid ShardIterator.');
    const now = this.clock.now();
    if (now - position.issuedAt > ITERATOR_LIFETIME_MS) {
      throw kinesisError.expiredIterator(
        `Iterator expired. The iterator was created at time ${new Date(position.issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
      );
    }
    const stream = this.kinesis.stream({ StreamARN: position.streamArn }, ctx);
    // An iterator of a stream since deleted and created again under its name is not this stream's.
    if (stream.createdAt !== position.streamCreatedAt) {
      throw kinesisError.invalidArgument('Invalid ShardIterator.');
    }
    this.kinesis.statuses.require(stream, 'records');
    const limit = input.Limit ?? MAX_GET_RECORDS;
    this.kinesis.encryption.checkRead(stream);
    if (input.DryRun) throw kinesisError.dryRun();
    if (this.kinesis.throughput && !this.kinesis.throughput.read(stream.arn, position.shardId, now)) {
      throw kinesisError.throughputExceeded(
        `Rate exceeded for Shard - ${stream.account}/${stream.name}/${position.shardId}`,
      );
    }
    const batch = readBatch(
      this.streams,
      stream,
      position.shardId,
      position.after,
      limit,
      MAX_GET_BYTES,
      now,
    );
    if (this.kinesis.throughput) {
      const bytes = batch.records.reduce((n, r) => n + recordBytes(r.Data!, r.PartitionKey!), 0);
      this.kinesis.throughput.charge(stream.arn, position.shardId, bytes, now);
    }
    this.kinesis.hints?.kinesisLag(stream.arn, stream.arn, position.shardId, batch.millisBehindLatest);
    // A closed shard read to its end names its children and hands out no further iterator.
    if (batch.childShards) {
      return { Records: batch.records, MillisBehindLatest: 0, ChildShards: batch.childShards };
    }
    return {
      Records: batch.records,
      NextShardIterator: this.iterators.encode({ ...position, after: batch.last, issuedAt: now }),
      MillisBehindLatest: batch.millisBehindLatest,
    };
  }
}

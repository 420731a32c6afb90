import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { type HashKey, hashKeyOf } from '../../core/hash-keys.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler, Timer } from '../../core/scheduler.js';
import { evenRange } from '../../services/kinesis/rules/hash-ranges.js';
import {
  endingSequenceNumber,
  sequenceNumber,
  startingSequenceNumber,
} from '../../services/kinesis/rules/sequence-numbers.js';
import { shardId } from '../../services/kinesis/rules/shard-ids.js';
import type {
  NewStreamRecord,
  ShardInfo,
  StoredStreamRecord,
  StreamPassage,
  StreamRecord,
  StreamStorage,
} from '../types.js';
import { Watchers } from '../watchers.js';
import type { Journal } from './journal.js';
import { ShardLog } from './shard-log.js';

const HOUR_MS = 3_600_000;
// Records past retention are already skipped by reads; dropping them from memory and disk waits
// up to this long so that a busy stream is swept once a minute, not once per record.
const TRIM_SLACK_MS = 60_000;

interface ShardState {
  info: ShardInfo;
  start: HashKey;
  end: HashKey;
  records: ShardLog;
}

interface StreamState {
  /** Incarnation number in the journal: a stream deleted and created again under one ARN is another. */
  id: number;
  record: StreamRecord;
  shards: ShardState[];
  /** Shared by the stream's shards, so sequence numbers only ever rise. */
  counter: number;
  /**
   * The counter up to which records are in the journal. Readers see no further: a record a
   * consumer has seen must not come back under another sequence number after a kill -9.
   */
  durable: number;
  trim?: Timer;
}

/** What the journal keeps of a stream besides its records. */
interface SavedStream {
  record: StreamRecord;
  shards: ShardInfo[];
  counter: number;
}

/**
 * Kinesis streams in memory. Records are kept per shard in arrival order, so a read is a binary
 * search for its starting point and a slice. With a journal, every change is written through
 * before it is acknowledged, and the journal is read back at start.
 */
export class EmbeddedStreams implements StreamStorage {
  /** By stream ARN, which names account, region and stream: every record call looks one up. */
  private readonly streams = new Map<string, StreamState>();
  private nextId = 1;
  private readonly watchers = new Watchers();
  /** Statuses in passing, by stream ARN: in memory only, as a restart ends every passage. */
  private readonly passing = new Map<string, StreamPassage>();
  readonly iteratorKey: Uint8Array;

  constructor(
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
    private readonly journal?: Journal,
  ) {
    this.iteratorKey = journal ? this.savedKey(journal) : randomBytes(32);
    if (journal) this.restore(journal);
  }

  /** The key iterators are signed with, kept in the journal so iterators outlive a restart as AWS's do. */
  private savedKey(journal: Journal): Uint8Array {
    const saved = journal
      .resources<{ name: string; key: string }>('kinesis')
      .find((r) => r.name === 'iteratorKey');
    if (saved) return Buffer.from(saved.key, 'base64');
    const key = randomBytes(32);
    journal.putResource('kinesis', 'iteratorKey', { name: 'iteratorKey', key: key.toString('base64') });
    // Written before any iterator can be handed out: GetShardIterator itself writes nothing.
    journal.flush();
    return key;
  }

  private restore(journal: Journal): void {
    const byId = new Map<number, StreamState>();
    for (const row of journal.savedStreams()) {
      const saved = JSON.parse(row.data) as SavedStream;
      const state: StreamState = {
        id: row.id,
        record: saved.record,
        shards: saved.shards.map((info, index) => ({
          info,
          start: hashKeyOf(BigInt(info.startingHashKey)),
          end: hashKeyOf(BigInt(info.endingHashKey)),
          records: new ShardLog(index),
        })),
        counter: saved.counter,
        durable: 0,
      };
      byId.set(row.id, state);
      this.streams.set(state.record.arn, state);
      this.nextId = row.id + 1;
    }
    for (const chunk of journal.savedStreamRecords()) {
      const state = byId.get(chunk.stream);
      if (!state) continue;
      for (const e of chunk.entries) {
        state.shards[e.shard]?.records.append(e.counter, e.arrivedAt, e.partitionKey, e.data);
        // The saved counter is as of the stream's last change; records appended since carry on from it.
        if (e.counter > state.counter) state.counter = e.counter;
      }
    }
    for (const state of this.streams.values()) {
      state.durable = state.counter;
      this.sweep(state);
    }
    journal.flush();
  }

  private state(arn: string): StreamState {
    const s = this.streams.get(arn);
    if (!s) throw new Error(`stream ${arn} is not known to the engine`);
    return s;
  }

  private commit(): Promise<void> {
    return this.journal ? this.journal.commit() : Promise.resolve();
  }

  /** Writes the stream (all but its records) with the next commit. */
  private save(s: StreamState): void {
    const saved: SavedStream = { record: s.record, shards: s.shards.map((x) => x.info), counter: s.counter };
    this.journal?.putStream(s.id, saved);
  }

  async createStream(stream: StreamRecord, shardCount: number): Promise<void> {
    const shards: ShardState[] = [];
    for (let i = 0; i < shardCount; i++) {
      const { start, end } = evenRange(i, shardCount);
      shards.push({
        info: {
          id: shardId(i),
          startingHashKey: start.toString(),
          endingHashKey: end.toString(),
          startingSequenceNumber: startingSequenceNumber(i, -1),
          openedAt: stream.createdAt,
        },
        start: hashKeyOf(start),
        end: hashKeyOf(end),
        records: new ShardLog(i),
      });
    }
    const state: StreamState = { id: this.nextId++, record: stream, shards, counter: 0, durable: 0 };
    this.streams.set(stream.arn, state);
    this.save(state);
    await this.commit();
  }

  getStream(arn: string): StreamRecord | undefined {
    return this.streams.get(arn)?.record;
  }

  allStreams(): StreamRecord[] {
    return [...this.streams.values()].map((s) => s.record);
  }

  listStreams(account: string, region: string): StreamRecord[] {
    return [...this.streams.values()]
      .map((s) => s.record)
      .filter((r) => r.account === account && r.region === region);
  }

  async updateStream(stream: StreamRecord): Promise<void> {
    const s = this.state(stream.arn);
    const retentionChanged = s.record.retentionHours !== stream.retentionHours;
    s.record = stream;
    this.save(s);
    if (retentionChanged) {
      this.scheduler.cancel(s.trim);
      this.armTrim(s);
    }
    await this.commit();
    this.watchers.notify(stream.arn);
  }

  async deleteStream(arn: string): Promise<void> {
    const s = this.state(arn);
    this.scheduler.cancel(s.trim);
    this.streams.delete(arn);
    for (const shard of s.shards) shard.records.release();
    this.journal?.dropStream(s.id);
    await this.commit();
    this.watchers.notify(arn);
  }

  shards(arn: string): ShardInfo[] {
    return this.state(arn).shards.map((s) => s.info);
  }

  private shard(s: StreamState, id: string): ShardState {
    const shard = s.shards.find((x) => x.info.id === id);
    if (!shard) throw new Error(`shard ${id} is not in ${s.record.arn}`);
    return shard;
  }

  /** The index of the open shard whose range holds `hashKey`; open shards cover the whole key space. */
  private openShardIndex(s: StreamState, hashKey: HashKey): number {
    const shards = s.shards;
    for (let i = 0; i < shards.length; i++) {
      const x = shards[i];
      if (!x.info.endingSequenceNumber && hashKey >= x.start && hashKey <= x.end) return i;
    }
    throw new Error(`no open shard of ${s.record.arn} holds hash key ${hashKey}`);
  }

  openShardFor(arn: string, hashKey: HashKey): string {
    const s = this.state(arn);
    return s.shards[this.openShardIndex(s, hashKey)].info.id;
  }

  openShardStarts(arn: string): HashKey[] {
    const starts: HashKey[] = [];
    for (const x of this.state(arn).shards) if (!x.info.endingSequenceNumber) starts.push(x.start);
    return starts.sort((a, b) => (a < b ? -1 : 1));
  }

  async append(
    arn: string,
    records: NewStreamRecord[],
  ): Promise<Array<{ shardId: string; sequenceNumber: string }>> {
    const s = this.state(arn);
    const now = this.clock.now();
    const first = s.counter + 1;
    const shardIndexes: number[] = [];
    const out = records.map((r) => {
      const index = this.openShardIndex(s, r.hashKey);
      const shard = s.shards[index];
      s.counter++;
      shard.records.append(s.counter, now, r.partitionKey, r.data);
      shardIndexes.push(index);
      return { shardId: shard.info.id, sequenceNumber: sequenceNumber(index, s.counter) };
    });
    if (!this.scheduler.isPending(s.trim)) this.armTrim(s);
    if (this.journal) {
      this.journal.appendStreamRecords(s.id, { first, shards: shardIndexes, arrivedAt: now, records });
      await this.journal.commit();
      // Appends of one turn share a commit and may resume in any order: the furthest one counts.
      s.durable = Math.max(s.durable, first + records.length - 1);
    } else {
      s.durable = s.counter;
    }
    // Watchers hear of records once they are durable, as the writer does.
    this.watchers.notify(arn);
    return out;
  }

  read(
    arn: string,
    id: string,
    afterSequence: bigint,
    limit: number,
    maxBytes: number,
  ): StoredStreamRecord[] {
    const s = this.state(arn);
    const oldest = this.clock.now() - s.record.retentionHours * HOUR_MS;
    return this.shard(s, id).records.read(afterSequence, limit, maxBytes, oldest, s.durable);
  }

  async reshard(
    arn: string,
    parents: string[],
    children: Array<{ start: bigint; end: bigint; parentShardId: string; adjacentParentShardId?: string }>,
  ): Promise<ShardInfo[]> {
    const s = this.state(arn);
    for (const id of parents) {
      const parent = this.shard(s, id);
      parent.info = {
        ...parent.info,
        endingSequenceNumber: endingSequenceNumber(s.shards.indexOf(parent), s.counter),
        closedAt: this.clock.now(),
      };
    }
    const made: ShardInfo[] = [];
    for (const child of children) {
      const index = s.shards.length;
      const info: ShardInfo = {
        id: shardId(index),
        parentShardId: child.parentShardId,
        adjacentParentShardId: child.adjacentParentShardId,
        startingHashKey: child.start.toString(),
        endingHashKey: child.end.toString(),
        startingSequenceNumber: startingSequenceNumber(index, s.counter),
        openedAt: this.clock.now(),
      };
      s.shards.push({
        info,
        start: hashKeyOf(child.start),
        end: hashKeyOf(child.end),
        records: new ShardLog(index),
      });
      made.push(info);
    }
    this.save(s);
    await this.commit();
    this.watchers.notify(arn);
    return made;
  }

  lastSequence(arn: string, id: string): bigint | undefined {
    const s = this.state(arn);
    return this.shard(s, id).records.last(s.durable);
  }

  sequenceBefore(arn: string, id: string, time: number): bigint | undefined {
    const s = this.state(arn);
    return this.shard(s, id).records.lastBefore(time, s.durable);
  }

  passage(arn: string): StreamPassage | undefined {
    return this.passing.get(arn);
  }

  setPassage(arn: string, passage: StreamPassage | undefined): void {
    if (passage) this.passing.set(arn, passage);
    else this.passing.delete(arn);
  }

  passages(): Array<[arn: string, passage: StreamPassage]> {
    return [...this.passing];
  }

  get anyInPassing(): boolean {
    return this.passing.size > 0;
  }

  async reset(): Promise<void> {
    for (const s of this.streams.values()) this.scheduler.cancel(s.trim);
    this.passing.clear();
    this.streams.clear();
    this.journal?.clearStreams();
    await this.commit();
    this.watchers.notifyAll();
  }

  watch(arn: string, listener: () => void): () => void {
    return this.watchers.watch(arn, listener);
  }

  /** Wakes the stream once its oldest record has been past retention for a while. */
  private armTrim(s: StreamState): void {
    let oldest = Number.POSITIVE_INFINITY;
    for (const shard of s.shards) {
      const end = shard.records.oldestSegmentEnd();
      if (end !== undefined && end < oldest) oldest = end;
    }
    if (oldest === Number.POSITIVE_INFINITY) return;
    const at = oldest + s.record.retentionHours * HOUR_MS + TRIM_SLACK_MS;
    if (s.trim) this.scheduler.reschedule(s.trim, at);
    else s.trim = this.scheduler.at(at, () => this.onTrim(s));
  }

  private onTrim(s: StreamState): void {
    if (this.streams.get(s.record.arn) !== s) return;
    this.sweep(s);
    if (this.journal) {
      this.commit().catch((err: unknown) =>
        this.log.error(
          { err, stream: s.record.arn },
          'could not drop expired Kinesis records from the journal',
        ),
      );
    }
  }

  /** Drops records past retention from memory and the journal, then waits for the next to expire. */
  private sweep(s: StreamState): void {
    const before = this.clock.now() - s.record.retentionHours * HOUR_MS;
    let dropped = false;
    for (const shard of s.shards) {
      if (shard.records.dropBefore(before)) dropped = true;
    }
    if (dropped && this.journal) {
      // The row keeps the counter, which the dropped records may have been the last to show.
      this.save(s);
      this.journal.trimStream(s.id, before);
    }
    this.armTrim(s);
  }
}

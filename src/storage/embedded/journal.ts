import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { QueueRecord } from '../types.js';
import { type KafkaBatchRow, KafkaJournalRows, type KafkaLogOp } from './kafka-journal.js';
import { LogRow, RowLedger } from './log-rows.js';
import { contentOf, type MessageContent, restoreMessage, type StoredMessage } from './message.js';
import { type ChunkEntry, type ChunkRecords, decodeChunk, encodeChunk } from './stream-chunks.js';

type Op =
  | { kind: 'queue'; record: QueueRecord; lastPurgeAt?: number }
  | { kind: 'dropQueue'; queueId: string; messages: StoredMessage[] }
  | { kind: 'put'; queueId: string; message: StoredMessage }
  | { kind: 'state'; message: StoredMessage }
  | { kind: 'delete'; message: StoredMessage; ord: number }
  | { kind: 'resource'; table: ResourceTable; key: string; data: string | undefined }
  | { kind: 'clear' }
  | { kind: 'stream'; id: number; data: string }
  | { kind: 'dropStream'; id: number }
  | { kind: 'streamRecords'; id: number; chunk: ChunkRecords }
  | { kind: 'trimStream'; id: number; before: number }
  | { kind: 'clearStreams' }
  | { kind: 'kafka'; op: KafkaLogOp };

/** Small records of other services (topics, subscriptions), one row each, keyed by ARN. */
export type ResourceTable =
  | 'topics'
  | 'subscriptions'
  | 'platformApplications'
  | 'platformEndpoints'
  | 'sms'
  | 'kinesis'
  | 'sqsDeduplication'
  | 'snsFifo'
  | 'kinesisAccounts'
  | 'kmsKeys'
  | 'kmsAliases'
  | 'kmsGrants'
  | 'secrets'
  | 'eventBuses'
  | 'eventRules'
  | 'eventArchives'
  | 'eventArchivedEvents'
  | 'eventReplays'
  | 'eventConnections'
  | 'eventApiDestinations'
  | 'eventEndpoints'
  | 'eventPartnerSources'
  | 'schemaRegistries'
  | 'schemas'
  | 'schemaDiscoverers'
  | 's3Buckets'
  | 's3Objects'
  | 's3Uploads'
  | 'firehoseStreams'
  | 'firehoseBuffers'
  | 'firehoseSources'
  | 'kafkaTopics'
  | 'kafkaOffsets'
  | 'kafkaProducerIds'
  | 'mskClusters'
  | 'mskConfigurations';

/** A Kinesis stream's row: its incarnation number and whatever the stream engine saved of it. */
export interface StreamRow {
  id: number;
  data: string;
}

/** A row of records one stream took in one commit. */
interface ChunkRow {
  stream: number;
  records: Buffer;
}

/** Records of one stream written in one commit, in the order they were appended. */
interface PendingChunk {
  first: number;
  next: number;
  newest: number;
  parts: ChunkRecords[];
}

export interface RestoredQueue {
  record: QueueRecord;
  lastPurgeAt?: number;
  messages: StoredMessage[];
}

// A log row is a JSON array of entries, each an array led by its kind.
const RECORD = 0;
const STATE = 1;
const DELETE = 2;
type RecordEntry = [
  typeof RECORD,
  ord: number,
  queueId: string,
  content: MessageContent,
  enqueuedAt: number,
  ...StateFields,
  sequenceNumber: string | null,
  deadLetterSource: string | null,
];
type StateEntry = [typeof STATE, ord: number, ...StateFields];
type DeleteEntry = [typeof DELETE, ord: number];
type Entry = RecordEntry | StateEntry | DeleteEntry;
type StateFields = [
  visibleAt: number,
  receiveCount: number,
  firstReceiveAt: number | null,
  receivedAt: number,
  inflight: 0 | 1,
  receiptToken: string,
];

// Dead log rows go out as `DELETE … WHERE seq IN (…)` of up to this many.
const DELETE_CHUNK = 50;
// Bumped when the file layout changes; a file in another layout is refused, not misread.
const LAYOUT_VERSION = 4;
// Older layouts this one opens and brings up to date: each lacks only tables or fields this one
// creates (layout 3 added the Kinesis tables; layout 4 the sealed bodies of messages under a KMS
// key, which an older Tideway would read back empty, so it must refuse a layout-4 file). The Kafka
// tables came without a new layout: a Tideway without Kafka never touches them.
const UPGRADABLE_LAYOUTS = [2, 3];

/**
 * SQLite (WAL) as the durable journal of the embedded engine. Mutations made while serving
 * requests in the same turn of the event loop are written in one transaction before any of those
 * requests is answered: acknowledged means handed to the operating system, so it survives
 * `kill -9`.
 *
 * Messages live in an append-only log: each commit adds one row holding every message record,
 * receive state and deletion it made. One insert per commit, whatever it holds, is what keeps the
 * journal cheap next to the in-memory engine (a row per message costs SQLite microseconds each).
 * Reference counts (log-rows.ts) delete a row once nothing in it matters any more; a restart
 * replays the rows in order. Queues, written rarely, keep a row each.
 *
 * Kinesis streams keep a row each too; their records go in the same commits, as one row per stream
 * per commit (stream-chunks.ts), deleted whole once their newest record is past retention.
 *
 * Kafka partition logs work alike, in tables of their own (kafka-journal.ts): one row of record
 * batches per partition per commit, deleted once retention has moved past them.
 */
export class Journal {
  private readonly db: Database.Database;
  private pending: Op[] = [];
  private waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;
  private readonly stmts;
  /** `DELETE … IN` statements by row count. */
  private readonly deletes = new Map<number, Database.Statement>();
  private readonly writeAll: (ops: Op[]) => void;
  private readonly ledger = new RowLedger(new LogRow(0));
  private nextSeq = 1;
  private highestOrd = 0;
  private readonly kafka: KafkaJournalRows;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'tideway.sqlite');
    this.db = new Database(file);
    // One Tideway owns a data folder: exclusive locking keeps a second one out, and spares every
    // commit the shared-memory index and the lock calls WAL needs between processes.
    try {
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode writes each commit to the OS without fsync: durable
      // against a killed process, which is the promise made to users.
      this.db.pragma('synchronous = NORMAL');
      this.checkLayout(file);
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS queues (id TEXT PRIMARY KEY, data TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, entries TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS resources (tbl TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (tbl, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS streams (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS stream_chunks (seq INTEGER PRIMARY KEY, stream INTEGER NOT NULL,
          newest INTEGER NOT NULL, records BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS stream_chunks_by_age ON stream_chunks (stream, newest);
      `);
      KafkaJournalRows.createTables(this.db);
      this.db.pragma(`user_version = ${LAYOUT_VERSION}`);
    } catch (err) {
      this.db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') {
        throw new Error(`${dataDir} is in use by another Tideway: one server per data folder`);
      }
      throw err;
    }
    this.stmts = {
      putQueue: this.db.prepare('INSERT OR REPLACE INTO queues (id, data) VALUES (?, ?)'),
      dropQueue: this.db.prepare('DELETE FROM queues WHERE id = ?'),
      append: this.db.prepare('INSERT INTO log (seq, entries) VALUES (?, ?)'),
      putResource: this.db.prepare('INSERT OR REPLACE INTO resources (tbl, key, data) VALUES (?, ?, ?)'),
      dropResource: this.db.prepare('DELETE FROM resources WHERE tbl = ? AND key = ?'),
      putStream: this.db.prepare('INSERT OR REPLACE INTO streams (id, data) VALUES (?, ?)'),
      dropStream: this.db.prepare('DELETE FROM streams WHERE id = ?'),
      dropChunks: this.db.prepare('DELETE FROM stream_chunks WHERE stream = ?'),
      appendChunk: this.db.prepare('INSERT INTO stream_chunks (stream, newest, records) VALUES (?, ?, ?)'),
      trimChunks: this.db.prepare('DELETE FROM stream_chunks WHERE stream = ? AND newest < ?'),
    };
    this.kafka = new KafkaJournalRows(this.db);
    // Compiled once: better-sqlite3 builds a wrapper per db.transaction() call.
    this.writeAll = this.db.transaction((ops: Op[]) => this.applyAll(ops));
  }

  private checkLayout(file: string): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const tables = this.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number;
    };
    if (tables.n > 0 && version !== LAYOUT_VERSION && !UPGRADABLE_LAYOUTS.includes(version)) {
      throw new Error(
        `${file} was written by another version of Tideway (layout ${version}, this one reads ${LAYOUT_VERSION}): start with an empty --data-dir`,
      );
    }
  }

  /** Every queue with its messages, from the log replayed in order. Call once, before any change. */
  restore(): { queues: RestoredQueue[]; maxOrd: number } {
    const byId = new Map<string, RestoredQueue>();
    for (const q of this.db.prepare('SELECT id, data FROM queues').all() as Array<{
      id: string;
      data: string;
    }>) {
      const parsed = JSON.parse(q.data) as { record: QueueRecord; lastPurgeAt?: number };
      byId.set(q.id, { record: parsed.record, lastPurgeAt: parsed.lastPurgeAt, messages: [] });
    }
    const live = new Map<number, { queueId: string; message: StoredMessage }>();
    const dead: number[] = [];
    const rows = this.db.prepare('SELECT seq, entries FROM log ORDER BY seq').iterate() as Iterable<{
      seq: number;
      entries: string;
    }>;
    for (const row of rows) {
      this.ledger.current = new LogRow(row.seq);
      for (const entry of JSON.parse(row.entries) as Entry[]) this.replay(entry, live);
      if (this.ledger.current.refs === 0) dead.push(row.seq);
      this.nextSeq = row.seq + 1;
    }
    for (const { queueId, message } of live.values()) {
      const queue = byId.get(queueId);
      if (queue) queue.messages.push(message);
      else this.ledger.drop(message);
    }
    this.ledger.current = new LogRow(0);
    for (const row of this.ledger.takeDead()) dead.push(row.seq);
    if (dead.length > 0) this.db.transaction(() => this.deleteRows(dead))();
    for (const queue of byId.values()) queue.messages.sort((a, b) => a.ord - b.ord);
    return { queues: [...byId.values()], maxOrd: this.highestOrd };
  }

  private replay(entry: Entry, live: Map<number, { queueId: string; message: StoredMessage }>): void {
    const ord = entry[1];
    switch (entry[0]) {
      case RECORD: {
        const [, , queueId, content, enqueuedAt, visibleAt, receiveCount, firstReceiveAt, receivedAt] = entry;
        const [inflight, receiptToken, sequenceNumber, deadLetterSource] = entry.slice(9) as [
          0 | 1,
          string,
          string | null,
          string | null,
        ];
        const previous = live.get(ord)?.message;
        const message = restoreMessage(ord, content, {
          enqueuedAt,
          visibleAt,
          receiveCount,
          firstReceiveAt: firstReceiveAt ?? undefined,
          receivedAt,
          inflight: inflight === 1,
          receiptToken,
          sequenceNumber: sequenceNumber ?? undefined,
          deadLetterSourceArn: deadLetterSource ?? undefined,
        });
        // A message written again (moved to another queue) takes over the older record's counts.
        if (previous) {
          message.logRecord = previous.logRecord;
          message.logState = previous.logState;
        }
        this.ledger.record(message);
        live.set(ord, { queueId, message });
        if (ord > this.highestOrd) this.highestOrd = ord;
        break;
      }
      case STATE: {
        const found = live.get(ord)?.message;
        if (!found || !this.ledger.state(found)) break;
        const [, , visibleAt, receiveCount, firstReceiveAt, receivedAt, inflight, receiptToken] = entry;
        found.visibleAt = visibleAt;
        found.receiveCount = receiveCount;
        found.firstReceiveAt = firstReceiveAt ?? undefined;
        found.receivedAt = receivedAt;
        found.inflight = inflight === 1;
        found.receiptToken = receiptToken;
        break;
      }
      case DELETE: {
        const found = live.get(ord)?.message;
        if (!found) break;
        this.ledger.remove(found);
        live.delete(ord);
        break;
      }
    }
  }

  putQueue(record: QueueRecord, lastPurgeAt?: number): void {
    this.pending.push({ kind: 'queue', record: structuredClone(record), lastPurgeAt });
  }

  /** The queue's messages are let go without a word in the log: a replay skips queues that are gone. */
  dropQueue(queueId: string, messages: Iterable<StoredMessage>): void {
    this.pending.push({ kind: 'dropQueue', queueId, messages: [...messages] });
  }

  /** The record is taken at commit, so several changes in one turn write the message once, as it ends up. */
  putMessage(queueId: string, message: StoredMessage): void {
    this.pending.push({ kind: 'put', queueId, message });
  }

  /** After a receive or a visibility change: only the message's receive state is written. */
  putState(message: StoredMessage): void {
    this.pending.push({ kind: 'state', message });
  }

  /** Takes the arrival number now: a move gives the message a new one before the commit. */
  deleteMessage(message: StoredMessage): void {
    this.pending.push({ kind: 'delete', message, ord: message.ord });
  }

  clear(): void {
    this.pending.push({ kind: 'clear' });
  }

  /** Writes (or, without data, deletes) one record of another service with the next commit. */
  putResource(table: ResourceTable, key: string, data: object | undefined): void {
    this.pending.push({ kind: 'resource', table, key, data: data && JSON.stringify(data) });
  }

  /** Every record of one kind, as written. */
  resources<T>(table: ResourceTable): T[] {
    const rows = this.db.prepare('SELECT data FROM resources WHERE tbl = ?').all(table) as Array<{
      data: string;
    }>;
    return rows.map((r) => JSON.parse(r.data) as T);
  }

  /** Drops every record of one kind (a reset of that service). */
  clearResources(table: ResourceTable): void {
    this.pending.push({ kind: 'resource', table, key: '', data: undefined });
  }

  /** Writes (or replaces) a Kinesis stream's row with the next commit. */
  putStream(id: number, data: object): void {
    this.pending.push({ kind: 'stream', id, data: JSON.stringify(data) });
  }

  /** Drops a stream's row and every record chunk of it. */
  dropStream(id: number): void {
    this.pending.push({ kind: 'dropStream', id });
  }

  /**
   * Records appended to a stream, taken as they are: they are written at commit, one chunk row per
   * stream for everything the stream took in that commit.
   */
  appendStreamRecords(id: number, chunk: ChunkRecords): void {
    this.pending.push({ kind: 'streamRecords', id, chunk });
  }

  /** Deletes a stream's chunks whose newest record arrived before `before` (past retention). */
  trimStream(id: number, before: number): void {
    this.pending.push({ kind: 'trimStream', id, before });
  }

  /** Drops every stream and record (a reset of Kinesis). */
  clearStreams(): void {
    this.pending.push({ kind: 'clearStreams' });
  }

  /** Every Kinesis stream row, in creation order. */
  savedStreams(): StreamRow[] {
    return this.db.prepare('SELECT id, data FROM streams ORDER BY id').all() as StreamRow[];
  }

  /** Every record chunk, oldest first, with the stream it belongs to. */
  *savedStreamRecords(): Iterable<{ stream: number; entries: ChunkEntry[] }> {
    const query = this.db.prepare('SELECT stream, records FROM stream_chunks ORDER BY seq');
    const rows = query.iterate() as Iterable<ChunkRow>;
    for (const row of rows) yield { stream: row.stream, entries: decodeChunk(row.records) };
  }

  /** Records a change to the Kafka partition logs for the next commit. */
  kafkaLog(op: KafkaLogOp): void {
    this.pending.push({ kind: 'kafka', op });
  }

  /** Every row of Kafka batches, in the order written. */
  savedKafkaBatches(): Iterable<KafkaBatchRow> {
    return this.kafka.rows();
  }

  /** The start offset of each Kafka log that retention trimmed. */
  savedKafkaLogStarts(): Map<number, number> {
    return this.kafka.starts();
  }

  /** The highest Kafka log number in the file. */
  highestKafkaLog(): number {
    return this.kafka.highestLog();
  }

  /** Resolves once every mutation recorded so far is written. */
  commit(): Promise<void> {
    if (this.pending.length === 0 && this.waiters.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  flush(): void {
    this.scheduled = false;
    const ops = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    try {
      if (ops.length > 0) this.writeAll(ops);
      for (const w of waiters) w.resolve();
    } catch (err) {
      for (const w of waiters) w.reject(err);
    }
  }

  close(): void {
    if (this.pending.length > 0) this.flush();
    this.db.close();
  }

  private applyAll(ops: Op[]): void {
    const row = new LogRow(this.nextSeq);
    this.ledger.current = row;
    let entries: Entry[] = [];
    const chunks = new Map<number, PendingChunk>();
    for (const op of ops) {
      switch (op.kind) {
        case 'put':
          this.ledger.record(op.message);
          entries.push(recordEntry(op.queueId, op.message));
          break;
        case 'state':
          if (this.ledger.state(op.message)) entries.push(stateEntry(op.message));
          break;
        case 'delete':
          if (this.ledger.remove(op.message)) entries.push([DELETE, op.ord]);
          break;
        case 'queue':
          this.stmts.putQueue.run(
            op.record.id,
            JSON.stringify({ record: op.record, lastPurgeAt: op.lastPurgeAt }),
          );
          break;
        case 'dropQueue':
          for (const m of op.messages) this.ledger.drop(m);
          this.stmts.dropQueue.run(op.queueId);
          break;
        case 'resource':
          if (op.data !== undefined) this.stmts.putResource.run(op.table, op.key, op.data);
          else if (op.key === '') this.db.prepare('DELETE FROM resources WHERE tbl = ?').run(op.table);
          else this.stmts.dropResource.run(op.table, op.key);
          break;
        case 'clear':
          this.db.exec('DELETE FROM queues; DELETE FROM log;');
          this.ledger.reset();
          entries = [];
          break;
        case 'stream':
          this.stmts.putStream.run(op.id, op.data);
          break;
        case 'streamRecords':
          this.addToChunk(chunks, op.id, op.chunk);
          break;
        case 'dropStream':
          chunks.delete(op.id);
          this.stmts.dropStream.run(op.id);
          this.stmts.dropChunks.run(op.id);
          break;
        case 'trimStream': {
          const chunk = chunks.get(op.id);
          if (chunk) this.writeChunk(op.id, chunk);
          chunks.delete(op.id);
          this.stmts.trimChunks.run(op.id, op.before);
          break;
        }
        case 'clearStreams':
          chunks.clear();
          this.db.exec('DELETE FROM streams; DELETE FROM stream_chunks;');
          break;
        case 'kafka':
          this.kafka.apply(op.op);
          break;
      }
    }
    for (const [id, chunk] of chunks) this.writeChunk(id, chunk);
    this.kafka.finish();
    const dead = this.ledger.takeDead();
    if (dead.length > 0) this.deleteRows(dead.map((r) => r.seq));
    // A row whose every entry was overtaken within the commit is not worth writing.
    if (row.refs > 0) {
      this.stmts.append.run(row.seq, JSON.stringify(entries));
      this.nextSeq++;
    }
  }

  private addToChunk(chunks: Map<number, PendingChunk>, id: number, part: ChunkRecords): void {
    let chunk = chunks.get(id);
    // A chunk stores only its first counter: a gap in the numbering starts another one.
    if (chunk && chunk.next !== part.first) {
      this.writeChunk(id, chunk);
      chunk = undefined;
    }
    if (!chunk) {
      chunk = { first: part.first, next: part.first, newest: 0, parts: [] };
      chunks.set(id, chunk);
    }
    chunk.parts.push(part);
    chunk.next += part.records.length;
    if (part.arrivedAt > chunk.newest) chunk.newest = part.arrivedAt;
  }

  private writeChunk(id: number, chunk: PendingChunk): void {
    if (chunk.next === chunk.first) return;
    this.stmts.appendChunk.run(id, chunk.newest, encodeChunk(chunk.first, chunk.parts));
  }

  private deleteRows(seqs: number[]): void {
    for (let i = 0; i < seqs.length; i += DELETE_CHUNK) {
      const chunk = seqs.slice(i, i + DELETE_CHUNK);
      let stmt = this.deletes.get(chunk.length);
      if (!stmt) {
        stmt = this.db.prepare(`DELETE FROM log WHERE seq IN (${Array(chunk.length).fill('?').join(',')})`);
        this.deletes.set(chunk.length, stmt);
      }
      stmt.run(...chunk);
    }
  }
}

function stateFields(m: StoredMessage): StateFields {
  return [
    m.visibleAt,
    m.receiveCount,
    m.firstReceiveAt ?? null,
    m.receivedAt,
    m.inflight ? 1 : 0,
    m.receiptToken,
  ];
}

function recordEntry(queueId: string, m: StoredMessage): RecordEntry {
  return [
    RECORD,
    m.ord,
    queueId,
    contentOf(m),
    m.enqueuedAt,
    ...stateFields(m),
    m.sequenceNumber ?? null,
    m.deadLetterSourceArn ?? null,
  ];
}

function stateEntry(m: StoredMessage): StateEntry {
  return [STATE, m.ord, ...stateFields(m)];
}

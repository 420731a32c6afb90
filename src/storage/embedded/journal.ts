import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { QueueRecord } from '../types.js';
import { contentOf, restoreMessage, type StoredMessage } from './message.js';

type Op =
  | { kind: 'queue'; record: QueueRecord; lastPurgeAt?: number }
  | { kind: 'dropQueue'; queueId: string }
  | { kind: 'put'; queueId: string; message: StoredMessage }
  | { kind: 'state'; message: StoredMessage }
  | { kind: 'delete'; ord: number }
  | { kind: 'clear' };
type PutOp = Extract<Op, { kind: 'put' }>;
type StateOp = Extract<Op, { kind: 'state' }>;
type DeleteOp = Extract<Op, { kind: 'delete' }>;

export interface RestoredQueue {
  record: QueueRecord;
  lastPurgeAt?: number;
  messages: StoredMessage[];
}

interface MessageRowOut {
  ord: number;
  queue_id: string;
  content: string;
  enqueued_at: number;
  visible_at: number;
  receive_count: number;
  first_receive_at: number | null;
  received_at: number;
  inflight: number;
  receipt_token: string;
  sequence_number: string | null;
  dead_letter_source: string | null;
}

// Deletes in one flush go out as `DELETE … WHERE ord IN (…)` of up to this many.
const DELETE_CHUNK = 50;
// Puts in one flush go out as multi-row inserts of up to this many (12 values each).
const PUT_CHUNK = 10;
// Receive states in one flush go out as multi-row inserts of up to this many.
const STATE_CHUNK = 20;

/**
 * SQLite (WAL) as the durable journal of the embedded engine. Mutations made
 * while serving requests in the same turn of the event loop are written in
 * one transaction before any of those requests is answered: acknowledged
 * means handed to the operating system, so it survives `kill -9`.
 */
export class Journal {
  private readonly db: Database.Database;
  private pending: Op[] = [];
  private waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;
  private readonly stmts;
  /** Multi-row statements by kind and row count. */
  private readonly prepared = new Map<string, Database.Statement[]>();
  private readonly writeAll: (ops: Op[]) => void;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'tideway.sqlite'));
    // One Tideway owns a data folder: exclusive locking keeps a second one out, and spares every
    // commit the shared-memory index and the lock calls WAL needs between processes.
    try {
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode writes each commit to the OS without fsync: durable
      // against a killed process, which is the promise made to users.
      this.db.pragma('synchronous = NORMAL');
      // A message's arrival number is its row id, so rows append at the end of the table. What a
      // receive changes goes to a narrow side table: SQLite rewrites a whole row on UPDATE, and a
      // message row carries its content.
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS queues (id TEXT PRIMARY KEY, data TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS messages (
          ord INTEGER PRIMARY KEY,
          queue_id TEXT NOT NULL,
          content TEXT NOT NULL,
          enqueued_at INTEGER NOT NULL,
          visible_at INTEGER NOT NULL,
          receive_count INTEGER NOT NULL,
          first_receive_at INTEGER,
          received_at INTEGER NOT NULL,
          inflight INTEGER NOT NULL,
          receipt_token TEXT NOT NULL,
          sequence_number TEXT,
          dead_letter_source TEXT
        );
        CREATE TABLE IF NOT EXISTS receives (
          ord INTEGER PRIMARY KEY,
          visible_at INTEGER NOT NULL,
          receive_count INTEGER NOT NULL,
          first_receive_at INTEGER,
          received_at INTEGER NOT NULL,
          inflight INTEGER NOT NULL,
          receipt_token TEXT NOT NULL
        );
      `);
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
      dropReceives: this.db.prepare(
        'DELETE FROM receives WHERE ord IN (SELECT ord FROM messages WHERE queue_id = ?)',
      ),
      dropMessages: this.db.prepare('DELETE FROM messages WHERE queue_id = ?'),
    };
    // Compiled once: better-sqlite3 builds a wrapper per db.transaction() call.
    this.writeAll = this.db.transaction((ops: Op[]) => this.applyAll(ops));
  }

  restore(): RestoredQueue[] {
    const queues = this.db.prepare('SELECT id, data FROM queues').all() as Array<{
      id: string;
      data: string;
    }>;
    const byId = new Map<string, RestoredQueue>();
    for (const q of queues) {
      const parsed = JSON.parse(q.data) as { record: QueueRecord; lastPurgeAt?: number };
      byId.set(q.id, { record: parsed.record, lastPurgeAt: parsed.lastPurgeAt, messages: [] });
    }
    // A receive's state, where there is one, overrides the state the message was written with.
    const rows = this.db
      .prepare(
        `SELECT m.ord, m.queue_id, m.content, m.enqueued_at, m.sequence_number, m.dead_letter_source,
           coalesce(r.visible_at, m.visible_at) AS visible_at,
           coalesce(r.receive_count, m.receive_count) AS receive_count,
           CASE WHEN r.ord IS NULL THEN m.first_receive_at ELSE r.first_receive_at END AS first_receive_at,
           coalesce(r.received_at, m.received_at) AS received_at,
           coalesce(r.inflight, m.inflight) AS inflight,
           coalesce(r.receipt_token, m.receipt_token) AS receipt_token
         FROM messages m LEFT JOIN receives r ON r.ord = m.ord ORDER BY m.ord`,
      )
      .iterate() as Iterable<MessageRowOut>;
    for (const row of rows) {
      const m = restoreMessage(row.ord, JSON.parse(row.content), {
        enqueuedAt: row.enqueued_at,
        visibleAt: row.visible_at,
        receiveCount: row.receive_count,
        firstReceiveAt: row.first_receive_at ?? undefined,
        receivedAt: row.received_at,
        inflight: row.inflight === 1,
        receiptToken: row.receipt_token,
        sequenceNumber: row.sequence_number ?? undefined,
        deadLetterSourceArn: row.dead_letter_source ?? undefined,
      });
      byId.get(row.queue_id)?.messages.push(m);
    }
    return [...byId.values()];
  }

  maxOrd(): number {
    const row = this.db.prepare('SELECT MAX(ord) AS m FROM messages').get() as { m: number | null };
    return row.m ?? 0;
  }

  putQueue(record: QueueRecord, lastPurgeAt?: number): void {
    this.pending.push({ kind: 'queue', record: structuredClone(record), lastPurgeAt });
  }

  dropQueue(queueId: string): void {
    this.pending.push({ kind: 'dropQueue', queueId });
  }

  /** The row is taken at commit, so several changes in one turn write the message once, as it ends up. */
  putMessage(queueId: string, message: StoredMessage): void {
    this.pending.push({ kind: 'put', queueId, message });
  }

  /** After a receive or a visibility change: only the message's mutable state is rewritten. */
  putState(message: StoredMessage): void {
    this.pending.push({ kind: 'state', message });
  }

  /** Takes the arrival number now: a move gives the message a new one before the commit. */
  deleteMessage(message: StoredMessage): void {
    this.pending.push({ kind: 'delete', ord: message.ord });
  }

  clear(): void {
    this.pending.push({ kind: 'clear' });
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
    // Runs of puts, of receive states and of deletes go out as multi-row statements; a run is
    // written before any other kind of write, so each row's writes keep their order.
    let run: Op['kind'] | undefined;
    let batch: Op[] = [];
    const drain = () => {
      if (batch.length === 0) return;
      if (run === 'put') this.putRows(batch as PutOp[]);
      else if (run === 'state') this.stateRows(batch as StateOp[]);
      else if (run === 'delete') this.deleteRows(batch as DeleteOp[]);
      batch = [];
    };
    for (const op of ops) {
      if (op.kind !== run) drain();
      run = op.kind;
      if (op.kind === 'put' || op.kind === 'state' || op.kind === 'delete') batch.push(op);
      else this.apply(op);
    }
    drain();
  }

  private putRows(ops: PutOp[]): void {
    this.multiRow(
      ops,
      PUT_CHUNK,
      'put',
      (n) => {
        const rows = Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
        return [
          `INSERT OR REPLACE INTO messages (ord, queue_id, content, enqueued_at, visible_at, receive_count,
           first_receive_at, received_at, inflight, receipt_token, sequence_number, dead_letter_source)
         VALUES ${rows}`,
        ];
      },
      ({ queueId, message: m }) => [
        m.ord,
        queueId,
        JSON.stringify(contentOf(m)),
        m.enqueuedAt,
        ...receiveValues(m),
        m.sequenceNumber ?? null,
        m.deadLetterSourceArn ?? null,
      ],
    );
  }

  private stateRows(ops: StateOp[]): void {
    this.multiRow(
      ops,
      STATE_CHUNK,
      'state',
      (n) => {
        const rows = Array(n).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ');
        return [
          `INSERT OR REPLACE INTO receives (ord, visible_at, receive_count, first_receive_at, received_at,
           inflight, receipt_token) VALUES ${rows}`,
        ];
      },
      ({ message: m }) => [m.ord, ...receiveValues(m)],
    );
  }

  private deleteRows(ops: DeleteOp[]): void {
    this.multiRow(
      ops,
      DELETE_CHUNK,
      'delete',
      (n) => {
        const list = Array(n).fill('?').join(',');
        return [`DELETE FROM messages WHERE ord IN (${list})`, `DELETE FROM receives WHERE ord IN (${list})`];
      },
      (op) => [op.ord],
    );
  }

  /** Writes `items` in chunks, each chunk through statements prepared once per chunk size. */
  private multiRow<T>(
    items: T[],
    chunkSize: number,
    kind: string,
    sql: (rows: number) => string[],
    values: (item: T) => Array<string | number | null>,
  ): void {
    for (let i = 0; i < items.length; i += chunkSize) {
      const chunk = items.slice(i, i + chunkSize);
      const key = `${kind}:${chunk.length}`;
      let stmts = this.prepared.get(key);
      if (!stmts) {
        stmts = sql(chunk.length).map((text) => this.db.prepare(text));
        this.prepared.set(key, stmts);
      }
      const params = chunk.flatMap(values);
      for (const stmt of stmts) stmt.run(...params);
    }
  }

  private apply(op: Exclude<Op, PutOp | StateOp | DeleteOp>): void {
    switch (op.kind) {
      case 'queue':
        this.stmts.putQueue.run(
          op.record.id,
          JSON.stringify({ record: op.record, lastPurgeAt: op.lastPurgeAt }),
        );
        break;
      case 'dropQueue':
        this.stmts.dropQueue.run(op.queueId);
        this.stmts.dropReceives.run(op.queueId);
        this.stmts.dropMessages.run(op.queueId);
        break;
      case 'clear':
        this.db.exec('DELETE FROM queues; DELETE FROM messages; DELETE FROM receives;');
        break;
    }
  }
}

/** The columns a receive changes, in table order: visible_at … receipt_token. */
function receiveValues(m: StoredMessage): Array<string | number | null> {
  return [
    m.visibleAt,
    m.receiveCount,
    m.firstReceiveAt ?? null,
    m.receivedAt,
    m.inflight ? 1 : 0,
    m.receiptToken,
  ];
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { QueueRecord } from '../types.js';
import { contentOf, restoreMessage, type StoredMessage, stateOf } from './message.js';

type Op =
  | { kind: 'queue'; record: QueueRecord; lastPurgeAt?: number }
  | { kind: 'dropQueue'; queueId: string }
  | { kind: 'put'; queueId: string; message: StoredMessage }
  | { kind: 'state'; message: StoredMessage }
  | { kind: 'delete'; ord: number }
  | { kind: 'clear' };

export interface RestoredQueue {
  record: QueueRecord;
  lastPurgeAt?: number;
  messages: StoredMessage[];
}

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

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'tideway.sqlite'));
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode writes each commit to the OS without fsync: durable
    // against a killed process, which is the promise made to users.
    this.db.pragma('synchronous = NORMAL');
    // A message's arrival number is its row id: rows append at the end of the table, and a
    // receive rewrites only the small `state` column.
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS queues (id TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS messages (
        ord INTEGER PRIMARY KEY, queue_id TEXT NOT NULL, content TEXT NOT NULL, state TEXT NOT NULL
      );
    `);
    this.stmts = {
      putQueue: this.db.prepare('INSERT OR REPLACE INTO queues (id, data) VALUES (?, ?)'),
      dropQueue: this.db.prepare('DELETE FROM queues WHERE id = ?'),
      dropMessages: this.db.prepare('DELETE FROM messages WHERE queue_id = ?'),
      put: this.db.prepare(
        'INSERT OR REPLACE INTO messages (ord, queue_id, content, state) VALUES (?, ?, ?, ?)',
      ),
      state: this.db.prepare('UPDATE messages SET state = ? WHERE ord = ?'),
      delete: this.db.prepare('DELETE FROM messages WHERE ord = ?'),
    };
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
    const rows = this.db
      .prepare('SELECT ord, queue_id, content, state FROM messages ORDER BY ord')
      .iterate() as Iterable<{ ord: number; queue_id: string; content: string; state: string }>;
    for (const row of rows) {
      const m = restoreMessage(row.ord, JSON.parse(row.content), JSON.parse(row.state));
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
      this.db.transaction(() => {
        for (const op of ops) this.apply(op);
      })();
      for (const w of waiters) w.resolve();
    } catch (err) {
      for (const w of waiters) w.reject(err);
    }
  }

  close(): void {
    if (this.pending.length > 0) this.flush();
    this.db.close();
  }

  private apply(op: Op): void {
    switch (op.kind) {
      case 'queue':
        this.stmts.putQueue.run(
          op.record.id,
          JSON.stringify({ record: op.record, lastPurgeAt: op.lastPurgeAt }),
        );
        break;
      case 'dropQueue':
        this.stmts.dropQueue.run(op.queueId);
        this.stmts.dropMessages.run(op.queueId);
        break;
      case 'put':
        this.stmts.put.run(
          op.message.ord,
          op.queueId,
          JSON.stringify(contentOf(op.message)),
          JSON.stringify(stateOf(op.message)),
        );
        break;
      case 'state':
        this.stmts.state.run(JSON.stringify(stateOf(op.message)), op.message.ord);
        break;
      case 'delete':
        this.stmts.delete.run(op.ord);
        break;
      case 'clear':
        this.db.exec('DELETE FROM queues; DELETE FROM messages;');
        break;
    }
  }
}

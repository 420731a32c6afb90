import type Database from 'better-sqlite3';

/** A change to the Kafka partition logs, written with the journal's next commit. */
export type KafkaLogOp =
  /** Batches appended to one log, ending before offset `next`; views of the engine's copies. */
  | { kind: 'batches'; log: number; next: number; appendedAt: number; batches: Buffer[] }
  /** The log's start offset moved to `start` (retention): rows wholly before it go. */
  | { kind: 'trim'; log: number; start: number }
  | { kind: 'drop'; logs: number[] }
  | { kind: 'clear' };

/** One row of batches as read back. */
export interface KafkaBatchRow {
  log: number;
  appendedAt: number;
  /** The row's batches, side by side, each carrying its base offset. */
  batches: Buffer;
}

/** Batches of one log written in one commit, contiguous in offsets. */
interface PendingRow {
  next: number;
  appendedAt: number;
  parts: Buffer[];
}

/**
 * The Kafka part of the journal. Each commit writes one row per partition log holding every batch
 * that log took in it, as they are stored (base offsets included), keyed by the offset after
 * them; retention deletes the rows wholly before a log's new start offset and records that start,
 * so a replay skips the leftovers of a row it cut through. Logs are numbered, not named: a topic
 * deleted and created again under one name writes under new numbers.
 */
export class KafkaJournalRows {
  private readonly stmts;
  private pending = new Map<number, PendingRow>();

  static createTables(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS kafka_batches (seq INTEGER PRIMARY KEY, log INTEGER NOT NULL,
        next INTEGER NOT NULL, appended INTEGER NOT NULL, batches BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS kafka_batches_by_log ON kafka_batches (log, next);
      CREATE TABLE IF NOT EXISTS kafka_log_starts (log INTEGER PRIMARY KEY, start INTEGER NOT NULL);
    `);
  }

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      append: db.prepare('INSERT INTO kafka_batches (log, next, appended, batches) VALUES (?, ?, ?, ?)'),
      trim: db.prepare('DELETE FROM kafka_batches WHERE log = ? AND next <= ?'),
      setStart: db.prepare('INSERT OR REPLACE INTO kafka_log_starts (log, start) VALUES (?, ?)'),
      dropRows: db.prepare('DELETE FROM kafka_batches WHERE log = ?'),
      dropStart: db.prepare('DELETE FROM kafka_log_starts WHERE log = ?'),
    };
  }

  /** Applies one change inside the commit's transaction; rows of batches wait for `finish`. */
  apply(op: KafkaLogOp): void {
    switch (op.kind) {
      case 'batches': {
        const row = this.pending.get(op.log);
        if (row) {
          row.parts.push(...op.batches);
          row.next = op.next;
        } else {
          this.pending.set(op.log, { next: op.next, appendedAt: op.appendedAt, parts: [...op.batches] });
        }
        break;
      }
      case 'trim': {
        const row = this.pending.get(op.log);
        // Batches appended and already gone within one commit are not worth writing.
        if (row && row.next > op.start) this.write(op.log, row);
        this.pending.delete(op.log);
        this.stmts.trim.run(op.log, op.start);
        this.stmts.setStart.run(op.log, op.start);
        break;
      }
      case 'drop':
        for (const log of op.logs) {
          this.pending.delete(log);
          this.stmts.dropRows.run(log);
          this.stmts.dropStart.run(log);
        }
        break;
      case 'clear':
        this.pending.clear();
        this.db.exec('DELETE FROM kafka_batches; DELETE FROM kafka_log_starts;');
        break;
    }
  }

  /** Writes the rows of batches the commit gathered. */
  finish(): void {
    for (const [log, row] of this.pending) this.write(log, row);
    this.pending.clear();
  }

  private write(log: number, row: PendingRow): void {
    if (row.parts.length === 0) return;
    const blob = row.parts.length === 1 ? row.parts[0] : Buffer.concat(row.parts);
    this.stmts.append.run(log, row.next, row.appendedAt, blob);
  }

  /** Every row of batches, in the order written. */
  *rows(): Iterable<KafkaBatchRow> {
    const query = this.db.prepare('SELECT log, appended, batches FROM kafka_batches ORDER BY seq');
    for (const row of query.iterate() as Iterable<{ log: number; appended: number; batches: Buffer }>) {
      yield { log: row.log, appendedAt: row.appended, batches: row.batches };
    }
  }

  /** Each trimmed log's start offset. */
  starts(): Map<number, number> {
    const rows = this.db.prepare('SELECT log, start FROM kafka_log_starts').all() as Array<{
      log: number;
      start: number;
    }>;
    return new Map(rows.map((r) => [r.log, r.start]));
  }

  /** The highest log number written, so new logs never reuse one. */
  highestLog(): number {
    const row = this.db
      .prepare(
        'SELECT max(m) AS m FROM (SELECT max(log) AS m FROM kafka_batches UNION ALL SELECT max(log) FROM kafka_log_starts)',
      )
      .get() as { m: number | null };
    return row.m ?? 0;
  }
}

/**
 * One row of the journal's log: everything one commit changed. A row is needed while it holds a
 * live message's record or latest receive state, or the deletion of a record that an older row
 * still holds (replaying that row without the deletion would bring the message back).
 */
export class LogRow {
  /** How many of those needs remain; at zero the row can go. */
  refs = 0;
  /** Rows holding deletions of records kept in this one, with their counts: they lean on this row. */
  deletedBy?: Map<LogRow, number>;

  constructor(readonly seq: number) {}
}

/** What the journal notes on each message: the rows that hold its record and its latest state. */
export interface Logged {
  logRecord?: LogRow;
  logState?: LogRow;
}

/**
 * Reference counts over log rows, kept as changes are written (and again while a log is replayed),
 * so that a row is deleted as soon as nothing in it matters: a drained queue leaves no rows behind.
 */
export class RowLedger {
  private dead: LogRow[] = [];

  constructor(public current: LogRow) {}

  /** The message's whole record, state included, goes into the current row. */
  record(m: Logged): void {
    this.release(m.logRecord);
    this.release(m.logState);
    m.logState = undefined;
    m.logRecord = this.current;
    this.current.refs++;
  }

  /** The message's receive state goes into the current row, unless the row already holds it. */
  state(m: Logged): boolean {
    if (m.logRecord === undefined || m.logRecord === this.current || m.logState === this.current)
      return false;
    this.release(m.logState);
    m.logState = this.current;
    this.current.refs++;
    return true;
  }

  /** The message is deleted: true when the current row must say so, because a row holds its record. */
  remove(m: Logged): boolean {
    const holder = m.logRecord;
    this.release(m.logState);
    m.logState = undefined;
    m.logRecord = undefined;
    if (holder === undefined) return false;
    if (holder !== this.current) {
      this.current.refs++;
      holder.deletedBy ??= new Map();
      holder.deletedBy.set(this.current, (holder.deletedBy.get(this.current) ?? 0) + 1);
    }
    this.release(holder);
    return true;
  }

  /** The message goes with its queue: nothing is written, since a replay skips queues that are gone. */
  drop(m: Logged): void {
    this.release(m.logRecord);
    this.release(m.logState);
    m.logRecord = undefined;
    m.logState = undefined;
  }

  /** Rows other than the current one that nothing needs any more, and the rows only they kept. */
  takeDead(): LogRow[] {
    const dead = this.dead;
    for (let i = 0; i < dead.length; i++) {
      const deletions = dead[i].deletedBy;
      if (!deletions) continue;
      for (const [row, n] of deletions) {
        row.refs -= n;
        if (row.refs === 0 && row !== this.current) dead.push(row);
      }
    }
    this.dead = [];
    return dead;
  }

  /** Forgets every row: the log was emptied. */
  reset(): void {
    this.dead = [];
    this.current.refs = 0;
  }

  private release(row: LogRow | undefined): void {
    if (row === undefined) return;
    row.refs--;
    if (row.refs === 0 && row !== this.current) this.dead.push(row);
  }
}

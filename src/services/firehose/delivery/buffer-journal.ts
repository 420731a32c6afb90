import type { Journal } from '../../../storage/embedded/journal.js';
import type { IngestedRecord } from '../model.js';

/**
 * One 'firehoseBuffers' row: a batch of acknowledged records, as they entered the stream. It is
 * written before the put is answered and deleted once every object holding its records is in
 * S3 (or given up on), so after a crash the rows left are exactly what was not yet delivered.
 * Records are processed again at start: delivery is at least once, as Firehose's.
 */
interface BatchRow {
  stream: string;
  seq: number;
  records: { data: string; arrival: number; kinesis?: IngestedRecord['kinesis'] }[];
}

export interface RestoredBatch {
  row: string;
  stream: string;
  records: IngestedRecord[];
}

export class BufferJournal {
  private seq = 0;
  /** Set at shutdown: work cut short then must leave its rows for the next start. */
  private frozen = false;
  /** Row → how many holders (processing, buffers, deliveries) still need it. */
  private readonly holds = new Map<string, number>();
  /** Row → its stream, so a deleted stream's rows go with it. */
  private readonly streams = new Map<string, string>();

  constructor(private readonly journal: Journal | undefined) {}

  /** Writes a batch; resolves once it is on disk. Returns its row, held once (by processing). */
  write(
    stream: string,
    records: readonly IngestedRecord[],
  ): { row: string | undefined; written: Promise<void> } {
    if (!this.journal) return { row: undefined, written: Promise.resolve() };
    const seq = ++this.seq;
    const row = `${stream}#${seq}`;
    const data: BatchRow = {
      stream,
      seq,
      records: records.map((r) => ({
        data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).toString('base64'),
        arrival: r.arrival,
        ...(r.kinesis ? { kinesis: r.kinesis } : {}),
      })),
    };
    this.journal.putResource('firehoseBuffers', row, data);
    this.holds.set(row, 1);
    this.streams.set(row, stream);
    return { row, written: this.journal.commit() };
  }

  /** Every batch left by the previous run, oldest first; each row is held once for its reprocessing. */
  restore(): RestoredBatch[] {
    if (!this.journal) return [];
    const rows = this.journal.resources<BatchRow>('firehoseBuffers').sort((a, b) => a.seq - b.seq);
    return rows.map((r) => {
      const row = `${r.stream}#${r.seq}`;
      this.seq = Math.max(this.seq, r.seq);
      this.holds.set(row, 1);
      this.streams.set(row, r.stream);
      return {
        row,
        stream: r.stream,
        records: r.records.map((x) => ({
          data: Buffer.from(x.data, 'base64'),
          arrival: x.arrival,
          ...(x.kinesis ? { kinesis: x.kinesis } : {}),
        })),
      };
    });
  }

  hold(row: string | undefined): void {
    if (row === undefined) return;
    const count = this.holds.get(row);
    if (count !== undefined) this.holds.set(row, count + 1);
  }

  release(row: string | undefined): void {
    if (row === undefined || !this.journal || this.frozen) return;
    const count = this.holds.get(row);
    if (count === undefined) return;
    if (count > 1) {
      this.holds.set(row, count - 1);
      return;
    }
    this.drop(row);
  }

  /** From now on nothing is released: the server is closing, and what is unfinished resumes at start. */
  freeze(): void {
    this.frozen = true;
  }

  /** Forgets a stream's rows (the stream was deleted: its buffered records go with it). */
  dropStream(stream: string): void {
    for (const [row, owner] of this.streams) if (owner === stream) this.drop(row);
  }

  clear(): void {
    this.holds.clear();
    this.streams.clear();
    this.journal?.clearResources('firehoseBuffers');
  }

  private drop(row: string): void {
    this.holds.delete(row);
    this.streams.delete(row);
    this.journal?.putResource('firehoseBuffers', row, undefined);
    // A failed write leaves the row: its records are delivered again after a restart, which
    // at-least-once delivery allows.
    this.journal?.commit().catch(() => undefined);
  }
}

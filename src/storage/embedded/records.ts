import type { RecordStore } from '../types.js';
import type { Journal, ResourceTable } from './journal.js';

/** A RecordStore in memory, written through to the journal's record table with --data-dir. */
export class EmbeddedRecords<T extends object> implements RecordStore<T> {
  private readonly records = new Map<string, T>();

  constructor(
    private readonly table: ResourceTable,
    private readonly journal: Journal | undefined,
    keyOf: (value: T) => string,
  ) {
    for (const value of journal?.resources<T>(table) ?? []) this.records.set(keyOf(value), value);
  }

  private commit(): Promise<void> {
    return this.journal ? this.journal.commit() : Promise.resolve();
  }

  async put(key: string, value: T): Promise<void> {
    this.records.set(key, value);
    this.journal?.putResource(this.table, key, value);
    await this.commit();
  }

  get(key: string): T | undefined {
    return this.records.get(key);
  }

  async delete(key: string): Promise<void> {
    if (!this.records.delete(key)) return;
    this.journal?.putResource(this.table, key, undefined);
    await this.commit();
  }

  values(): T[] {
    return [...this.records.values()];
  }

  async clear(): Promise<void> {
    this.records.clear();
    this.journal?.clearResources(this.table);
    await this.commit();
  }
}

import type { StoredMessage } from './message.js';

/**
 * Receivable messages of a standard queue in arrival order. A JS Map would do
 * the bookkeeping, but iterating one from the front walks every slot deleted
 * there until V8 shrinks it, which makes a drain quadratic; this deque skips
 * left-behind entries at its head and compacts when they outnumber live ones.
 */
export class ReadyQueue {
  private items: Array<StoredMessage | undefined> = [];
  private stamps: number[] = [];
  private head = 0;
  private live = 0;
  private stamp = 0;

  get size(): number {
    return this.live;
  }

  has(m: StoredMessage): boolean {
    return m.readyStamp !== 0;
  }

  push(m: StoredMessage): void {
    if (m.readyStamp !== 0) return;
    m.readyStamp = ++this.stamp;
    this.items.push(m);
    this.stamps.push(m.readyStamp);
    this.live++;
  }

  delete(m: StoredMessage): void {
    if (m.readyStamp === 0) return;
    m.readyStamp = 0;
    this.live--;
    this.trim();
  }

  /** Visits live messages oldest first until `visit` returns false. */
  scan(visit: (m: StoredMessage) => boolean): void {
    const { items, stamps } = this;
    for (let i = this.head; i < items.length; i++) {
      const m = items[i];
      if (m !== undefined && m.readyStamp === stamps[i] && !visit(m)) return;
    }
  }

  clear(): void {
    this.scan((m) => {
      m.readyStamp = 0;
      return true;
    });
    this.items = [];
    this.stamps = [];
    this.head = 0;
    this.live = 0;
  }

  private trim(): void {
    const { items, stamps } = this;
    while (this.head < items.length) {
      const m = items[this.head];
      if (m !== undefined && m.readyStamp === stamps[this.head]) break;
      items[this.head] = undefined;
      this.head++;
    }
    const span = items.length - this.head;
    if (span > 64 && span > 2 * this.live) this.compact();
    else if (this.head > 1024 && this.head * 2 > items.length) this.compact();
  }

  private compact(): void {
    const items: StoredMessage[] = [];
    const stamps: number[] = [];
    this.scan((m) => {
      items.push(m);
      stamps.push(m.readyStamp);
      return true;
    });
    this.items = items;
    this.stamps = stamps;
    this.head = 0;
  }
}

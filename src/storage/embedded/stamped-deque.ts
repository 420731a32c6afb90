import type { StoredMessage } from './message.js';

type StampSlot = 'readyStamp' | 'retentionStamp';

/**
 * Messages in the order they joined, with O(1) removal from anywhere: a
 * standard queue's receivable messages, or every message for retention. A JS
 * Map would do the bookkeeping, but iterating one from the front walks every
 * slot deleted there until V8 shrinks it, which makes a drain quadratic; this
 * deque skips left-behind entries at its head and compacts when they outnumber
 * live ones. A message's stamp in `slot` says whether (and where) it belongs.
 */
export class StampedDeque {
  private items: Array<StoredMessage | undefined> = [];
  private stamps: number[] = [];
  private head = 0;
  private live = 0;
  private stamp = 0;

  constructor(private readonly slot: StampSlot) {}

  /** The oldest live message. */
  first(): StoredMessage | undefined {
    const { items, stamps, slot } = this;
    for (let i = this.head; i < items.length; i++) {
      const m = items[i];
      if (m !== undefined && m[slot] === stamps[i]) return m;
    }
    return undefined;
  }

  push(m: StoredMessage): void {
    if (m[this.slot] !== 0) return;
    m[this.slot] = ++this.stamp;
    this.items.push(m);
    this.stamps.push(m[this.slot]);
    this.live++;
  }

  delete(m: StoredMessage): void {
    if (m[this.slot] === 0) return;
    m[this.slot] = 0;
    this.live--;
    this.trim();
  }

  /** Visits live messages oldest first until `visit` returns false. */
  scan(visit: (m: StoredMessage) => boolean): void {
    const { items, stamps } = this;
    for (let i = this.head; i < items.length; i++) {
      const m = items[i];
      if (m !== undefined && m[this.slot] === stamps[i] && !visit(m)) return;
    }
  }

  clear(): void {
    this.scan((m) => {
      m[this.slot] = 0;
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
      if (m !== undefined && m[this.slot] === stamps[this.head]) break;
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
      stamps.push(m[this.slot]);
      return true;
    });
    this.items = items;
    this.stamps = stamps;
    this.head = 0;
  }
}

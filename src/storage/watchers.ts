/**
 * Listeners waiting for a change to one key (a stream's ARN): the storage calls `notify` after a
 * change lands, so a reader that is waiting for news (a SubscribeToShard push) wakes at once
 * instead of polling.
 */
export class Watchers {
  private readonly byKey = new Map<string, Set<() => void>>();

  watch(key: string, listener: () => void): () => void {
    let set = this.byKey.get(key);
    if (!set) {
      set = new Set();
      this.byKey.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
    };
  }

  notify(key: string): void {
    const set = this.byKey.get(key);
    if (!set) return;
    for (const listener of [...set]) listener();
  }

  notifyAll(): void {
    for (const key of [...this.byKey.keys()]) this.notify(key);
  }
}

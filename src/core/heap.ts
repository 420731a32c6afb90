/**
 * A binary min-heap that records each item's position in a field of the item,
 * so an item can be removed or re-keyed in O(log n) instead of being left
 * behind as a tombstone. One item can sit in several heaps, each using its own field.
 */
export type IndexSlot<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

export interface HeapItem {
  heapIndex: number;
}

export class IndexedHeap<T extends object> {
  private readonly items: T[] = [];

  constructor(
    private readonly key: (item: T) => number,
    private readonly slot: IndexSlot<T> = 'heapIndex' as IndexSlot<T>,
  ) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  private indexOf(item: T): number {
    return item[this.slot] as number;
  }

  private place(item: T, index: number): void {
    (item[this.slot] as number) = index;
  }

  has(item: T): boolean {
    const index = this.indexOf(item);
    return index >= 0 && this.items[index] === item;
  }

  push(item: T): void {
    this.place(item, this.items.length);
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  remove(item: T): void {
    if (!this.has(item)) return;
    const index = this.indexOf(item);
    const last = this.items.pop()!;
    this.place(item, -1);
    if (last === item) return;
    this.items[index] = last;
    this.place(last, index);
    this.down(index);
    this.up(this.indexOf(last));
  }

  /** Re-positions an item whose key changed, inserting it if absent. */
  update(item: T): void {
    if (!this.has(item)) {
      this.push(item);
      return;
    }
    this.down(this.indexOf(item));
    this.up(this.indexOf(item));
  }

  clear(): void {
    for (const item of this.items) this.place(item, -1);
    this.items.length = 0;
  }

  private up(index: number): void {
    const { items, key } = this;
    const item = items[index];
    const k = key(item);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex];
      if (key(parent) <= k) break;
      items[index] = parent;
      this.place(parent, index);
      index = parentIndex;
    }
    items[index] = item;
    this.place(item, index);
  }

  private down(index: number): void {
    const { items, key } = this;
    const n = items.length;
    const item = items[index];
    const k = key(item);
    for (;;) {
      let child = 2 * index + 1;
      if (child >= n) break;
      if (child + 1 < n && key(items[child + 1]) < key(items[child])) child++;
      if (key(items[child]) >= k) break;
      items[index] = items[child];
      this.place(items[index], index);
      index = child;
    }
    items[index] = item;
    this.place(item, index);
  }
}

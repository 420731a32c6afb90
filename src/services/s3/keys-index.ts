import type { ObjectRecord } from './model.js';

/**
 * S3 orders keys by their UTF-8 bytes, which is code point order. JavaScript compares UTF-16
 * code units, which disagrees only where a surrogate pair (U+10000 and up) meets a character in
 * U+E000–U+FFFF; moving the surrogates above that range at the first difference fixes it.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * One bucket's objects: records by key, and the keys in S3's order for listings. The sorted array
 * costs a move per insert, which stays cheap at hundreds of thousands of keys, while a listing
 * page costs a binary search and its own length.
 */
export class KeyIndex {
  private readonly records = new Map<string, ObjectRecord>();
  private keys: string[] = [];

  get size(): number {
    return this.records.size;
  }

  get(key: string): ObjectRecord | undefined {
    return this.records.get(key);
  }

  set(record: ObjectRecord): void {
    if (!this.records.has(record.key)) this.keys.splice(this.lowerBound(record.key), 0, record.key);
    this.records.set(record.key, record);
  }

  delete(key: string): ObjectRecord | undefined {
    const record = this.records.get(key);
    if (!record) return undefined;
    this.records.delete(key);
    const at = this.lowerBound(key);
    if (this.keys[at] === key) this.keys.splice(at, 1);
    return record;
  }

  /** Loads many records at once (start-up): one sort instead of one move per key. */
  load(records: Iterable<ObjectRecord>): void {
    for (const record of records) this.records.set(record.key, record);
    this.keys = [...this.records.keys()].sort(compareKeys);
  }

  /** The position of the first key not before `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The position of the first key after `key`. */
  upperBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  keyAt(index: number): string | undefined {
    return this.keys[index];
  }

  get length(): number {
    return this.keys.length;
  }

  values(): IterableIterator<ObjectRecord> {
    return this.records.values();
  }
}

/**
 * The index just past every key beginning with `prefix`, searching from `from`: keys that begin
 * with a prefix sit together in key order, right after the keys ordered before it.
 */
export function prefixEnd(index: KeyIndex, prefix: string, from: number): number {
  let lo = from;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const key = index.keyAt(mid)!;
    if (compareKeys(key, prefix) < 0 || key.startsWith(prefix)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ListingEntry {
  /** An object, or a common prefix rolled up at the delimiter. */
  record?: ObjectRecord;
  prefix?: string;
}

export interface ListingPage {
  entries: ListingEntry[];
  truncated: boolean;
  /** The last key or common prefix of the page, where the next page starts after. */
  last?: string;
}

/**
 * One page of a listing: keys after `after` beginning with `prefix`, those holding `delimiter`
 * past the prefix rolled into one common prefix each, `max` entries at most. A page costs a
 * binary search and its own length; a common prefix's keys are skipped by another search.
 */
export function listPage(
  index: KeyIndex,
  options: { prefix: string; delimiter?: string; after?: string; max: number },
): ListingPage {
  const { prefix, delimiter, after, max } = options;
  let i = index.lowerBound(prefix);
  if (after !== undefined) {
    i = Math.max(i, index.upperBound(after));
    // After a common prefix (a page that ended on one), its keys were all listed already.
    if (delimiter && after.startsWith(prefix) && after.endsWith(delimiter) && after.length > prefix.length)
      i = Math.max(i, prefixEnd(index, after, i));
  }
  const entries: ListingEntry[] = [];
  let last: string | undefined;
  while (i < index.length) {
    const key = index.keyAt(i)!;
    if (!key.startsWith(prefix)) break;
    if (entries.length >= max) return { entries, truncated: true, last };
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (delimiter && cut >= 0) {
      const common = key.slice(0, cut + delimiter.length);
      entries.push({ prefix: common });
      last = common;
      i = prefixEnd(index, common, i);
    } else {
      entries.push({ record: index.get(key) });
      last = key;
      i++;
    }
  }
  return { entries, truncated: false, last };
}

/**
 * FIFO deduplication (SQS Developer Guide, "Exactly-once processing"): a message sent again with
 * a deduplication id seen in the last five minutes is accepted but not enqueued, and the sender
 * gets the first send's message id and sequence number back. The same window lets a retried
 * ReceiveMessage with one ReceiveRequestAttemptId get the same messages again.
 */

export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
export const RECEIVE_ATTEMPT_WINDOW_MS = 5 * 60_000;

/**
 * The key deduplication ids are compared under: the queue's, or with DeduplicationScope
 * messageGroup the group's (one id may then be used once in each group). The separator is a
 * character that group ids cannot hold, so no two pairs share a key.
 */
export function deduplicationKey(
  perGroup: boolean,
  groupId: string | undefined,
  deduplicationId: string,
): string {
  return perGroup ? `${groupId}\u0000${deduplicationId}` : deduplicationId;
}

/** Whether an id first seen at `seenAt` still deduplicates at `now`. */
export function withinDeduplicationWindow(
  seenAt: number,
  now: number,
  windowMs = DEDUPLICATION_WINDOW_MS,
): boolean {
  return now - seenAt < windowMs;
}

/**
 * First answers by key for a window of time: what a send (or a receive attempt) remembers so
 * that a repeat gets the same answer. Entries are kept in the order they were first seen, which
 * is also the order they expire in, so forgetting stale ones stops at the first live one.
 */
export class DeduplicationWindow<T> {
  private readonly entries = new Map<string, { answer: T; seenAt: number }>();

  /** `onForget` hears of each key dropped as stale, for an engine that keeps them elsewhere too. */
  constructor(
    readonly windowMs = DEDUPLICATION_WINDOW_MS,
    private readonly onForget?: (key: string) => void,
  ) {}

  /** The answer first given for `key`, while it is within the window. */
  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (withinDeduplicationWindow(entry.seenAt, now, this.windowMs)) return entry.answer;
    this.entries.delete(key);
    this.onForget?.(key);
    return undefined;
  }

  /** Remembers `answer` for `key` from `now` (a key remembered again starts a new window). */
  remember(key: string, answer: T, now: number): void {
    this.forgetStale(now);
    this.entries.delete(key);
    this.entries.set(key, { answer, seenAt: now });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Every key remembered, stale ones included until they are next looked at. */
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  private forgetStale(now: number): void {
    for (const [key, entry] of this.entries) {
      if (withinDeduplicationWindow(entry.seenAt, now, this.windowMs)) break;
      this.entries.delete(key);
      this.onForget?.(key);
    }
  }
}

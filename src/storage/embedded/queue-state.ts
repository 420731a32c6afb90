import { IndexedHeap } from '../../core/heap.js';
import type { Timer } from '../../core/scheduler.js';
import {
  DEDUPLICATION_WINDOW_MS,
  DeduplicationWindow,
  RECEIVE_ATTEMPT_WINDOW_MS,
} from '../../services/sqs/rules/deduplication.js';
import { FairQueueLoad } from '../../services/sqs/rules/fair-queues.js';
import {
  expiredUnderRetention,
  type QueueSettings,
  queueSettingsOf,
} from '../../services/sqs/rules/queue-settings.js';
import type { QueueCounts, QueueRecord, ReceivedMessage, ReceiveRequest } from '../types.js';
import type { StoredMessage } from './message.js';
import { StampedDeque } from './stamped-deque.js';

/** The first answer to a FIFO send, which a repeat of its deduplication id gets. */
export interface DeduplicatedSend {
  messageId: string;
  sequenceNumber?: string;
}

/** One FIFO message group: its messages in order, consumed mostly from the front. */
class FifoGroup {
  private items: StoredMessage[] = [];
  private head = 0;
  inflight = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(m: StoredMessage): void {
    this.items.push(m);
  }

  remove(m: StoredMessage): void {
    if (this.items[this.head] === m) {
      this.head++;
      if (this.head > 64 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return;
    }
    const i = this.items.indexOf(m, this.head);
    if (i >= 0) this.items.splice(i, 1);
  }

  /** Visits messages in order until `visit` returns false. */
  scan(visit: (m: StoredMessage) => boolean): void {
    for (let i = this.head; i < this.items.length; i++) if (!visit(this.items[i])) return;
  }
}

export interface Waiter {
  request: ReceiveRequest;
  resolve: (messages: ReceivedMessage[]) => void;
  timer?: Timer;
  onAbort?: () => void;
}

/**
 * Hot state of one queue: every live message, the visible ones in order
 * (FIFO: per message group), and one heap of messages waiting on the clock
 * (delayed or in flight).
 */
export class QueueState {
  config: QueueSettings;
  /** Every live message by its arrival number (integer keys hash far cheaper than message ids). */
  readonly all = new Map<number, StoredMessage>();
  /** Standard queues: receivable messages in arrival order. */
  readonly ready = new StampedDeque('readyStamp');
  readonly timed = new IndexedHeap<StoredMessage>((m) => m.visibleAt);
  /** Messages in enqueue order, for retention; those enqueued before the newest (DLQ moves) go to `late`. */
  private readonly retention = new StampedDeque('retentionStamp');
  private readonly late = new IndexedHeap<StoredMessage>((m) => m.enqueuedAt, 'retentionIndex');
  private newestEnqueue = 0;
  /** FIFO queues: messages per group, in order. */
  readonly groups = new Map<string, FifoGroup>();
  inflightCount = 0;
  delayedCount = 0;
  readonly deduplication: DeduplicationWindow<DeduplicatedSend>;
  readonly attempts = new DeduplicationWindow<ReceivedMessage[]>(RECEIVE_ATTEMPT_WINDOW_MS);
  readonly waiters: Waiter[] = [];
  wake?: Timer;
  lastPurgeAt?: number;
  lastSequence = 0n;
  /** Fair queues: per-group load of a standard queue. */
  private readonly load = new FairQueueLoad();

  /** `onForgetDeduplication` hears of each deduplication key dropped as stale (the journal drops its row). */
  constructor(
    public record: QueueRecord,
    onForgetDeduplication?: (key: string) => void,
  ) {
    this.config = queueSettingsOf(record.attributes);
    this.deduplication = new DeduplicationWindow(DEDUPLICATION_WINDOW_MS, onForgetDeduplication);
  }

  get fifo(): boolean {
    return this.record.fifo;
  }

  counts(): QueueCounts {
    return {
      visible: this.all.size - this.inflightCount - this.delayedCount,
      inflight: this.inflightCount,
      delayed: this.delayedCount,
    };
  }

  insert(m: StoredMessage, now: number): void {
    this.all.set(m.ord, m);
    if (m.enqueuedAt >= this.newestEnqueue) {
      this.newestEnqueue = m.enqueuedAt;
      this.retention.push(m);
    } else {
      this.late.push(m);
    }
    if (m.groupId !== undefined) {
      if (this.fifo) {
        let group = this.groups.get(m.groupId);
        if (!group) {
          group = new FifoGroup();
          this.groups.set(m.groupId, group);
        }
        group.push(m);
        if (m.inflight) group.inflight++;
      } else {
        this.load.added(m.groupId, now, m.inflight);
      }
    }
    if (m.inflight) {
      this.inflightCount++;
      this.timed.push(m);
    } else if (m.visibleAt > now) {
      this.delayedCount++;
      this.timed.push(m);
    } else if (!this.fifo) {
      this.ready.push(m);
    }
  }

  remove(m: StoredMessage, now = m.receivedAt): void {
    if (!this.all.delete(m.ord)) return;
    this.retention.delete(m);
    this.late.remove(m);
    this.ready.delete(m);
    if (this.timed.has(m)) {
      this.timed.remove(m);
      if (!m.inflight) this.delayedCount--;
    }
    if (m.inflight) this.inflightCount--;
    if (m.groupId === undefined) return;
    if (this.fifo) {
      const group = this.groups.get(m.groupId);
      if (!group) return;
      group.remove(m);
      if (m.inflight) group.inflight--;
      if (group.size === 0) this.groups.delete(m.groupId);
    } else {
      this.load.removed(m.groupId, m.inflight, m.receivedAt, now);
    }
  }

  /** Moves messages whose delay or visibility timeout has ended into view; true when any did. */
  tick(now: number): boolean {
    let changed = false;
    for (let m = this.timed.peek(); m && m.visibleAt <= now; m = this.timed.peek()) {
      this.timed.pop();
      changed = true;
      if (m.inflight) this.endInflight(m, now);
      else this.delayedCount--;
      if (!this.fifo) this.ready.push(m);
    }
    return changed;
  }

  private endInflight(m: StoredMessage, now: number): void {
    m.inflight = false;
    this.inflightCount--;
    if (m.groupId === undefined) return;
    if (this.fifo) {
      const group = this.groups.get(m.groupId);
      if (group) group.inflight--;
    } else {
      this.load.released(m.groupId, m.receivedAt, now);
    }
  }

  /** Messages that expired under the retention period. */
  expired(now: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    const expired = (m: StoredMessage | undefined): m is StoredMessage =>
      m !== undefined && expiredUnderRetention(m.enqueuedAt, now, this.config);
    for (let m = this.retention.first(); expired(m); m = this.retention.first()) {
      this.retention.delete(m);
      out.push(m);
    }
    for (let m = this.late.peek(); expired(m); m = this.late.peek()) {
      this.late.pop();
      out.push(m);
    }
    return out;
  }

  /** When the oldest message still held was enqueued; undefined when the queue is empty. */
  oldestEnqueuedAt(): number | undefined {
    const first = this.retention.first()?.enqueuedAt;
    const late = this.late.peek()?.enqueuedAt;
    if (first === undefined) return late;
    return late === undefined ? first : Math.min(first, late);
  }

  /** The next instant something on this queue changes by itself. */
  nextDeadline(): number {
    let next = this.timed.peek()?.visibleAt ?? Number.POSITIVE_INFINITY;
    const oldest = this.retention.first();
    if (oldest) next = Math.min(next, oldest.enqueuedAt + this.config.retentionMs);
    const late = this.late.peek();
    if (late) next = Math.min(next, late.enqueuedAt + this.config.retentionMs);
    return next;
  }

  /** Chooses up to `max` receivable messages without changing them. */
  pick(now: number, max: number): StoredMessage[] {
    return this.fifo ? this.pickFifo(now, max) : this.pickStandard(now, max);
  }

  private pickFifo(now: number, max: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const group of this.groups.values()) {
      if (group.inflight > 0) continue;
      group.scan((m) => {
        if (m.inflight || m.visibleAt > now || out.length >= max) return false;
        out.push(m);
        return true;
      });
      if (out.length >= max) break;
    }
    return out;
  }

  private pickStandard(now: number, max: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    const noisy = this.load.noisyGroups(now, this.inflightCount);
    if (noisy.size === 0) {
      this.ready.scan((m) => out.push(m) < max);
      return out;
    }
    this.ready.scan((m) => {
      if (m.groupId === undefined || !noisy.has(m.groupId)) out.push(m);
      return out.length < max;
    });
    // Quiet tenants go first; noisy groups fill what is left, the one with fewest in flight first.
    for (const group of this.load.byLoad(noisy)) {
      if (out.length >= max) break;
      this.ready.scan((m) => {
        if (m.groupId === group) out.push(m);
        return out.length < max;
      });
    }
    return out;
  }

  markReceived(m: StoredMessage, now: number, visibilityMs: number, token: string): void {
    this.ready.delete(m);
    if (!m.inflight) this.startInflight(m);
    m.receiveCount++;
    m.firstReceiveAt ??= now;
    m.receivedAt = now;
    m.visibleAt = now + visibilityMs;
    m.receiptToken = token;
    this.timed.update(m);
  }

  setVisibility(m: StoredMessage, now: number, timeoutMs: number): void {
    if (!m.inflight) {
      this.ready.delete(m);
      this.startInflight(m);
    }
    m.visibleAt = now + timeoutMs;
    this.timed.update(m);
  }

  private startInflight(m: StoredMessage): void {
    m.inflight = true;
    this.inflightCount++;
    if (m.groupId === undefined) return;
    if (this.fifo) {
      const group = this.groups.get(m.groupId);
      if (group) group.inflight++;
    } else {
      this.load.taken(m.groupId);
    }
  }

  /** Applies a changed queue delay to queued messages (AWS does this on FIFO queues only). */
  redelay(now: number, oldDelayMs: number): void {
    for (const m of this.all.values()) {
      if (m.inflight || m.receiveCount > 0) continue;
      const visibleAt = m.sentAt + this.config.delayMs;
      const wasDelayed = this.timed.has(m);
      if (visibleAt === m.visibleAt || (oldDelayMs === this.config.delayMs && wasDelayed)) continue;
      m.visibleAt = visibleAt;
      if (visibleAt > now) {
        if (!wasDelayed) {
          this.delayedCount++;
          this.ready.delete(m);
        }
        this.timed.update(m);
      } else if (wasDelayed) {
        this.timed.remove(m);
        this.delayedCount--;
      }
    }
  }

  clear(): void {
    this.all.clear();
    this.ready.clear();
    this.timed.clear();
    this.groups.clear();
    this.retention.clear();
    this.late.clear();
    this.load.clear();
    this.inflightCount = 0;
    this.delayedCount = 0;
  }
}

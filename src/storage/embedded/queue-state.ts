import { IndexedHeap } from '../../core/heap.js';
import type { Timer } from '../../core/scheduler.js';
import type { QueueCounts, QueueRecord, ReceivedMessage, ReceiveRequest } from '../types.js';
import type { StoredMessage } from './message.js';
import { StampedDeque } from './stamped-deque.js';

/** The settings the engine acts on, read once from the queue's attribute strings. */
export interface QueueConfig {
  visibilityTimeoutMs: number;
  delayMs: number;
  retentionMs: number;
  contentBasedDeduplication: boolean;
  deduplicationPerGroup: boolean;
  redrive?: { targetArn: string; maxReceiveCount: number };
}

export function configOf(record: QueueRecord): QueueConfig {
  const a = record.attributes;
  let redrive: QueueConfig['redrive'];
  if (a.RedrivePolicy) {
    try {
      const p = JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: unknown };
      if (p.deadLetterTargetArn) {
        redrive = { targetArn: p.deadLetterTargetArn, maxReceiveCount: Number(p.maxReceiveCount) };
      }
    } catch {
      redrive = undefined;
    }
  }
  return {
    visibilityTimeoutMs: Number(a.VisibilityTimeout ?? 30) * 1000,
    delayMs: Number(a.DelaySeconds ?? 0) * 1000,
    retentionMs: Number(a.MessageRetentionPeriod ?? 345600) * 1000,
    contentBasedDeduplication: a.ContentBasedDeduplication === 'true',
    deduplicationPerGroup: a.DeduplicationScope === 'messageGroup',
    redrive,
  };
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

// AWS's fair-queue thresholds ("How Amazon SQS fair queues work"): a group
// holding over 10% of the queue's in-flight messages and at least 30 of them,
// or over 10% of recent consumer processing time, counts as noisy until its
// backlog drains or it sends nothing for 5 minutes.
const NOISY_SHARE = 0.1;
const NOISY_MIN_INFLIGHT = 30;
const NOISY_QUIET_MS = 5 * 60_000;
// "Recent" processing time: each second counts half as much a minute later.
const PROCESSING_HALF_LIFE_MS = 60_000;

/** A sum that fades exponentially with clock time. */
class FadingSum {
  private value = 0;
  private at = 0;

  add(amount: number, now: number): void {
    this.value = this.valueAt(now) + amount;
    this.at = now;
  }

  valueAt(now: number): number {
    return this.value * 2 ** (-(now - this.at) / PROCESSING_HALF_LIFE_MS);
  }
}

/**
 * Hot state of one queue: every live message, the visible ones in order
 * (FIFO: per message group), and one heap of messages waiting on the clock
 * (delayed or in flight).
 */
export class QueueState {
  config: QueueConfig;
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
  readonly deduplication = new Map<
    string,
    { messageId: string; sequenceNumber?: string; expiresAt: number }
  >();
  readonly attempts = new Map<string, { messages: ReceivedMessage[]; expiresAt: number }>();
  readonly waiters: Waiter[] = [];
  wake?: Timer;
  lastPurgeAt?: number;
  lastSequence = 0n;
  // Fair queues: per-group load of a standard queue.
  private readonly groupInflight = new Map<string, number>();
  private readonly groupBacklog = new Map<string, number>();
  private readonly groupLastSend = new Map<string, number>();
  private readonly noisy = new Set<string>();
  private readonly groupProcessing = new Map<string, FadingSum>();
  private readonly totalProcessing = new FadingSum();

  constructor(public record: QueueRecord) {
    this.config = configOf(record);
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
        this.bump(this.groupBacklog, m.groupId, 1);
        this.groupLastSend.set(m.groupId, now);
        if (m.inflight) this.bump(this.groupInflight, m.groupId, 1);
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
      if (m.inflight) {
        this.bump(this.groupInflight, m.groupId, -1);
        this.recordProcessing(m.groupId, now - m.receivedAt, now);
      }
      // A drained group is a quiet tenant again, its history forgotten.
      if (this.bump(this.groupBacklog, m.groupId, -1) === 0) {
        this.noisy.delete(m.groupId);
        this.groupProcessing.delete(m.groupId);
      }
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
      this.bump(this.groupInflight, m.groupId, -1);
      this.recordProcessing(m.groupId, now - m.receivedAt, now);
    }
  }

  /** Consumer time spent on a fair-queue group: from a receive to the delete or the timeout. */
  private recordProcessing(group: string, ms: number, now: number): void {
    if (ms <= 0) return;
    let sum = this.groupProcessing.get(group);
    if (!sum) {
      sum = new FadingSum();
      this.groupProcessing.set(group, sum);
    }
    sum.add(ms, now);
    this.totalProcessing.add(ms, now);
  }

  /** Messages that expired under the retention period. */
  expired(now: number): StoredMessage[] {
    const cutoff = now - this.config.retentionMs;
    const out: StoredMessage[] = [];
    for (let m = this.retention.first(); m && m.enqueuedAt <= cutoff; m = this.retention.first()) {
      this.retention.delete(m);
      out.push(m);
    }
    for (let m = this.late.peek(); m && m.enqueuedAt <= cutoff; m = this.late.peek()) {
      this.late.pop();
      out.push(m);
    }
    return out;
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
    const noisy = this.noisyGroups(now);
    if (noisy.size === 0) {
      this.ready.scan((m) => out.push(m) < max);
      return out;
    }
    this.ready.scan((m) => {
      if (m.groupId === undefined || !noisy.has(m.groupId)) out.push(m);
      return out.length < max;
    });
    // Quiet tenants go first; noisy groups fill what is left, the one with fewest in flight first.
    const byLoad = [...noisy].sort(
      (a, b) => (this.groupInflight.get(a) ?? 0) - (this.groupInflight.get(b) ?? 0),
    );
    for (const group of byLoad) {
      if (out.length >= max) break;
      this.ready.scan((m) => {
        if (m.groupId === group) out.push(m);
        return out.length < max;
      });
    }
    return out;
  }

  private noisyGroups(now: number): Set<string> {
    if (this.groupBacklog.size === 0) return this.noisy;
    for (const [group, inflight] of this.groupInflight) {
      if (inflight >= NOISY_MIN_INFLIGHT && inflight > NOISY_SHARE * this.inflightCount)
        this.noisy.add(group);
    }
    const total = this.totalProcessing.valueAt(now);
    for (const [group, sum] of this.groupProcessing) {
      const share = sum.valueAt(now);
      // Faded below a millisecond: forget the group rather than keep its entry forever.
      if (share < 1) this.groupProcessing.delete(group);
      else if (share > NOISY_SHARE * total && this.groupBacklog.has(group)) this.noisy.add(group);
    }
    for (const group of this.noisy) {
      const lastSend = this.groupLastSend.get(group) ?? 0;
      if (!this.groupBacklog.get(group) || now - lastSend >= NOISY_QUIET_MS) this.noisy.delete(group);
    }
    return this.noisy;
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
      this.bump(this.groupInflight, m.groupId, 1);
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
    this.groupInflight.clear();
    this.groupBacklog.clear();
    this.noisy.clear();
    this.groupProcessing.clear();
    this.inflightCount = 0;
    this.delayedCount = 0;
  }

  private bump(counter: Map<string, number>, key: string, by: number): number {
    const next = (counter.get(key) ?? 0) + by;
    if (next <= 0) counter.delete(key);
    else counter.set(key, next);
    return next;
  }
}

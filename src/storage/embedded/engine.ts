import type { Clock } from '../../core/clock.js';
import { newMessageId, uniqueToken } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import type { Scheduler } from '../../core/scheduler.js';
import { deduplicationKey, withinDeduplicationWindow } from '../../services/sqs/rules/deduplication.js';
import {
  queueDelayReachesQueued,
  queueSettingsOf,
  visibleAfterSend,
} from '../../services/sqs/rules/queue-settings.js';
import {
  type Arrival,
  arrivalFromMoveTask,
  arrivalInDeadLetterQueue,
  goesToDeadLetterQueue,
} from '../../services/sqs/rules/redrive.js';
import { formatSequenceNumber, nextSequenceNumber } from '../../services/sqs/rules/sequence-numbers.js';
import {
  deleteDecision,
  type HandleTarget,
  retriedVisibilityMs,
  visibilityDecision,
} from '../../services/sqs/rules/visibility.js';
import type {
  DeleteOutcome,
  MoveTask,
  NewMessage,
  QueueCounts,
  QueueRecord,
  QueueStorage,
  ReceivedMessage,
  ReceiveRequest,
  SendOutcome,
  VisibilityOutcome,
} from '../types.js';
import type { Journal } from './journal.js';
import { StoredMessage } from './message.js';
import { MoveTasks } from './move-tasks.js';
import { QueueState, type Waiter } from './queue-state.js';

interface ParsedHandle {
  queueId: string;
  ord: number;
  token: string;
}

/**
 * The embedded storage engine: all hot state in memory, every mutation
 * journaled when a Journal is given, and every timed change driven by the
 * shared scheduler.
 */
export class EmbeddedEngine implements QueueStorage {
  private readonly queues = new Map<string, QueueState[]>();
  private readonly byArn = new Map<string, QueueState>();
  private readonly byId = new Map<string, QueueState>();
  private ord = 0;
  private readonly warnedMissingDlq = new Set<string>();
  /** When each name was last deleted, by account/region/name: kept in memory only (see deletedAt). */
  private readonly deletedNames = new Map<string, number>();
  private readonly moves: MoveTasks;
  /**
   * Without a journal a send is done when it returns, and callers may take the outcome at once
   * instead of through send()'s promise (SendMessage then allocates no promise at all).
   */
  readonly sendNow?: (record: QueueRecord, messages: NewMessage[]) => SendOutcome[];

  constructor(
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
    private readonly journal?: Journal,
  ) {
    this.moves = new MoveTasks(clock, scheduler, {
      movable: (q, max) => this.movable(q, max),
      move: (from, m, to) => this.transfer(from, m, to, false),
      commit: () => this.commit(),
      queueByArn: (arn) => this.byArn.get(arn),
    });
    if (journal) this.restore(journal);
    else this.sendNow = (record, messages) => this.enqueueAll(record, messages);
  }

  private restore(journal: Journal): void {
    const now = this.clock.now();
    const { queues, maxOrd } = journal.restore();
    this.ord = maxOrd;
    for (const q of queues) {
      const state = this.register(q.record);
      state.lastPurgeAt = q.lastPurgeAt;
      for (const m of q.messages) {
        state.insert(m, now);
        if (m.sequenceNumber) state.lastSequence = BigInt(m.sequenceNumber);
      }
      this.armWake(state);
    }
    this.restoreDeduplication(journal, now);
  }

  /** Deduplication ids still within their window come back in the order they were seen; the rest go. */
  private restoreDeduplication(journal: Journal, now: number): void {
    const saved = journal.resources<SavedDeduplication>('sqsDeduplication');
    saved.sort((a, b) => a.seenAt - b.seenAt);
    let dropped = false;
    for (const d of saved) {
      const state = this.byId.get(d.queueId);
      if (state && withinDeduplicationWindow(d.seenAt, now)) {
        state.deduplication.remember(
          d.key,
          { messageId: d.messageId, sequenceNumber: d.sequenceNumber },
          d.seenAt,
        );
        // Its queue's messages may all be gone: numbers must still not fall below the ones handed out.
        if (d.sequenceNumber && BigInt(d.sequenceNumber) > state.lastSequence) {
          state.lastSequence = BigInt(d.sequenceNumber);
        }
      } else {
        journal.putResource('sqsDeduplication', deduplicationRow(d.queueId, d.key), undefined);
        dropped = true;
      }
    }
    if (dropped) journal.flush();
  }

  // By name first: the name string comes from the parsed-URL cache, so its hash is already
  // computed, and one name rarely exists in more than one account or region.
  private find(account: string, region: string, name: string): QueueState | undefined {
    const named = this.queues.get(name);
    if (!named) return undefined;
    for (const state of named) {
      if (state.record.account === account && state.record.region === region) return state;
    }
    return undefined;
  }

  private register(record: QueueRecord): QueueState {
    const journal = this.journal;
    const state = new QueueState(
      record,
      journal &&
        ((key) => journal.putResource('sqsDeduplication', deduplicationRow(record.id, key), undefined)),
    );
    const named = this.queues.get(record.name);
    if (named) named.push(state);
    else this.queues.set(record.name, [state]);
    this.byArn.set(record.arn, state);
    this.byId.set(record.id, state);
    return state;
  }

  private state(record: QueueRecord): QueueState {
    const state = this.byId.get(record.id);
    if (!state) throw new Error(`queue ${record.arn} is not known to the engine`);
    return state;
  }

  private commit(): Promise<void> {
    return this.journal ? this.journal.commit() : Promise.resolve();
  }

  async createQueue(record: QueueRecord): Promise<void> {
    this.register(record);
    this.journal?.putQueue(record);
    await this.commit();
  }

  async getQueue(account: string, region: string, name: string): Promise<QueueRecord | undefined> {
    return this.getQueueNow(account, region, name);
  }

  /** getQueue without the promise: queues are in memory, with or without a journal. */
  getQueueNow(account: string, region: string, name: string): QueueRecord | undefined {
    return this.find(account, region, name)?.record;
  }

  async getQueueByArn(arn: string): Promise<QueueRecord | undefined> {
    return this.byArn.get(arn)?.record;
  }

  async listQueues(account: string, region: string): Promise<QueueRecord[]> {
    const out: QueueRecord[] = [];
    for (const state of this.byId.values()) {
      if (state.record.account === account && state.record.region === region) out.push(state.record);
    }
    return out;
  }

  allQueues(): QueueRecord[] {
    return [...this.byId.values()].map((state) => state.record);
  }

  oldestEnqueuedAt(record: QueueRecord): number | undefined {
    const state = this.byId.get(record.id);
    if (!state) return undefined;
    this.catchUp(state, this.clock.now());
    return state.oldestEnqueuedAt();
  }

  async updateQueue(record: QueueRecord): Promise<void> {
    const state = this.state(record);
    const oldDelay = state.config.delayMs;
    state.record = record;
    state.config = queueSettingsOf(record.attributes);
    if (queueDelayReachesQueued(state.fifo) && state.config.delayMs !== oldDelay) {
      state.redelay(this.clock.now(), oldDelay);
      for (const m of state.all.values()) this.journal?.putState(m);
      this.settle(state);
    }
    this.journal?.putQueue(record, state.lastPurgeAt);
    await this.commit();
  }

  async deleteQueue(record: QueueRecord): Promise<void> {
    const state = this.state(record);
    const named = this.queues.get(record.name)?.filter((q) => q !== state) ?? [];
    if (named.length > 0) this.queues.set(record.name, named);
    else this.queues.delete(record.name);
    this.byArn.delete(record.arn);
    this.byId.delete(record.id);
    this.scheduler.cancel(state.wake);
    for (const w of state.waiters.splice(0)) this.finishWaiter(w, []);
    this.journal?.dropQueue(record.id, state.all.values());
    for (const key of state.deduplication.keys()) {
      this.journal?.putResource('sqsDeduplication', deduplicationRow(record.id, key), undefined);
    }
    state.clear();
    this.deletedNames.set(nameKey(record.account, record.region, record.name), this.clock.now());
    await this.commit();
  }

  async deletedAt(account: string, region: string, name: string): Promise<number | undefined> {
    return this.deletedNames.get(nameKey(account, region, name));
  }

  send(record: QueueRecord, messages: NewMessage[]): Promise<SendOutcome[]> {
    const outcomes = this.enqueueAll(record, messages);
    return this.commit().then(() => outcomes);
  }

  private enqueueAll(record: QueueRecord, messages: NewMessage[]): SendOutcome[] {
    const state = this.state(record);
    const now = this.clock.now();
    const outcomes: SendOutcome[] = [];
    for (const input of messages) outcomes.push(this.enqueue(state, input, now));
    this.settle(state, now);
    return outcomes;
  }

  private enqueue(state: QueueState, input: NewMessage, now: number): SendOutcome {
    let dedupKey: string | undefined;
    if (state.fifo && input.deduplicationId !== undefined) {
      dedupKey = deduplicationKey(state.config.deduplicationPerGroup, input.groupId, input.deduplicationId);
      const seen = state.deduplication.get(dedupKey, now);
      if (seen) return { messageId: seen.messageId, sequenceNumber: seen.sequenceNumber };
    }
    const m = new StoredMessage(newMessageId());
    m.ord = ++this.ord;
    m.body = input.body;
    if (input.sealedBody !== undefined) m.sealedBody = input.sealedBody;
    m.md5OfBody = input.md5OfBody;
    m.attributes = input.attributes;
    m.md5OfAttributes = input.md5OfAttributes;
    m.systemAttributes = input.systemAttributes;
    m.md5OfSystemAttributes = input.md5OfSystemAttributes;
    m.sentAt = now;
    m.enqueuedAt = now;
    m.senderId = input.senderId;
    m.groupId = input.groupId;
    m.visibleAt = visibleAfterSend(now, input.delaySeconds, state.config);
    if (state.fifo) {
      m.deduplicationId = input.deduplicationId;
      m.sequenceNumber = this.nextSequence(state, now);
    }
    if (dedupKey !== undefined) {
      const answer = { messageId: m.id, sequenceNumber: m.sequenceNumber };
      state.deduplication.remember(dedupKey, answer, now);
      // Kept in the journal for the window: a repeat after a restart must still be refused.
      this.journal?.putResource('sqsDeduplication', deduplicationRow(state.record.id, dedupKey), {
        queueId: state.record.id,
        key: dedupKey,
        seenAt: now,
        ...answer,
      } satisfies SavedDeduplication);
    }
    state.insert(m, now);
    this.journal?.putMessage(state.record.id, m);
    return { messageId: m.id, sequenceNumber: m.sequenceNumber };
  }

  private nextSequence(state: QueueState, now: number): string {
    state.lastSequence = nextSequenceNumber(state.lastSequence, now);
    return formatSequenceNumber(state.lastSequence);
  }

  receive(record: QueueRecord, request: ReceiveRequest): Promise<ReceivedMessage[]> {
    const state = this.state(record);
    const now = this.clock.now();
    this.catchUp(state, now);
    const got = this.receiveNow(state, request, now);
    if (got.length > 0 || request.waitSeconds <= 0 || request.signal?.aborted) {
      return this.commit().then(() => got);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { request, resolve };
      waiter.timer = this.scheduler.at(now + request.waitSeconds * 1000, () =>
        this.expireWaiter(state, waiter),
      );
      if (request.signal) {
        waiter.onAbort = () => this.expireWaiter(state, waiter);
        request.signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      state.waiters.push(waiter);
    });
  }

  private expireWaiter(state: QueueState, waiter: Waiter): void {
    const i = state.waiters.indexOf(waiter);
    if (i >= 0) state.waiters.splice(i, 1);
    this.finishWaiter(waiter, []);
  }

  private finishWaiter(waiter: Waiter, messages: ReceivedMessage[]): void {
    this.scheduler.cancel(waiter.timer);
    if (waiter.onAbort) waiter.request.signal?.removeEventListener('abort', waiter.onAbort);
    if (messages.length === 0) waiter.resolve(messages);
    else this.commit().then(() => waiter.resolve(messages));
  }

  private receiveNow(state: QueueState, request: ReceiveRequest, now: number): ReceivedMessage[] {
    const visibilityMs = request.visibilityTimeoutSeconds * 1000;
    if (request.attemptId !== undefined && state.fifo) {
      const previous = this.replayAttempt(state, request.attemptId, now, visibilityMs);
      if (previous) return previous;
    }
    const out: ReceivedMessage[] = [];
    const redrive = state.config.redrive;
    const dlq = redrive ? this.byArn.get(redrive.deadLetterTargetArn) : undefined;
    if (redrive && !dlq && !this.warnedMissingDlq.has(state.record.arn)) {
      this.warnedMissingDlq.add(state.record.arn);
      this.log.warn(
        { queue: state.record.arn, deadLetterTargetArn: redrive.deadLetterTargetArn },
        'the RedrivePolicy names a dead-letter queue that does not exist: messages past maxReceiveCount stay in the source queue',
      );
    }
    for (;;) {
      const picked = state.pick(now, request.max - out.length);
      if (picked.length === 0) break;
      let moved = false;
      for (const m of picked) {
        if (dlq && goesToDeadLetterQueue(m.receiveCount, redrive)) {
          this.transfer(state, m, dlq, true);
          moved = true;
          continue;
        }
        const token = uniqueToken();
        state.markReceived(m, now, visibilityMs, token);
        this.journal?.putState(m);
        out.push({ message: m, receiptHandle: encodeHandle(state.record.id, m.ord, token) });
      }
      // A move frees the next message of a FIFO group, or leaves room: look again.
      if (!moved || out.length >= request.max) break;
    }
    if (out.length > 0) this.armWake(state);
    if (request.attemptId !== undefined && state.fifo && out.length > 0) {
      state.attempts.remember(request.attemptId, out, now);
    }
    return out;
  }

  /** A retried FIFO receive with the same attempt id gets the same messages while they stay untouched. */
  private replayAttempt(
    state: QueueState,
    attemptId: string,
    now: number,
    visibilityMs: number,
  ): ReceivedMessage[] | undefined {
    const messages = state.attempts.get(attemptId, now);
    if (!messages) return undefined;
    const intact = messages.every((r) => {
      const m = state.all.get((r.message as StoredMessage).ord);
      return m?.inflight && encodeHandle(state.record.id, m.ord, m.receiptToken) === r.receiptHandle;
    });
    if (!intact) {
      state.attempts.forget(attemptId);
      return undefined;
    }
    for (const r of messages) {
      const m = state.all.get((r.message as StoredMessage).ord)!;
      state.setVisibility(m, now, retriedVisibilityMs(m.receivedAt, now, visibilityMs));
      this.journal?.putState(m);
    }
    this.armWake(state);
    return messages;
  }

  /** Moves a message to another queue: redrive to a DLQ, or a move task back out of one. */
  private transfer(from: QueueState, m: StoredMessage, to: QueueState, toDeadLetter: boolean): void {
    const now = this.clock.now();
    from.remove(m);
    this.journal?.deleteMessage(m);
    m.inflight = false;
    m.receiptToken = '';
    m.visibleAt = now;
    m.ord = ++this.ord;
    const arrival: Arrival = toDeadLetter
      ? arrivalInDeadLetterQueue(m, from.record.arn, to.fifo, now)
      : arrivalFromMoveTask(to.fifo, now);
    m.enqueuedAt = arrival.enqueuedAt;
    m.receiveCount = arrival.receiveCount;
    m.firstReceiveAt = arrival.firstReceiveAt;
    m.deadLetterSourceArn = arrival.deadLetterSourceArn;
    if (arrival.newSequenceNumber) m.sequenceNumber = this.nextSequence(to, now);
    to.insert(m, now);
    this.journal?.putMessage(to.record.id, m);
    this.log.debug({ messageId: m.id, from: from.record.arn, to: to.record.arn }, 'message moved');
    this.settle(to);
  }

  /** The queue's state brought up to now, and the message a receipt handle names (if it still exists). */
  private byHandle(record: QueueRecord, receiptHandle: string) {
    const state = this.state(record);
    const handle = decodeHandle(receiptHandle);
    if (!handle || handle.queueId !== record.id) return undefined;
    const now = this.clock.now();
    this.catchUp(state, now);
    return { state, now, handle, m: state.all.get(handle.ord) };
  }

  async deleteMessages(record: QueueRecord, receiptHandles: string[]): Promise<DeleteOutcome[]> {
    const outcomes = receiptHandles.map((h) => this.deleteOne(record, h));
    if (outcomes.includes('deleted')) {
      this.settle(this.state(record));
      await this.commit();
    }
    return outcomes;
  }

  private deleteOne(record: QueueRecord, receiptHandle: string): DeleteOutcome {
    const found = this.byHandle(record, receiptHandle);
    if (!found) return 'invalid';
    const { state, now, handle, m } = found;
    const outcome = deleteDecision(handleTarget(state, m, handle.token));
    if (outcome !== 'deleted' || !m) return outcome;
    state.remove(m, now);
    this.journal?.deleteMessage(m);
    return 'deleted';
  }

  async changeVisibility(
    record: QueueRecord,
    receiptHandle: string,
    timeoutSeconds: number,
  ): Promise<VisibilityOutcome> {
    const found = this.byHandle(record, receiptHandle);
    if (!found) return 'invalid';
    const { state, now, handle, m } = found;
    const timeoutMs = timeoutSeconds * 1000;
    const outcome = visibilityDecision(
      handleTarget(state, m, handle.token),
      m?.receivedAt ?? 0,
      now,
      timeoutMs,
    );
    if (outcome !== 'ok' || !m) return outcome;
    state.setVisibility(m, now, timeoutMs);
    this.journal?.putState(m);
    this.settle(state);
    await this.commit();
    return 'ok';
  }

  async purge(record: QueueRecord): Promise<void> {
    const state = this.state(record);
    for (const m of [...state.all.values()]) {
      state.remove(m);
      this.journal?.deleteMessage(m);
    }
    state.lastPurgeAt = this.clock.now();
    this.journal?.putQueue(record, state.lastPurgeAt);
    this.settle(state);
    await this.commit();
  }

  async lastPurge(record: QueueRecord): Promise<number | undefined> {
    return this.byId.get(record.id)?.lastPurgeAt;
  }

  async counts(record: QueueRecord): Promise<QueueCounts> {
    const state = this.state(record);
    this.catchUp(state, this.clock.now());
    return state.counts();
  }

  startMoveTask(
    source: QueueRecord,
    destination: QueueRecord | undefined,
    maxPerSecond?: number,
  ): Promise<MoveTask> {
    return this.moves.start(this.state(source), destination && this.state(destination), maxPerSecond);
  }

  async listMoveTasks(source: QueueRecord): Promise<MoveTask[]> {
    return this.moves.list(source.arn);
  }

  cancelMoveTask(taskHandle: string): Promise<MoveTask | undefined> {
    return this.moves.cancel(taskHandle);
  }

  private movable(state: QueueState, max: number): StoredMessage[] {
    this.catchUp(state, this.clock.now());
    return state.pick(this.clock.now(), max);
  }

  async reset(): Promise<void> {
    for (const state of this.byId.values()) {
      this.scheduler.cancel(state.wake);
      for (const w of state.waiters.splice(0)) this.finishWaiter(w, []);
    }
    this.queues.clear();
    this.byArn.clear();
    this.byId.clear();
    this.deletedNames.clear();
    this.moves.clear();
    this.journal?.clear();
    this.journal?.clearResources('sqsDeduplication');
    await this.commit();
  }

  async close(): Promise<void> {
    for (const state of this.byId.values()) {
      this.scheduler.cancel(state.wake);
      for (const w of state.waiters.splice(0)) this.finishWaiter(w, []);
    }
    this.moves.clear();
    this.journal?.close();
  }

  /** Applies everything the clock has made due on this queue. */
  private catchUp(state: QueueState, now: number): boolean {
    const changed = state.tick(now);
    const expired = state.expired(now);
    for (const m of expired) {
      state.remove(m);
      this.journal?.deleteMessage(m);
    }
    return changed || expired.length > 0;
  }

  /** After any change: hand newly receivable messages to waiting receives, and re-arm the queue's timer. */
  private settle(state: QueueState, now = this.clock.now()): void {
    while (state.waiters.length > 0) {
      const waiter = state.waiters[0];
      const got = this.receiveNow(state, waiter.request, now);
      if (got.length === 0) break;
      state.waiters.shift();
      this.finishWaiter(waiter, got);
    }
    this.armWake(state);
  }

  private armWake(state: QueueState): void {
    const next = state.nextDeadline();
    if (next === Number.POSITIVE_INFINITY) {
      this.scheduler.cancel(state.wake);
      return;
    }
    if (this.scheduler.isPending(state.wake) && state.wake!.at <= next) return;
    if (state.wake) this.scheduler.reschedule(state.wake, next);
    else state.wake = this.scheduler.at(next, () => this.onWake(state));
  }

  private onWake(state: QueueState): void {
    if (!this.byId.has(state.record.id)) return;
    this.catchUp(state, this.clock.now());
    this.settle(state);
    if (this.journal) void this.commit();
  }
}

/** A FIFO send's deduplication entry as the journal keeps it. */
interface SavedDeduplication {
  queueId: string;
  key: string;
  seenAt: number;
  messageId: string;
  sequenceNumber?: string;
}

function deduplicationRow(queueId: string, key: string): string {
  return `${queueId}\u0000${key}`;
}

function nameKey(account: string, region: string, name: string): string {
  return `${account}/${region}/${name}`;
}

function handleTarget(state: QueueState, m: StoredMessage | undefined, token: string): HandleTarget {
  return {
    exists: m !== undefined,
    latest: m !== undefined && m.receiptToken === token,
    inflight: m?.inflight ?? false,
    fifo: state.fifo,
  };
}

// Receipt handles are opaque to clients; ours name the queue incarnation, the
// message's arrival number and the receive's nonce, in plain text: cheap to
// build and to parse on every receive and delete.
function encodeHandle(queueId: string, ord: number, token: string): string {
  return `${queueId}.${ord.toString(36)}.${token}`;
}

function decodeHandle(handle: string): ParsedHandle | undefined {
  const first = handle.indexOf('.');
  const second = first < 0 ? -1 : handle.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || second === handle.length - 1 || handle.indexOf('.', second + 1) >= 0) {
    return undefined;
  }
  const ordText = handle.slice(first + 1, second);
  if (!/^[0-9a-z]{1,11}$/.test(ordText)) return undefined;
  return {
    queueId: handle.slice(0, first),
    ord: Number.parseInt(ordText, 36),
    token: handle.slice(second + 1),
  };
}

import { DeduplicationWindow } from '../../services/sqs/rules/deduplication.js';
import type { SequencedPublication, SubscriptionRecord, TopicRecord, TopicStorage } from '../types.js';
import type { Journal } from './journal.js';

/**
 * SNS topics and subscriptions in memory, written through to the journal's record table with
 * --data-dir. Reads are synchronous: a Publish looks its topic and subscriptions up on every call.
 */
export class EmbeddedTopics implements TopicStorage {
  private readonly topics = new Map<string, TopicRecord>();
  private readonly subscriptions = new Map<string, SubscriptionRecord>();
  /** Subscriptions by topic ARN, in subscription order. */
  private readonly byTopic = new Map<string, Map<string, SubscriptionRecord>>();
  /** FIFO topics' last sequence (journaled as it is taken) and recent deduplication keys (once delivered). */
  private readonly fifo = new Map<string, FifoTopic>();

  constructor(private readonly journal?: Journal) {
    if (!journal) return;
    for (const topic of journal.resources<TopicRecord>('topics')) this.topics.set(topic.arn, topic);
    const subscriptions = journal.resources<SubscriptionRecord>('subscriptions');
    subscriptions.sort((a, b) => a.createdAt - b.createdAt);
    for (const subscription of subscriptions) this.index(subscription);
    this.restoreFifo(journal);
  }

  /** Counters first, then ids in the order they were seen; stale ones go as they are next looked at. */
  private restoreFifo(journal: Journal): void {
    const rows = journal.resources<SavedFifoRow>('snsFifo');
    for (const row of rows) {
      if (row.key === undefined) this.fifoTopic(row.topicArn, row.windowMs).sequence = BigInt(row.sequence);
    }
    const ids = rows.filter((r) => r.key !== undefined).sort((a, b) => a.seenAt! - b.seenAt!);
    for (const row of ids) {
      this.fifoTopic(row.topicArn, row.windowMs).seen.remember(
        row.key!,
        { messageId: row.messageId!, sequence: BigInt(row.sequence), seenAt: row.seenAt! },
        row.seenAt!,
      );
    }
  }

  private fifoTopic(topicArn: string, windowMs: number): FifoTopic {
    let state = this.fifo.get(topicArn);
    if (!state || state.seen.windowMs !== windowMs) {
      const journal = this.journal;
      const forget =
        journal && ((key: string) => journal.putResource('snsFifo', idRow(topicArn, key), undefined));
      state = { sequence: state?.sequence ?? 0n, seen: new DeduplicationWindow(windowMs, forget) };
      this.fifo.set(topicArn, state);
    }
    return state;
  }

  /** Drops a FIFO topic's counter and ids, from memory and the journal. */
  private dropFifo(topicArn: string): void {
    const state = this.fifo.get(topicArn);
    if (!state) return;
    for (const key of state.seen.keys())
      this.journal?.putResource('snsFifo', idRow(topicArn, key), undefined);
    this.journal?.putResource('snsFifo', topicArn, undefined);
    this.fifo.delete(topicArn);
  }

  private index(subscription: SubscriptionRecord): void {
    this.subscriptions.set(subscription.arn, subscription);
    let of = this.byTopic.get(subscription.topicArn);
    if (!of) {
      of = new Map();
      this.byTopic.set(subscription.topicArn, of);
    }
    of.set(subscription.arn, subscription);
  }

  private commit(): Promise<void> {
    return this.journal ? this.journal.commit() : Promise.resolve();
  }

  async putTopic(topic: TopicRecord): Promise<void> {
    this.topics.set(topic.arn, topic);
    this.journal?.putResource('topics', topic.arn, topic);
    await this.commit();
  }

  getTopic(arn: string): TopicRecord | undefined {
    return this.topics.get(arn);
  }

  allTopics(): TopicRecord[] {
    return [...this.topics.values()];
  }

  listTopics(account: string, region: string): TopicRecord[] {
    return [...this.topics.values()].filter((t) => t.account === account && t.region === region);
  }

  async deleteTopic(arn: string): Promise<void> {
    this.topics.delete(arn);
    this.journal?.putResource('topics', arn, undefined);
    for (const subscription of this.byTopic.get(arn)?.values() ?? []) {
      this.subscriptions.delete(subscription.arn);
      this.journal?.putResource('subscriptions', subscription.arn, undefined);
    }
    this.byTopic.delete(arn);
    this.dropFifo(arn);
    await this.commit();
  }

  async putSubscription(subscription: SubscriptionRecord): Promise<void> {
    this.index(subscription);
    this.journal?.putResource('subscriptions', subscription.arn, subscription);
    await this.commit();
  }

  getSubscription(arn: string): SubscriptionRecord | undefined {
    return this.subscriptions.get(arn);
  }

  subscriptionsOf(topicArn: string): SubscriptionRecord[] {
    const of = this.byTopic.get(topicArn);
    return of ? [...of.values()] : [];
  }

  /** The account's subscriptions in a region: those on its topics and those it made on others'. */
  listSubscriptions(account: string, region: string): SubscriptionRecord[] {
    const prefix = `arn:aws:sns:${region}:${account}:`;
    const regional = `arn:aws:sns:${region}:`;
    return [...this.subscriptions.values()].filter(
      (s) => s.topicArn.startsWith(prefix) || (s.owner === account && s.topicArn.startsWith(regional)),
    );
  }

  async deleteSubscription(arn: string): Promise<void> {
    const subscription = this.subscriptions.get(arn);
    if (!subscription) return;
    this.subscriptions.delete(arn);
    this.byTopic.get(subscription.topicArn)?.delete(arn);
    this.journal?.putResource('subscriptions', arn, undefined);
    await this.commit();
  }

  async sequencePublication(
    topicArn: string,
    key: string,
    messageId: string,
    now: number,
    windowMs: number,
  ): Promise<SequencedPublication> {
    const state = this.fifoTopic(topicArn, windowMs);
    const first = state.seen.get(key, now);
    if (first) return { duplicate: true, messageId: first.messageId, sequence: first.sequence };
    state.sequence += 1n;
    state.seen.remember(key, { messageId, sequence: state.sequence, seenAt: now }, now);
    if (this.journal) {
      const sequence = state.sequence.toString();
      this.journal.putResource('snsFifo', topicArn, { topicArn, sequence, windowMs } satisfies SavedFifoRow);
      await this.journal.commit();
    }
    return { duplicate: false, messageId, sequence: state.sequence };
  }

  async confirmPublication(topicArn: string, key: string, now: number): Promise<void> {
    const state = this.fifo.get(topicArn);
    // Gone with its topic, or out of its window already: nothing left to keep.
    const first = state?.seen.get(key, now);
    if (!this.journal || !state || !first) return;
    this.journal.putResource('snsFifo', idRow(topicArn, key), {
      topicArn,
      key,
      sequence: first.sequence.toString(),
      windowMs: state.seen.windowMs,
      messageId: first.messageId,
      seenAt: first.seenAt,
    } satisfies SavedFifoRow);
    await this.journal.commit();
  }

  async reset(): Promise<void> {
    this.fifo.clear();
    this.journal?.clearResources('snsFifo');
    this.topics.clear();
    this.subscriptions.clear();
    this.byTopic.clear();
    this.journal?.clearResources('topics');
    this.journal?.clearResources('subscriptions');
    await this.commit();
  }
}

interface FifoTopic {
  sequence: bigint;
  seen: DeduplicationWindow<{ messageId: string; sequence: bigint; seenAt: number }>;
}

/** A FIFO topic's counter (no key), or one of its deduplication ids, as the journal keeps it. */
interface SavedFifoRow {
  topicArn: string;
  sequence: string;
  windowMs: number;
  key?: string;
  messageId?: string;
  seenAt?: number;
}

function idRow(topicArn: string, key: string): string {
  return `${topicArn}\u0000${key}`;
}

import type { CommittedOffset } from '../types.js';
import type { Journal } from './journal.js';

/** A committed offset as its journal row keeps it (offsets are int64: written as strings). */
interface SavedOffset {
  cluster: string;
  group: string;
  topic: string;
  partition: number;
  offset: string;
  leaderEpoch: number;
  metadata: string | null;
  commitTimestamp: number;
}

/**
 * Consumer groups' committed offsets, by cluster and group, written through to the journal one
 * row per group and partition, so a commit writes only the partitions it names.
 */
export class KafkaOffsets {
  /** cluster → group → "topic\npartition" → offset. */
  private readonly byCluster = new Map<string, Map<string, Map<string, CommittedOffset>>>();

  constructor(private readonly journal: Journal | undefined) {
    for (const saved of journal?.resources<SavedOffset>('kafkaOffsets') ?? []) {
      this.groupOf(saved.cluster, saved.group, true)?.set(partitionKey(saved.topic, saved.partition), {
        topic: saved.topic,
        partition: saved.partition,
        offset: BigInt(saved.offset),
        leaderEpoch: saved.leaderEpoch,
        metadata: saved.metadata,
        commitTimestamp: saved.commitTimestamp,
      });
    }
  }

  private groupOf(cluster: string, group: string, create: boolean): Map<string, CommittedOffset> | undefined {
    let groups = this.byCluster.get(cluster);
    if (!groups) {
      if (!create) return undefined;
      groups = new Map();
      this.byCluster.set(cluster, groups);
    }
    let offsets = groups.get(group);
    if (!offsets && create) {
      offsets = new Map();
      groups.set(group, offsets);
    }
    return offsets;
  }

  commit(cluster: string, group: string, offsets: CommittedOffset[]): void {
    if (offsets.length === 0) return;
    const kept = this.groupOf(cluster, group, true) as Map<string, CommittedOffset>;
    for (const o of offsets) {
      const copy = { ...o };
      kept.set(partitionKey(o.topic, o.partition), copy);
      this.journal?.putResource('kafkaOffsets', rowKey(cluster, group, o.topic, o.partition), {
        cluster,
        group,
        topic: o.topic,
        partition: o.partition,
        offset: o.offset.toString(),
        leaderEpoch: o.leaderEpoch,
        metadata: o.metadata,
        commitTimestamp: o.commitTimestamp,
      } satisfies SavedOffset);
    }
  }

  committed(cluster: string, group: string): CommittedOffset[] {
    const kept = this.groupOf(cluster, group, false);
    return kept ? [...kept.values()].map((o) => ({ ...o })) : [];
  }

  /** Drops a group's offsets (all, or those of the given topics); a group left with none goes. */
  delete(cluster: string, group: string, topics?: string[]): void {
    const kept = this.groupOf(cluster, group, false);
    if (!kept) return;
    const only = topics && new Set(topics);
    for (const [key, o] of kept) {
      if (only && !only.has(o.topic)) continue;
      kept.delete(key);
      this.journal?.putResource('kafkaOffsets', rowKey(cluster, group, o.topic, o.partition), undefined);
    }
    if (kept.size === 0) this.byCluster.get(cluster)?.delete(group);
  }

  groups(cluster: string): string[] {
    return [...(this.byCluster.get(cluster)?.keys() ?? [])];
  }

  dropCluster(cluster: string): void {
    for (const group of this.groups(cluster)) this.delete(cluster, group);
    this.byCluster.delete(cluster);
  }

  clear(): void {
    this.byCluster.clear();
    this.journal?.clearResources('kafkaOffsets');
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\n${partition}`;
}

function rowKey(cluster: string, group: string, topic: string, partition: number): string {
  return JSON.stringify([cluster, group, topic, partition]);
}

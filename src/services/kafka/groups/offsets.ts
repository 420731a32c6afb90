// Committed offsets as OffsetFetch answers them.
import type { CommittedOffset } from '../../../storage/types.js';
import { GroupError } from './errors.js';
import type { FetchedOffsets } from './requests.js';

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The offsets asked for (-1 and no metadata where none is committed, as Kafka answers), or every
 * committed one when `topics` is null.
 */
export function readCommitted(
  committed: CommittedOffset[],
  topics: Array<{ name: string; partitionIndexes: number[] }> | null,
): FetchedOffsets[] {
  const entry = (partitionIndex: number, c: CommittedOffset | undefined) => ({
    partitionIndex,
    committedOffset: c ? c.offset : -1n,
    committedLeaderEpoch: c ? c.leaderEpoch : -1,
    metadata: c?.metadata ?? '',
    errorCode: GroupError.NONE,
  });
  if (topics === null) {
    const byTopic = new Map<string, FetchedOffsets>();
    for (const c of committed) {
      const t = byTopic.get(c.topic) ?? { name: c.topic, partitions: [] };
      byTopic.set(c.topic, t);
      t.partitions.push(entry(c.partition, c));
    }
    return [...byTopic.values()];
  }
  const byKey = new Map(committed.map((c) => [key(c.topic, c.partition), c]));
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((p) => entry(p, byKey.get(key(t.name, p)))),
  }));
}

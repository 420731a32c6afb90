// A cluster for the data path's tests before (and apart from) the broker and storage slices: an
// in-memory KafkaLogStorage with the contract's semantics for what Produce, Fetch and ListOffsets
// use, and a ClusterRuntime on a frozen clock the tests advance.
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { readBatchHeader } from '../../src/protocols/kafka/record-batch.js';
import type {
  ClusterRuntime,
  ConnectionState,
  KafkaRequestContext,
} from '../../src/services/kafka/broker/types.js';
import type { KafkaLogStorage, KafkaTopicRecord, ProducerEntry } from '../../src/storage/types.js';

interface Partition {
  batches: Buffer[];
  next: bigint;
  start: bigint;
  producers: Map<bigint, ProducerEntry>;
}

export class MemoryKafkaLog {
  readonly topics = new Map<string, KafkaTopicRecord>();
  readonly partitions = new Map<string, Partition>();
  readonly watchers = new Map<string, Set<() => void>>();
  appends = 0;
  private producerId = 1000n;

  constructor(private readonly clock: Clock) {}

  private part(topic: string, partition: number): Partition {
    const key = `${topic}/${partition}`;
    let p = this.partitions.get(key);
    if (!p) {
      p = { batches: [], next: 0n, start: 0n, producers: new Map() };
      this.partitions.set(key, p);
    }
    return p;
  }

  addTopic(name: string, partitions = 1, configs: Record<string, string> = {}): void {
    this.topics.set(name, {
      cluster: 'default',
      name,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      partitions,
      replicationFactor: 1,
      configs,
      createdAt: 0,
    });
  }

  /** Drops the oldest batch, as retention would. */
  dropOldest(topic: string, partition: number): void {
    const p = this.part(topic, partition);
    p.batches.shift();
    const first = p.batches[0];
    p.start = first ? first.readBigInt64BE(0) : p.next;
  }

  storage(): KafkaLogStorage {
    const self = this;
    const unused = () => {
      throw new Error('not used by the data path');
    };
    return {
      createTopic: unused,
      getTopic: (_c, name) => self.topics.get(name),
      topicById: unused,
      listTopics: () => [...self.topics.values()],
      updateTopic: unused,
      deleteTopic: unused,
      setRetentionDefaults: unused,
      async append(_c, topic, partition, batches) {
        self.appends++;
        const p = self.part(topic, partition);
        const baseOffset = p.next;
        for (const view of batches) {
          const batch = Buffer.from(view);
          batch.writeBigInt64BE(p.next, 0);
          const h = readBatchHeader(batch);
          p.batches.push(batch);
          if (h.producerId >= 0n) {
            let entry = p.producers.get(h.producerId);
            if (!entry || entry.producerEpoch !== h.producerEpoch) {
              entry = { producerEpoch: h.producerEpoch, batches: [] };
              p.producers.set(h.producerId, entry);
            }
            entry.batches.push({
              firstSequence: h.baseSequence,
              lastSequence: h.baseSequence + h.lastOffsetDelta,
              baseOffset: p.next,
              lastOffset: p.next + BigInt(h.lastOffsetDelta),
              timestamp: h.maxTimestamp,
            });
            if (entry.batches.length > 5) entry.batches.shift();
          }
          p.next += BigInt(h.lastOffsetDelta) + 1n;
        }
        for (const listener of [...(self.watchers.get(topic) ?? [])]) listener();
        return { baseOffset, logStartOffset: p.start, appendTime: self.clock.now() };
      },
      read(_c, topic, partition, fromOffset, maxBytes) {
        const out: Buffer[] = [];
        let size = 0;
        for (const b of self.part(topic, partition).batches) {
          const last = b.readBigInt64BE(0) + BigInt(b.readInt32BE(23));
          if (last < fromOffset) continue;
          if (out.length > 0 && size + b.length > maxBytes) break;
          out.push(b);
          size += b.length;
        }
        return out;
      },
      offsets: (_c, topic, partition) => {
        const p = self.part(topic, partition);
        return { logStartOffset: p.start, highWatermark: p.next };
      },
      batchAtTime(_c, topic, partition, timestamp) {
        return self.part(topic, partition).batches.find((b) => b.readBigInt64BE(35) >= timestamp);
      },
      batchWithMaxTimestamp(_c, topic, partition) {
        let best: Buffer | undefined;
        for (const b of self.part(topic, partition).batches) {
          if (!best || b.readBigInt64BE(35) > best.readBigInt64BE(35)) best = b;
        }
        return best;
      },
      producers: (_c, topic, partition) => self.part(topic, partition).producers,
      watch(_c, topic, listener) {
        let set = self.watchers.get(topic);
        if (!set) {
          set = new Set();
          self.watchers.set(topic, set);
        }
        set.add(listener);
        return () => set.delete(listener);
      },
      commitOffsets: unused,
      committedOffsets: unused,
      deleteOffsets: unused,
      groupsWithOffsets: unused,
      nextProducerId: async () => self.producerId++,
      dropCluster: unused,
      reset: unused,
    };
  }
}

export interface FakeCluster {
  cluster: ClusterRuntime;
  log: MemoryKafkaLog;
  clock: Clock;
  config: Map<string, string>;
  /** A request context on a connection that records whether it was closed. */
  ctx(apiKey: number, apiVersion: number): KafkaRequestContext & { closed: () => boolean; abort: () => void };
}

export function fakeCluster(): FakeCluster {
  const clock = new Clock();
  clock.freeze();
  const scheduler = new Scheduler(clock);
  const log = new MemoryKafkaLog(clock);
  const config = new Map<string, string>();
  const topics = log.storage();
  const cluster: ClusterRuntime = {
    id: 'default',
    clusterId: 'AAAAAAAAAAAAAAAAAAAAAA',
    isDefault: true,
    brokerNodes: 1,
    account: '000000000000',
    region: 'us-east-1',
    config: (name) => config.get(name),
    listeners: () => [{ kind: 'PLAINTEXT', host: '127.0.0.1', port: 9092 }],
    topics,
    groups: { clear: async () => {}, topicDeleted: async () => {}, close: () => {} },
    scramUsers: () => new Map(),
    clock,
    scheduler,
    log: createLogger('silent'),
  };
  return {
    cluster,
    log,
    clock,
    config,
    ctx(apiKey, apiVersion) {
      let closed = false;
      const controller = new AbortController();
      const connection: ConnectionState = {
        id: 1,
        listener: { kind: 'PLAINTEXT', host: '127.0.0.1', port: 9092 },
        remote: '127.0.0.1:50000',
        principal: 'ANONYMOUS',
        authenticated: true,
        rawSasl: undefined,
        close: () => {
          closed = true;
        },
        signal: controller.signal,
      };
      return {
        apiKey,
        apiVersion,
        correlationId: 1,
        clientId: 'test',
        connection,
        cluster,
        closed: () => closed,
        abort: () => controller.abort(),
      };
    },
  };
}

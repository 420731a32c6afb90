import { decodeRecords, type KafkaRecord } from '../../protocols/kafka/record-batch.js';
import type { PartitionOffsets } from '../../storage/types.js';
import type { KafkaBrokerControl } from './broker/types.js';

/** One topic of a served cluster, read as a consumer reads it (Firehose's MSKAsSource). */
export interface KafkaTopicReader {
  /** The topic's id: a topic deleted and created again under its name has a new one. */
  readonly topicId: string;
  /** The topic's partition count, or undefined once the topic is gone. */
  partitions(): number | undefined;
  offsets(partition: number): PartitionOffsets;
  /** The first offset whose record's timestamp is at or after `time` (clock ms); the high watermark when none is. */
  offsetAtTime(partition: number, time: number): bigint;
  /** Records from `fromOffset` on, decoded (decompressed), up to about `maxBytes` of batches. */
  read(partition: number, fromOffset: bigint, maxBytes: number): KafkaRecord[];
  /** Calls `listener` after records are appended to the topic, until the returned function is called. */
  watch(listener: () => void): () => void;
}

/**
 * Kafka for other services: topics of the clusters this process serves, read through the same
 * log storage the brokers' Fetch reads. A cluster is served once the control plane made it ACTIVE.
 */
export interface KafkaFrontDoor {
  /** The topic of a served cluster, or undefined while the cluster is not served or the topic does not exist. */
  topic(clusterArn: string, topic: string): KafkaTopicReader | undefined;
}

export function kafkaFrontDoor(brokers: KafkaBrokerControl): KafkaFrontDoor {
  return {
    topic(clusterArn, name) {
      const cluster = brokers.cluster(clusterArn);
      const found = cluster?.topics.getTopic(clusterArn, name);
      if (!cluster || !found) return undefined;
      const log = cluster.topics;
      return {
        topicId: found.topicId,
        partitions: () => log.getTopic(clusterArn, name)?.partitions,
        offsets: (partition) => log.offsets(clusterArn, name, partition),
        offsetAtTime(partition, time) {
          const batch = log.batchAtTime(clusterArn, name, partition, BigInt(time));
          if (!batch) return log.offsets(clusterArn, name, partition).highWatermark;
          const record = decodeRecords(batch).find((r) => r.timestamp >= BigInt(time));
          return record ? record.offset : log.offsets(clusterArn, name, partition).highWatermark;
        },
        read(partition, fromOffset, maxBytes) {
          const out: KafkaRecord[] = [];
          for (const batch of log.read(clusterArn, name, partition, fromOffset, maxBytes)) {
            for (const record of decodeRecords(batch)) if (record.offset >= fromOffset) out.push(record);
          }
          return out;
        },
        watch: (listener) => log.watch(clusterArn, name, listener),
      };
    },
  };
}

import { after, before } from 'node:test';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { kafkajs } from './kafka-tools.js';
import { type RunningTideway, startServer } from './tideway.js';

export interface KafkaSuite {
  server: RunningTideway;
  /** `host:port` of the default cluster's listener. */
  bootstrap: string;
}

/**
 * Starts a Tideway with the default Kafka cluster on a free port before the suite's tests and
 * stops it after; the fields fill in during `before`.
 */
export function withKafkaServer(options: Parameters<typeof startServer>[0] = {}): KafkaSuite {
  return serverSuite({} as KafkaSuite, options);
}

export interface KafkaJsSuite extends KafkaSuite {
  kafka: Kafka;
  /** A connected admin, disconnected after the suite. */
  admin(): Promise<Admin>;
}

/** withKafkaServer, with a KafkaJS client on the listener (retrying `retries` times, quickly). */
export function withKafkaJsServer(clientId: string, retries: number): KafkaJsSuite {
  const admins: Admin[] = [];
  const suite = {
    admin: async () => {
      const admin = suite.kafka.admin();
      await admin.connect();
      admins.push(admin);
      return admin;
    },
  } as KafkaJsSuite;
  return serverSuite(
    suite,
    {},
    () => {
      suite.kafka = new Kafka({
        clientId,
        brokers: [suite.bootstrap],
        logLevel: logLevel.NOTHING,
        retry: { retries, initialRetryTime: 50 },
      });
    },
    async () => {
      for (const admin of admins) await admin.disconnect();
    },
  );
}

// One before and one after hook: Node 20 does not wait for one top-level hook before the next.
function serverSuite<T extends KafkaSuite>(
  suite: T,
  options: Parameters<typeof startServer>[0],
  started?: () => void,
  stopping?: () => Promise<void>,
): T {
  before(async () => {
    suite.server = await startServer({ kafkaPort: 0, ...options });
    if (!suite.server.kafka) throw new Error('the server opened no Kafka listener');
    suite.bootstrap = suite.server.kafka.bootstrap;
    started?.();
  });
  after(async () => {
    await stopping?.();
    await suite.server?.stop();
  });
  return suite;
}

/** Creates topics through KafkaJS's admin client, as users do, and waits for their leaders. */
export async function createTopics(
  bootstrap: string,
  topics: Array<{
    topic: string;
    numPartitions?: number;
    configEntries?: Array<{ name: string; value: string }>;
  }>,
): Promise<void> {
  const admin = kafkajs(bootstrap).admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({ topics, waitForLeaders: true });
    if (!created)
      throw new Error(`createTopics: a topic of ${topics.map((t) => t.topic).join(', ')} already exists`);
  } finally {
    await admin.disconnect();
  }
}

/** Each partition's earliest (`low`) and next (`high`) offsets, by ListOffsets through KafkaJS. */
export async function topicOffsets(
  bootstrap: string,
  topic: string,
): Promise<Array<{ partition: number; low: number; high: number }>> {
  const admin = kafkajs(bootstrap).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets
      .map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

// Balanced consumers through kcat -G (librdkafka 2.0): the range assignor's eager rebalances and
// cooperative-sticky's incremental ones are the client's work; the broker only has to run the
// group protocol right for both.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { uniqueName } from '../support/tideway.js';
import { eventually, withGroupServer } from './groups-support.js';

const suite = withGroupServer();

/** One kcat balanced consumer, with the partitions it holds as its rebalance lines tell them. */
class BalancedConsumer {
  readonly held = new Set<number>();
  readonly messages: string[] = [];
  readonly process: ChildProcess;
  private stderr = '';
  private exited: Promise<void>;

  constructor(group: string, topic: string, strategy: string) {
    this.process = spawn('kcat', [
      '-u', // unbuffered: each message reaches the pipe as it is read
      '-b',
      suite.bootstrap,
      '-G',
      group,
      '-X',
      `partition.assignment.strategy=${strategy}`,
      '-X',
      'auto.offset.reset=earliest',
      '-f',
      '%s\\n',
      topic,
    ]);
    this.exited = new Promise((resolve) => this.process.once('exit', () => resolve()));
    let out = '';
    this.process.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      this.messages.push(...lines);
    });
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      const lines = this.stderr.split('\n');
      this.stderr = lines.pop() ?? '';
      for (const line of lines) this.rebalanced(line);
    });
  }

  /** "assigned:"/"revoked:" (eager) and "incremental assignment/revoke of N partition(s)" (cooperative). */
  private rebalanced(line: string): void {
    if (!line.includes('rebalanced')) return;
    const partitions = [...line.matchAll(/ \[(\d+)\]/g)].map((m) => Number(m[1]));
    if (/revoked:|incremental revoke/.test(line)) for (const p of partitions) this.held.delete(p);
    else if (/assigned:|incremental assignment/.test(line)) for (const p of partitions) this.held.add(p);
  }

  async stop(): Promise<void> {
    this.process.kill('SIGTERM'); // kcat closes its consumer: LeaveGroup
    await this.exited;
  }
}

async function topicWithMessages(values: string[]): Promise<string> {
  const topic = uniqueName('kcat-groups');
  const admin = suite.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
  await admin.disconnect();
  await send(topic, values);
  return topic;
}

async function send(topic: string, values: string[]): Promise<void> {
  const producer = suite.kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value, i) => ({ value, partition: i % 4 })) });
  await producer.disconnect();
}

const held = (c: BalancedConsumer) => [...c.held].sort();

for (const strategy of ['range', 'cooperative-sticky']) {
  describe(`Kafka consumer groups (kcat -G, ${strategy})`, () => {
    it('shares the partitions between two consumers, and gives them back when one leaves', async () => {
      const first = Array.from({ length: 40 }, (_, i) => `first-${i}`);
      const topic = await topicWithMessages(first);
      const group = uniqueName('kcat');
      const a = new BalancedConsumer(group, topic, strategy);
      let b: BalancedConsumer | undefined;
      try {
        await eventually(() => a.held.size === 4 && a.messages.length === 40, 30000, 'the first consumer');
        assert.deepEqual([...a.messages].sort(), [...first].sort());

        b = new BalancedConsumer(group, topic, strategy);
        const second = b;
        await eventually(
          () => a.held.size === 2 && second.held.size === 2,
          30000,
          'the partitions to be shared',
        );
        assert.deepEqual([...held(a), ...held(second)].sort(), [0, 1, 2, 3]);

        const more = Array.from({ length: 40 }, (_, i) => `more-${i}`);
        await send(topic, more);
        await eventually(() => a.messages.length + second.messages.length === 80, 30000, 'the new messages');
        assert.equal(second.messages.length, 20);
        assert.deepEqual([...a.messages.slice(40), ...second.messages].sort(), [...more].sort());

        await second.stop();
        await eventually(() => a.held.size === 4, 30000, 'the remaining consumer to hold every partition');
        assert.deepEqual(held(a), [0, 1, 2, 3]);
      } finally {
        await b?.stop();
        await a.stop();
      }
    });
  });
}

// What the consumer-group suites share: a Tideway with a Kafka listener, KafkaJS on it, and a wait
// on a condition that real clients reach in their own time.
import net from 'node:net';
import { decodeResponse, encodeRequest } from '../../src/protocols/kafka/codec.js';
import { type KafkaJsSuite, withKafkaJsServer } from '../support/kafka-suite.js';

/** A server with the default Kafka cluster for a consumer-group suite. */
export function withGroupServer(): KafkaJsSuite {
  return withKafkaJsServer('group-tests', 5);
}

/** Polls until `check` holds (clients rebalance on their own timers), failing after `ms`. */
export async function eventually(check: () => boolean, ms = 20000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Topic → partitions, sorted: how assignments compare. */
export function flatten(assignment: Record<string, number[]>): string[] {
  return Object.entries(assignment)
    .flatMap(([topic, partitions]) => partitions.map((p) => `${topic}:${p}`))
    .sort();
}

/** One raw Kafka connection for a member no client library lets a test control (one that falls silent). */
export class RawMember {
  private buffered = Buffer.alloc(0);
  private readonly waiting: Array<(frame: Buffer) => void> = [];
  private correlation = 0;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        this.waiting.shift()?.(frame);
      }
    });
    socket.on('error', () => undefined);
  }

  static connect(bootstrap: string): Promise<RawMember> {
    const at = bootstrap.lastIndexOf(':');
    return new Promise((resolve, reject) => {
      const socket = net.connect(
        { host: bootstrap.slice(0, at), port: Number(bootstrap.slice(at + 1)) },
        () => resolve(new RawMember(socket)),
      );
      socket.once('error', reject);
    });
  }

  async request(
    apiKey: number,
    version: number,
    body: Record<string, unknown>,
  ): Promise<Record<string, any>> {
    const correlationId = ++this.correlation;
    const frame = new Promise<Buffer>((resolve) => this.waiting.push(resolve));
    for (const chunk of encodeRequest(apiKey, version, correlationId, 'raw-member', body))
      this.socket.write(chunk);
    return decodeResponse(apiKey, version, await frame).body;
  }

  end(): void {
    this.socket.destroy();
  }
}

/** A consumer protocol subscription (version 0): the member metadata consumers send. */
export function subscription(topics: string[]): Buffer {
  const parts = [Buffer.from([0, 0]), int32(topics.length)];
  for (const t of topics) parts.push(Buffer.from([t.length >> 8, t.length & 0xff]), Buffer.from(t));
  parts.push(int32(0));
  return Buffer.concat(parts);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

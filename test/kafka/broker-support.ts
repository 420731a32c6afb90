// What the broker suites share: a Tideway with a Kafka listener, KafkaJS admins on it, and a raw
// Kafka client over a socket for what no client library sends (garbage, unknown keys, new versions).
import net from 'node:net';
import tls from 'node:tls';
import { decodeResponse, encodeRequest } from '../../src/protocols/kafka/codec.js';
import { type KafkaJsSuite, withKafkaJsServer } from '../support/kafka-suite.js';

/** A server with the default Kafka cluster on a free port for the suite; admins disconnect after. */
export function withKafkaServer(): KafkaJsSuite {
  return withKafkaJsServer('broker-tests', 2);
}

/** One raw connection: requests out, response frames in, and whether the broker closed it. */
export class RawKafka {
  private buffered = Buffer.alloc(0);
  private waiting: Array<(frame: Buffer) => void> = [];
  private frames: Buffer[] = [];
  readonly closed: Promise<void>;
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length < 4 + size) break;
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        const waiter = this.waiting.shift();
        if (waiter) waiter(frame);
        else this.frames.push(frame);
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static connect(bootstrap: string): Promise<RawKafka> {
    const [host, port] = [
      bootstrap.slice(0, bootstrap.lastIndexOf(':')),
      Number(bootstrap.slice(bootstrap.lastIndexOf(':') + 1)),
    ];
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port }, () => resolve(new RawKafka(socket)));
      socket.once('error', reject);
    });
  }

  /** Over TLS, trusting `ca` (the generated CA's PEM). */
  static connectTls(host: string, port: number, ca: string): Promise<RawKafka> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host, port, ca, servername: 'localhost' }, () =>
        resolve(new RawKafka(socket)),
      );
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer | Buffer[]): void {
    for (const b of Array.isArray(bytes) ? bytes : [bytes]) this.socket.write(b);
  }

  /** The next response frame (without its size). */
  next(): Promise<Buffer> {
    const ready = this.frames.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async request(
    apiKey: number,
    version: number,
    body: Record<string, unknown>,
    correlationId = 1,
  ): Promise<Record<string, any>> {
    this.write(encodeRequest(apiKey, version, correlationId, 'raw-test', body));
    const frame = await this.next();
    const decoded = decodeResponse(apiKey, version, frame);
    if (decoded.correlationId !== correlationId) throw new Error(`correlation ${decoded.correlationId}`);
    return decoded.body;
  }

  end(): void {
    this.socket.destroy();
  }
}

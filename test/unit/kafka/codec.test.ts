import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  readRequestHeader,
} from '../../../src/protocols/kafka/codec.js';
import { errorCode, errorMessage, errorName } from '../../../src/protocols/kafka/error-codes.js';
import { FrameReader, FrameTooLargeError } from '../../../src/protocols/kafka/frames.js';
import { inRange, type KafkaField, type KafkaMessageSchema } from '../../../src/protocols/kafka/schema.js';
import { REQUESTS, RESPONSES } from '../../../src/protocols/models/kafka-protocol.js';

/** A value for every field the version carries, different from the defaults, to round-trip. */
function sample(fields: KafkaField[], version: number, seed: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!inRange(f.v, version)) continue;
    out[f.n] = sampleValue(f, version, seed + f.n.length);
  }
  return out;
}

function sampleValue(f: KafkaField, version: number, seed: number): unknown {
  const type = f.t === 'array' ? f.e : f.t;
  const one = (): unknown => {
    switch (type) {
      case 'int8':
        return (seed % 100) + 1;
      case 'int16':
        return seed + 300;
      case 'int32':
        return seed * 1000 + 7;
      case 'uint16':
        return 65000;
      case 'int64':
        return BigInt(seed) * 10_000_000_000n + 3n;
      case 'float64':
        return seed + 0.5;
      case 'bool':
        return true;
      case 'uuid':
        return Buffer.alloc(16, seed).toString('base64url');
      case 'string':
        return `s${seed}-é`;
      case 'bytes':
      case 'records':
        return Buffer.alloc(3, seed);
      default:
        return sample(f.f ?? [], version, seed + 1);
    }
  };
  return f.t === 'array' ? [one(), one()] : one();
}

function join(chunks: Buffer[]): Buffer {
  return Buffer.concat(chunks);
}

function eachVersion(schema: KafkaMessageSchema, run: (version: number) => void): void {
  const [min, max] = schema.valid ?? [0, -1];
  for (let v = min; v <= max; v++) run(v);
}

describe('Kafka codec', () => {
  it('round-trips every request of every version it knows', () => {
    for (const schema of Object.values(REQUESTS)) {
      eachVersion(schema, (version) => {
        const body = sample(schema.fields, version, version + 1);
        const frame = join(encodeRequest(schema.apiKey ?? -1, version, 42, 'client-1', body)).subarray(4);
        const { header, bodyOffset } = readRequestHeader(frame);
        assert.deepEqual(header, {
          apiKey: schema.apiKey,
          apiVersion: version,
          correlationId: 42,
          clientId: 'client-1',
        });
        const decoded = decodeRequest(schema.apiKey ?? -1, version, frame, bodyOffset);
        assert.deepEqual(pick(decoded, body), body, `${schema.name} v${version}`);
      });
    }
  });

  it('round-trips every response of every version it knows', () => {
    for (const schema of Object.values(RESPONSES)) {
      eachVersion(schema, (version) => {
        const body = sample(schema.fields, version, version + 2);
        const frame = join(encodeResponse(schema.apiKey ?? -1, version, 7, body)).subarray(4);
        const decoded = decodeResponse(schema.apiKey ?? -1, version, frame);
        assert.equal(decoded.correlationId, 7);
        assert.deepEqual(pick(decoded.body, body), body, `${schema.name} v${version}`);
      });
    }
  });

  it('fills what a body leaves out with the schema defaults', () => {
    const frame = join(encodeResponse(3, 12, 1, { topics: [{ name: 't', partitions: [{}] }] })).subarray(4);
    const { body } = decodeResponse(3, 12, frame);
    assert.equal(body.throttleTimeMs, 0);
    assert.equal(body.clusterId, null);
    assert.equal(body.controllerId, -1);
    assert.equal(body.topics[0].topicId, 'AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(body.topics[0].partitions[0].leaderEpoch, -1);
  });

  it('writes records given as several buffers under one length, without joining them', () => {
    const parts = [Buffer.alloc(2000, 1), Buffer.alloc(3000, 2)];
    const body = {
      responses: [{ topic: 't', partitions: [{ partitionIndex: 0, highWatermark: 5n, records: parts }] }],
    };
    const chunks = encodeResponse(1, 11, 9, body);
    assert.ok(chunks.includes(parts[0]) && chunks.includes(parts[1]));
    const { body: decoded } = decodeResponse(1, 11, join(chunks).subarray(4));
    assert.deepEqual(decoded.responses[0].partitions[0].records, Buffer.concat(parts));
  });

  it('answers ApiVersions with a v0 header even at flexible versions, as KIP-511 needs', () => {
    const frame = join(
      encodeResponse(18, 3, 5, { apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 9 }] }),
    ).subarray(4);
    // v0 header: the correlation id, then the body's error code at once (no tagged-field byte).
    assert.equal(frame.readInt32BE(0), 5);
    assert.equal(frame.readInt16BE(4), 0);
  });

  it('refuses a frame that ends inside a field, and an array longer than its frame', () => {
    const frame = join(encodeRequest(3, 1, 1, 'c', { topics: [{ name: 'abc' }] })).subarray(4);
    const { bodyOffset } = readRequestHeader(frame);
    assert.throws(() => decodeRequest(3, 1, frame.subarray(0, frame.length - 2), bodyOffset), /ends inside/);
    const lying = Buffer.from(frame);
    lying.writeInt32BE(1_000_000, bodyOffset);
    assert.throws(() => decodeRequest(3, 1, lying, bodyOffset), /longer than its frame/);
  });

  it('names error codes with their default messages', () => {
    assert.equal(errorCode('UNKNOWN_TOPIC_OR_PARTITION'), 3);
    assert.equal(
      errorMessage('UNKNOWN_TOPIC_OR_PARTITION'),
      'This server does not host this topic-partition.',
    );
    assert.equal(errorName(27), 'REBALANCE_IN_PROGRESS');
  });

  it('reads what KafkaJS writes: its ApiVersions and Metadata requests', async () => {
    const seen: Array<{ apiKey: number; apiVersion: number; clientId: string | null; body: unknown }> = [];
    const server = net.createServer((socket) => {
      const frames = new FrameReader();
      socket.on('data', (chunk) => {
        for (const frame of frames.push(chunk)) {
          const { header, bodyOffset } = readRequestHeader(frame);
          seen.push({ ...header, body: decodeRequest(header.apiKey, header.apiVersion, frame, bodyOffset) });
          if (header.apiKey === 18) {
            const apiKeys = [
              { apiKey: 18, minVersion: 0, maxVersion: 3 },
              { apiKey: 3, minVersion: 0, maxVersion: 6 },
            ];
            for (const c of encodeResponse(18, header.apiVersion, header.correlationId, { apiKeys }))
              socket.write(c);
          } else if (header.apiKey === 3) {
            const { port } = server.address() as net.AddressInfo;
            const body = {
              brokers: [{ nodeId: 1, host: '127.0.0.1', port }],
              clusterId: 'c1',
              controllerId: 1,
              topics: [
                {
                  name: 'demo',
                  partitions: [{ partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }],
                },
              ],
            };
            for (const c of encodeResponse(3, header.apiVersion, header.correlationId, body)) socket.write(c);
          }
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    const kafka = new Kafka({
      clientId: 'codec-test',
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const metadata = await admin.fetchTopicMetadata({ topics: ['demo'] });
      assert.equal(metadata.topics[0].name, 'demo');
      assert.equal(metadata.topics[0].partitions[0].leader, 1);
    } finally {
      await admin.disconnect();
      server.close();
    }
    assert.equal(seen[0].apiKey, 18);
    assert.equal(seen[0].clientId, 'codec-test');
    assert.ok(seen.some((s) => s.apiKey === 3));
  });
});

describe('FrameReader', () => {
  const frame = (n: number, fill: number) => {
    const b = Buffer.alloc(4 + n, fill);
    b.writeInt32BE(n, 0);
    return b;
  };

  it('splits frames however the bytes arrive', () => {
    const stream = Buffer.concat([frame(5, 1), frame(0, 0), frame(70_000, 2), frame(3, 3)]);
    for (const step of [1, 3, 4, 7, 1000, stream.length]) {
      const reader = new FrameReader();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += step) out.push(...reader.push(stream.subarray(i, i + step)));
      assert.deepEqual(
        out.map((f) => f.length),
        [5, 0, 70_000, 3],
        `step ${step}`,
      );
      assert.ok(out[2].every((b) => b === 2));
      assert.equal(reader.pending, 0);
    }
  });

  it('refuses a frame over the limit or of negative size', () => {
    assert.throws(() => new FrameReader(100).push(frame(101, 0)), FrameTooLargeError);
    const negative = Buffer.alloc(4);
    negative.writeInt32BE(-5, 0);
    assert.throws(() => new FrameReader().push(negative), FrameTooLargeError);
  });
});

/** The decoded object restricted to the keys of `like`, recursively (decoding adds defaults). */
function pick(value: unknown, like: unknown): unknown {
  if (Array.isArray(like) && Array.isArray(value)) return value.map((v, i) => pick(v, like[i]));
  if (like && typeof like === 'object' && !Buffer.isBuffer(like) && value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(like))
      out[key] = pick((value as Record<string, unknown>)[key], (like as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

// The ceiling of a Kafka broker in Node on this machine: a broker that answers ApiVersions,
// Metadata and Produce through Tideway's own codec and throws the records away. Run as a child
// (`node kafka-null-broker.js --port N`) so its CPU is measured like Tideway's.
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  decodeRequest,
  encodeResponse,
  readRequestHeader,
  schemaVersions,
} from '../../src/protocols/kafka/codec.js';
import { FrameReader } from '../../src/protocols/kafka/frames.js';

const API_VERSIONS = 18;
const METADATA = 3;
const PRODUCE = 0;
const UNSUPPORTED_VERSION = 35;

/** Produce from v3 only: the first version that carries record batches v2, the only kind read here. */
const SERVED: ReadonlyMap<number, { min: number; max: number }> = new Map(
  [API_VERSIONS, METADATA, PRODUCE].map((key) => {
    const known = schemaVersions(key);
    if (!known) throw new Error(`the codec has no schema for API ${key}`);
    return [key, key === PRODUCE ? { min: Math.max(3, known.min), max: known.max } : known];
  }),
);

/** A topic named `…-p<N>` has N partitions; any other has one. */
export function partitionsOf(topic: string): number {
  const match = /-p(\d+)$/.exec(topic);
  return match ? Math.max(1, Number(match[1])) : 1;
}

/** Records in a run of v2 batches: each batch's lastOffsetDelta + 1, walked by batch length. */
export function recordCount(records: Buffer | null): number {
  if (!records) return 0;
  let count = 0;
  let at = 0;
  while (at + 27 <= records.length) {
    const length = records.readInt32BE(at + 8);
    count += records.readInt32BE(at + 23) + 1;
    at += 12 + length;
  }
  return count;
}

function apiVersionsBody(errorCode: number) {
  return {
    errorCode,
    apiKeys: [...SERVED].map(([apiKey, v]) => ({ apiKey, minVersion: v.min, maxVersion: v.max })),
  };
}

/** Serves one connection; any request it cannot serve closes it, as a broker does. */
function serve(socket: net.Socket, offsets: Map<string, bigint>): void {
  const reader = new FrameReader();
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    let frames: Buffer[];
    try {
      frames = reader.push(chunk);
    } catch {
      socket.destroy();
      return;
    }
    socket.cork();
    try {
      for (const frame of frames) {
        const chunks = answer(frame, socket, offsets);
        for (const piece of chunks ?? []) socket.write(piece);
      }
    } catch {
      socket.destroy();
    } finally {
      socket.uncork();
    }
  });
}

function answer(frame: Buffer, socket: net.Socket, offsets: Map<string, bigint>): Buffer[] | null {
  const { header, bodyOffset } = readRequestHeader(frame);
  const { apiKey, apiVersion, correlationId } = header;
  const served = SERVED.get(apiKey);
  if (apiKey === API_VERSIONS && served && apiVersion > served.max) {
    // KIP-511: a version newer than ours is answered at v0 with the versions we have.
    return encodeResponse(apiKey, 0, correlationId, apiVersionsBody(UNSUPPORTED_VERSION));
  }
  if (!served || apiVersion < served.min || apiVersion > served.max) throw new Error('unsupported');
  const request = decodeRequest(apiKey, apiVersion, frame, bodyOffset);
  if (apiKey === API_VERSIONS) return encodeResponse(apiKey, apiVersion, correlationId, apiVersionsBody(0));
  if (apiKey === METADATA) {
    const names: string[] = (request.topics ?? []).map((t: { name: string }) => t.name);
    const body = {
      brokers: [
        { nodeId: 0, host: socket.localAddress ?? '127.0.0.1', port: socket.localPort ?? 0, rack: null },
      ],
      clusterId: 'tideway-null-broker000',
      controllerId: 0,
      topics: names.map((name) => ({
        errorCode: 0,
        name,
        isInternal: false,
        partitions: Array.from({ length: partitionsOf(name) }, (_, partitionIndex) => ({
          errorCode: 0,
          partitionIndex,
          leaderId: 0,
          leaderEpoch: 0,
          replicaNodes: [0],
          isrNodes: [0],
          offlineReplicas: [],
        })),
      })),
    };
    return encodeResponse(apiKey, apiVersion, correlationId, body);
  }
  // Produce: the records are dropped, but offsets advance by their count so clients see a log.
  const responses = (request.topicData ?? []).map((topic: any) => ({
    name: topic.name,
    partitionResponses: topic.partitionData.map((p: any) => {
      const key = `${topic.name}/${p.index}`;
      const baseOffset = offsets.get(key) ?? 0n;
      offsets.set(key, baseOffset + BigInt(recordCount(p.records)));
      return { index: p.index, errorCode: 0, baseOffset, logAppendTimeMs: -1n, logStartOffset: 0n };
    }),
  }));
  if (request.acks === 0) return null;
  return encodeResponse(apiKey, apiVersion, correlationId, { responses });
}

export function startNullBroker(port: number, host = '127.0.0.1'): Promise<net.Server> {
  const offsets = new Map<string, bigint>();
  const server = net.createServer((socket) => serve(socket, offsets));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
  await startNullBroker(port);
}

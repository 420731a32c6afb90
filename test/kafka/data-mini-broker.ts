// A bare Kafka listener for the data path's wire tests, so that real clients drive Produce, Fetch,
// ListOffsets and InitProducerId before the broker slice's listeners exist: ApiVersions and
// Metadata just enough for kcat, librdkafka and KafkaJS to find one broker leading every
// partition, and the data APIs as registered, over the in-memory log of data-fake-cluster.ts.
import net from 'node:net';
import { decodeRequest, encodeResponse, readRequestHeader } from '../../src/protocols/kafka/codec.js';
import { FrameReader } from '../../src/protocols/kafka/frames.js';
import { dataApis } from '../../src/services/kafka/broker/data-apis.js';
import type { ApiRegistration, ConnectionState } from '../../src/services/kafka/broker/types.js';
import { type FakeCluster, fakeCluster } from './data-fake-cluster.js';

const API_VERSIONS = 18;
const METADATA = 3;
const FIND_COORDINATOR = 10;

export interface MiniBroker {
  bootstrap: string;
  fake: FakeCluster;
  close(): Promise<void>;
}

export async function startMiniBroker(): Promise<MiniBroker> {
  const fake = fakeCluster();
  // Long polls wait on the clock: let it run with the machine here, as a server's does.
  fake.clock.thaw();
  const apis = new Map<number, Pick<ApiRegistration, 'minVersion' | 'maxVersion' | 'handle'>>();
  for (const api of dataApis) apis.set(api.apiKey, api);
  apis.set(METADATA, {
    minVersion: 1,
    maxVersion: 12,
    handle: (ctx, req) => metadata(port, fake, ctx.apiVersion, req),
  });
  let port = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const controller = new AbortController();
    socket.on('close', () => {
      sockets.delete(socket);
      controller.abort();
    });
    socket.on('error', () => {});
    const connection: ConnectionState = {
      id: 1,
      listener: { kind: 'PLAINTEXT', host: '127.0.0.1', port },
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      principal: 'ANONYMOUS',
      authenticated: true,
      rawSasl: undefined,
      close: () => socket.end(),
      signal: controller.signal,
    };
    const reader = new FrameReader();
    let queue: Promise<void> = Promise.resolve();
    socket.on('data', (chunk) => {
      for (const frame of reader.push(chunk)) {
        const { header, bodyOffset } = readRequestHeader(frame);
        const answer = (async (): Promise<Buffer[] | null> => {
          if (header.apiKey === API_VERSIONS) {
            const supported = header.apiVersion <= 3;
            const version = supported ? header.apiVersion : 0;
            return encodeResponse(API_VERSIONS, version, header.correlationId, {
              errorCode: supported ? 0 : 35,
              apiKeys: [
                { apiKey: API_VERSIONS, minVersion: 0, maxVersion: 3 },
                ...[...apis].map(([apiKey, a]) => ({
                  apiKey,
                  minVersion: a.minVersion,
                  maxVersion: a.maxVersion,
                })),
                // librdkafka dates brokers by their group coordinator (lz4 needs 0.9+); never called here.
                { apiKey: FIND_COORDINATOR, minVersion: 0, maxVersion: 0 },
              ],
            });
          }
          const api = apis.get(header.apiKey);
          if (!api) {
            socket.destroy();
            return null;
          }
          const request = decodeRequest(header.apiKey, header.apiVersion, frame, bodyOffset);
          const body = await api.handle({ ...header, connection, cluster: fake.cluster }, request);
          return body && encodeResponse(header.apiKey, header.apiVersion, header.correlationId, body);
        })();
        queue = queue.then(async () => {
          const chunks = await answer.catch(() => null);
          if (chunks && !socket.destroyed) for (const c of chunks) socket.write(c);
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
  return {
    bootstrap: `127.0.0.1:${port}`,
    fake,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
      fake.cluster.scheduler.stop();
    },
  };
}

function metadata(port: number, fake: FakeCluster, version: number, request: Record<string, any>) {
  const wanted: string[] | null = request.topics ? request.topics.map((t: { name: string }) => t.name) : null;
  const names = wanted ?? [...fake.log.topics.keys()];
  return {
    brokers: [{ nodeId: 1, host: '127.0.0.1', port, rack: null }],
    clusterId: fake.cluster.clusterId,
    controllerId: 1,
    topics: names.map((name) => {
      const topic = fake.log.topics.get(name);
      if (!topic) return { errorCode: 3, name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [] };
      return {
        errorCode: 0,
        name,
        topicId: topic.topicId,
        isInternal: false,
        partitions: Array.from({ length: topic.partitions }, (_, i) => ({
          errorCode: 0,
          partitionIndex: i,
          leaderId: 1,
          leaderEpoch: version >= 7 ? 0 : -1,
          replicaNodes: [1],
          isrNodes: [1],
          offlineReplicas: [],
        })),
      };
    }),
  };
}

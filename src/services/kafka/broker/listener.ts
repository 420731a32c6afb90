// A cluster's listener of one kind: a TCP (or TLS) server whose connections speak Kafka.
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../../core/logger.js';
import { KafkaConnection } from './connection.js';
import type { ClusterRuntime, ListenerAddress, ListenerKind } from './types.js';

export interface KafkaListener {
  readonly address: ListenerAddress;
  /** Stops taking connections and drops the open ones. */
  close(): Promise<void>;
}

export interface ListenerOptions {
  cluster: ClusterRuntime;
  kind: ListenerKind;
  host: string;
  port: number;
  /** The server key and certificate, for every kind but PLAINTEXT. */
  tls?: { keyPem: string; certPem: string };
  log: Logger;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** The address a client reached: a wildcard bind is advertised as the interface it came in on. */
function advertised(bound: ListenerAddress, socket: net.Socket): ListenerAddress {
  if (!WILDCARDS.has(bound.host)) return bound;
  const local = (socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return { ...bound, host: local };
}

export async function openListener(options: ListenerOptions): Promise<KafkaListener> {
  const { cluster, kind, log } = options;
  const connections = new Set<KafkaConnection>();
  let address: ListenerAddress = { kind, host: options.host, port: options.port };
  const accept = (socket: net.Socket) => {
    const connection = new KafkaConnection(socket, advertised(address, socket), cluster, log);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  };
  let server: net.Server;
  if (kind === 'PLAINTEXT') {
    server = net.createServer(accept);
  } else {
    if (!options.tls) throw new Error(`Kafka ${kind} listener needs a certificate`);
    server = tls.createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, accept);
    server.on('tlsClientError', (err) =>
      log.debug({ cluster: cluster.id, kind, err: err.message }, 'Kafka TLS handshake failed'),
    );
  }
  server.on('error', (err) =>
    log.warn({ cluster: cluster.id, kind, err: err.message }, 'Kafka listener error'),
  );
  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => reject(err);
    server.once('error', failed);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;
  address = { kind, host: options.host, port: bound.port };
  return {
    get address() {
      return address;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of connections) connection.destroy();
        connections.clear();
      }),
  };
}

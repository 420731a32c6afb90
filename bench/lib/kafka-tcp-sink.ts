// The raw TCP figure: how fast bytes go from a client into a Node socket that only counts them.
// No broker can beat it; it shows how far below the machine's own limit kcat and the brokers run.
// The sink runs as a child (`node kafka-tcp-sink.js --port N`), like the brokers.
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** Counts what each connection sends; when the client ends its side, answers the count (8 bytes). */
export function startTcpSink(port: number, host = '127.0.0.1'): Promise<net.Server> {
  const server = net.createServer((socket) => {
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      const answer = Buffer.alloc(8);
      answer.writeBigUInt64BE(BigInt(bytes));
      socket.end(answer);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

export interface TcpFigure {
  bytes: number;
  ms: number;
}

/**
 * Writes 256 KiB chunks as fast as the socket drains for `ms`, then ends and waits for the sink's
 * count: the time runs to that answer, so every byte counted has arrived.
 */
export function pushBytes(port: number, ms: number, host = '127.0.0.1'): Promise<TcpFigure> {
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    const replies: Buffer[] = [];
    let started = 0;
    socket.on('error', reject);
    socket.on('data', (data: Buffer) => replies.push(data));
    socket.on('end', () => {
      const elapsed = performance.now() - started;
      const reply = Buffer.concat(replies);
      if (reply.length !== 8) reject(new Error(`the TCP sink answered ${reply.length} bytes`));
      else resolve({ bytes: Number(reply.readBigUInt64BE(0)), ms: elapsed });
    });
    socket.on('connect', () => {
      started = performance.now();
      const deadline = started + ms;
      const pump = () => {
        while (performance.now() < deadline) {
          if (!socket.write(chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
        socket.end();
      };
      pump();
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
  await startTcpSink(port);
}

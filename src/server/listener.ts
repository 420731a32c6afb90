import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Http2Server, Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import net from 'node:net';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;
export type RequestHandler = (req: AnyRequest, res: AnyResponse) => void;

// Every HTTP/2 connection with prior knowledge opens with this client preface.
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * One port for HTTP/1.1 and cleartext HTTP/2. Node's h2c server cannot fall
 * back to HTTP/1.1, so the first bytes of each connection decide which server
 * gets the socket.
 */
export class Listener {
  private readonly tcp: net.Server;
  private readonly h1: http.Server;
  private h2?: Promise<Http2Server>;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly handler: RequestHandler) {
    // A client gets a minute to send its whole request; waiting for the answer (a long poll) is not limited here.
    this.h1 = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 60_000 }, handler);
    this.tcp = net.createServer({ noDelay: true }, (socket) => this.route(socket));
  }

  listen(port: number, host: string): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, host, () => {
        this.tcp.off('error', reject);
        resolve(this.tcp.address() as net.AddressInfo);
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }

  // node:http2 is loaded on the first HTTP/2 connection, keeping it out of cold start.
  private http2(): Promise<Http2Server> {
    this.h2 ??= import('node:http2').then((http2) => http2.createServer({}, this.handler));
    return this.h2;
  }

  private route(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const h2 = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (h2 && head.length < H2_PREFACE.length) return;
      socket.off('data', onData);
      socket.pause();
      socket.unshift(head);
      if (!h2) {
        this.h1.emit('connection', socket);
        socket.resume();
        return;
      }
      this.http2().then((server) => {
        server.emit('connection', socket);
        socket.resume();
      });
    };
    socket.on('data', onData);
  }
}

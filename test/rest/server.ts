import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createLogger } from '../../src/core/logger.js';
import { dispatchRest, type RestService } from '../../src/protocols/rest-dispatch.js';
import type { HttpReply, RequestContext } from '../../src/protocols/service.js';

/**
 * A bare node:http server that feeds every request through the REST router and codecs of one
 * service, as the Tideway server will: the body handed over unread, a streamed answer piped
 * out. What a test's handlers saw is theirs to record.
 */
export interface RestTestServer {
  endpoint: string;
  /** Every request's method and target as it arrived, for tests about the wire itself. */
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

let counter = 0;

export async function startRestServer(service: RestService): Promise<RestTestServer> {
  const requests: RestTestServer['requests'] = [];
  const log = createLogger('silent');
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const ctx: RequestContext = {
      requestId: `req-${++counter}`,
      caller: { account: '000000000000', region: 'us-east-1' },
      baseUrl: `http://${req.headers.host}`,
      secure: false,
      protocol: service.protocol,
      operation: '',
      path: req.url ?? '/',
      log,
    };
    dispatchRest(
      service,
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: req },
      ctx,
    ).then(
      (reply) => send(reply, req, res),
      (err) => {
        res.statusCode = 599;
        res.end(String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function send(reply: HttpReply, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  // A handler that answered before reading the whole upload (an error) leaves the rest unread.
  if (!req.complete) req.resume();
  res.writeHead(reply.status, reply.headers);
  if (reply.stream) {
    await pipeline(Readable.from(reply.stream), res).catch(() => res.destroy());
  } else {
    res.end(reply.body);
  }
}

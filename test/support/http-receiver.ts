import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver saw, as it arrived (raw header names kept in rawHeaders). */
export interface Received {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Decides each answer (200 with an empty body unless set). */
  respond: (req: Received) => Answer | Promise<Answer>;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A plain HTTP server on 127.0.0.1 standing in for an API destination's endpoint or an OAuth server. */
export async function startReceiver(): Promise<Receiver> {
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver = {
    received: [] as Received[],
    respond: (() => ({})) as Receiver['respond'],
  } as Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const seen: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      receiver.received.push(seen);
      const answer = await receiver.respond(seen);
      res.writeHead(answer.status ?? 200, answer.headers ?? {});
      res.end(answer.body ?? '');
      for (const w of [...waiters]) {
        if (receiver.received.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.waitFor = (count, timeoutMs = 5000) =>
    new Promise((resolve, reject) => {
      if (receiver.received.length >= count) return resolve(receiver.received);
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} requests, got ${receiver.received.length}`)),
        timeoutMs,
      );
      waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(receiver.received);
        },
      });
    });
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** An OAuth authorization server answering `tokens` in turn (the last one again when they run out). */
export function tokenAnswers(
  receiver: Receiver,
  tokens: { access_token: string; expires_in?: number }[],
): void {
  let n = 0;
  const prior = receiver.respond;
  receiver.respond = (req) => {
    if (req.path !== '/oauth/token') return prior(req);
    const token = tokens[Math.min(n++, tokens.length - 1)];
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token_type: 'Bearer', ...token }),
    };
  };
}

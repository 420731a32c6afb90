import http from 'node:http';
import net from 'node:net';
import type { Child } from './children.js';

export const HOST = '127.0.0.1';

/** Asks the OS for a free loopback port; the tiny window before the server takes it is acceptable here. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One fresh connection and GET; undefined while nothing listens yet. */
function probe(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: HOST, port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(undefined));
  });
}

/**
 * Polls in a tight loop (a new connection attempt as soon as the last one is refused) until the
 * server gives an accepted answer: the moment that answer arrives is what cold start measures.
 */
export async function waitForAnswer(
  child: Child,
  port: number,
  path: string,
  accept: (status: number) => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const status = await probe(port, path);
    if (status !== undefined && accept(status)) return;
    if (child.exited()) throw new Error(`${child.label} exited before answering:\n${child.stderrTail()}`);
    if (performance.now() > deadline)
      throw new Error(`${child.label} did not answer ${path} in ${timeoutMs} ms`);
  }
}

// The S3 ceiling: a node:http server that streams each PUT body to a file on disk (written to a
// temporary, then renamed, as a store that never shows half a body must) and streams it back on
// GET, with no parsing, checksums or metadata. Any other request gets an empty 200.
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { exitWhenOrphaned, portArg } from './args.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-bare-s3-'));
let next = 0;

function fileFor(url: string): string {
  // Hex of the path: a flat folder and no way out of it, whatever the key.
  return join(dir, Buffer.from(url).toString('hex').slice(0, 200));
}

async function put(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const file = fileFor(req.url ?? '/');
  const temp = join(dir, `tmp-${next++}`);
  await pipeline(req, createWriteStream(temp));
  await rename(temp, file);
  res.writeHead(200, { 'content-length': '0', etag: '"bare"' });
  res.end();
}

async function get(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const file = fileFor(req.url ?? '/');
  const { size } = await stat(file);
  res.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
  await pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), res);
}

const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  const key = (req.url ?? '/').split('/').length > 2;
  const work = !key
    ? Promise.resolve(req.resume()).then(() => {
        res.writeHead(200, { 'content-length': '0' });
        res.end();
      })
    : req.method === 'PUT'
      ? put(req, res)
      : get(req, res);
  work.catch(() => {
    if (!res.headersSent) res.writeHead(404, { 'content-length': '0' });
    res.end();
  });
});

server.listen(portArg(), '127.0.0.1');
exitWhenOrphaned();
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
process.once('SIGTERM', () => process.exit(0));

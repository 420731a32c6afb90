// The ceiling: a node:http server that reads each request and answers a fixed small body. No
// Node HTTP/1.1 server on this machine can beat it, so it prices the HTTP layer alone.
import http from 'node:http';
import { exitWhenOrphaned, portArg } from './args.js';

const BODY = Buffer.from('{}');
const HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(BODY.length) };

// The same keep-alive window as Tideway's listener, so connections are reused the same way.
const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  // Reading the body is work every real server does; skipping it would flatter the ceiling.
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
});

server.listen(portArg(), '127.0.0.1');
exitWhenOrphaned();
process.once('SIGTERM', () => process.exit(0));

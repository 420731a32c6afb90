// s3rver in its own process, bound to loopback, its objects in the folder the bench hands it
// (s3rver writes every object to disk: a body file plus its metadata and MD5 beside it).
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { exitWhenOrphaned } from './args.js';

// s3rver ships no type declarations: the little of its API used here, typed by hand.
interface S3rverServer {
  run(): Promise<unknown>;
  close(): Promise<unknown>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

const { values } = parseArgs({ options: { port: { type: 'string' }, dir: { type: 'string' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('--port must be 1..65535');
if (!values.dir) throw new Error('--dir is required');

// The bench signs with s3rver's own key pair (S3RVER); it computes V2 signatures only and takes
// V4 ones on the key id, so nothing here relaxes what it checks for the bench's requests.
const server = new S3rver({ port, address: '127.0.0.1', directory: values.dir, silent: true });
await server.run();
exitWhenOrphaned();
process.once('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});

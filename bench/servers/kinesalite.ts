// kinesalite in its own process. Its CLI listens on every interface and has no host option, so
// this runner builds the same server the CLI builds (kinesalite(options) is a node:http server,
// in memory without --path) and listens on loopback itself, as the other runners do.

import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { exitWhenOrphaned, portArg } from './args.js';

const require = createRequire(import.meta.url);
const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Server;

const port = portArg();
// Streams ACTIVE at once, as Tideway's are: the bench waits for ACTIVE either way, but a 500 ms
// CREATING state per stream would only lengthen the run. The shard limit (default 10) is raised
// so warm-up and measured streams never hit it; Tideway's is 500.
const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 500 });
server.listen(port, '127.0.0.1');
exitWhenOrphaned();
process.once('SIGTERM', () => process.exit(0));

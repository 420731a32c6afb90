// kinesis-local (the npm build of kinesis-mock) in its own process. It reads its settings from
// the environment, which this runner sets before loading it; its bundle starts the server as
// soon as it is loaded.
import { createRequire } from 'node:module';
import net from 'node:net';
import { exitWhenOrphaned, portArg } from './args.js';

const LOOPBACK = '127.0.0.1';
const WILDCARDS = new Set(['0.0.0.0', '::']);

/**
 * kinesis-mock hard-codes the host 0.0.0.0 for both of its listeners and has no setting for it;
 * its socket layer then calls listen(port, callback), which binds every interface. The bench
 * binds loopback only, so wildcard listens are pointed at 127.0.0.1 here, before it loads.
 */
function listenOnLoopbackOnly(): void {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function'))
      args.splice(1, 0, LOOPBACK);
    else if (typeof args[0] === 'number' && typeof args[1] === 'string' && WILDCARDS.has(args[1]))
      args[1] = LOOPBACK;
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
}

const require = createRequire(import.meta.url);
const port = portArg();
Object.assign(process.env, {
  KINESIS_MOCK_PLAIN_PORT: String(port),
  // It always opens a TLS listener too; 0 lets the OS pick a free port so runs never collide.
  KINESIS_MOCK_TLS_PORT: '0',
  // Without it the bundle looks for server.json in the working directory and exits.
  KINESIS_MOCK_CERT_PATH: require.resolve('kinesis-local/server.json'),
  // Streams ACTIVE at once, as Tideway's and (with --createStreamMs 0) kinesalite's are.
  CREATE_STREAM_DURATION: '0ms',
  DELETE_STREAM_DURATION: '0ms',
  // Errors only: a log line per request would measure its logger, and Tideway runs silent too.
  LOG_LEVEL: 'ERROR',
  SHOULD_PERSIST_DATA: 'false',
});
listenOnLoopbackOnly();
exitWhenOrphaned();
process.once('SIGTERM', () => process.exit(0));
require('kinesis-local');

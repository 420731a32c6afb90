// fauxqs in its own process. startFauxqs() always listens on 0.0.0.0 (its `host` option only
// names the host in queue URLs), and the bench binds loopback only, so this runner builds the
// same Fastify app startFauxqs() builds, via the exported buildApp(), and listens itself.
import { buildApp } from 'fauxqs';
import { exitWhenOrphaned, portArg } from './args.js';

const port = portArg();
// No `host`: queue URLs then follow the request's Host header, as with startFauxqs() defaults.
const app = buildApp({ logger: false });
await app.listen({ port, host: '127.0.0.1' });
exitWhenOrphaned();
process.once('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});

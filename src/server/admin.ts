import type { Clock } from '../core/clock.js';
import type { HttpReply } from '../protocols/service.js';

export interface AdminHost {
  clock: Clock;
  version: string;
  services: string[];
  persistent: boolean;
  reset(): Promise<void>;
  /** Services' own read-only endpoints, keyed by path under /_tideway/ (e.g. `sns/outbox`). */
  views?: Record<string, (query: URLSearchParams) => HttpReply | Promise<HttpReply>>;
}

export function json(status: number, value: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** The admin API under /_tideway/: health, reset, and the test clock. */
export async function handleAdmin(
  host: AdminHost,
  method: string,
  path: string,
  body: Buffer,
  query: URLSearchParams,
): Promise<HttpReply> {
  const name = path.slice('/_tideway/'.length).replace(/\/+$/, '');
  const view = host.views && Object.hasOwn(host.views, name) ? host.views[name] : undefined;
  if (view && (method === 'GET' || method === 'HEAD')) return view(query);
  if (name === 'health' && (method === 'GET' || method === 'HEAD')) {
    return json(200, {
      status: 'ok',
      version: host.version,
      services: host.services,
      persistence: host.persistent,
      now: new Date(host.clock.now()).toISOString(),
    });
  }
  if (name === 'reset' && method === 'POST') {
    await host.reset();
    return json(200, { reset: true });
  }
  if (name === 'clock' && method === 'GET') return json(200, clockState(host.clock));
  if (name === 'clock' && method === 'POST') {
    let request: { advanceSeconds?: unknown; frozen?: unknown } | null;
    try {
      request = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return json(400, { error: 'The body must be JSON such as {"advanceSeconds": 30}.' });
    }
    const seconds = request?.advanceSeconds;
    const frozen = request?.frozen;
    if (seconds === undefined && frozen === undefined) {
      return json(400, {
        error: 'Give advanceSeconds (a non-negative number), frozen (true or false), or both.',
      });
    }
    if (seconds !== undefined && (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)) {
      return json(400, { error: 'advanceSeconds must be a non-negative number.' });
    }
    if (frozen !== undefined && typeof frozen !== 'boolean') {
      return json(400, { error: 'frozen must be true or false.' });
    }
    if (frozen === true) host.clock.freeze();
    if (frozen === false) host.clock.thaw();
    if (seconds !== undefined) host.clock.advance(seconds * 1000);
    return json(200, clockState(host.clock));
  }
  return json(404, { error: `No admin endpoint ${method} ${path}.` });
}

function clockState(clock: Clock) {
  const now = clock.now();
  return { now, iso: new Date(now).toISOString(), offsetSeconds: clock.offsetSeconds, frozen: clock.frozen };
}

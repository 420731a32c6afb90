import { readFileSync } from 'node:fs';
import { Clock } from '../core/clock.js';
import { createLogger, type Logger, type LogLevel } from '../core/logger.js';
import { Scheduler } from '../core/scheduler.js';
import { HintRecorder } from '../knowhow/live/hints.js';
import type { LiveSource } from '../knowhow/live/sources.js';
import type { EventsQuotaSettings, EventsQuotas } from '../services/events/state.js';
import { buildServices, SERVICES, type ServiceFactory } from '../services/registry.js';
import { EmbeddedEngine } from '../storage/embedded/engine.js';
import type { Journal } from '../storage/embedded/journal.js';
import { createRequestHandler } from './app.js';
import { Listener } from './listener.js';

export interface TidewayOptions {
  port?: number;
  host?: string;
  /** Persist to a SQLite journal in this folder; in memory only when absent. */
  dataDir?: string;
  region?: string;
  logLevel?: LogLevel;
  logger?: Logger;
  /** Deliver SNS messages to queues whose policy keeps SNS out (AWS drops them), still warning. */
  lenientPolicies?: boolean;
  /**
   * How long a Kinesis stream stays CREATING, UPDATING or DELETING, in clock milliseconds. With
   * the default 0 each change completes before its call returns, so SDK waiters succeed on their
   * first poll.
   */
  kinesisStatusDelayMs?: number;
  /**
   * How long an MSK cluster stays CREATING, UPDATING or DELETING, in clock milliseconds. With the
   * default 0 each change completes before its call returns, as with `kinesisStatusDelayMs`.
   */
  mskStatusDelayMs?: number;
  /** Enforce Kinesis per-shard throughput quotas (ProvisionedThroughputExceededException); off by default. */
  kinesisLimits?: boolean;
  /**
   * Enforce EventBridge's quotas (rules per bus, targets per rule, PutEvents entries…); `true` for
   * AWS's defaults, or the quotas raised as an account's increases would raise them.
   */
  eventsQuotas?: boolean | Partial<EventsQuotas>;
  /**
   * Serve the default Kafka cluster on this port (0 picks a free one). Off when absent, so that
   * parallel test suites never fight over 9092; the `tideway` command defaults to 9092.
   */
  kafkaPort?: number;
  /** @internal Services served after the registry's: test-only modules (the REST routing tests); not public API. */
  extraServices?: readonly ServiceFactory[];
}

export interface RunningTideway {
  /** `http://<host>:<port>`, ready for an SDK's `endpoint`. */
  endpoint: string;
  host: string;
  port: number;
  /** The clock behind every timer; `clock.advance(ms)` moves it forward. */
  clock: Clock;
  /** The default Kafka cluster's listener, when `kafkaPort` was given: `bootstrap` is `host:port`. */
  kafka?: { host: string; port: number; bootstrap: string };
  stop(): Promise<void>;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}

/** Builds and starts the whole server: clock, storage, services, listener. */
export async function startTideway(options: TidewayOptions = {}): Promise<RunningTideway> {
  const statusDelay = options.kinesisStatusDelayMs ?? 0;
  if (!Number.isFinite(statusDelay) || statusDelay < 0) {
    throw new RangeError(`kinesisStatusDelayMs must be 0 or more milliseconds, not ${statusDelay}`);
  }
  const mskStatusDelay = options.mskStatusDelayMs ?? 0;
  if (!Number.isFinite(mskStatusDelay) || mskStatusDelay < 0) {
    throw new RangeError(`mskStatusDelayMs must be 0 or more milliseconds, not ${mskStatusDelay}`);
  }
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const log = options.logger ?? createLogger(options.logLevel ?? 'info');
  const clock = new Clock();
  const scheduler = new Scheduler(clock);
  // SQLite is loaded only with --data-dir: the in-memory default never touches it.
  let journal: Journal | undefined;
  if (options.dataDir) {
    const { Journal } = await import('../storage/embedded/journal.js');
    journal = new Journal(options.dataDir);
  }
  const storage = new EmbeddedEngine(clock, scheduler, log, journal);
  const hints = new HintRecorder(clock, log);
  const environment = {
    hints,
    clock,
    scheduler,
    log,
    journal,
    dataDir: options.dataDir,
    queues: storage,
    settings: {
      lenientPolicies: options.lenientPolicies,
      kinesisStatusDelayMs: statusDelay,
      kinesisLimits: options.kinesisLimits,
      mskStatusDelayMs: mskStatusDelay,
      eventsQuotas: eventsQuotaSettings(options.eventsQuotas),
      kafka: options.kafkaPort === undefined ? undefined : { host, port: options.kafkaPort },
      host,
    },
  };
  const modules = buildServices(
    environment,
    options.extraServices ? [...SERVICES, ...options.extraServices] : SERVICES,
  );
  const liveSources = modules.flatMap((m) => (m.live ? [m.live] : []));
  hints.watch(() => liveSources, scheduler);
  let address = { port: options.port ?? 4566, host };
  const listener = new Listener(
    createRequestHandler({
      services: modules.map((m) => m.definition),
      cors: new Set(modules.filter((m) => m.cors).map((m) => m.definition.name)),
      clock,
      log,
      region,
      fallbackHost: () => `${address.host}:${address.port}`,
      documents: Object.assign({}, ...modules.map((m) => m.documents ?? {})),
      admin: {
        clock,
        version: packageVersion(),
        services: modules.map((m) => m.definition.name),
        persistent: journal !== undefined,
        reset: async () => {
          for (const m of modules) await m.reset();
          hints.clear();
        },
        views: Object.assign(
          {},
          ...modules.map((m) => m.views ?? {}),
          doctorViews(liveSources, hints, clock),
        ),
      },
    }),
  );
  let bound: { port: number };
  try {
    bound = await listener.listen(options.port ?? 4566, host);
  } catch (err) {
    scheduler.stop();
    await storage.close();
    throw err;
  }
  address = { port: bound.port, host };
  let kafka: RunningTideway['kafka'];
  try {
    for (const m of modules) {
      const opened = await m.listen?.();
      if (opened?.kafka) {
        const kafkaHost = opened.kafka.host.includes(':') ? `[${opened.kafka.host}]` : opened.kafka.host;
        kafka = { ...opened.kafka, bootstrap: `${kafkaHost}:${opened.kafka.port}` };
      }
    }
  } catch (err) {
    await listener.close();
    for (const m of modules) await m.close();
    scheduler.stop();
    await storage.close();
    throw err;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${urlHost}:${bound.port}`,
    host,
    port: bound.port,
    clock,
    kafka,
    async stop() {
      await listener.close();
      for (const m of modules) await m.close();
      scheduler.stop();
      await storage.close();
    },
  };
}

/** doctor's views load their code on the first call: a server nobody doctors never loads it. */
function doctorViews(sources: LiveSource[], hints: HintRecorder, clock: Clock) {
  const load = () => import('../knowhow/live/views.js');
  return {
    'doctor/inventory': async (query: URLSearchParams) =>
      (await load()).doctorViews(() => sources, hints, clock)['doctor/inventory'](query),
    'doctor/hints': async (query: URLSearchParams) =>
      (await load()).doctorViews(() => sources, hints, clock)['doctor/hints'](query),
  };
}

function eventsQuotaSettings(option: TidewayOptions['eventsQuotas']): EventsQuotaSettings | undefined {
  if (option === undefined || option === false) return undefined;
  return { enforced: true, overrides: option === true ? {} : option };
}

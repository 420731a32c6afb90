import { type RunningTideway, startTideway, type TidewayOptions } from './server/tideway.js';

export type { Clock } from './core/clock.js';
export type { RunningTideway, TidewayOptions };

/**
 * Starts Tideway in-process, e.g. `const tw = await start({ port: 0 })` in a
 * test suite; `tw.endpoint` goes to the SDK, `tw.clock.advance(ms)` moves time,
 * `tw.stop()` shuts it down. Logs stay quiet unless a level is given.
 */
export function start(options: TidewayOptions = {}): Promise<RunningTideway> {
  return startTideway({ logLevel: 'warn', ...options });
}

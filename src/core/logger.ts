import { createRequire } from 'node:module';
import type { Logger as PinoLogger } from 'pino';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

type LogMethod = {
  (obj: object, msg?: string): void;
  (msg: string): void;
};

export interface Logger {
  readonly level: LogLevel;
  isLevelEnabled(level: LogLevel): boolean;
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
}

const SEVERITY: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

const require = createRequire(import.meta.url);

/**
 * pino, loaded on the first line actually written: most runs log nothing at
 * the default level, and loading pino up front costs a large share of cold start.
 */
export function createLogger(level: LogLevel = 'info'): Logger {
  const threshold = SEVERITY[level];
  let pino: PinoLogger | undefined;
  const write = (name: Exclude<LogLevel, 'silent'>): LogMethod =>
    ((...args: [object | string, string?]) => {
      if (SEVERITY[name] < threshold) return;
      pino ??= (require('pino') as typeof import('pino')).pino({ level, base: { name: 'tideway' } });
      (pino[name] as (...a: unknown[]) => void)(...args);
    }) as LogMethod;
  return {
    level,
    isLevelEnabled: (l) => SEVERITY[l] >= threshold,
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    fatal: write('fatal'),
  };
}

import type { Logger, LogLevel } from '../../src/core/logger.js';

/** A logger that keeps warnings in memory, so a test can assert what a user would be told. */
export function captureLogger(): Logger & { warnings: Array<{ fields: object; text: string }> } {
  const warnings: Array<{ fields: object; text: string }> = [];
  const quiet = () => {};
  return {
    level: 'warn' as LogLevel,
    isLevelEnabled: (level: LogLevel) => level === 'warn' || level === 'error' || level === 'fatal',
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: (fields: object | string, text?: string) => {
      warnings.push(typeof fields === 'string' ? { fields: {}, text: fields } : { fields, text: text ?? '' });
    },
    error: quiet,
    fatal: quiet,
    warnings,
  };
}

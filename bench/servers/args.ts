import { parseArgs } from 'node:util';

/** `--port <n>` is all a runner takes; it always binds loopback. */
export function portArg(): number {
  const { values } = parseArgs({ options: { port: { type: 'string' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port must be 1..65535`);
  return port;
}

/**
 * A runner whose bench was SIGKILLed would otherwise serve forever. process.ppid is fixed at
 * start, so instead signal 0 asks whether the parent still exists. The check is unref'd and
 * runs once a second, so it costs nothing measurable.
 */
export function exitWhenOrphaned(): void {
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1_000).unref();
}

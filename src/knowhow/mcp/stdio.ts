import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createTidewayMcpServer, type TidewayMcpOptions } from './server.js';

export interface StdioOptions extends TidewayMcpOptions {
  stdin?: Readable;
  stdout?: Writable;
}

/**
 * Serves MCP over stdin/stdout until stdin ends (the client closed the pipe or exited). The SDK's
 * transport does not watch for the end of its input, so this does.
 */
export async function serveStdio(options: StdioOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  if (stdout === process.stdout) keepConsoleOffStdout();
  const server = createTidewayMcpServer({ endpoint: options.endpoint });
  const transport = new StdioServerTransport(stdin, stdout);
  const ended = new Promise<void>((resolve) => {
    stdin.once('end', resolve);
    stdin.once('close', resolve);
  });
  await server.connect(transport);
  await ended;
  await server.close();
}

/** Stdout carries the protocol: a stray console.log anywhere in the process would corrupt it. */
function keepConsoleOffStdout(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

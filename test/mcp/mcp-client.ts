import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { cliMain } from '../support/server.js';

export interface McpSession {
  client: Client;
  /** What the server wrote to stderr so far, for failure messages. */
  stderr(): string;
  close(): Promise<void>;
}

/** Starts `tideway mcp` as an MCP client would, and connects the SDK's client to it over stdio. */
export async function connectMcp(
  args: string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<McpSession> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) {
    if (value !== undefined) merged[key] = value;
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliMain, 'mcp', ...args],
    env: merged,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'tideway-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Calls a tool and returns its result as the SDK types it (content, structuredContent, isError). */
export async function call(session: McpSession, name: string, args: Record<string, unknown>) {
  return (await session.client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The text of a result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  assert.ok(first && first.type === 'text', `expected a text block, got ${JSON.stringify(result.content)}`);
  return first.text;
}

/** A successful result's structured content, checked to equal the JSON text beside it. */
export function answerOf(result: CallToolResult): any {
  assert.notEqual(result.isError, true, `tool failed: ${JSON.stringify(result.content)}`);
  assert.ok(result.structuredContent, 'structured content');
  assert.deepEqual(JSON.parse(textOf(result)), result.structuredContent);
  return result.structuredContent;
}

/** An error result's message. */
export function errorOf(result: CallToolResult): string {
  assert.equal(result.isError, true, `expected an error result, got ${JSON.stringify(result.content)}`);
  return textOf(result);
}

/** The text of a resource read's first content. */
export function resourceText(read: { contents: ({ text: string } | { blob: string })[] }): string {
  const first = read.contents[0];
  assert.ok(first && 'text' in first, 'a text resource');
  return first.text;
}

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * Tool answers: the structured content, and the same JSON as text for clients that only show
 * text (the MCP specification asks for both when a tool declares an output schema).
 */
export function jsonResult(value: object): CallToolResult {
  const text = JSON.stringify(value, null, 2);
  // Parsed back so the structured content is exactly what the text says (no undefined fields),
  // over any transport.
  return { content: [{ type: 'text', text }], structuredContent: JSON.parse(text) };
}

/** A failed call as the agent sees it: a result it can read and act on, not a protocol error. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs a tool's work; whatever it throws becomes an error result that says what failed. */
export async function guarded(what: string, work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (err) {
    return errorResult(`${what}: ${messageOf(err)}`);
  }
}

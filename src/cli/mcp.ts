import { parseArgs } from 'node:util';
import { DEFAULT_ENDPOINT } from '../knowhow/live/inventory.js';
import { serveStdio } from '../knowhow/mcp/stdio.js';
import { httpEndpointOption, usageFailure } from './options.js';

const HELP = `tideway mcp — advise, lint and doctor for AI coding agents (Model Context Protocol over stdio)

Usage:
  tideway mcp [--endpoint URL]

Serves MCP on stdin/stdout until stdin closes; an MCP client starts it, e.g.
  claude mcp add tideway -- npx tideway mcp

Tools: advise, lint, doctor, list_resources, describe_resource (all read-only).
Resources: tideway://rules, tideway://resources/<arn>.

Options:
  --endpoint <url>   the running Tideway that doctor and the resource view read
                     [AWS_ENDPOINT_URL]   default ${DEFAULT_ENDPOINT}
  -h, --help         this text

See docs/mcp.md for registering it with Claude Code, Claude Desktop, Cursor, VS Code, Windsurf
and Codex CLI.
`;

/** `tideway mcp …`: serves until stdin closes, then returns the process exit code. */
export async function run(argv: string[]): Promise<number> {
  let values: { endpoint?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { endpoint: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    return usageFailure('mcp', (err as Error).message);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const endpoint = httpEndpointOption('mcp', values.endpoint);
  if (typeof endpoint === 'number') return endpoint;
  // Stdout carries the protocol: anything else written there would corrupt it.
  await serveStdio({ endpoint: endpoint.replace(/\/+$/, '') });
  return 0;
}

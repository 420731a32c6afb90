import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { rulePage } from '../findings.js';
import { readPackage } from '../report/package-info.js';
import { RULES } from '../rules/index.js';
import { registerAdviseTool } from './advise-tool.js';
import { registerDoctorTool } from './doctor-tool.js';
import { KNOW_HOW, type KnowHow } from './know-how.js';
import { registerLintTool } from './lint-tool.js';
import { registerLiveTools } from './live-tools.js';

export { DEFAULT_ENDPOINT } from '../live/inventory.js';

export interface TidewayMcpOptions {
  /** The running Tideway that doctor and the resource view read unless a call names another. */
  endpoint: string;
  /** What the tools relay; the real advise, lint, doctor and inventory unless replaced. */
  knowHow?: Partial<KnowHow>;
}

const INSTRUCTIONS = `Tideway's know-how about AWS messaging, for choosing and checking integrations:
- advise: which service fits a workload (SQS, SNS, EventBridge, Amazon MQ, Kinesis, Firehose, Managed Flink, MSK) and the settings that matter;
- lint: mistakes between resources in CloudFormation, SAM, cdk.out or Terraform plans (missing queue policies, confused deputy, short polling, inline credentials…);
- doctor: the same rules on a running Tideway, plus what only runtime shows;
- list_resources, describe_resource and tideway://resources/<arn>: a read-only view of the running Tideway's queues, topics, buses, rules and streams.
Nothing here changes any state.`;

/** The MCP server: advise, lint, doctor, and the read-only view of a running Tideway. */
export function createTidewayMcpServer(options: TidewayMcpOptions): McpServer {
  const server = new McpServer(
    { name: 'tideway', title: 'Tideway', version: readPackage().version },
    { instructions: INSTRUCTIONS },
  );
  const knowHow: KnowHow = { ...KNOW_HOW, ...options.knowHow };
  registerAdviseTool(server, knowHow);
  registerLintTool(server, knowHow);
  registerDoctorTool(server, knowHow, options.endpoint);
  registerLiveTools(server, knowHow, options.endpoint);
  server.registerResource(
    'lint-rules',
    'tideway://rules',
    {
      title: 'The lint and doctor rules',
      description:
        'Every rule lint and doctor apply: id, usual severity, what it catches, its documentation page',
      mimeType: 'application/json',
    },
    (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(
            RULES.map((rule) => ({
              id: rule.id,
              severity: rule.severity,
              title: rule.title,
              doc: rulePage(rule.id),
            })),
            null,
            2,
          ),
        },
      ],
    }),
  );
  return server;
}

import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { KnowHow } from './know-how.js';
import { arnOfUri, describeResource, KIND_NAMES, listResources, scopeOfArn } from './live-view.js';
import { errorResult, guarded, jsonResult, messageOf } from './results.js';
import { accountInput, endpointInput, endpointOf, regionInput } from './schemas.js';

const READ_ONLY = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;

/** One resource, read from the inventory of the scope its ARN names (every scope for a queue URL). */
async function describe(knowHow: KnowHow, endpoint: string, arnOrUrl: string) {
  return describeResource(await knowHow.fetchInventory(endpoint, scopeOfArn(arnOrUrl) ?? {}), arnOrUrl);
}

/**
 * `list_resources` and `describe_resource`, and the same view as MCP resources
 * (`tideway://resources/<arn>`). Every one of them only reads the inventory.
 */
export function registerLiveTools(server: McpServer, knowHow: KnowHow, defaultEndpoint: string): void {
  server.registerTool(
    'list_resources',
    {
      title: "List a running Tideway's resources",
      description: `Lists the queues, topics, subscriptions, event buses, rules, streams, keys and secrets of a running Tideway (default ${defaultEndpoint}), per account and region, with their ARNs. Read-only.`,
      inputSchema: {
        endpoint: endpointInput,
        account: accountInput,
        region: regionInput,
        kinds: z.array(z.enum(KIND_NAMES)).optional().describe('Only these kinds of resource'),
      },
      outputSchema: {
        endpoint: z.string(),
        resources: z.array(
          z.object({
            kind: z.enum(KIND_NAMES),
            arn: z.string(),
            name: z.string().optional(),
            type: z.string(),
            account: z.string(),
            region: z.string(),
            url: z.string().optional(),
            uri: z.string(),
          }),
        ),
      },
      annotations: READ_ONLY,
    },
    (input) => {
      const endpoint = endpointOf(input.endpoint, defaultEndpoint);
      return guarded(`Could not list the resources of the Tideway at ${endpoint}`, async () => {
        const inventory = await knowHow.fetchInventory(endpoint, {
          account: input.account,
          region: input.region,
        });
        return jsonResult({ endpoint, resources: listResources(inventory, input.kinds) });
      });
    },
  );

  server.registerTool(
    'describe_resource',
    {
      title: 'Describe one resource of a running Tideway',
      description: `Describes one resource of a running Tideway (default ${defaultEndpoint}) by ARN (or a queue URL): its attributes, policies, targets or subscription settings, and the resources related to it (a topic's subscriptions, a bus's rules, who delivers to a queue, what it is the dead-letter queue of). Read-only.`,
      inputSchema: {
        arn: z
          .string()
          .min(1)
          .describe('The ARN of a queue, topic, subscription, bus, rule, stream… or a queue URL'),
        endpoint: endpointInput,
      },
      outputSchema: {
        kind: z.enum(KIND_NAMES),
        arn: z.string(),
        account: z.string(),
        region: z.string(),
        resource: z.record(z.string(), z.unknown()),
        related: z.array(z.looseObject({ relation: z.string(), arn: z.string() })),
      },
      annotations: READ_ONLY,
    },
    (input) => {
      const endpoint = endpointOf(input.endpoint, defaultEndpoint);
      return guarded(`Could not describe ${input.arn} at the Tideway at ${endpoint}`, async () => {
        const description = await describe(knowHow, endpoint, input.arn);
        if (!description) {
          return errorResult(
            `No resource ${input.arn} at the Tideway at ${endpoint}; list_resources shows the ARNs there.`,
          );
        }
        return jsonResult(description);
      });
    },
  );

  server.registerResource(
    'tideway-resource',
    new ResourceTemplate('tideway://resources/{+arn}', {
      // Clients list resources on their own schedule: a Tideway not running yet lists nothing
      // rather than failing the whole listing.
      list: async () => {
        try {
          const resources = listResources(await knowHow.fetchInventory(defaultEndpoint));
          return {
            resources: resources.map((r) => ({
              uri: r.uri,
              name: r.name ?? r.arn,
              description: `${r.type} in ${r.account}/${r.region}`,
              mimeType: 'application/json',
            })),
          };
        } catch {
          return { resources: [] };
        }
      },
    }),
    {
      title: 'A resource of the running Tideway',
      description: `One queue, topic, subscription, bus, rule or stream of the Tideway at ${defaultEndpoint}, described as describe_resource does`,
      mimeType: 'application/json',
    },
    async (uri) => {
      const arn = arnOfUri(uri.href);
      if (!arn) throw new Error(`Not a Tideway resource URI: ${uri.href}`);
      let description: Awaited<ReturnType<typeof describe>>;
      try {
        description = await describe(knowHow, defaultEndpoint, arn);
      } catch (err) {
        throw new Error(`Could not read the Tideway at ${defaultEndpoint}: ${messageOf(err)}`);
      }
      if (!description) throw new Error(`No resource ${arn} at the Tideway at ${defaultEndpoint}`);
      return {
        contents: [
          { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(description, null, 2) },
        ],
      };
    },
  );
}

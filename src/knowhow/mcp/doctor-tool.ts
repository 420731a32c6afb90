import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { HINT_RULES } from '../doctor.js';
import type { KnowHow } from './know-how.js';
import { guarded, jsonResult } from './results.js';
import {
  accountInput,
  disableInput,
  endpointInput,
  endpointOf,
  explainInput,
  findingOutput,
  noteOutput,
  profileInput,
  refuseUnknownIds,
  regionInput,
  summarise,
  summaryOutput,
} from './schemas.js';

/** Doctor reports runtime hints under their kind as rule id, so "disable" takes those too. */
const HINT_IDS = Object.keys(HINT_RULES);

export function registerDoctorTool(server: McpServer, knowHow: KnowHow, defaultEndpoint: string): void {
  server.registerTool(
    'doctor',
    {
      title: 'Check the live resources of a running Tideway',
      description: `Runs the lint rules against the live queues, topics, subscriptions, buses, rules and streams of a running Tideway (default ${defaultEndpoint}), all accounts and regions or one, and adds what only runtime shows: deliveries dropped because a policy did not allow the service, receives asking for system attributes in MessageAttributeNames, short polling on empty queues, Kinesis consumers falling behind, queues whose oldest message nears the retention period. Reads only; changes nothing.`,
      inputSchema: {
        endpoint: endpointInput,
        account: accountInput,
        region: regionInput,
        disable: disableInput(HINT_IDS),
        profile: profileInput,
        explain: explainInput,
      },
      outputSchema: {
        endpoint: z.string(),
        findings: z.array(findingOutput),
        summary: summaryOutput,
        notes: z.array(noteOutput).optional(),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (input) => {
      const endpoint = endpointOf(input.endpoint, defaultEndpoint);
      return guarded(`doctor could not check the Tideway at ${endpoint}`, async () => {
        const refused = refuseUnknownIds(input.disable, HINT_IDS);
        if (refused) return refused;
        const result = await knowHow.runDoctor({
          endpoint,
          account: input.account,
          region: input.region,
          disable: input.disable,
          profile: input.profile,
        });
        return jsonResult({
          endpoint,
          findings: result.findings,
          summary: summarise(result.findings),
          ...(input.explain ? { notes: result.notes } : {}),
        });
      });
    },
  );
}

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import * as adviseModule from '../advise/index.js';
import type { KnowHow } from './know-how.js';
import { errorResult, guarded, jsonResult } from './results.js';

const SERVICE_IDS = [
  'sqs',
  'sns',
  'eventbridge',
  'mq',
  'kinesis-data-streams',
  'firehose',
  'managed-flink',
  'msk',
] as const satisfies readonly adviseModule.ServiceId[];

/**
 * The dimensions as advise describes them, when it exports that description, so the agent sees
 * the field names and allowed values without a second round trip.
 */
function dimensionsText(): string {
  const dimensions = (adviseModule as unknown as Record<string, unknown>).WORKLOAD_DIMENSIONS;
  if (dimensions === undefined) return 'The dimensions are described in docs/advise.md.';
  return `The dimensions (name, question, allowed values, default), as JSON: ${JSON.stringify(dimensions)}`;
}

const DESCRIPTION = `Which AWS messaging or streaming service fits a workload: SQS, SNS, EventBridge, Amazon MQ, Kinesis Data Streams, Data Firehose, Managed Service for Apache Flink or MSK.
Give the workload's answers (replay after consumption, ordering, consumer model, throughput and latency, content-based routing, cross-account or SaaS integration, delivery to storage without code, stateful processing, existing JMS/AMQP/MQTT/STOMP clients, Kafka API, message size, number of tenants); unset dimensions take their defaults.
Returns the pattern, the recommended services with the reason for each (ids: ${SERVICE_IDS.join(', ')}), the integrations that combine them and the production settings that matter.`;

export function registerAdviseTool(server: McpServer, knowHow: KnowHow): void {
  server.registerTool(
    'advise',
    {
      title: 'Choose a messaging or streaming service',
      description: `${DESCRIPTION}\n${dimensionsText()}`,
      inputSchema: {
        workload: z
          .record(z.string(), z.unknown())
          .describe("The workload's answers to the dimensions, e.g. { ordering, consumers, replay, … }"),
      },
      outputSchema: {
        pattern: z.string(),
        services: z.array(z.object({ id: z.enum(SERVICE_IDS), reason: z.string() })),
        integrations: z.array(z.unknown()),
        settings: z.array(z.unknown()),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ workload }) =>
      guarded('advise failed', async () => {
        let parsed: adviseModule.Workload;
        try {
          parsed = knowHow.parseWorkload(workload);
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          return errorResult(`Invalid workload: ${reason}`);
        }
        return jsonResult(knowHow.advise(parsed));
      }),
  );
}

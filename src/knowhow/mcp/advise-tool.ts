import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { SERVICE_IDS, WORKLOAD_DIMENSIONS, type Workload } from '../advise/index.js';
import type { KnowHow } from './know-how.js';
import { errorResult, guarded, jsonResult, messageOf } from './results.js';

/** A dimension as advise describes it (WORKLOAD_DIMENSIONS): read by shape, not by type. */
interface DimensionLike {
  name: string;
  kind?: string;
  values?: readonly string[];
  default?: unknown;
  description?: string;
}

function isDimension(value: unknown): value is DimensionLike {
  return typeof value === 'object' && value !== null && typeof (value as DimensionLike).name === 'string';
}

function answerSchema(dimension: DimensionLike): z.ZodType {
  switch (dimension.kind) {
    case 'boolean':
      return z.boolean();
    case 'choice':
      return dimension.values && dimension.values.length > 0
        ? z.enum(dimension.values as [string, ...string[]])
        : z.string();
    case 'size':
      return z.union([z.number().int().positive(), z.string()]);
    case 'count':
      return z.number().int().min(1);
    default:
      return z.unknown();
  }
}

/**
 * The workload's input schema, one property per dimension with its allowed values and default,
 * so the agent sees the field names without a second round trip. Unknown fields still reach
 * parseWorkload, whose message lists the right ones.
 */
export function workloadSchema(dimensions: unknown) {
  const list = Array.isArray(dimensions) ? dimensions.filter(isDimension) : [];
  if (list.length === 0) {
    return z.record(z.string(), z.unknown()).describe("The workload's answers (see docs/advise.md)");
  }
  const shape: Record<string, z.ZodType> = {};
  for (const dimension of list) {
    const text = [dimension.description, `Default: ${JSON.stringify(dimension.default)}.`];
    shape[dimension.name] = answerSchema(dimension).optional().describe(text.filter(Boolean).join(' '));
  }
  return z.looseObject(shape).describe("The workload's answers; unset dimensions take their defaults");
}

const DESCRIPTION = `Which AWS messaging or streaming service fits a workload: SQS, SNS, EventBridge, Amazon MQ, Kinesis Data Streams, Data Firehose, Managed Service for Apache Flink or MSK.
Give the workload's answers (replay after consumption, ordering, consumer model, throughput and latency, content-based routing, cross-account or SaaS integration, delivery to storage without code, stateful processing, existing JMS/AMQP/MQTT/STOMP clients, Kafka API, message size, number of tenants); unset dimensions take their defaults.
Returns the pattern, the recommended services with the reason for each (ids: ${SERVICE_IDS.join(', ')}), the integrations that combine them and the production settings that matter.`;

export function registerAdviseTool(server: McpServer, knowHow: KnowHow): void {
  server.registerTool(
    'advise',
    {
      title: 'Choose a messaging or streaming service',
      description: DESCRIPTION,
      inputSchema: {
        workload: workloadSchema(WORKLOAD_DIMENSIONS),
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
        let parsed: Workload;
        try {
          parsed = knowHow.parseWorkload(workload);
        } catch (err) {
          return errorResult(`Invalid workload: ${messageOf(err)}`);
        }
        return jsonResult(knowHow.advise(parsed));
      }),
  );
}

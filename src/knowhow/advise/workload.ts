/**
 * A workload as `tideway advise` reads it: one answer per dimension. The dimensions are data
 * (WORKLOAD_DIMENSIONS) so that the interactive questions, the flags, the JSON file, the MCP tool
 * and docs/advise.md all describe the same thing.
 */

export type Ordering = 'none' | 'per-group' | 'per-partition';
export type ConsumerModel = 'competing' | 'independent-readers' | 'fan-out';
export type Throughput = 'bursty' | 'sustained-high';
export type Latency = 'sub-second' | 'seconds' | 'minutes';
export type Protocol = 'none' | 'jms' | 'amqp' | 'mqtt' | 'stomp' | 'openwire';

export interface Workload {
  /** Messages must stay readable after they were consumed (replay, retention). */
  replay: boolean;
  ordering: Ordering;
  consumers: ConsumerModel;
  throughput: Throughput;
  /** How soon after it is sent a message must reach its consumer. */
  latency: Latency;
  /** Subscribers choose messages by their content (attributes or body fields). */
  routing: boolean;
  /** Producers and consumers live in different AWS accounts. */
  crossAccount: boolean;
  /** Events come from a SaaS partner (Shopify, Zendesk, Datadog…). */
  saas: boolean;
  /** Messages land in S3, Redshift, OpenSearch or an analytics store without consumer code. */
  toStorage: boolean;
  /** Processing keeps state across messages: joins, windows, aggregations. */
  stateful: boolean;
  /** Existing clients that speak a broker protocol, or `none`. */
  protocol: Protocol;
  /** The Kafka API and its ecosystem (Kafka Connect, Kafka Streams, existing Kafka clients). */
  kafkaApi: boolean;
  /** The largest message, in bytes. */
  messageSize: number;
  /** Tenants sharing the same queue or stream (1: a single tenant). */
  tenants: number;
}

export type DimensionName = keyof Workload;

export type DimensionKind = 'boolean' | 'choice' | 'size' | 'count';

export interface WorkloadDimension {
  name: DimensionName;
  /** The command-line flag, without `--`; booleans also take `--no-<flag>`. */
  flag: string;
  kind: DimensionKind;
  /** The interactive question. */
  question: string;
  /** The accepted answers for `choice` and `boolean`. */
  values?: readonly string[];
  /** Other spellings accepted for a value, as the issue and common usage word them. */
  aliases?: Readonly<Record<string, string>>;
  default: boolean | string | number;
  description: string;
}

export const WORKLOAD_DIMENSIONS: readonly WorkloadDimension[] = [
  {
    name: 'replay',
    flag: 'replay',
    kind: 'boolean',
    question: 'Must messages stay readable after they were consumed (replay, retention)?',
    values: ['yes', 'no'],
    default: false,
    description: 'Re-read past messages after consumption: reprocessing, new readers catching up, audits.',
  },
  {
    name: 'ordering',
    flag: 'ordering',
    kind: 'choice',
    question: 'What ordering do consumers need?',
    values: ['none', 'per-group', 'per-partition'],
    aliases: {
      'per-key': 'per-group',
      group: 'per-group',
      partition: 'per-partition',
      strict: 'per-partition',
    },
    default: 'none',
    description:
      'none; per-group: in order within a key (customer, order id) with parallelism across keys; ' +
      'per-partition: strict order within a partition or shard that readers consume in sequence.',
  },
  {
    name: 'consumers',
    flag: 'consumers',
    kind: 'choice',
    question: 'How is each message consumed?',
    values: ['competing', 'independent-readers', 'fan-out'],
    aliases: { 'competing-workers': 'competing', independent: 'independent-readers', fanout: 'fan-out' },
    default: 'competing',
    description:
      'competing: a pool of workers shares the work, each message handled once; ' +
      'independent-readers: several applications each read the whole flow at their own pace; ' +
      'fan-out: each message is pushed to several kinds of subscriber.',
  },
  {
    name: 'throughput',
    flag: 'throughput',
    kind: 'choice',
    question: 'What is the throughput shape?',
    values: ['bursty', 'sustained-high'],
    aliases: { sustained: 'sustained-high', high: 'sustained-high' },
    default: 'bursty',
    description:
      'bursty: spiky or modest volume; sustained-high: a steady high volume (MB/s, thousands of msg/s).',
  },
  {
    name: 'latency',
    flag: 'latency',
    kind: 'choice',
    question: 'How soon must a message reach its consumer?',
    values: ['sub-second', 'seconds', 'minutes'],
    default: 'seconds',
    description: 'sub-second, seconds, or minutes (buffered delivery is acceptable).',
  },
  {
    name: 'routing',
    flag: 'routing',
    kind: 'boolean',
    question: 'Do subscribers choose messages by their content (content-based routing)?',
    values: ['yes', 'no'],
    default: false,
    description: 'Subscribers filter on message attributes or body fields.',
  },
  {
    name: 'crossAccount',
    flag: 'cross-account',
    kind: 'boolean',
    question: 'Do producers and consumers live in different AWS accounts?',
    values: ['yes', 'no'],
    default: false,
    description: 'Messages cross AWS account boundaries.',
  },
  {
    name: 'saas',
    flag: 'saas',
    kind: 'boolean',
    question: 'Do events come from a SaaS partner (Shopify, Zendesk, Datadog…)?',
    values: ['yes', 'no'],
    default: false,
    description: 'A SaaS application is the event source.',
  },
  {
    name: 'toStorage',
    flag: 'to-storage',
    kind: 'boolean',
    question: 'Must messages land in S3, Redshift, OpenSearch or analytics without consumer code?',
    values: ['yes', 'no'],
    default: false,
    description: 'Delivery to storage or analytics with no code of yours in between.',
  },
  {
    name: 'stateful',
    flag: 'stateful',
    kind: 'boolean',
    question: 'Does processing keep state across messages (joins, windows, aggregations)?',
    values: ['yes', 'no'],
    default: false,
    description: 'Stateful stream processing.',
  },
  {
    name: 'protocol',
    flag: 'protocol',
    kind: 'choice',
    question: 'Do existing clients speak a broker protocol?',
    values: ['none', 'jms', 'amqp', 'mqtt', 'stomp', 'openwire'],
    default: 'none',
    description: 'Existing JMS, AMQP, MQTT, STOMP or OpenWire clients that should keep working unchanged.',
  },
  {
    name: 'kafkaApi',
    flag: 'kafka-api',
    kind: 'boolean',
    question: 'Do you need the Kafka API and its ecosystem (Kafka clients, Connect, Streams)?',
    values: ['yes', 'no'],
    default: false,
    description: 'The Apache Kafka wire protocol and tools.',
  },
  {
    name: 'messageSize',
    flag: 'message-size',
    kind: 'size',
    question: 'How large is the largest message (bytes, or with KB, KiB, MB, MiB)?',
    default: 1024,
    description:
      'The largest message: a number of bytes, or a number with KB, KiB, MB or MiB (KB = 1,000 bytes).',
  },
  {
    name: 'tenants',
    flag: 'tenants',
    kind: 'count',
    question: 'How many tenants share the queue or stream?',
    default: 1,
    description:
      'Tenants (customers, client applications) sharing one queue; more than one raises noisy neighbours.',
  },
];

export const DEFAULT_WORKLOAD: Workload = Object.freeze(
  Object.fromEntries(WORKLOAD_DIMENSIONS.map((d) => [d.name, d.default])),
) as unknown as Workload;

/** A workload that does not parse; names the field (or flag) and what it accepts. */
export class WorkloadError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'WorkloadError';
  }
}

/** A dimension by its JSON name, or by its flag name (`cross-account` for `crossAccount`). */
export function dimension(name: string): WorkloadDimension | undefined {
  return WORKLOAD_DIMENSIONS.find((d) => d.name === name) ?? WORKLOAD_DIMENSIONS.find((d) => d.flag === name);
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 * 1000,
  mib: 1024 * 1024,
};

/** `262144`, `256KiB`, `256 KB`, `1MiB`, `1.5 MB` → bytes; undefined when it is none of these. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!match) return undefined;
  const unit = SIZE_UNITS[match[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

const YES = new Set(['true', 'yes', 'y', '1']);
const NO = new Set(['false', 'no', 'n', '0']);

/**
 * One answer, as text (a flag's value, an interactive answer) or as JSON, checked against its
 * dimension. `label` names the answer in errors: `--ordering` for a flag, `ordering` in a file.
 */
export function parseAnswer(
  dim: WorkloadDimension,
  value: unknown,
  label: string = dim.name,
): Workload[DimensionName] {
  switch (dim.kind) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (text !== undefined && YES.has(text)) return true;
      if (text !== undefined && NO.has(text)) return false;
      throw new WorkloadError(`${label} must be true or false (yes or no), not ${show(value)}`, dim.name);
    }
    case 'choice': {
      const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      const canonical = text === undefined ? undefined : (dim.aliases?.[text] ?? text);
      if (canonical !== undefined && dim.values!.includes(canonical))
        return canonical as Workload[DimensionName];
      throw new WorkloadError(
        `${label} must be one of ${dim.values!.join(', ')}, not ${show(value)}`,
        dim.name,
      );
    }
    case 'size': {
      const bytes =
        typeof value === 'number'
          ? Number.isSafeInteger(value) && value > 0
            ? value
            : undefined
          : typeof value === 'string'
            ? parseSize(value)
            : undefined;
      if (bytes === undefined) {
        throw new WorkloadError(
          `${label} must be a positive number of bytes, or a number with KB, KiB, MB or MiB (e.g. 256KiB), not ${show(value)}`,
          dim.name,
        );
      }
      return bytes;
    }
    case 'count': {
      const count =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
            ? Number(value)
            : NaN;
      if (!Number.isSafeInteger(count) || count < 1) {
        throw new WorkloadError(
          `${label} must be a whole number of at least 1, not ${show(value)}`,
          dim.name,
        );
      }
      return count;
    }
  }
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * Checks a workload given as JSON (a --workload file, an MCP call): an object whose keys are
 * dimension names. Missing dimensions take their defaults; an unknown key or a wrong value
 * throws WorkloadError naming it.
 */
export function parseWorkload(input: unknown): Workload {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new WorkloadError(
      `a workload is a JSON object with some of ${WORKLOAD_DIMENSIONS.map((d) => d.name).join(', ')}`,
    );
  }
  const workload: Record<string, unknown> = { ...DEFAULT_WORKLOAD };
  for (const [key, value] of Object.entries(input)) {
    const dim = dimension(key);
    if (!dim) {
      throw new WorkloadError(
        `unknown workload field '${key}'; the fields are ${WORKLOAD_DIMENSIONS.map((d) => d.name).join(', ')}`,
        key,
      );
    }
    workload[dim.name] = parseAnswer(dim, value, key);
  }
  return workload as unknown as Workload;
}

/** The JSON workload as a JSON Schema (draft 2020-12), for tool definitions such as MCP's. */
export function workloadJsonSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const dim of WORKLOAD_DIMENSIONS) {
    const description = `${dim.question} ${dim.description}`;
    if (dim.kind === 'boolean') properties[dim.name] = { type: 'boolean', default: dim.default, description };
    else if (dim.kind === 'choice') {
      properties[dim.name] = { type: 'string', enum: [...dim.values!], default: dim.default, description };
    } else if (dim.kind === 'size') {
      properties[dim.name] = {
        anyOf: [
          { type: 'integer', minimum: 1 },
          { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*([kK][iI]?[bB]|[mM][iI]?[bB]|[bB])?\\s*$' },
        ],
        default: dim.default,
        description,
      };
    } else properties[dim.name] = { type: 'integer', minimum: 1, default: dim.default, description };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Tideway advise workload',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}

// Broker and topic configs: Apache Kafka's defaults, the defaults of the default cluster and of
// MSK clusters, and the validation of topic configs as Kafka's ConfigDef does it.

/** DescribeConfigs' config types (v3+). */
export const ConfigType = {
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
} as const;
export type ConfigTypeName = keyof typeof ConfigType;

/** DescribeConfigs' config sources. */
export const ConfigSource = {
  TOPIC_CONFIG: 1,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

const LONG_MAX = '9223372036854775807';

interface BrokerConfigDef {
  type: ConfigTypeName;
  /** Apache Kafka's default; null where Kafka has none (the value is derived from another). */
  value: string | null;
  /** Changeable at runtime in Kafka (dynamic broker config): DescribeConfigs shows it read-write. */
  dynamic?: boolean;
}

/** Apache Kafka's broker defaults (KafkaConfig), for the configs a client may ask about. */
export const BROKER_DEFAULTS: Readonly<Record<string, BrokerConfigDef>> = {
  'auto.create.topics.enable': { type: 'BOOLEAN', value: 'true' },
  'num.partitions': { type: 'INT', value: '1' },
  'default.replication.factor': { type: 'INT', value: '1' },
  'min.insync.replicas': { type: 'INT', value: '1', dynamic: true },
  'delete.topic.enable': { type: 'BOOLEAN', value: 'true' },
  'unclean.leader.election.enable': { type: 'BOOLEAN', value: 'false', dynamic: true },
  'compression.type': { type: 'STRING', value: 'producer', dynamic: true },
  'message.max.bytes': { type: 'INT', value: '1048588', dynamic: true },
  'log.retention.ms': { type: 'LONG', value: null, dynamic: true },
  'log.retention.minutes': { type: 'INT', value: null },
  'log.retention.hours': { type: 'INT', value: '168' },
  'log.retention.bytes': { type: 'LONG', value: '-1', dynamic: true },
  'log.retention.check.interval.ms': { type: 'LONG', value: '300000' },
  'log.cleanup.policy': { type: 'LIST', value: 'delete', dynamic: true },
  'log.segment.bytes': { type: 'INT', value: '1073741824', dynamic: true },
  'log.roll.ms': { type: 'LONG', value: null, dynamic: true },
  'log.roll.hours': { type: 'INT', value: '168' },
  'log.roll.jitter.ms': { type: 'LONG', value: null, dynamic: true },
  'log.roll.jitter.hours': { type: 'INT', value: '0' },
  'log.index.size.max.bytes': { type: 'INT', value: '10485760', dynamic: true },
  'log.index.interval.bytes': { type: 'INT', value: '4096', dynamic: true },
  'log.flush.interval.messages': { type: 'LONG', value: LONG_MAX, dynamic: true },
  'log.flush.interval.ms': { type: 'LONG', value: null, dynamic: true },
  'log.segment.delete.delay.ms': { type: 'LONG', value: '60000', dynamic: true },
  'log.preallocate': { type: 'BOOLEAN', value: 'false', dynamic: true },
  'log.message.timestamp.type': { type: 'STRING', value: 'CreateTime', dynamic: true },
  'log.message.timestamp.before.max.ms': { type: 'LONG', value: LONG_MAX, dynamic: true },
  'log.message.timestamp.after.max.ms': { type: 'LONG', value: LONG_MAX, dynamic: true },
  'log.cleaner.delete.retention.ms': { type: 'LONG', value: '86400000', dynamic: true },
  'log.cleaner.min.compaction.lag.ms': { type: 'LONG', value: '0', dynamic: true },
  'log.cleaner.max.compaction.lag.ms': { type: 'LONG', value: LONG_MAX, dynamic: true },
  'log.cleaner.min.cleanable.ratio': { type: 'DOUBLE', value: '0.5', dynamic: true },
  'log.local.retention.ms': { type: 'LONG', value: '-2' },
  'log.local.retention.bytes': { type: 'LONG', value: '-2' },
  'group.initial.rebalance.delay.ms': { type: 'INT', value: '3000' },
  'group.min.session.timeout.ms': { type: 'INT', value: '6000' },
  'group.max.session.timeout.ms': { type: 'INT', value: '1800000' },
  'group.max.size': { type: 'INT', value: '2147483647' },
  'offsets.retention.minutes': { type: 'INT', value: '10080' },
  'offsets.topic.num.partitions': { type: 'INT', value: '50' },
  'offsets.topic.replication.factor': { type: 'SHORT', value: '3' },
  'transaction.state.log.replication.factor': { type: 'SHORT', value: '3' },
  'transaction.state.log.min.isr': { type: 'INT', value: '2' },
  'socket.request.max.bytes': { type: 'INT', value: '104857600' },
  'num.network.threads': { type: 'INT', value: '3', dynamic: true },
  'num.io.threads': { type: 'INT', value: '8', dynamic: true },
};

/**
 * What the default cluster sets over Kafka's defaults: the server.properties Apache Kafka ships
 * for a single development broker (one replica of the internal topics, no first-join delay).
 */
export const DEFAULT_CLUSTER_PROPERTIES: Readonly<Record<string, string>> = {
  'num.partitions': '1',
  'offsets.topic.replication.factor': '1',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'log.retention.hours': '168',
  'log.segment.bytes': '1073741824',
  'log.retention.check.interval.ms': '300000',
  'group.initial.rebalance.delay.ms': '0',
};

/**
 * MSK's default configuration (used when a cluster is made without a custom one), sized as MSK
 * sizes it: replication 3 and min.insync.replicas 2 over three zones, 2 and 1 over two.
 */
export function mskDefaultProperties(brokerNodes: number): Record<string, string> {
  const replication = Math.max(1, Math.min(3, brokerNodes));
  return {
    'allow.everyone.if.no.acl.found': 'true',
    'auto.create.topics.enable': 'false',
    'auto.leader.rebalance.enable': 'true',
    'default.replication.factor': String(replication),
    'min.insync.replicas': String(Math.max(1, replication - 1)),
    'num.io.threads': '8',
    'num.network.threads': '5',
    'num.partitions': '1',
    'num.replica.fetchers': '2',
    'offsets.topic.replication.factor': String(replication),
    'replica.lag.time.max.ms': '30000',
    'socket.receive.buffer.bytes': '102400',
    'socket.request.max.bytes': '104857600',
    'socket.send.buffer.bytes': '102400',
    'transaction.state.log.min.isr': String(Math.max(1, replication - 1)),
    'transaction.state.log.replication.factor': String(replication),
    'unclean.leader.election.enable': 'true',
  };
}

/** How Tideway treats a topic config (docs/kafka/configs.md says the same). */
export type ConfigEffect = 'honoured' | 'stored';

export interface TopicConfigDef {
  name: string;
  type: ConfigTypeName;
  default: string;
  /** Broker configs that supply the default, most specific first, with the unit factor to ms. */
  synonyms: Array<{ name: string; factor?: number }>;
  effect: ConfigEffect;
  min?: number;
  oneOf?: readonly string[];
}

const def = (
  name: string,
  type: ConfigTypeName,
  dflt: string,
  synonyms: Array<string | { name: string; factor: number }>,
  effect: ConfigEffect,
  extra: Partial<TopicConfigDef> = {},
): TopicConfigDef => ({
  name,
  type,
  default: dflt,
  synonyms: synonyms.map((s) => (typeof s === 'string' ? { name: s } : s)),
  effect,
  ...extra,
});

const HOUR = 3_600_000;

/** Kafka's topic configs (LogConfig), in Kafka's order of names. */
export const TOPIC_CONFIGS: readonly TopicConfigDef[] = [
  def('cleanup.policy', 'LIST', 'delete', ['log.cleanup.policy'], 'honoured', {
    oneOf: ['compact', 'delete'],
  }),
  def('compression.type', 'STRING', 'producer', ['compression.type'], 'stored', {
    oneOf: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
  }),
  def('delete.retention.ms', 'LONG', '86400000', ['log.cleaner.delete.retention.ms'], 'stored', { min: 0 }),
  def('file.delete.delay.ms', 'LONG', '60000', ['log.segment.delete.delay.ms'], 'stored', { min: 0 }),
  def('flush.messages', 'LONG', LONG_MAX, ['log.flush.interval.messages'], 'stored', { min: 1 }),
  def('flush.ms', 'LONG', LONG_MAX, ['log.flush.interval.ms'], 'stored', { min: 0 }),
  def('index.interval.bytes', 'INT', '4096', ['log.index.interval.bytes'], 'stored', { min: 0 }),
  def('local.retention.bytes', 'LONG', '-2', ['log.local.retention.bytes'], 'stored', { min: -2 }),
  def('local.retention.ms', 'LONG', '-2', ['log.local.retention.ms'], 'stored', { min: -2 }),
  def('max.compaction.lag.ms', 'LONG', LONG_MAX, ['log.cleaner.max.compaction.lag.ms'], 'stored', { min: 1 }),
  def('max.message.bytes', 'INT', '1048588', ['message.max.bytes'], 'honoured', { min: 0 }),
  def('message.timestamp.after.max.ms', 'LONG', LONG_MAX, ['log.message.timestamp.after.max.ms'], 'stored', {
    min: 0,
  }),
  def(
    'message.timestamp.before.max.ms',
    'LONG',
    LONG_MAX,
    ['log.message.timestamp.before.max.ms'],
    'stored',
    {
      min: 0,
    },
  ),
  def('message.timestamp.type', 'STRING', 'CreateTime', ['log.message.timestamp.type'], 'honoured', {
    oneOf: ['CreateTime', 'LogAppendTime'],
  }),
  def('min.cleanable.dirty.ratio', 'DOUBLE', '0.5', ['log.cleaner.min.cleanable.ratio'], 'stored', {
    min: 0,
  }),
  def('min.compaction.lag.ms', 'LONG', '0', ['log.cleaner.min.compaction.lag.ms'], 'stored', { min: 0 }),
  def('min.insync.replicas', 'INT', '1', ['min.insync.replicas'], 'stored', { min: 1 }),
  def('preallocate', 'BOOLEAN', 'false', ['log.preallocate'], 'stored'),
  def('remote.storage.enable', 'BOOLEAN', 'false', [], 'stored'),
  def('retention.bytes', 'LONG', '-1', ['log.retention.bytes'], 'honoured'),
  def(
    'retention.ms',
    'LONG',
    '604800000',
    [
      'log.retention.ms',
      { name: 'log.retention.minutes', factor: 60_000 },
      { name: 'log.retention.hours', factor: HOUR },
    ],
    'honoured',
    { min: -1 },
  ),
  def('segment.bytes', 'INT', '1073741824', ['log.segment.bytes'], 'stored', { min: 14 }),
  def('segment.index.bytes', 'INT', '10485760', ['log.index.size.max.bytes'], 'stored', { min: 4 }),
  def(
    'segment.jitter.ms',
    'LONG',
    '0',
    ['log.roll.jitter.ms', { name: 'log.roll.jitter.hours', factor: HOUR }],
    'stored',
    {
      min: 0,
    },
  ),
  def(
    'segment.ms',
    'LONG',
    '604800000',
    ['log.roll.ms', { name: 'log.roll.hours', factor: HOUR }],
    'stored',
    {
      min: 1,
    },
  ),
  def('unclean.leader.election.enable', 'BOOLEAN', 'false', ['unclean.leader.election.enable'], 'stored'),
];

export const TOPIC_CONFIG_BY_NAME: ReadonlyMap<string, TopicConfigDef> = new Map(
  TOPIC_CONFIGS.map((d) => [d.name, d]),
);

const INT_RANGE = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const SHORT_RANGE = [-(2n ** 15n), 2n ** 15n - 1n] as const;
const LONG_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;

/** Kafka's ConfigException text. */
function invalid(name: string, value: string, reason: string): string {
  return `Invalid value ${value} for configuration ${name}: ${reason}`;
}

/** Parses a value as Kafka's ConfigDef would; answers the value normalised, or the error text. */
export function parseConfigValue(
  name: string,
  type: ConfigTypeName,
  raw: string,
  rules: { min?: number; oneOf?: readonly string[] } = {},
): { value: string } | { error: string } {
  const text = raw.trim();
  switch (type) {
    case 'BOOLEAN': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false')
        return { error: invalid(name, raw, 'Expected value to be either true or false') };
      return { value: lower };
    }
    case 'INT':
    case 'SHORT':
    case 'LONG': {
      const range = type === 'INT' ? INT_RANGE : type === 'SHORT' ? SHORT_RANGE : LONG_RANGE;
      if (!/^[-+]?\d+$/.test(text)) return { error: invalid(name, raw, `Not a number of type ${type}`) };
      const n = BigInt(text);
      if (n < range[0] || n > range[1]) return { error: invalid(name, raw, `Not a number of type ${type}`) };
      if (rules.min !== undefined && n < BigInt(rules.min)) {
        return { error: invalid(name, raw, `Value must be at least ${rules.min}`) };
      }
      return { value: n.toString() };
    }
    case 'DOUBLE': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n))
        return { error: invalid(name, raw, 'Not a number of type DOUBLE') };
      if (rules.min !== undefined && n < rules.min)
        return { error: invalid(name, raw, `Value must be at least ${rules.min}`) };
      return { value: String(n) };
    }
    case 'LIST': {
      const items = text === '' ? [] : text.split(',').map((s) => s.trim());
      if (rules.oneOf) {
        for (const item of items) {
          if (!rules.oneOf.includes(item)) {
            return { error: invalid(name, raw, `String must be one of: ${rules.oneOf.join(', ')}`) };
          }
        }
      }
      return { value: items.join(',') };
    }
    case 'STRING': {
      if (rules.oneOf && !rules.oneOf.includes(text)) {
        return { error: invalid(name, raw, `String must be one of: ${rules.oneOf.join(', ')}`) };
      }
      return { value: text };
    }
  }
}

/**
 * Checks one topic config as CreateTopics and AlterConfigs do; answers the value to store or the
 * INVALID_CONFIG message. Tideway's own refusals say what it does not do.
 */
export function validateTopicConfig(name: string, raw: string): { value: string } | { error: string } {
  const known = TOPIC_CONFIG_BY_NAME.get(name);
  if (!known) return { error: `Unknown topic config name: ${name}` };
  const parsed = parseConfigValue(name, known.type, raw, known);
  if ('error' in parsed) return parsed;
  if (name === 'cleanup.policy' && parsed.value.split(',').includes('compact')) {
    return {
      error: `Invalid value ${raw} for configuration cleanup.policy: Tideway does not compact topics; only cleanup.policy=delete is supported`,
    };
  }
  if (name === 'cleanup.policy' && parsed.value === '') {
    return { error: invalid(name, raw, 'Tideway needs a cleanup policy; only delete is supported') };
  }
  if (name === 'remote.storage.enable' && parsed.value === 'true') {
    return {
      error: `Invalid value ${raw} for configuration remote.storage.enable: Tideway has no tiered storage; only false is supported`,
    };
  }
  return parsed;
}

/**
 * A topic config's value from the cluster's configuration (its broker synonyms), else Kafka's
 * default: answers the value and where it came from.
 */
export function topicDefault(
  def: TopicConfigDef,
  clusterStatic: (name: string) => string | undefined,
): { value: string; source: number; synonym?: string } {
  for (const synonym of def.synonyms) {
    const value = clusterStatic(synonym.name);
    if (value === undefined) continue;
    const scaled = synonym.factor ? (BigInt(value) * BigInt(synonym.factor)).toString() : value;
    return { value: scaled, source: ConfigSource.STATIC_BROKER_CONFIG, synonym: synonym.name };
  }
  // Kafka's retention default comes from log.retention.hours' own default (168 h).
  for (const synonym of def.synonyms) {
    const builtIn = BROKER_DEFAULTS[synonym.name]?.value;
    if (builtIn === undefined || builtIn === null) continue;
    const scaled = synonym.factor ? (BigInt(builtIn) * BigInt(synonym.factor)).toString() : builtIn;
    return { value: scaled, source: ConfigSource.DEFAULT_CONFIG };
  }
  return { value: def.default, source: ConfigSource.DEFAULT_CONFIG };
}

import { mskError } from './errors.js';

/**
 * The Apache Kafka properties a custom MSK configuration may set (AWS's "Custom Amazon MSK
 * configurations" table); every other property is MSK's to manage and refused.
 */
const EDITABLE = new Set([
  'allow.everyone.if.no.acl.found',
  'auto.create.topics.enable',
  'auto.leader.rebalance.enable',
  'compression.type',
  'connections.max.idle.ms',
  'default.replication.factor',
  'delete.topic.enable',
  'group.initial.rebalance.delay.ms',
  'group.max.session.timeout.ms',
  'group.min.session.timeout.ms',
  'leader.imbalance.per.broker.percentage',
  'log.cleaner.delete.retention.ms',
  'log.cleaner.min.cleanable.ratio',
  'log.cleaner.max.compaction.lag.ms',
  'log.cleaner.min.compaction.lag.ms',
  'log.cleanup.policy',
  'log.flush.interval.messages',
  'log.flush.interval.ms',
  'log.message.timestamp.difference.max.ms',
  'log.message.timestamp.type',
  'log.message.downconversion.enable',
  'log.retention.bytes',
  'log.retention.hours',
  'log.retention.minutes',
  'log.retention.ms',
  'log.roll.ms',
  'log.segment.bytes',
  'max.connections.per.ip',
  'max.connections.per.ip.overrides',
  'max.incremental.fetch.session.cache.slots',
  'message.max.bytes',
  'min.insync.replicas',
  'num.io.threads',
  'num.network.threads',
  'num.partitions',
  'num.recovery.threads.per.data.dir',
  'num.replica.fetchers',
  'offsets.retention.minutes',
  'offsets.topic.replication.factor',
  'replica.fetch.max.bytes',
  'replica.fetch.response.max.bytes',
  'replica.lag.time.max.ms',
  'replica.selector.class',
  'replica.socket.receive.buffer.bytes',
  'socket.receive.buffer.bytes',
  'socket.request.max.bytes',
  'socket.send.buffer.bytes',
  'transaction.max.timeout.ms',
  'transaction.state.log.min.isr',
  'transaction.state.log.replication.factor',
  'transactional.id.expiration.ms',
  'unclean.leader.election.enable',
  'zookeeper.connection.timeout.ms',
  'zookeeper.session.timeout.ms',
]);

const BOOLEAN = /\.enable$|^allow\.everyone\.if\.no\.acl\.found$/;
const TEXT = new Set([
  'compression.type',
  'log.cleanup.policy',
  'log.message.timestamp.type',
  'max.connections.per.ip.overrides',
  'replica.selector.class',
]);
const ENUMS: Record<string, readonly string[]> = {
  'compression.type': ['gzip', 'snappy', 'lz4', 'zstd', 'uncompressed', 'producer'],
  'log.message.timestamp.type': ['CreateTime', 'LogAppendTime'],
};

/**
 * Parses a server.properties text as Java's Properties reads the simple form (`key=value` or
 * `key: value`, `#` and `!` comments) and checks each property is one MSK lets a configuration set,
 * with a value of its type.
 */
export function parseServerProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!match)
      throw mskError.badRequest(
        `The line "${line}" is not a property of the form name=value.`,
        'serverProperties',
      );
    const [, name, value] = match as unknown as [string, string, string];
    if (!EDITABLE.has(name))
      throw mskError.badRequest(
        `The property ${name} cannot be set in an Amazon MSK configuration: Amazon MSK manages it, or Apache Kafka has no such property.`,
        'serverProperties',
      );
    checkValue(name, value);
    properties[name] = value;
  }
  return properties;
}

function checkValue(name: string, value: string): void {
  const bad = () =>
    mskError.badRequest(
      `The value ${JSON.stringify(value)} is not valid for the property ${name}.`,
      'serverProperties',
    );
  if (value === '') throw bad();
  if (BOOLEAN.test(name)) {
    if (value !== 'true' && value !== 'false') throw bad();
    return;
  }
  const allowed = ENUMS[name];
  if (allowed) {
    if (!allowed.includes(value)) throw bad();
    return;
  }
  if (name === 'log.cleanup.policy') {
    if (!value.split(',').every((p) => p.trim() === 'delete' || p.trim() === 'compact')) throw bad();
    return;
  }
  if (TEXT.has(name)) return;
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw bad();
}

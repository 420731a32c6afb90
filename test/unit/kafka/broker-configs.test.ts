// Kafka's topic name rules (Topic.java) and config checks (ConfigDef, LogConfig) as the broker
// applies them, and how a topic config's default comes from the cluster's server.properties.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseConfigValue,
  TOPIC_CONFIG_BY_NAME,
  topicDefault,
  validateTopicConfig,
} from '../../../src/services/kafka/broker/configs.js';
import {
  collisionKey,
  invalidTopicReason,
  newKafkaUuid,
} from '../../../src/services/kafka/broker/topic-names.js';

describe('Kafka topic names', () => {
  it("takes 1 to 249 of [a-zA-Z0-9._-], not '.' or '..'", () => {
    for (const ok of ['a', 'orders.v1', 'A_b-9', 'x'.repeat(249), '...'])
      assert.equal(invalidTopicReason(ok), undefined, ok);
    assert.equal(invalidTopicReason(''), 'Topic name is invalid: the empty string is not allowed');
    assert.equal(invalidTopicReason('..'), "Topic name is invalid: '..' is not allowed");
    assert.match(invalidTopicReason('x'.repeat(250)) ?? '', /longer than the max allowed length 249$/);
    assert.match(
      invalidTopicReason('é') ?? '',
      /contains one or more characters other than ASCII alphanumerics/,
    );
  });

  it("makes '.' and '_' collide, and ids of 22 base64url characters not starting with '-'", () => {
    assert.equal(collisionKey('a.b_c'), collisionKey('a_b.c'));
    for (let i = 0; i < 200; i++) assert.match(newKafkaUuid(), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});

describe('Kafka topic configs', () => {
  it('parses as ConfigDef does, with its texts', () => {
    assert.deepEqual(parseConfigValue('x', 'LONG', ' 42 '), { value: '42' });
    assert.deepEqual(parseConfigValue('x', 'INT', '2147483648'), {
      error: 'Invalid value 2147483648 for configuration x: Not a number of type INT',
    });
    assert.deepEqual(parseConfigValue('x', 'BOOLEAN', 'TRUE'), { value: 'true' });
    assert.deepEqual(parseConfigValue('x', 'BOOLEAN', 'yes'), {
      error: 'Invalid value yes for configuration x: Expected value to be either true or false',
    });
    assert.deepEqual(parseConfigValue('x', 'DOUBLE', '0.25'), { value: '0.25' });
    assert.deepEqual(parseConfigValue('x', 'LIST', 'delete, compact', { oneOf: ['compact', 'delete'] }), {
      value: 'delete,compact',
    });
  });

  it('refuses compaction and tiered storage, and names Kafka does not know', () => {
    assert.match(
      (validateTopicConfig('cleanup.policy', 'compact') as { error: string }).error,
      /does not compact/,
    );
    assert.deepEqual(validateTopicConfig('cleanup.policy', 'delete'), { value: 'delete' });
    assert.match(
      (validateTopicConfig('remote.storage.enable', 'true') as { error: string }).error,
      /no tiered storage/,
    );
    assert.deepEqual(validateTopicConfig('nope', '1'), { error: 'Unknown topic config name: nope' });
    assert.deepEqual(validateTopicConfig('retention.ms', '-2'), {
      error: 'Invalid value -2 for configuration retention.ms: Value must be at least -1',
    });
  });

  it('takes a default from the most specific broker synonym, scaled to milliseconds', () => {
    const retention = TOPIC_CONFIG_BY_NAME.get('retention.ms');
    assert.ok(retention);
    const props = (p: Record<string, string>) => (name: string) => p[name];
    assert.deepEqual(topicDefault(retention, props({})), { value: '604800000', source: 5 });
    assert.deepEqual(topicDefault(retention, props({ 'log.retention.hours': '1' })), {
      value: '3600000',
      source: 4,
      synonym: 'log.retention.hours',
    });
    assert.deepEqual(
      topicDefault(retention, props({ 'log.retention.hours': '1', 'log.retention.minutes': '2' })),
      {
        value: '120000',
        source: 4,
        synonym: 'log.retention.minutes',
      },
    );
  });
});

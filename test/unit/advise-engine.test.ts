import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ADVICE_RULES,
  DEFAULT_WORKLOAD,
  evaluate,
  formatBytes,
  PATTERN_RULES,
  parseWorkload,
  type RuleTable,
  SERVICE_IDS,
} from '../../src/knowhow/advise/index.js';

// The engine is generic: these tables are made up to check how it evaluates any table.
const TABLE: RuleTable = {
  patterns: [
    { id: 'low', priority: 1, when: { all: [] }, pattern: 'low', services: [{ id: 'sqs', reason: 'base' }] },
    {
      id: 'high',
      priority: 10,
      when: { is: { replay: true } },
      pattern: 'high for {tenants} tenants',
      services: [{ id: 'kinesis-data-streams', reason: 'stream' }],
    },
  ],
  rules: [
    // Listed before the rule that adds firehose: the engine must come back to it.
    {
      id: 'needs-firehose',
      when: { uses: 'firehose' },
      settings: [{ service: 'firehose', setting: 'S', value: '{messageSize}', why: 'w' }],
    },
    {
      id: 'adds-firehose',
      when: { is: { toStorage: true } },
      services: [{ id: 'firehose', reason: 'storage' }],
      integrations: [{ id: 'i', services: ['firehose'], description: 'd' }],
    },
    {
      id: 'again',
      when: { uses: 'firehose' },
      services: [{ id: 'firehose', reason: 'and more' }],
      integrations: [{ id: 'i', services: ['sqs'], description: 'other' }],
    },
  ],
};

describe('advise engine', () => {
  it('picks the matching pattern with the highest priority, whatever the order of the table', () => {
    assert.equal(evaluate(parseWorkload({ replay: true, tenants: 3 }), TABLE).pattern, 'high for 3 tenants');
    assert.equal(evaluate(DEFAULT_WORKLOAD, TABLE).pattern, 'low');
  });

  it('runs advice rules to a fixed point, each once, merging reasons and integrations', () => {
    const result = evaluate(parseWorkload({ toStorage: true, messageSize: 2048 }), TABLE);
    assert.deepEqual(result.rules, ['low', 'adds-firehose', 'again', 'needs-firehose']);
    assert.deepEqual(result.services, [
      { id: 'sqs', reason: 'base' },
      { id: 'firehose', reason: 'storage and more' },
    ]);
    assert.deepEqual(result.integrations, [{ id: 'i', services: ['firehose', 'sqs'], description: 'd' }]);
    assert.deepEqual(result.settings, [{ service: 'firehose', setting: 'S', value: '2 KiB', why: 'w' }]);
  });

  it('formats sizes as the AWS docs write them', () => {
    assert.equal(formatBytes(1_048_576), '1 MiB');
    assert.equal(formatBytes(262_144), '256 KiB');
    assert.equal(formatBytes(300_000), '300,000 bytes');
  });

  it('has a pattern for every workload: the lowest-priority pattern always matches', () => {
    const lowest = [...PATTERN_RULES].sort((a, b) => a.priority - b.priority)[0];
    assert.deepEqual(lowest.when, { all: [] });
    assert.equal(
      new Set(PATTERN_RULES.map((p) => p.priority)).size,
      PATTERN_RULES.length,
      'priorities are distinct',
    );
  });

  it('names only known services, and every rule id once', () => {
    const ids = [...PATTERN_RULES.map((r) => r.id), ...ADVICE_RULES.map((r) => r.id)];
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of [...PATTERN_RULES, ...ADVICE_RULES]) {
      for (const s of rule.services ?? []) assert.ok(SERVICE_IDS.includes(s.id), rule.id);
      for (const i of rule.integrations ?? [])
        for (const s of i.services) assert.ok(SERVICE_IDS.includes(s), rule.id);
      for (const s of ('settings' in rule ? rule.settings : undefined) ?? []) {
        assert.ok(SERVICE_IDS.includes(s.service), rule.id);
      }
    }
  });

  it('every service of the eight is recommended by some workload', () => {
    const seen = new Set<string>();
    for (const workload of [
      {},
      { consumers: 'fan-out' },
      { saas: true },
      { protocol: 'jms' },
      { stateful: true, toStorage: true },
      { kafkaApi: true },
    ]) {
      for (const s of evaluate(parseWorkload(workload)).services) seen.add(s.id);
    }
    assert.deepEqual([...seen].sort(), [...SERVICE_IDS].sort());
  });
});

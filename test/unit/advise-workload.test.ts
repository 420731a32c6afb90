import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import {
  DEFAULT_WORKLOAD,
  parseSize,
  parseWorkload,
  WORKLOAD_DIMENSIONS,
  WorkloadError,
  workloadJsonSchema,
} from '../../src/knowhow/advise/index.js';

function workloadError(input: unknown): WorkloadError {
  try {
    parseWorkload(input);
  } catch (err) {
    assert.ok(err instanceof WorkloadError, String(err));
    return err;
  }
  assert.fail(`${JSON.stringify(input)} was accepted`);
}

describe('advise workload', () => {
  it('describes every dimension once, with a flag, a question and a default that parses', () => {
    const names = WORKLOAD_DIMENSIONS.map((d) => d.name);
    assert.deepEqual([...names].sort(), [
      'consumers',
      'crossAccount',
      'kafkaApi',
      'latency',
      'messageSize',
      'ordering',
      'protocol',
      'replay',
      'routing',
      'saas',
      'stateful',
      'tenants',
      'throughput',
      'toStorage',
    ]);
    assert.equal(new Set(WORKLOAD_DIMENSIONS.map((d) => d.flag)).size, names.length);
    for (const dim of WORKLOAD_DIMENSIONS) {
      assert.ok(dim.question.endsWith('?') || dim.question.endsWith(')?'), dim.name);
      if (dim.kind === 'choice') assert.ok(dim.values!.includes(dim.default as string), dim.name);
    }
    assert.deepEqual(parseWorkload({}), DEFAULT_WORKLOAD);
    assert.deepEqual(parseWorkload(DEFAULT_WORKLOAD), DEFAULT_WORKLOAD);
  });

  it('keeps the answers given and defaults the rest', () => {
    const workload = parseWorkload({ ordering: 'per-group', replay: true, tenants: 12, messageSize: 2048 });
    assert.equal(workload.ordering, 'per-group');
    assert.equal(workload.replay, true);
    assert.equal(workload.tenants, 12);
    assert.equal(workload.messageSize, 2048);
    assert.equal(workload.consumers, 'competing');
    assert.equal(workload.protocol, 'none');
  });

  it('reads sizes in bytes, KB (1,000), KiB (1,024), MB and MiB', () => {
    assert.equal(parseSize('262144'), 262_144);
    assert.equal(parseSize('256KiB'), 262_144);
    assert.equal(parseSize('256 KB'), 256_000);
    assert.equal(parseSize('1MiB'), 1_048_576);
    assert.equal(parseSize('1.5 MB'), 1_500_000);
    assert.equal(parseSize('2 mib'), 2_097_152);
    for (const bad of ['', 'big', '12 GB', '-5', '0', '1e3']) assert.equal(parseSize(bad), undefined, bad);
    assert.equal(parseWorkload({ messageSize: '300KB' }).messageSize, 300_000);
  });

  it('takes the issue’s wordings of some values, and flag names as field names', () => {
    assert.equal(parseWorkload({ ordering: 'strict' }).ordering, 'per-partition');
    assert.equal(parseWorkload({ ordering: 'Per-Key' }).ordering, 'per-group');
    assert.equal(parseWorkload({ consumers: 'competing-workers' }).consumers, 'competing');
    assert.equal(parseWorkload({ consumers: 'fanout' }).consumers, 'fan-out');
    assert.equal(parseWorkload({ throughput: 'sustained' }).throughput, 'sustained-high');
    const byFlag = parseWorkload({ 'cross-account': true, 'to-storage': 'yes', 'message-size': '2MB' });
    assert.equal(byFlag.crossAccount, true);
    assert.equal(byFlag.toStorage, true);
    assert.equal(byFlag.messageSize, 2_000_000);
    assert.equal('cross-account' in byFlag, false);
    assert.match(workloadError({ 'kafka-api': 'maybe' }).message, /^kafka-api must be true or false/);
  });

  it('takes yes/no and true/false for booleans', () => {
    assert.equal(parseWorkload({ replay: 'yes' }).replay, true);
    assert.equal(parseWorkload({ stateful: 'no' }).stateful, false);
    assert.equal(parseWorkload({ saas: false }).saas, false);
  });

  it('names the field and the allowed values of a wrong answer', () => {
    const ordering = workloadError({ ordering: 'sideways' });
    assert.equal(ordering.field, 'ordering');
    assert.match(ordering.message, /ordering must be one of none, per-group, per-partition, not "sideways"/);

    const consumers = workloadError({ consumers: 'many' });
    assert.match(consumers.message, /competing, independent-readers, fan-out/);

    const replay = workloadError({ replay: 'sometimes' });
    assert.equal(replay.field, 'replay');
    assert.match(replay.message, /true or false/);

    const size = workloadError({ messageSize: -1 });
    assert.equal(size.field, 'messageSize');
    assert.match(size.message, /KiB/);

    const tenants = workloadError({ tenants: 0 });
    assert.equal(tenants.field, 'tenants');
    assert.match(workloadError({ tenants: 2.5 }).message, /whole number/);
  });

  it('refuses unknown fields and anything but an object', () => {
    const unknown = workloadError({ ordering: 'none', colour: 'blue' });
    assert.equal(unknown.field, 'colour');
    assert.match(unknown.message, /unknown workload field 'colour'/);
    assert.match(unknown.message, /crossAccount/);
    for (const bad of [null, [], 'fan-out', 3]) assert.match(workloadError(bad).message, /JSON object/);
  });

  it('describes the JSON workload as a JSON Schema that agrees with parseWorkload', () => {
    const ajv = new Ajv2020.default({ strict: true, useDefaults: false });
    const valid = ajv.compile(workloadJsonSchema());
    const accepted = [
      {},
      { ordering: 'per-group', consumers: 'fan-out', tenants: 4 },
      { messageSize: '256KiB', replay: true },
      { messageSize: 2048, kafkaApi: false, protocol: 'mqtt' },
    ];
    for (const workload of accepted) {
      assert.ok(valid(workload), JSON.stringify(valid.errors));
      parseWorkload(workload);
    }
    const refused = [{ ordering: 'sideways' }, { colour: 'blue' }, { tenants: 0 }, { messageSize: 'huge' }];
    for (const workload of refused) {
      assert.equal(valid(workload), false, JSON.stringify(workload));
      assert.throws(() => parseWorkload(workload), WorkloadError);
    }
  });
});

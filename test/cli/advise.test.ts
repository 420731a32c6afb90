import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type CliRun, runCli } from '../support/server.js';

/** `tideway advise …` as a user runs it, with `stdin` piped in (empty unless given). */
function advise(args: string[], stdin?: string): Promise<CliRun> {
  return runCli(['advise', ...args], {}, { input: stdin, timeoutMs: 10_000 });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tideway-advise-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function workloadFile(content: string): string {
  const file = path.join(dir, `workload-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, content);
  return file;
}

describe('tideway advise (command line)', () => {
  it('--help lists every dimension flag and the formats', async () => {
    const run = await advise(['--help']);
    assert.equal(run.code, 0, run.stderr);
    for (const flag of [
      '--replay',
      '--no-replay',
      '--ordering',
      '--consumers',
      '--throughput',
      '--latency',
    ]) {
      assert.ok(run.stdout.includes(flag), flag);
    }
    for (const flag of [
      '--routing',
      '--cross-account',
      '--saas',
      '--to-storage',
      '--stateful',
      '--protocol',
    ]) {
      assert.ok(run.stdout.includes(flag), flag);
    }
    for (const flag of ['--kafka-api', '--message-size', '--tenants', '--workload', '--format text|json']) {
      assert.ok(run.stdout.includes(flag), flag);
    }
  });

  it('prints text advice from flags', async () => {
    const run = await advise(['--ordering', 'per-group', '--consumers', 'fan-out']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Pattern: Ordered fan-out: SNS FIFO topic → SQS FIFO queues\n/);
    assert.match(run.stdout, /\nServices\n {2}sns \(Amazon SNS\)\n/);
    assert.match(run.stdout, /\nIntegrations\n {2}sns-fifo-sqs-fifo-fanout: sns → sqs\n/);
    assert.match(run.stdout, /\nProduction settings\n/);
    assert.match(run.stdout, / {2}sqs {2}ReceiveMessageWaitTimeSeconds = 20\n/);
  });

  it('prints exactly { pattern, services, integrations, settings } with --format json', async () => {
    const run = await advise(['--replay', '--to-storage', '--format=json']);
    assert.equal(run.code, 0, run.stderr);
    const advice = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(advice), ['pattern', 'services', 'integrations', 'settings']);
    assert.deepEqual(
      advice.services.map((s: { id: string }) => s.id),
      ['kinesis-data-streams', 'firehose'],
    );
    for (const s of advice.services) assert.deepEqual(Object.keys(s), ['id', 'reason']);
    for (const i of advice.integrations) assert.deepEqual(Object.keys(i), ['id', 'services', 'description']);
    for (const s of advice.settings) assert.deepEqual(Object.keys(s), ['service', 'setting', 'value', 'why']);
    assert.ok(advice.integrations.some((i: { id: string }) => i.id === 'kinesis-firehose-s3'));
  });

  it('reads --workload FILE, and flags override it', async () => {
    const file = workloadFile(JSON.stringify({ kafkaApi: true, stateful: true, messageSize: '2MB' }));
    const fromFile = JSON.parse((await advise(['--workload', file, '--format', 'json'])).stdout);
    assert.deepEqual(
      fromFile.services.map((s: { id: string }) => s.id),
      ['msk', 'managed-flink'],
    );
    const overridden = await advise([
      '--workload',
      file,
      '--no-kafka-api',
      '--no-stateful',
      '--format',
      'json',
    ]);
    assert.equal(overridden.code, 0, overridden.stderr);
    assert.deepEqual(
      JSON.parse(overridden.stdout).services.map((s: { id: string }) => s.id),
      ['sqs'],
    );
  });

  it('reads the workload from stdin with --workload -', async () => {
    const run = await advise(['--workload', '-', '--format', 'json'], '{"protocol": "mqtt"}');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      JSON.parse(run.stdout).services.map((s: { id: string }) => s.id),
      ['mq'],
    );
  });

  it('exits 2 without a workload when stdin is not a terminal, instead of waiting', async () => {
    const run = await advise([]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /no workload/);
  });

  it('exits 2 naming the allowed values of a wrong flag value', async () => {
    const ordering = await advise(['--ordering', 'sideways']);
    assert.equal(ordering.code, 2);
    assert.match(ordering.stderr, /--ordering must be one of none, per-group, per-partition, not "sideways"/);
    const format = await advise(['--replay', '--format', 'sarif']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be one of text, json/);
    const size = await advise(['--message-size', 'huge']);
    assert.equal(size.code, 2);
    assert.match(size.stderr, /--message-size must be a positive number of bytes/);
    const missing = await advise(['--consumers']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--consumers needs a value/);
  });

  it('exits 2 on an unknown flag, listing the flags', async () => {
    const run = await advise(['--colour', 'blue']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown option '--colour'/);
    assert.match(run.stderr, /--cross-account/);
  });

  it('exits 2 on a workload file that is missing, not JSON, or has an unknown field', async () => {
    const missing = await advise(['--workload', path.join(dir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read --workload/);
    const broken = await advise(['--workload', workloadFile('{ordering:')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /is not JSON/);
    const unknown = await advise(['--workload', workloadFile('{"shards": 4}')]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown workload field 'shards'/);
    const wrong = await advise(['--workload', workloadFile('{"consumers": "everyone"}')]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /consumers must be one of competing, independent-readers, fan-out/);
  });
});

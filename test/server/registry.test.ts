import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { buildServices, SERVICES, type ServiceEnvironment } from '../../src/services/registry.js';
import { EmbeddedEngine } from '../../src/storage/embedded/engine.js';

function environment(): Omit<ServiceEnvironment, 'frontDoors'> {
  const clock = new Clock();
  const scheduler = new Scheduler(clock);
  const log = createLogger('silent');
  return { clock, scheduler, log, queues: new EmbeddedEngine(clock, scheduler, log), settings: {} };
}

function byName(env: Omit<ServiceEnvironment, 'frontDoors'>) {
  return Object.fromEntries(buildServices(env).map((m) => [m.definition.name, m]));
}

// Each service is one module of the registry (docs/adding-a-service.md): the server builds it from
// the shared environment and learns from it all it serves, so these hold for every entry.
describe('the service registry', () => {
  it('builds every service under its own name, each speaking at least one protocol', async () => {
    const env = environment();
    const names = new Set<string>();
    const modules = buildServices(env);
    for (const [i, factory] of SERVICES.entries()) {
      const module = modules[i];
      assert.equal(module.definition.name, factory.name);
      assert.ok(module.definition.json || module.definition.query || module.definition.rest, factory.name);
      assert.ok(!names.has(factory.name), `${factory.name} is listed once`);
      names.add(factory.name);
      await module.reset();
      await module.close();
    }
    assert.deepEqual(
      [...names],
      ['kms', 'secretsmanager', 'sqs', 'sns', 'kinesis', 'events', 'schemas', 's3', 'firehose', 'kafka'],
    );
    env.scheduler.stop();
    await env.queues.close();
  });

  it('leaves SNS and Kinesis unloaded until their first request, and AWS serves all three to browsers', () => {
    const env = environment();
    const modules = byName(env);
    assert.equal(typeof modules.sns.definition.load, 'function');
    assert.equal(typeof modules.kinesis.definition.load, 'function');
    assert.equal(typeof modules.kms.definition.load, 'function');
    assert.equal(typeof modules.secretsmanager.definition.load, 'function');
    assert.deepEqual(Object.keys(modules.sns.definition.operations), []);
    assert.equal(modules.sqs.definition.load, undefined);
    for (const name of ['kms', 'secretsmanager', 'sqs', 'sns', 'kinesis'])
      assert.equal(modules[name].cors, true, name);
    env.scheduler.stop();
  });

  it('keeps the documents and admin views the services serve', () => {
    const env = environment();
    const { sns } = byName(env);
    assert.ok(Object.keys(sns.views ?? {}).includes('sns/outbox'));
    assert.ok(Object.keys(sns.documents ?? {}).some((path) => path.endsWith('.pem')));
    env.scheduler.stop();
  });
});

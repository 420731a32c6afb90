import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { eventsClient, withEventsServer } from '../support/events.js';
import { sqsClient, startServer } from '../support/tideway.js';
import {
  adminJson,
  assertEmpty,
  drain,
  entry,
  eventQueue,
  putOne,
  ruleWithTargets,
  stringAttributes,
} from './delivery-fixtures.js';

interface Drops {
  drops: { ruleArn: string; targetId: string; targetArn: string; count: number; lastReason: string }[];
}

describe('dead-letter queues', () => {
  const suite = withEventsServer();

  it('take the event as routed, with the documented string attributes and the trace header', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const gone = await eventQueue(sqs, { allowEvents: true });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    const rule = await ruleWithTargets(suite.events, { source: ['test.dlq'] }, []);
    const dlq = await eventQueue(sqs, { allowEvents: rule.arn });
    await ruleWithTargets(
      suite.events,
      { source: ['test.dlq'] },
      [{ Id: 'gone', Arn: gone.arn, Input: '{"transformed":true}', DeadLetterConfig: { Arn: dlq.arn } }],
      { name: rule.name },
    );
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    const id = await putOne(suite.events, entry('test.dlq', { k: 'v' }, { TraceHeader: trace }));
    const [dead] = await drain(sqs, dlq.url);
    const body = JSON.parse(dead.Body!);
    assert.equal(body.id, id);
    assert.deepEqual(body.detail, { k: 'v' });
    const attributes = stringAttributes(dead);
    assert.deepEqual(Object.keys(attributes).sort(), [
      'ERROR_CODE',
      'ERROR_MESSAGE',
      'RETRY_ATTEMPTS',
      'RULE_ARN',
      'TARGET_ARN',
    ]);
    assert.equal(attributes.ERROR_CODE, 'NO_RESOURCE');
    assert.equal(attributes.RULE_ARN, rule.arn);
    assert.equal(attributes.TARGET_ARN, gone.arn);
    assert.equal(attributes.RETRY_ATTEMPTS, '0');
    assert.equal(dead.Attributes?.AWSTraceHeader, trace);
  });

  it("drop the event when the queue's policy keeps EventBridge out, counting each drop per target", async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const closed = await eventQueue(sqs);
    const dlqWithoutPolicy = await eventQueue(sqs);
    const rule = await ruleWithTargets(suite.events, { source: ['test.drop'] }, [
      { Id: 'closed', Arn: closed.arn, DeadLetterConfig: { Arn: dlqWithoutPolicy.arn } },
    ]);
    await putOne(suite.events, entry('test.drop'));
    await putOne(suite.events, entry('test.drop'));
    await assertEmpty(sqs, dlqWithoutPolicy.url);
    const { drops } = await adminJson<Drops>(
      suite.server.endpoint,
      `events/drops?ruleArn=${encodeURIComponent(rule.arn)}`,
    );
    assert.equal(drops.length, 1);
    assert.equal(drops[0].targetId, 'closed');
    assert.equal(drops[0].count, 2);
    assert.match(drops[0].lastReason, /dead-letter queue .* the queue has no policy/);
    assert.match(drops[0].lastReason, /"Service":"events.amazonaws.com"/);
  });

  it('count a failed delivery with no dead-letter queue as a drop', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const closed = await eventQueue(sqs);
    const rule = await ruleWithTargets(suite.events, { source: ['test.nodlq'] }, [
      { Id: 'closed', Arn: closed.arn },
    ]);
    await putOne(suite.events, entry('test.nodlq'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { drops } = await adminJson<Drops>(
      suite.server.endpoint,
      `events/drops?ruleArn=${encodeURIComponent(rule.arn)}`,
    );
    assert.equal(drops.length, 1);
    assert.match(drops[0].lastReason, /NO_PERMISSIONS: .*has no dead-letter queue/);
  });
});

describe('dead-letter queues under --lenient-policies', () => {
  it('are not needed: the target queue takes the event its policy would refuse', async () => {
    const server = await startServer({ lenientPolicies: true });
    const events = eventsClient(server.endpoint);
    const sqs = sqsClient(server.endpoint);
    try {
      const closed = await eventQueue(sqs);
      await ruleWithTargets(events, { source: ['test.lenient'] }, [{ Id: 'q', Arn: closed.arn }]);
      await putOne(events, entry('test.lenient'));
      assert.equal((await drain(sqs, closed.url)).length, 1);
    } finally {
      events.destroy();
      sqs.destroy();
      await server.stop();
    }
  });
});

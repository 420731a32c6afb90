import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { withEventsServer } from '../support/events.js';
import { sqsClient } from '../support/tideway.js';
import {
  assertEmpty,
  drain,
  entry,
  eventQueue,
  putOne,
  ruleWithTargets,
  stringAttributes,
} from './delivery-fixtures.js';

describe('SQS targets', () => {
  const suite = withEventsServer();

  it('deliver to every matching rule and none other, each target its own copy', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const a = await eventQueue(sqs, { allowEvents: true });
    const b = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.fan'] }, [
      { Id: 'a', Arn: a.arn },
      { Id: 'b', Arn: b.arn },
    ]);
    await ruleWithTargets(suite.events, { source: ['test.fan'], detail: { kind: ['big'] } }, [
      { Id: 'a', Arn: a.arn },
    ]);
    await ruleWithTargets(suite.events, { source: ['test.other'] }, [{ Id: 'b', Arn: b.arn }]);
    const id = await putOne(suite.events, entry('test.fan', { kind: 'small' }));
    const [toA] = await drain(sqs, a.url);
    const [toB] = await drain(sqs, b.url);
    assert.equal(JSON.parse(toA.Body!).id, id);
    assert.equal(toA.Body, toB.Body);
    await assertEmpty(sqs, a.url);
    await assertEmpty(sqs, b.url);
  });

  it('skip disabled rules', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const queue = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.disabled'] }, [{ Id: 'q', Arn: queue.arn }], {
      state: 'DISABLED',
    });
    await putOne(suite.events, entry('test.disabled'));
    await assertEmpty(sqs, queue.url);
  });

  it("send the target's constant Input instead of the event", async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const queue = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.input'] }, [
      { Id: 'q', Arn: queue.arn, Input: '{"constant":true}' },
    ]);
    await putOne(suite.events, entry('test.input'));
    const [message] = await drain(sqs, queue.url);
    assert.equal(message.Body, '{"constant":true}');
  });

  it('need a queue policy letting events.amazonaws.com send, scoped by aws:SourceArn', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const closed = await eventQueue(sqs);
    const otherRule = await eventQueue(sqs, {
      allowEvents: 'arn:aws:events:us-east-1:000000000000:rule/elsewhere',
    });
    const dlq = await eventQueue(sqs, { allowEvents: true });
    const rule = await ruleWithTargets(suite.events, { source: ['test.policy'] }, [
      { Id: 'closed', Arn: closed.arn, DeadLetterConfig: { Arn: dlq.arn } },
      { Id: 'scoped', Arn: otherRule.arn, DeadLetterConfig: { Arn: dlq.arn } },
    ]);
    await putOne(suite.events, entry('test.policy'));
    await assertEmpty(sqs, closed.url);
    await assertEmpty(sqs, otherRule.url);
    const dead = await drain(sqs, dlq.url, 2);
    assert.deepEqual(
      dead.map((m) => stringAttributes(m).TARGET_ARN).sort(),
      [closed.arn, otherRule.arn].sort(),
    );
    for (const m of dead) {
      const attributes = stringAttributes(m);
      assert.equal(attributes.ERROR_CODE, 'NO_PERMISSIONS');
      assert.equal(attributes.RULE_ARN, rule.arn);
      assert.equal(attributes.RETRY_ATTEMPTS, '0');
      assert.equal(attributes.EXHAUSTED_RETRY_CONDITION, undefined);
    }
  });

  it('send to a FIFO queue with the target group id and the event id as deduplication id', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const queue = await eventQueue(sqs, { allowEvents: true, fifo: true });
    await ruleWithTargets(suite.events, { source: ['test.fifo'] }, [
      { Id: 'q', Arn: queue.arn, SqsParameters: { MessageGroupId: 'orders' } },
    ]);
    const out = await suite.events.send(
      new PutEventsCommand({ Entries: [entry('test.fifo', { n: 1 }), entry('test.fifo', { n: 2 })] }),
    );
    const messages = await drain(sqs, queue.url, 2);
    assert.deepEqual(
      messages.map((m) => [
        m.Attributes?.MessageGroupId,
        m.Attributes?.MessageDeduplicationId,
        JSON.parse(m.Body!).detail.n,
      ]),
      [
        ['orders', out.Entries![0].EventId, 1],
        ['orders', out.Entries![1].EventId, 2],
      ],
    );
  });

  it('carry the trace header as the AWSTraceHeader system attribute', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const queue = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.trace'] }, [{ Id: 'q', Arn: queue.arn }]);
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    await putOne(suite.events, entry('test.trace', {}, { TraceHeader: trace }));
    const [message] = await drain(sqs, queue.url);
    assert.equal(message.Attributes?.AWSTraceHeader, trace);
    assert.equal(message.MessageAttributes, undefined);
  });

  it('cannot deliver to a queue encrypted with the AWS managed key: straight to the dead-letter queue', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const sealed = await eventQueue(sqs, {
      allowEvents: true,
      attributes: { KmsMasterKeyId: 'alias/aws/sqs' },
    });
    const dlq = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.sealed'] }, [
      { Id: 'q', Arn: sealed.arn, DeadLetterConfig: { Arn: dlq.arn } },
    ]);
    await putOne(suite.events, entry('test.sealed'));
    const [dead] = await drain(sqs, dlq.url);
    const attributes = stringAttributes(dead);
    assert.equal(attributes.ERROR_CODE, 'NO_PERMISSIONS');
    assert.equal(attributes.RETRY_ATTEMPTS, '0');
    await assertEmpty(sqs, sealed.url);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withEventsServer } from '../support/events.js';
import { adminJson, entry, putOne, ruleWithTargets } from './delivery-fixtures.js';

interface Invocations {
  invocations: {
    functionArn: string;
    invocationType: string;
    payload: string;
    ruleArn: string;
    targetId: string;
  }[];
}

describe('Lambda targets', () => {
  const suite = withEventsServer();

  it('are recorded in the outbox as the asynchronous invocation Lambda would receive', async () => {
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:on-order';
    const rule = await ruleWithTargets(suite.events, { source: ['test.lambda'] }, [{ Id: 'fn', Arn: fn }]);
    const id = await putOne(suite.events, entry('test.lambda', { order: 7 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { invocations } = await adminJson<Invocations>(
      suite.server.endpoint,
      `events/lambda-invocations?functionArn=${encodeURIComponent(fn)}`,
    );
    assert.equal(invocations.length, 1);
    const [call] = invocations;
    assert.equal(call.invocationType, 'Event');
    assert.equal(call.ruleArn, rule.arn);
    assert.equal(call.targetId, 'fn');
    const payload = JSON.parse(call.payload);
    assert.equal(payload.id, id);
    assert.deepEqual(payload.detail, { order: 7 });
  });
});

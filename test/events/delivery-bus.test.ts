import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsClient, withEventsServer } from '../support/events.js';
import { sqsClient } from '../support/tideway.js';
import {
  ACCOUNT,
  drain,
  entry,
  eventQueue,
  putOne,
  ruleWithTargets,
  stringAttributes,
} from './delivery-fixtures.js';

describe('event bus targets', () => {
  const suite = withEventsServer();

  it("hand the event to another region's bus with a new id and that region", async () => {
    const west = eventsClient(suite.server.endpoint, { region: 'us-west-2' });
    const westSqs = sqsClient(suite.server.endpoint, 'json', { region: 'us-west-2' });
    const queue = await eventQueue(westSqs, { allowEvents: true });
    await ruleWithTargets(west, { source: ['test.bus'] }, [{ Id: 'q', Arn: queue.arn }]);
    await ruleWithTargets(suite.events, { source: ['test.bus'] }, [
      {
        Id: 'west',
        Arn: `arn:aws:events:us-west-2:${ACCOUNT}:event-bus/default`,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/bus-to-bus`,
      },
    ]);
    const id = await putOne(suite.events, entry('test.bus', { hop: 1 }));
    const [message] = await drain(westSqs, queue.url);
    const event = JSON.parse(message.Body!);
    assert.notEqual(event.id, id);
    assert.equal(event.region, 'us-west-2');
    assert.equal(event.account, ACCOUNT);
    assert.deepEqual(event.detail, { hop: 1 });
    west.destroy();
    westSqs.destroy();
  });

  // The allowing side (same id, same account field) needs PutPermission, which the buses part brings.
  it("fail for another account's bus whose policy does not let the rule's account in", async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const dlq = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.bus.cross'] }, [
      {
        Id: 'other',
        Arn: 'arn:aws:events:us-east-1:111122223333:event-bus/default',
        DeadLetterConfig: { Arn: dlq.arn },
      },
    ]);
    const id = await putOne(suite.events, entry('test.bus.cross'));
    const [dead] = await drain(sqs, dlq.url);
    assert.equal(JSON.parse(dead.Body!).id, id);
    const attributes = stringAttributes(dead);
    assert.equal(attributes.ERROR_CODE, 'NO_PERMISSIONS');
    assert.match(attributes.ERROR_MESSAGE, /does not allow account 000000000000 events:PutEvents/);
  });
});

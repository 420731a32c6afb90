import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutPermissionCommand } from '@aws-sdk/client-eventbridge';
import { accountCredentials, eventsClient, withEventsServer } from '../support/events.js';
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

  // test_event_bus_to_event_bus_cross_account_region[default-region]: the forwarded event keeps the
  // region (and account) it was put in; only its id is new.
  it("hand the event to another region's bus with a new id, keeping its region and account", async () => {
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
    assert.equal(event.region, 'us-east-1');
    assert.equal(event.account, ACCOUNT);
    assert.deepEqual(event.detail, { hop: 1 });
    west.destroy();
    westSqs.destroy();
  });

  // test_event_bus_to_event_bus_cross_account_region[default-account]: same id, the sender's account.
  it("hand the event to another account's bus that allows it, with its id and account unchanged", async () => {
    const other = '111111111111';
    const theirs = eventsClient(suite.server.endpoint, { credentials: accountCredentials(other) });
    const theirSqs = sqsClient(suite.server.endpoint, 'json', { credentials: accountCredentials(other) });
    await theirs.send(
      new PutPermissionCommand({ StatementId: 'all', Action: 'events:PutEvents', Principal: '*' }),
    );
    const queue = await eventQueue(theirSqs, { allowEvents: true });
    await ruleWithTargets(theirs, { source: ['test.bus.account'] }, [{ Id: 'q', Arn: queue.arn }]);
    await ruleWithTargets(suite.events, { source: ['test.bus.account'] }, [
      {
        Id: 'theirs',
        Arn: `arn:aws:events:us-east-1:${other}:event-bus/default`,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/bus-to-bus`,
      },
    ]);
    const id = await putOne(suite.events, entry('test.bus.account', { hop: 2 }));
    const [message] = await drain(theirSqs, queue.url);
    const event = JSON.parse(message.Body!);
    assert.equal(event.id, id);
    assert.equal(event.account, ACCOUNT);
    assert.equal(event.region, 'us-east-1');
    assert.deepEqual(event.detail, { hop: 2 });
    theirs.destroy();
    theirSqs.destroy();
  });

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

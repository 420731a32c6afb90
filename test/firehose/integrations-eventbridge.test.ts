import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  drain,
  entry,
  eventQueue,
  putOne,
  ruleWithTargets,
  stringAttributes,
} from '../events/delivery-fixtures.js';
import { eventsClient } from '../support/events.js';
import { sqsClient } from '../support/tideway.js';
import {
  ACCOUNT,
  bucket,
  flushed,
  ROLE,
  streamToBucket,
  withFirehoseServer,
} from './integrations-support.js';

describe('EventBridge Firehose targets', () => {
  const suite = withFirehoseServer();
  let events: EventBridgeClient;
  let sqs: SQSClient;
  before(() => {
    events = eventsClient(suite.server.endpoint);
    sqs = sqsClient(suite.server.endpoint);
  });
  after(() => {
    events.destroy();
    sqs.destroy();
  });

  it('put the event as one record, as the target role, with no newline added', async () => {
    const b = await bucket(suite.s3);
    const stream = await streamToBucket(suite, b.arn);
    await ruleWithTargets(events, { source: ['test.firehose'] }, [
      { Id: 'f', Arn: stream.arn, RoleArn: ROLE },
    ]);
    const id = await putOne(events, entry('test.firehose', { order: 7 }));
    const [object] = await flushed(suite, b.name);
    const event = JSON.parse(object.body.toString('utf8'));
    assert.equal(event.id, id);
    assert.deepEqual(event.detail, { order: 7 });
    assert.ok(!object.body.toString('utf8').endsWith('\n'));
  });

  it('put the rendered input when the target has one', async () => {
    const b = await bucket(suite.s3);
    const stream = await streamToBucket(suite, b.arn);
    await ruleWithTargets(events, { source: ['test.firehose.input'] }, [
      { Id: 'f', Arn: stream.arn, RoleArn: ROLE, Input: '{"fixed":true}' },
    ]);
    await putOne(events, entry('test.firehose.input'));
    await putOne(events, entry('test.firehose.input'));
    const [object] = await flushed(suite, b.name);
    assert.equal(object.body.toString('utf8'), '{"fixed":true}{"fixed":true}');
  });

  it('dead-letter the events of a stream that does not exist (NO_RESOURCE)', async () => {
    const dlq = await eventQueue(sqs, { allowEvents: true });
    const missing = `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/none-here`;
    await ruleWithTargets(events, { source: ['test.firehose.missing'] }, [
      { Id: 'f', Arn: missing, RoleArn: ROLE, DeadLetterConfig: { Arn: dlq.arn } },
    ]);
    await putOne(events, entry('test.firehose.missing'));
    const [dead] = await drain(sqs, dlq.url);
    const attributes = stringAttributes(dead);
    assert.equal(attributes.ERROR_CODE, 'NO_RESOURCE');
    assert.match(attributes.ERROR_MESSAGE, /ResourceNotFoundException/);
  });
});

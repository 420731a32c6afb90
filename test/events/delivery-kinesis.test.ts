import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withEventsServer } from '../support/events.js';
import { kinesisClient } from '../support/kinesis.js';
import { sqsClient } from '../support/tideway.js';
import { drain, entry, eventQueue, putOne, ruleWithTargets, stringAttributes } from './delivery-fixtures.js';
import { oneShardStream, streamRecords } from './kinesis-fixtures.js';

const ROLE = 'arn:aws:iam::000000000000:role/events-to-kinesis';

describe('Kinesis targets', () => {
  const suite = withEventsServer();

  it('put one record per event, keyed by PartitionKeyPath, or by the event id without one', async () => {
    const kinesis = kinesisClient(suite.server.endpoint);
    const stream = await oneShardStream(kinesis);
    await ruleWithTargets(suite.events, { source: ['test.kinesis'] }, [
      {
        Id: 'keyed',
        Arn: stream.arn,
        RoleArn: ROLE,
        KinesisParameters: { PartitionKeyPath: '$.detail.customer' },
      },
      { Id: 'plain', Arn: stream.arn, RoleArn: ROLE },
    ]);
    const id = await putOne(suite.events, entry('test.kinesis', { customer: 'c-42' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const records = await streamRecords(kinesis, stream.name);
    assert.deepEqual(records.map((r) => r.partitionKey).sort(), [id, 'c-42'].sort());
    for (const r of records) assert.equal(JSON.parse(r.data).id, id);
    kinesis.destroy();
  });

  it('fail a PartitionKeyPath that selects nothing, without retrying', async () => {
    const kinesis = kinesisClient(suite.server.endpoint);
    const sqs = sqsClient(suite.server.endpoint);
    const stream = await oneShardStream(kinesis);
    const dlq = await eventQueue(sqs, { allowEvents: true });
    await ruleWithTargets(suite.events, { source: ['test.kinesis.path'] }, [
      {
        Id: 'keyed',
        Arn: stream.arn,
        RoleArn: ROLE,
        KinesisParameters: { PartitionKeyPath: '$.detail.missing' },
        DeadLetterConfig: { Arn: dlq.arn },
      },
    ]);
    await putOne(suite.events, entry('test.kinesis.path', { customer: 'c-42' }));
    const [dead] = await drain(sqs, dlq.url);
    assert.equal(stringAttributes(dead).ERROR_CODE, 'INVALID_PARAMETER');
    assert.deepEqual(await streamRecords(kinesis, stream.name), []);
    kinesis.destroy();
  });

  it('fail for a stream that does not exist (NO_RESOURCE)', async () => {
    const sqs = sqsClient(suite.server.endpoint);
    const dlq = await eventQueue(sqs, { allowEvents: true });
    const arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/nowhere';
    await ruleWithTargets(suite.events, { source: ['test.kinesis.gone'] }, [
      { Id: 's', Arn: arn, RoleArn: ROLE, DeadLetterConfig: { Arn: dlq.arn } },
    ]);
    await putOne(suite.events, entry('test.kinesis.gone'));
    const [dead] = await drain(sqs, dlq.url);
    assert.equal(stringAttributes(dead).ERROR_CODE, 'NO_RESOURCE');
  });
});

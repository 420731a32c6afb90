import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withEventsServer } from '../support/events.js';
import { kinesisClient } from '../support/kinesis.js';
import { advance, sqsClient } from '../support/tideway.js';
import { drain, entry, eventQueue, putOne, ruleWithTargets, stringAttributes } from './delivery-fixtures.js';
import { oneShardStream, streamRecords } from './kinesis-fixtures.js';

const ROLE = 'arn:aws:iam::000000000000:role/events-to-kinesis';
// Two of these fill a shard's 1 MiB/s: the second is throttled (--kinesis-limits), a retryable error.
const big = (n: number) => entry('test.retry', { n, pad: 'x'.repeat(600_000) });

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('retries', () => {
  const suite = withEventsServer({ kinesisLimits: true });

  it('retry a throttled delivery on the clock until it goes through', async () => {
    const kinesis = kinesisClient(suite.server.endpoint);
    const stream = await oneShardStream(kinesis);
    await ruleWithTargets(suite.events, { source: ['test.retry'] }, [
      { Id: 's', Arn: stream.arn, RoleArn: ROLE, KinesisParameters: { PartitionKeyPath: '$.detail.n' } },
    ]);
    await putOne(suite.events, big(1));
    await putOne(suite.events, big(2));
    await settle();
    assert.deepEqual(
      (await streamRecords(kinesis, stream.name)).map((r) => r.partitionKey),
      ['1'],
    );
    // The first retry waits between half a second and a second; the shard's window has passed by then.
    await advance(suite.server, 3);
    await settle();
    assert.deepEqual(
      (await streamRecords(kinesis, stream.name)).map((r) => r.partitionKey),
      ['1', '2'],
    );
    kinesis.destroy();
  });

  it('send a throttled event to the dead-letter queue at once when MaximumRetryAttempts is 0', async () => {
    const kinesis = kinesisClient(suite.server.endpoint);
    const sqs = sqsClient(suite.server.endpoint);
    const stream = await oneShardStream(kinesis);
    const dlq = await eventQueue(sqs, { allowEvents: true });
    const rule = await ruleWithTargets(suite.events, { source: ['test.retry'] }, [
      {
        Id: 's',
        Arn: stream.arn,
        RoleArn: ROLE,
        RetryPolicy: { MaximumRetryAttempts: 0 },
        DeadLetterConfig: { Arn: dlq.arn },
      },
    ]);
    await advance(suite.server, 5);
    await putOne(suite.events, big(1));
    const second = await putOne(suite.events, big(2));
    const [dead] = await drain(sqs, dlq.url);
    assert.equal(JSON.parse(dead.Body!).id, second);
    const attributes = stringAttributes(dead);
    assert.equal(attributes.ERROR_CODE, 'THROTTLING');
    assert.match(attributes.ERROR_MESSAGE, /^ProvisionedThroughputExceededException: /);
    assert.equal(attributes.EXHAUSTED_RETRY_CONDITION, 'MaximumRetryAttempts');
    assert.equal(attributes.RETRY_ATTEMPTS, '0');
    assert.equal(attributes.RULE_ARN, rule.arn);
    kinesis.destroy();
  });
});

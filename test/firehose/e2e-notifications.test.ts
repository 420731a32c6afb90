// End to end: an object Firehose writes is an object like any other, so the bucket's event
// notification tells an SQS queue about it, with its key, size and ETag.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { HeadObjectCommand, PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { allowing, fromBucket, queue, recordOf, take } from '../s3/notifications-fixtures.js';
import { eventsClient } from '../support/events.js';
import { advance, sqsClient, uniqueName } from '../support/tideway.js';
import { directPutStream, gunzip, landed, parseKey, putAll, records } from './e2e-support.js';
import { ACCOUNT, bucket, REGION, withFirehoseServer } from './integrations-support.js';

describe('Firehose → S3 → event notification → SQS end to end', () => {
  const suite = withFirehoseServer();
  let sqs: SQSClient;
  before(() => {
    sqs = sqsClient(suite.server.endpoint);
  });
  after(() => sqs.destroy());

  it('announces the object Firehose wrote as ObjectCreated:Put', async () => {
    const b = await bucket(suite.s3);
    const q = await queue(sqs, (arn) =>
      allowing('s3.amazonaws.com', 'sqs:SendMessage', arn, fromBucket(b.name)),
    );
    await suite.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: b.name,
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Id: 'firehose-objects',
              QueueArn: q.arn,
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.gz' }] } },
            },
          ],
        },
      }),
    );
    const [testEvent] = await take(sqs, q.url, 1);
    assert.equal(JSON.parse(testEvent!.Body!).Event, 's3:TestEvent');

    const stream = await directPutStream(suite, b.arn, { CompressionFormat: 'GZIP', Prefix: 'logs/' });
    const data = records(50, 200, 'n');
    await putAll(suite, stream.name, data);
    await advance(suite.server, 61);
    const [object] = await landed(suite, b.name);
    assert.ok(gunzip(object!.body).equals(Buffer.concat(data)));
    const key = parseKey(object!.key, stream.name, '.gz');
    assert.ok(key.prefix.startsWith('logs/'));

    const [message] = await take(sqs, q.url, 1);
    const record = recordOf(message!.Body);
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: b.name, Key: object!.key }));
    assert.equal(record.eventSource, 'aws:s3');
    assert.equal(record.eventName, 'ObjectCreated:Put');
    assert.equal(record.awsRegion, REGION);
    assert.equal(record.s3.configurationId, 'firehose-objects');
    assert.equal(record.s3.bucket.name, b.name);
    assert.equal(record.s3.bucket.arn, b.arn);
    assert.equal(record.s3.object.key, object!.key);
    assert.equal(record.s3.object.size, object!.body.length);
    assert.equal(`"${record.s3.object.eTag}"`, head.ETag);
    // Firehose sets no Content-Encoding on its gzipped objects, and application/octet-stream.
    assert.equal(head.ContentType, 'application/octet-stream');
    assert.equal(head.ContentEncoding, undefined);
    assert.match(record.s3.object.sequencer, /^[0-9A-F]+$/);
  });

  it('sends Object Created to EventBridge for the object Firehose wrote', async () => {
    const events = eventsClient(suite.server.endpoint);
    try {
      const b = await bucket(suite.s3);
      const ruleName = uniqueName('e2e-s3-rule');
      const { RuleArn } = await events.send(
        new PutRuleCommand({
          Name: ruleName,
          EventPattern: JSON.stringify({ source: ['aws.s3'], detail: { bucket: { name: [b.name] } } }),
        }),
      );
      const q = await queue(sqs, (arn) =>
        allowing('events.amazonaws.com', 'sqs:SendMessage', arn, { ArnEquals: { 'aws:SourceArn': RuleArn } }),
      );
      await events.send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: 'q', Arn: q.arn }] }));
      await suite.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: b.name,
          NotificationConfiguration: { EventBridgeConfiguration: {} },
        }),
      );
      const stream = await directPutStream(suite, b.arn);
      await putAll(suite, stream.name, [Buffer.from('to the bus')]);
      await advance(suite.server, 61);
      const [object] = await landed(suite, b.name);
      const [message] = await take(sqs, q.url, 1);
      const event = JSON.parse(message!.Body!);
      assert.equal(event.source, 'aws.s3');
      assert.equal(event['detail-type'], 'Object Created');
      assert.deepEqual(event.resources, [b.arn]);
      assert.equal(event.detail.bucket.name, b.name);
      assert.equal(event.detail.object.key, object!.key);
      assert.equal(event.detail.object.size, 'to the bus'.length);
      assert.equal(event.detail.object.etag, createHash('md5').update('to the bus').digest('hex'));
      assert.equal(event.detail.reason, 'PutObject');
      assert.equal(event.detail.requester, ACCOUNT);
    } finally {
      events.destroy();
    }
  });
});
